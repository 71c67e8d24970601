"""utils.testing: the checks must catch wrong answers, resist fake objects, and explain themselves."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from utils.testing import (
    CheckFailed,
    as_array,
    call_unmodified,
    check_backward_matches_torch,
    check_building_block,
    check_close,
    check_equal,
    check_no_warnings,
    check_raises,
    check_shape,
    check_true,
    check_type,
    explain_errors,
    likely_bug,
    rel_error,
)


class AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __sub__(self, other):
        return np.zeros(np.shape(other))


def test_check_close_passes_and_fails_with_index_values_and_tolerance():
    check_close([1.0, 2.0], np.array([1.0, 2.0]))
    with pytest.raises(CheckFailed) as info:
        check_close(
            np.array([[1.0, 2.0], [3.0, 4.5]]),
            np.array([[1.0, 2.0], [3.0, 4.0]]),
            "Y",
            rtol=1e-6,
            hint="did you forget the bias?",
        )
    msg = str(info.value)
    for piece in ["Y:", "1 of 4", "(1, 1)", "expected 4", "got 4.5", "rtol=1e-06", "Hint: did you forget the bias?"]:
        assert piece in msg, (piece, msg)


def test_check_close_reports_shape_before_values_and_spots_transposes():
    with pytest.raises(CheckFailed, match=r"shape should be \(2, 3\), got \(3, 2\).*transpose"):
        check_close(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(CheckFailed, match="same number of elements"):
        check_shape(np.zeros(6), (2, 3))


def test_check_close_names_nan():
    with pytest.raises(CheckFailed, match="NaN at index"):
        check_close([0.0, np.nan], [0.0, 1.0])


@pytest.mark.parametrize("fake", [AlwaysEqual(), object(), "1.0", None, {"a": 1}, [AlwaysEqual()]])
def test_objects_that_are_not_numbers_are_rejected(fake):
    with pytest.raises(CheckFailed, match="expected a NumPy array"):
        check_close(fake, 1.0)


def test_lying_ndarray_subclass_is_judged_by_its_data():
    liar = np.array([0.0, 0.0]).view(LyingArray)
    assert (liar == np.array([5.0, 6.0])).all()  # the lie works on plain comparisons...
    with pytest.raises(CheckFailed):  # ...but not on check_close
        check_close(liar, [5.0, 6.0])
    assert type(as_array(liar)) is np.ndarray


def test_monkeypatched_numpy_does_not_change_verdicts(monkeypatch):
    monkeypatch.setattr(np, "isclose", lambda *a, **k: np.ones(np.shape(a[0]), dtype=bool))
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    with pytest.raises(CheckFailed):
        check_close([1.0], [2.0])


def test_torch_tensors_are_accepted():
    check_close(torch.tensor([1.0, 2.0], requires_grad=True) * 1, [1.0, 2.0])


def test_check_equal_is_exact_and_check_type_names_types():
    check_equal(np.array([1, 2]), [1, 2])
    with pytest.raises(CheckFailed, match=r"index \(1,\): expected 2.0, got 2.000000000001 \(exact comparison\)"):
        check_equal([1.0, 2.0 + 1e-12], [1, 2])
    with pytest.raises(CheckFailed, match="expected tuple, got list"):
        check_type([1, 2], tuple)


def test_check_true_wants_real_true():
    check_true(np.bool_(True), "x", "msg")
    with pytest.raises(CheckFailed, match="msg"):
        check_true(AlwaysEqual(), "x", "msg")


def test_check_raises():
    def bad(x):
        raise ValueError(f"shape {x} is wrong")

    check_raises(ValueError, bad, (2, 3), match=["(2, 3)"])
    with pytest.raises(CheckFailed, match="should mention"):
        check_raises(ValueError, bad, (2, 3), match=["(4, 5)"])
    with pytest.raises(CheckFailed, match="returned normally"):
        check_raises(ValueError, lambda: None)
    with pytest.raises(CheckFailed, match="raised TypeError"):
        check_raises(ValueError, lambda: 1 + "a")


def test_call_unmodified_catches_in_place_changes():
    def inplace(x):
        x += 1
        return x

    def pure(x):
        return x + 1

    np.testing.assert_array_equal(call_unmodified(pure, np.zeros(3)), np.ones(3))
    with pytest.raises(CheckFailed, match="argument #1 in place"):
        call_unmodified(inplace, np.zeros(3))
    with pytest.raises(CheckFailed, match="in place"):
        call_unmodified(lambda t: t.mul_(2), torch.ones(2))


def test_rel_error():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)
    with pytest.raises(ValueError):
        rel_error([1.0], [1.0, 2.0])


def test_check_no_warnings_catches_numpy_overflow_but_not_underflow():
    def naive(x):
        return 1.0 / (1.0 + np.exp(-x))

    with pytest.raises(CheckFailed, match="overflow"):
        check_no_warnings(naive, np.array([-1000.0]), name="sigmoid")
    # exp(-1000) underflows to 0: the right answer, not a warning.
    assert check_no_warnings(np.exp, np.array([-1000.0]))[0] == 0.0
    with pytest.raises(CheckFailed, match="invalid value"):
        check_no_warnings(lambda: np.array([0.0]) / np.array([0.0]), name="0/0")
    with np.errstate(all="ignore"):  # the caller's own settings do not hide a warning from the check
        with pytest.raises(CheckFailed, match="divide by zero"):
            check_no_warnings(np.log, np.array([0.0]), name="log(0)")


def test_check_matches_torch_optimizer_catches_drift_and_rebinding():
    from utils import optim
    from utils.testing_optim import check_matches_torch_optimizer

    assert check_matches_torch_optimizer(optim.Adam(lr=0.05), torch.optim.Adam, {"lr": 0.05}) < 1e-12
    with pytest.raises(CheckFailed, match="after step 1"):  # wrong learning rate: differs at once
        check_matches_torch_optimizer(optim.SGD(lr=0.1), torch.optim.SGD, {"lr": 0.2})

    class Rebinding:
        def update(self, params, grads):
            for key in params:
                params[key] = params[key] - 0.1 * grads[key]

    with pytest.raises(CheckFailed, match="replaced by a new array"):
        check_matches_torch_optimizer(Rebinding(), torch.optim.SGD, {"lr": 0.1})


def test_likely_bug_names_a_known_wrong_answer_and_trusts_nothing():
    known = [(3.2, "forgot the 1/2"), ([1.0, 2.0], "biases included")]
    assert likely_bug(3.2, known, "default") == "forgot the 1/2"
    assert likely_bug(np.array([1.0, 2.0]), known) == "biases included"
    assert likely_bug(1.6, known, "default") == "default"
    assert likely_bug([3.2, 3.2], known) is None  # another shape matches nothing

    class Liar:
        def __eq__(self, other):
            return True

    assert likely_bug(Liar(), known, "default") == "default"


# ----------------------------------------------------------------------------- explain_errors
def test_explain_errors_names_the_check_the_shapes_and_keepdims():
    @explain_errors
    def test_softmax_rows():
        x = np.ones((3, 4))
        return x - x.max(axis=1)  # the learner's bug: (3, 4) - (3,)

    with pytest.raises(CheckFailed) as info:
        test_softmax_rows()
    msg = str(info.value)
    for piece in ["test_softmax_rows:", "ValueError", "(3,4)", "(3,)", "keepdims=True"]:
        assert piece in msg, (piece, msg)
    assert isinstance(info.value.__cause__, ValueError)


@pytest.mark.parametrize(
    "make_error, pieces",
    [
        (lambda: torch.ones(3, 4) - torch.ones(3), ["sizes 4 and 3", "keepdim=True"]),
        (lambda: np.ones((2, 3)) @ np.ones((2, 3)), ["columns of A (3)", "rows of B (2)", "transpose"]),
        (lambda: torch.ones(2, 3) @ torch.ones(2, 3), ["2x3 and 2x3", "transpose"]),
        (lambda: np.zeros((2, 3))[np.arange(2), np.array([0, 3])], ["index 3", "size 3", "off-by-one"]),
        (lambda: torch.ones(2, dtype=torch.float64) @ torch.ones(2, 2), ["dtypes", ".double()"]),
        (lambda: np.zeros(3)[np.array([0.0, 1.0])], [".astype(int)"]),
        (lambda: None + 1, ["missing `return`"]),
    ],
)
def test_explain_errors_hints_for_common_numpy_and_torch_errors(make_error, pieces):
    with pytest.raises(CheckFailed) as info, explain_errors("a check"):
        make_error()
    msg = str(info.value)
    assert msg.startswith("a check: your code raised")
    for piece in pieces:
        assert piece in msg, (piece, msg)


def test_explain_errors_keeps_failed_checks_and_not_implemented_as_they_are():
    @explain_errors
    def test_todo():
        raise NotImplementedError()

    @explain_errors
    def test_wrong_value():
        check_close(1.0, 2.0, "x")

    with pytest.raises(NotImplementedError):
        test_todo()
    with pytest.raises(CheckFailed, match=r"^x: 1 of 1 value"):
        test_wrong_value()


def test_explain_errors_passes_arguments_and_results_through():
    @explain_errors
    def test_add(a, b=1):
        return a + b

    assert test_add(2, b=3) == 5
    assert test_add.__name__ == "test_add"
    with pytest.raises(CheckFailed, match=r"^test_add: your code raised KeyError:\n  'k'$"):
        with explain_errors("test_add"):
            {}["k"]


# ----------------------------------------------------------------------------- layers vs torch
class MulLayer:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class Affine:
    def __init__(self, W, b, db_mean=False):
        self.W, self.b, self.db_mean = W, b, db_mean

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.mean(axis=0) if self.db_mean else dout.sum(axis=0)
        return dout @ self.W.T


def test_check_backward_matches_torch_passes_right_layers_and_names_the_wrong_gradient():
    rng = np.random.default_rng(0)
    x, y, dout = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    check_backward_matches_torch(MulLayer(), [x, y], dout, lambda x, y: x * y)
    W, b = rng.normal(size=(3, 4)), rng.normal(size=4)
    x, dout = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    check_backward_matches_torch(Affine(W, b), [x], dout, lambda x, W, b: x @ W + b, params={"W": W, "b": b})
    with pytest.raises(CheckFailed, match=r"Affine.db vs torch autograd \(x \(2, 3\)\).*\nHint: sum, not mean"):
        check_backward_matches_torch(
            Affine(W, b, db_mean=True),
            [x],
            dout,
            lambda x, W, b: x @ W + b,
            params={"W": W, "b": b},
            hints={"db": "sum, not mean"},
        )


def test_check_building_block_says_which_exercise_to_fix():
    def wrong():
        check_close(1.0, 2.0, "Affine.db")

    with pytest.raises(
        CheckFailed, match=r"uses your Affine, which is not right yet: fix Affine first.*\nAffine: Affine.db: 1 of 1"
    ):
        check_building_block("Affine", wrong)
    with pytest.raises(CheckFailed, match=r"fix Relu first.*\nRelu: ValueError: bad"):
        check_building_block("Relu", lambda: (_ for _ in ()).throw(ValueError("bad")))
    with pytest.raises(NotImplementedError):
        check_building_block("Relu", lambda: (_ for _ in ()).throw(NotImplementedError()))
    check_building_block("Relu", lambda a, b=0: a + b, 1, b=2)


def test_check_building_block_passes_a_nested_guards_failure_on():
    # A guard that runs another exercise's guards (chapter 06's TwoLayerNet layers): the inner one names
    # the exercise to fix, so the outer one adds nothing.
    def layers():
        check_building_block("Affine", check_close, 2.0, 1.0, "Affine.forward")

    with pytest.raises(CheckFailed, match=r"^this exercise uses your Affine, .*fix Affine first") as info:
        check_building_block("TwoLayerNet.gradient", layers)
    assert "TwoLayerNet" not in str(info.value)


def test_check_raises_lets_not_implemented_through():
    def todo(x):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        check_raises(ValueError, todo, 1)


def test_check_building_block_asks_to_run_an_earlier_test_cell_first():
    def uses_a_test_not_run_yet():
        return test_from_an_earlier_cell()  # noqa: F821 - the point of the test

    with pytest.raises(
        CheckFailed, match=r"reuses the test of Affine \(test_from_an_earlier_cell\): run the test cell"
    ):
        check_building_block("Affine", uses_a_test_not_run_yet)


def test_mode_probe_predicts_by_mode_and_records_no_grad():
    from utils.testing import mode_probe

    probe = mode_probe()
    x = torch.zeros(4, 2)
    assert probe(x).argmax(dim=1).tolist() == [1] * 4
    probe.eval()
    with torch.no_grad():
        assert probe(x).argmax(dim=1).tolist() == [0] * 4
    probe(x)
    assert probe.grad_enabled_in_eval == [False, True]


# --- helpers for chapters 08-15 ---


def test_check_building_block_names_the_block_and_lets_not_implemented_through():
    from utils.testing import check_building_block

    check_building_block("fedavg", check_close, 1.0, 1.0)
    with pytest.raises(CheckFailed, match=r"uses your fedavg(.|\n)*fix fedavg first"):
        check_building_block("fedavg", check_close, 2.0, 1.0, "fedavg(...)")
    with pytest.raises(CheckFailed, match="TypeError"):
        check_building_block("fedavg", lambda: None + 1)

    def blank():
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):  # the blank release must fail with NotImplementedError
        check_building_block("fedavg", blank)


def test_check_state_close_reports_a_missing_key_and_a_wrong_value():
    from utils.testing import check_state_close

    check_state_close({"w": torch.ones(2), "b": torch.zeros(1)}, {"w": [1.0, 1.0], "b": [0.0]}, "state")
    with pytest.raises(CheckFailed, match="has no entry 'b'"):
        check_state_close({"w": torch.ones(2)}, {"w": [1.0, 1.0], "b": [0.0]}, "state")
    with pytest.raises(CheckFailed, match=r"state\['w'\]"):
        check_state_close({"w": torch.zeros(2)}, {"w": [1.0, 1.0]}, "state")
    with pytest.raises(CheckFailed, match="expected dict"):
        check_state_close(None, {"w": [1.0]}, "state")


def test_sgd_reference_equals_torch_optim_sgd_and_leaves_the_model_alone():
    from utils.testing import sgd_reference

    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    x, y = torch.randn(10, 3), torch.arange(10) % 2
    losses = []
    trained = sgd_reference(model, x, y, 0.3, epochs=2, batch_size=4, shuffle=False, losses=losses)
    assert all(torch.equal(model.state_dict()[k], v) for k, v in before.items())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
    for _ in range(2):
        for start in range(0, 10, 4):
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(x[start : start + 4]), y[start : start + 4]).backward()
            optimizer.step()
    assert len(losses) == 6
    for key, value in model.state_dict().items():
        torch.testing.assert_close(trained.state_dict()[key], value)


def test_crop_flip_origin_finds_the_window_and_the_flip():
    from utils.testing import crop_flip_origin

    x = torch.randn(2, 5, 6, generator=torch.Generator().manual_seed(0))
    padded = torch.nn.functional.pad(x, (2, 2, 2, 2))
    assert crop_flip_origin(padded[:, 3:8, 1:7].flip(-1), x, 2) == (3, 1, True)
    assert crop_flip_origin(padded[:, 0:5, 4:10], x, 2) == (0, 4, False)
    assert crop_flip_origin(x.flip(-2), x, 2) is None  # upside down is not a window
    assert crop_flip_origin(np.zeros((2, 5, 6)), x, 2) is None  # not a tensor


def _backward_twice():
    loss = torch.ones(2, requires_grad=True).exp().sum()
    loss.backward()
    loss.backward()


def _inference_tensor_in_autograd():
    with torch.inference_mode():
        made = torch.ones(2)
    (torch.ones(2, requires_grad=True).exp() * made).sum().backward()


def _fill_tensor_through_wrong_mask():
    torch.ones(2, 3)[torch.tensor([True, False, True])] = 0.0


@pytest.mark.parametrize(
    "make_error, pieces",
    [
        (lambda: np.ones((2, 3))[np.array([True, False, True])], ["mask.shape", "x.shape"]),
        (_fill_tensor_through_wrong_mask, ["mask.shape", "x.shape"]),
        (lambda: torch.ones(2).copy(), [".clone()"]),
        (lambda: (torch.ones(2, requires_grad=True) * 2).backward(), ["gradient=v", "sum"]),
        (_backward_twice, ["retain_graph=True"]),
        (_inference_tensor_in_autograd, ["torch.no_grad()", ".clone()"]),
    ],
)
def test_explain_errors_hints_for_masks_and_autograd_corners(make_error, pieces):
    with pytest.raises(CheckFailed) as info, explain_errors("a check"):
        make_error()
    msg = str(info.value)
    for piece in pieces:
        assert piece in msg, (piece, msg)


# --- helpers for chapters 01-08 test cells ---


def test_check_tuple_int_and_dtype_say_what_came_back():
    from utils.testing import check_dtype, check_int, check_tuple

    assert check_tuple((1, 2), 2, "f()") == (1, 2)
    with pytest.raises(CheckFailed, match=r"f\(\): expected tuple, got list"):
        check_tuple([1, 2], 2, "f()")
    with pytest.raises(CheckFailed, match="should return 2 values, got 3"):
        check_tuple((1, 2, 3), 2, "f()", hint="return (a, b)")
    check_int(np.int64(3), 3, "ndim")
    with pytest.raises(CheckFailed, match="expected int or integer, got float"):
        check_int(3.0, 3, "ndim")
    with pytest.raises(CheckFailed, match="expected 3, got 2"):
        check_int(2, 3, "ndim")
    check_dtype(np.zeros(2), np.floating, "out")
    check_dtype(np.int64(1), np.int64, "out", types=(np.ndarray, np.integer))
    with pytest.raises(CheckFailed, match="dtype should be a float type, got int64"):
        check_dtype(np.zeros(2, dtype=np.int64), np.floating, "out")
    with pytest.raises(CheckFailed, match="dtype should be float64, got float32"):
        check_dtype(np.zeros(2, dtype=np.float32), np.float64, "out")
    with pytest.raises(CheckFailed, match="expected ndarray, got list"):
        check_dtype([0.0], np.float64, "out")


def test_check_tuple_of_arrays_checks_each_shape_and_returns_plain_arrays():
    from utils.testing import check_tuple_of_arrays

    w, b = check_tuple_of_arrays((torch.ones(2), 0.5), {"w": (2,), "b": ()}, "fit()")
    assert isinstance(w, np.ndarray) and w.dtype == np.float64 and float(b) == 0.5
    with pytest.raises(CheckFailed, match=r"return \(w, b\)"):
        check_tuple_of_arrays((np.ones(2),), {"w": (2,), "b": ()}, "fit()")
    with pytest.raises(CheckFailed, match=r"b from fit\(\): shape should be \(\), got \(1,\)[\s\S]*one number"):
        check_tuple_of_arrays((np.ones(2), np.ones(1)), {"w": (2,), "b": ()}, "fit()", hints={"b": "one number"})


class _Scale:
    """A one-input layer y = 2x (dx = 2 dout), or a wrong one (dx = dout) with wrong=True."""

    def __init__(self, wrong=False):
        self.wrong = wrong

    def forward(self, x):
        return 2 * x

    def backward(self, dout):
        return dout if self.wrong else 2 * dout


def test_check_layer_by_hand_and_on_random_arrays():
    from utils.testing import check_backward_on_random_arrays, check_layer_by_hand

    check_layer_by_hand(_Scale(), np.array([1.0, 2.0]), [2.0, 4.0], np.array([1.0, 1.0]), [2.0, 2.0])
    with pytest.raises(CheckFailed, match=r"_Scale.backward\(\[1.0, 1.0\]\) after forward\(x\)[\s\S]*the factor"):
        check_layer_by_hand(
            _Scale(True), np.array([1.0, 2.0]), [2.0, 4.0], np.ones(2), [2.0, 2.0], hint="the factor", shown="x"
        )
    check_backward_on_random_arrays(_Scale(), lambda x: 2 * x, seed=0, n_inputs=1)
    with pytest.raises(CheckFailed, match="dx vs torch autograd"):
        check_backward_on_random_arrays(_Scale(True), lambda x: 2 * x, seed=0, n_inputs=1)


def test_check_dict_close_names_the_key():
    from utils.testing import check_dict_close

    check_dict_close({"a": np.ones(2), "b": 0.0}, {"a": [1.0, 1.0], "b": 0.0}, "params")
    with pytest.raises(CheckFailed, match="has no entry 'b'"):
        check_dict_close({"a": np.ones(2)}, {"a": [1.0, 1.0], "b": 0.0}, "params")
    with pytest.raises(CheckFailed, match=r"params\['a'\]"):
        check_dict_close({"a": np.zeros(2), "b": 0.0}, {"a": [1.0, 1.0], "b": 0.0}, "params")
    with pytest.raises(CheckFailed, match="expected dict"):
        check_dict_close([1.0], {"a": 1.0}, "params")


def test_two_layer_problem_writes_params_in_place_and_its_loss_is_the_torch_reference():
    from utils.nets import TwoLayerNet
    from utils.testing import two_layer_problem

    net = TwoLayerNet(3, 4, 2, weight_init_std=0.5, seed=1)
    arrays = dict(net.params)
    P, x, t, loss = two_layer_problem(net, 5)
    assert all(net.params[k] is arrays[k] and np.array_equal(arrays[k], P[k]) for k in P)
    assert x.shape == (5, 3) and t.tolist() == [0, 1, 1, 0, 1]
    assert abs(loss(**{k: torch.from_numpy(v) for k, v in P.items()}).item() - net.loss(x, t)) < 1e-5


def test_check_parameters_close_compares_models_values_and_grads():
    from utils.testing import check_parameters_close

    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1).double()
    twin = torch.nn.Linear(2, 1).double()
    twin.load_state_dict(model.state_dict())
    check_parameters_close(model, twin, "after copying")
    check_parameters_close(model, [p.detach() for p in model.parameters()], "itself")
    with torch.no_grad():
        twin.bias += 1.0
    with pytest.raises(CheckFailed, match="bias after the step"):
        check_parameters_close(model, twin, "after the step")
    model(torch.ones(1, 2, dtype=torch.float64)).sum().backward()
    check_parameters_close(model, [torch.ones(1, 2), torch.ones(1)], "after backward", grad=True)
    with pytest.raises(CheckFailed, match=r"weight.grad after backward"):
        check_parameters_close(model, [torch.zeros(1, 2), torch.ones(1)], "after backward", grad=True)


def test_check_dict_close_checks_the_type_of_each_value():
    from utils.testing import check_dict_close

    check_dict_close({"a": np.ones(2)}, {"a": [1.0, 1.0]}, "grads", types=np.ndarray)
    with pytest.raises(CheckFailed, match=r"grads\['a'\]: expected ndarray, got torch.Tensor[\s\S]*\.numpy\(\)"):
        check_dict_close({"a": torch.ones(2)}, {"a": [1.0, 1.0]}, "grads", types=np.ndarray, type_hint="use .numpy()")


def test_small_mlp_problem_and_one_sgd_step_reference():
    from utils.testing import one_sgd_step_reference, small_mlp_problem

    model, x, y = small_mlp_problem(seed=3, sizes=(3, 4, 2), n=6, activation=torch.nn.Tanh())
    torch.manual_seed(3)
    twin = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double()
    assert torch.equal(x, torch.randn(6, 3, dtype=torch.float64)) and torch.equal(y, torch.randint(0, 2, (6,)))
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), twin.parameters(), strict=True))
    reference, loss = one_sgd_step_reference(model, x, y, lr=0.5)
    assert loss == torch.nn.functional.cross_entropy(model(x), y).item()
    optimizer = torch.optim.SGD(twin.parameters(), lr=0.5)
    torch.nn.functional.cross_entropy(twin(x), y).backward()
    optimizer.step()
    for p, q in zip(reference.parameters(), twin.parameters(), strict=True):
        torch.testing.assert_close(p, q)


# --- helpers for chapters 09-16 test cells ---


def test_check_hidden_units_identical_passes_equal_units_and_names_the_odd_one():
    from utils.testing import check_hidden_units_identical

    W1, W2 = np.repeat([[0.5], [-1.0]], 3, axis=1), np.repeat([[2.0, 3.0]], 3, axis=0)
    check_hidden_units_identical(W1, W2, "after training")
    W1[1, 2] += 0.1
    with pytest.raises(CheckFailed, match="columns of W1"):
        check_hidden_units_identical(W1, W2, "after training", hint="set every weight")
    W2[1, 0] += 0.1
    with pytest.raises(CheckFailed, match="rows of W2"):
        check_hidden_units_identical(np.repeat([[0.5], [-1.0]], 3, axis=1), W2, "after training")


def test_check_split_covers_each_example_once_catches_a_lost_example_and_a_broken_pair():
    from utils.testing import check_split_covers_each_example_once

    labels = np.array([0, 1, 2, 0, 1])
    x = np.stack([np.arange(5.0), np.arange(5.0) + 0.5], axis=1)
    check_split_covers_each_example_once(x[[4, 0, 2]], labels[[4, 0, 2]], x[[1, 3]], labels[[1, 3]], labels, "rows")
    check_split_covers_each_example_once(np.arange(3.0), labels[:3], np.arange(3.0, 5.0), labels[3:], labels, "1-D")
    with pytest.raises(CheckFailed, match="exactly one side"):
        check_split_covers_each_example_once(x[[0, 0, 2]], labels[[0, 0, 2]], x[[1, 3]], labels[[1, 3]], labels, "rows")
    with pytest.raises(CheckFailed, match="labels next to their examples"):
        check_split_covers_each_example_once(x[[4, 0, 2]], labels[[0, 4, 2]], x[[1, 3]], labels[[1, 3]], labels, "rows")


def test_relu_mlp_reference_is_linear_relu_linear_on_flattened_input():
    from utils.testing import relu_mlp_reference

    torch.manual_seed(0)
    layers = [torch.nn.Linear(6, 4), torch.nn.Linear(4, 3)]
    x = torch.randn(5, 2, 3)
    want = layers[1](torch.relu(layers[0](x.reshape(5, 6))))
    torch.testing.assert_close(relu_mlp_reference(x, layers), want)
    assert (relu_mlp_reference(x, layers[:1]) < 0).any()  # no ReLU after the last layer


def test_small_bn_classifier_is_reproducible_and_has_batch_norm():
    from utils.testing import small_bn_classifier

    (m1, x1, y1), (m2, x2, y2) = small_bn_classifier(), small_bn_classifier()
    assert isinstance(m1[1], torch.nn.BatchNorm1d) and x1.shape == (10, 3) and y1.shape == (10,)
    assert torch.equal(x1, x2) and torch.equal(y1, y2)
    assert all(torch.equal(a, b) for a, b in zip(m1.state_dict().values(), m2.state_dict().values(), strict=True))
    assert not torch.equal(small_bn_classifier(1)[0][0].weight, m1[0].weight)


def test_check_conv2d_matches_torch_passes_a_correct_convolution_and_catches_a_flipped_filter():
    from utils.testing import check_conv2d_matches_torch

    def conv(x, w, b, stride=1, padding=0):
        out = torch.nn.functional.conv2d(
            torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=stride, padding=padding
        )
        return out.numpy()

    def flipped(x, w, b, stride=1, padding=0):
        return conv(x, w[:, :, ::-1, ::-1].copy(), b, stride, padding)

    check_conv2d_matches_torch(conv, (2, 3, 7, 6), (4, 3, 3, 2), stride=2, padding=1)
    with pytest.raises(CheckFailed, match="vs F.conv2d"):
        check_conv2d_matches_torch(flipped, (2, 3, 7, 6), (4, 3, 3, 2), stride=1, padding=0, hint="no flip")


def test_federated_toy_clients_cut_the_toy_data_in_order():
    from utils.testing import federated_toy_clients, federated_toy_data

    x, y, x_test, y_test = federated_toy_data()
    clients, (xt, yt) = federated_toy_clients([10, 40])
    assert [len(cy) for _, cy in clients] == [10, 30, 20]
    assert torch.equal(torch.cat([cx for cx, _ in clients]), x) and torch.equal(torch.cat([cy for _, cy in clients]), y)
    assert torch.equal(xt, x_test) and torch.equal(yt, y_test)


def test_centralized_gd_reference_is_full_batch_sgd_from_the_seeded_model():
    from utils.testing import centralized_gd_reference, federated_toy_data

    x, y, x_test, y_test = federated_toy_data()
    state, accuracies = centralized_gd_reference(3, 0.2, seed=4)
    torch.manual_seed(4)
    model = torch.nn.Linear(2, 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2)
    for _ in range(3):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    for key, value in model.state_dict().items():
        torch.testing.assert_close(state[key], value)
    assert len(accuracies) == 3
    assert accuracies[-1] == pytest.approx((model(x_test).argmax(1) == y_test).float().mean().item())


def test_per_class_accuracy_is_the_recall_of_each_true_class():
    from utils.testing import per_class_accuracy

    logits = torch.tensor([[2.0, 0.0, 0.0], [2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    # predictions 0, 0, 1, 0, 2 for true classes 0, 1, 1, 2, 2: recall [1, 1/2, 1/2] (precision would be [1/3, 1, 1])
    assert per_class_accuracy(logits, torch.tensor([0, 1, 1, 2, 2]), 3) == [1.0, 0.5, 0.5]


# --- chapter 15's helpers ---


def _block(c_in, c_out, stride, shortcut=True):
    """A residual block laid out as chapter 15 asks, built here without the chapter's solution."""
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.residual = nn.Sequential(
                nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False),
                nn.BatchNorm2d(c_out),
                nn.ReLU(),
                nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False),
                nn.BatchNorm2d(c_out),
            )
            projection = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))
            same = c_in == c_out and stride == 1
            self.shortcut = None if not shortcut else nn.Identity() if same else projection

        def forward(self, x):
            out = self.residual(x)
            return torch.relu(out if self.shortcut is None else out + self.shortcut(x))

    return Block()


@pytest.mark.parametrize("c_in, c_out, stride, shortcut", [(4, 4, 1, True), (3, 6, 2, True), (3, 6, 2, False)])
@pytest.mark.parametrize("training", [True, False])
def test_residual_block_reference_matches_the_module(c_in, c_out, stride, shortcut, training):
    from utils.testing import randomize_batchnorm, residual_block_reference

    block = randomize_batchnorm(_block(c_in, c_out, stride, shortcut), seed=1).train(training)
    x = torch.randn(3, c_in, 7, 7, generator=torch.Generator().manual_seed(0))
    before = [bn.running_mean.clone() for bn in block.modules() if isinstance(bn, torch.nn.BatchNorm2d)]
    want = residual_block_reference(block, x, stride, training)
    after = [bn.running_mean for bn in block.modules() if isinstance(bn, torch.nn.BatchNorm2d)]
    assert all(
        torch.equal(a, b) for a, b in zip(before, after, strict=True)
    )  # the reference leaves the statistics alone
    with torch.no_grad():
        torch.testing.assert_close(want, block(x), rtol=1e-5, atol=1e-5)


def test_resnet_parameter_count_and_output_shapes():
    from utils.testing import output_shapes, resnet_parameter_count

    nn = torch.nn
    w, n = 4, 2
    blocks = [_block(w, w, 1) for _ in range(n)] + [_block(w, 2 * w, 2)] + [_block(2 * w, 2 * w, 1)]
    blocks += [_block(2 * w, 4 * w, 2)] + [_block(4 * w, 4 * w, 1)]
    stem = [nn.Conv2d(3, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU()]
    model = nn.Sequential(*stem, *blocks, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4 * w, 7))
    assert sum(p.numel() for p in model.parameters()) == resnet_parameter_count(w, n, 7, True)
    assert resnet_parameter_count(16, 3, 10, True) == 272_474  # ResNet-20: He et al. report 0.27 M
    shapes = output_shapes(model, blocks, torch.randn(2, 3, 32, 32))
    assert shapes == [(w, 32, 32)] * 2 + [(2 * w, 16, 16)] * 2 + [(4 * w, 8, 8)] * 2
    assert not model[3]._forward_hooks  # the hooks are removed


def test_adam_reference_losses_leaves_the_model_alone():
    from utils.testing import adam_reference_losses

    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2).eval()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    losses = adam_reference_losses(model, torch.randn(4, 3), torch.tensor([0, 1, 0, 1]), steps=5, lr=0.1)
    assert len(losses) == 5 and losses[-1] < losses[0] and all(isinstance(v, float) for v in losses)
    assert not model.training and all(torch.equal(state[k], v) for k, v in model.state_dict().items())


def test_ch12_examples_and_objectives():
    from utils.testing import log_score, lr_peak_score, traceable_examples

    x, t = traceable_examples(5)
    assert (
        isinstance(x, np.ndarray)
        and x.shape == (5, 2)
        and x[3].tolist() == [3.0, 3.5]
        and t.tolist() == [0, 1, 2, 3, 0]
    )
    xt, tt = traceable_examples(3, torch.from_numpy)
    assert isinstance(xt, torch.Tensor) and isinstance(tt, torch.Tensor) and xt[2].tolist() == [2.0, 2.5]
    score = log_score({"lr": 1e-2, "weight_decay": 1e-3})
    assert type(score) is float and score == pytest.approx(-2.0 + 2 * -3.0)
    assert lr_peak_score({"lr": 1e-2}) == 0.0 and lr_peak_score({"lr": 1e-3}) == pytest.approx(-1.0)
    assert lr_peak_score({"lr": 1e-4}) < lr_peak_score({"lr": 1e-1}) < 0


def test_chapter_15_debugging_problems():
    import math

    import torch.nn.functional as F

    from utils.testing import constant_logits_model, linear_with_grads, overfit_problem, small_cnn_with_frozen_stem

    model = constant_logits_model([10.0, 0.0, 0.0])
    logits = model(torch.randn(2, 4))
    assert torch.equal(logits, torch.tensor([[10.0, 0.0, 0.0]] * 2))
    loss = F.cross_entropy(logits, torch.tensor([1, 1])).item()
    assert math.isclose(loss, math.log(math.exp(10) + 2), rel_tol=1e-6)

    model, x, y = overfit_problem(16, 10, 4, seed=0)
    again = overfit_problem(16, 10, 4, seed=0)
    assert not model.training and x.shape == (16, 10) and y.shape == (16,) and int(y.max()) < 4
    assert torch.equal(x, again[1]) and torch.equal(y, again[2]) and torch.equal(model[0].weight, again[0][0].weight)

    layer = linear_with_grads([[0.6, 0.8]], [0.0], [[3.0, 4.0]], [-12.0])
    assert torch.equal(layer.weight, torch.tensor([[0.6, 0.8]])) and layer.bias.item() == 0.0
    assert layer.weight.grad.norm().item() == 5.0 and layer.bias.grad.norm().item() == 12.0

    cnn = small_cnn_with_frozen_stem(0)
    assert [name for name, p in cnn.named_parameters() if p.grad is not None] == [
        "1.weight",
        "1.bias",
        "4.weight",
        "4.bias",
    ]
    assert cnn[0].weight.grad is None and not cnn[0].weight.requires_grad


def test_one_weight_trace_records_the_weight_after_each_step():
    from utils import optim
    from utils.testing_optim import one_weight_trace

    assert one_weight_trace(optim.SGD(lr=0.5), [4.0], start=2.0) == [0.0]
    trace = one_weight_trace(optim.Momentum(lr=0.1, momentum=0.5), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(trace, [-0.1, -0.25, -0.425], rtol=1e-12)
    assert all(type(v) is float for v in trace)

    class Replacing:  # params["w"] replaced by something that is not an array: a failure, not a crash
        def update(self, params, grads):
            params["w"] = "oops"

    with pytest.raises(CheckFailed):
        one_weight_trace(Replacing(), [1.0])


# --- ch07: a training loop run on the mode probe ---


def test_train_mode_probe_passes_its_inputs_to_train():
    from utils.testing import train_mode_probe

    calls = []

    def train(model, loader, epochs, loss_fn, optimizer, val_data=None, progress=True):
        calls.append((loader, epochs, val_data, progress))
        model.eval()
        with torch.no_grad():
            acc = (model(val_data[0]).argmax(dim=1) == val_data[1]).double().mean().item() if val_data else None
        return {"train_loss": [0.0] * epochs} | ({"val_acc": [acc] * epochs} if val_data else {})

    probe, history = train_mode_probe(train, 2)
    assert history == {"train_loss": [0.0, 0.0], "val_acc": [1.0, 1.0]} and probe.grad_enabled_in_eval == [False]
    ((x, y),) = calls[0][0]
    assert x.shape == (6, 4) and y.tolist() == [1] * 6 and calls[0][2][1].tolist() == [0] * 6
    assert calls[0][3] is False and not probe.training
    _, history = train_mode_probe(train, 3, validate=False)
    assert history == {"train_loss": [0.0] * 3} and calls[1][2] is None


# --- ch14: test-cell helpers (pooling against torch, random convolution inputs) ---


def test_ch14_pooling_checks_accept_torch_and_name_a_wrong_answer():
    import torch.nn.functional as F

    from utils.testing import (
        CheckFailed,
        check_max_pool2d_backward_matches_autograd,
        check_max_pool2d_matches_torch,
        max_pool2d_autograd,
    )

    def pool(x, kernel=2, stride=2):
        return F.max_pool2d(torch.from_numpy(x), kernel, stride).numpy()

    check_max_pool2d_matches_torch(pool, (2, 3, 7, 6), 3, 2, seed=1)
    with pytest.raises(
        CheckFailed, match=r"max_pool2d_forward\(x \(2, 3, 6, 6\), kernel=2, stride=2\)(.|\n)*Hint: avg"
    ):
        check_max_pool2d_matches_torch(
            lambda x, k, s: F.avg_pool2d(torch.from_numpy(x), k, s).numpy(), (2, 3, 6, 6), 2, 2, hint="avg"
        )

    def backward(dout, x, kernel=2, stride=2):
        return max_pool2d_autograd(x, dout, kernel, stride)

    x = np.random.default_rng(0).integers(0, 3, size=(2, 2, 5, 5)).astype(np.float64)
    check_max_pool2d_backward_matches_autograd(backward, x, 3, 2, seed=1)
    with pytest.raises(CheckFailed, match=r"max_pool2d_backward\(dout, x \(2, 2, 5, 5\) with ties, kernel=2"):
        check_max_pool2d_backward_matches_autograd(
            lambda d, x, k, s: 2 * backward(d, x, k, s), x, 2, 2, 0, "x (2, 2, 5, 5) with ties"
        )


def test_ch14_im2col_col2im_checks_accept_unfold_and_fold_and_reject_a_wrong_layout():
    from utils.testing import (
        CheckFailed,
        check_col2im_matches_fold,
        check_im2col_matches_unfold,
        fold_rows,
        unfold_rows,
    )

    check_im2col_matches_unfold(unfold_rows, (2, 3, 6, 5), 3, 2, stride=2, padding=1)
    check_col2im_matches_fold(fold_rows, (2, 3, 6, 5), 3, 2, stride=2, padding=1)
    with pytest.raises(CheckFailed, match="vs F.unfold"):
        check_im2col_matches_unfold(lambda *a: unfold_rows(*a)[::-1], (2, 3, 5, 5), 3, 3, 1, 0)
    with pytest.raises(CheckFailed, match="vs F.fold"):
        check_col2im_matches_fold(lambda c, *a: fold_rows(c[::-1].copy(), *a), (2, 3, 5, 5), 3, 3, 1, 0)


def test_ch14_random_conv2d_inputs_and_crop_flip_origins():
    import torch.nn.functional as F

    from utils.testing import crop_flip_origins, random_conv2d_inputs

    x, w, b, dout = random_conv2d_inputs((2, 3, 7, 6), (4, 3, 3, 2), stride=2, padding=1, seed=5)
    assert [a.shape for a in (x, w, b, dout)] == [(2, 3, 7, 6), (4, 3, 3, 2), (4,), (2, 4, 4, 4)]
    assert np.array_equal(x, np.random.default_rng(5).normal(size=(2, 3, 7, 6)))

    def crop_flip(x, padding, generator):  # flips every other image, crops at offset (padding, 0)
        out = F.pad(x, (padding,) * 4)[:, :, padding : padding + x.shape[2], : x.shape[3]].clone()
        out[::2] = out[::2].flip(-1)
        return out

    origins = crop_flip_origins(crop_flip, (4, 2, 5, 5), 1, seed=0)
    assert origins == [(1, 0, True), (1, 0, False), (1, 0, True), (1, 0, False)]
    assert crop_flip_origins(lambda x, padding, generator: x + 1, (3, 1, 4, 4), 1, seed=0) == [None] * 3
