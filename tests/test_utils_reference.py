"""Reference copies in utils (functions, gradcheck, layers, nets) against torch and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from utils import functions, gradcheck, layers, nets
from utils.testing import rel_error

RNG = np.random.default_rng(0)


def test_functions_match_torch():
    x = RNG.normal(scale=5, size=(4, 6))
    t = torch.from_numpy(x)
    np.testing.assert_allclose(functions.sigmoid(x), torch.sigmoid(t).numpy(), rtol=1e-12)
    np.testing.assert_allclose(functions.relu(x), torch.relu(t).numpy(), rtol=0)
    np.testing.assert_allclose(functions.softmax(x), torch.softmax(t, dim=-1).numpy(), rtol=1e-12)
    with np.errstate(over="raise"):
        assert functions.sigmoid(np.array([-1000.0]))[0] == 0.0
        np.testing.assert_allclose(functions.softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])


def test_cross_entropy_error_forms_agree_and_check_shapes():
    p = functions.softmax(RNG.normal(size=(5, 3)))
    labels = np.array([0, 2, 1, 1, 0])
    expected = F.nll_loss(torch.log(torch.from_numpy(p) + functions.CE_DELTA), torch.from_numpy(labels)).item()
    assert functions.cross_entropy_error(p, labels) == pytest.approx(expected, rel=1e-12)
    assert functions.cross_entropy_error(p, np.eye(3)[labels]) == pytest.approx(expected, rel=1e-12)
    assert functions.cross_entropy_error(p[0], 0) == pytest.approx(-np.log(p[0, 0] + 1e-7), rel=1e-12)
    with pytest.raises(ValueError, match=r"\(5,\)"):
        functions.cross_entropy_error(p, labels[:4])


def test_numerical_gradient_restores_float32_and_follows_closures():
    x = np.array([1.1, 2.3, -0.7, 10.3], dtype=np.float32)
    before = x.copy()
    g = gradcheck.numerical_gradient(lambda v: float(np.sum(v.astype(np.float64) ** 3)), x)
    np.testing.assert_allclose(g, 3 * before.astype(np.float64) ** 2, rtol=1e-6)
    assert x.dtype == np.float32 and np.array_equal(x, before)
    w, m = np.array([[0.5, -1.0], [2.0, 3.0]]), np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(gradcheck.numerical_gradient(lambda _: float(np.sum(w * m)), w), m, rtol=1e-9)
    with pytest.raises(TypeError, match="float"):
        gradcheck.numerical_gradient(np.sum, np.array([1, 2]))


def test_gradient_check_finds_a_single_wrong_entry():
    params = {"W": RNG.normal(size=(3, 2)), "b": RNG.normal(size=2)}

    def f():
        return float(np.sum(params["W"] ** 2) + np.sum(np.sin(params["b"])))

    good = {"W": 2 * params["W"], "b": np.cos(params["b"])}
    assert gradcheck.gradient_check(f, params, good) < 1e-8
    bad = {"W": good["W"].copy(), "b": good["b"]}
    bad["W"][1, 0] *= 1.01
    assert gradcheck.gradient_check(f, params, bad) == pytest.approx(0.01 / 2.01, rel=1e-4)
    with pytest.raises(ValueError, match="keys"):
        gradcheck.gradient_check(f, params, {"W": good["W"]})


def _torch_grads(layer_fn, x, dout):
    xt = torch.tensor(x, requires_grad=True)
    (layer_fn(xt) * torch.from_numpy(dout)).sum().backward()
    return xt.grad.numpy()


def test_layers_backward_match_torch_and_leave_dout_alone():
    x = RNG.normal(size=(4, 5))
    dout = RNG.normal(size=(4, 5))
    for layer, fn in [(layers.Relu(), torch.relu), (layers.Sigmoid(), torch.sigmoid)]:
        np.testing.assert_allclose(layer.forward(x), fn(torch.from_numpy(x)).numpy(), rtol=1e-12)
        d = dout.copy()
        np.testing.assert_allclose(layer.backward(d), _torch_grads(fn, x, dout), rtol=1e-12)
        assert np.array_equal(d, dout)

    W, b = RNG.normal(size=(5, 3)), RNG.normal(size=3)
    aff = layers.Affine(W, b)
    dout3 = RNG.normal(size=(4, 3))
    aff.forward(x)
    dx = aff.backward(dout3)
    xt, Wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, W, b))
    ((xt @ Wt + bt) * torch.from_numpy(dout3)).sum().backward()
    for got, ref in [(dx, xt.grad), (aff.dW, Wt.grad), (aff.db, bt.grad)]:
        np.testing.assert_allclose(got, ref.numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match=r"\(N, 5\)"):
        aff.forward(np.zeros((2, 4)))


def test_softmax_with_loss_gradient_matches_torch():
    scores = RNG.normal(size=(6, 4))
    labels = RNG.integers(0, 4, size=6)
    layer = layers.SoftmaxWithLoss()
    loss = layer.forward(scores, labels)
    st = torch.tensor(scores, requires_grad=True)
    ref = F.cross_entropy(st, torch.from_numpy(labels))
    ref.backward()
    assert loss == pytest.approx(ref.item(), rel=1e-6)  # the 1e-7 inside the log
    np.testing.assert_allclose(layer.backward(), st.grad.numpy(), rtol=1e-10)


def test_two_layer_net_backprop_matches_numerical_gradient(monkeypatch):
    # The loss adds DLFS's 1e-7 inside the log, which the analytic gradient (y - t) / N ignores: a mismatch of
    # about 1e-7 / p, up to 1.7e-5 relative. Without it, central differences agree to 1.3e-7 or better (input
    # seeds 0-7). The inputs come from their own generator: from the shared RNG they depended on test order.
    monkeypatch.setattr(layers, "CE_DELTA", 0.0)
    rng = np.random.default_rng(0)
    net = nets.TwoLayerNet(4, 5, 3, weight_init_std=0.5, seed=1)
    x, t = rng.normal(size=(7, 4)), rng.integers(0, 3, size=7)
    grads, numeric = net.gradient(x, t), net.numerical_gradient(x, t)
    for name in net.params:
        assert rel_error(grads[name], numeric[name]) < 1e-6, name
    net.params["W1"] *= 0.0  # in-place changes reach the layers
    assert np.allclose(net.layers[0].W, 0.0)
    assert 0.0 <= net.accuracy(x, t) <= 1.0


@pytest.mark.parametrize(
    "name, kwargs, torch_cls, torch_kwargs",
    [
        ("SGD", {"lr": 0.1}, torch.optim.SGD, {"lr": 0.1}),
        ("Momentum", {"lr": 0.05, "momentum": 0.9}, torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}),
        ("AdaGrad", {"lr": 0.1}, torch.optim.Adagrad, {"lr": 0.1}),
        ("RMSprop", {"lr": 0.01, "alpha": 0.9}, torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.9}),
        ("Adam", {"lr": 0.05, "beta1": 0.8}, torch.optim.Adam, {"lr": 0.05, "betas": (0.8, 0.999)}),
    ],
)
def test_reference_optimizers_follow_torch(name, kwargs, torch_cls, torch_kwargs):
    from utils import optim

    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4))
    H, c = A @ A.T / 4 + 0.1 * np.eye(4), rng.normal(size=4)
    params = {"w": rng.normal(size=4)}
    array = params["w"]
    leaf = torch.tensor(array.copy(), requires_grad=True)
    opt, topt = getattr(optim, name)(**kwargs), torch_cls([leaf], **torch_kwargs)
    for _ in range(100):
        opt.update(params, {"w": H @ params["w"] - c})
        leaf.grad = torch.from_numpy(H @ leaf.detach().numpy() - c)
        topt.step()
    assert params["w"] is array  # in place
    np.testing.assert_allclose(params["w"], leaf.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_layers_keep_float32_and_agree_with_float64():
    """Chapter 13 trains MNIST with these layers in float32: no silent upcast to float64."""
    rng = np.random.default_rng(0)
    x64, W64, b64 = rng.normal(size=(6, 5)), rng.normal(size=(5, 4)), rng.normal(size=4)
    t = np.array([0, 3, 1, 2, 3, 0])
    results = {}
    for dtype in (np.float32, np.float64):
        x, W, b = x64.astype(dtype), W64.astype(dtype), b64.astype(dtype)
        affine, relu, sigmoid, loss = layers.Affine(W, b), layers.Relu(), layers.Sigmoid(), layers.SoftmaxWithLoss()
        value = loss.forward(sigmoid.forward(relu.forward(affine.forward(x))), t)
        dx = affine.backward(relu.backward(sigmoid.backward(loss.backward())))
        for name, arr in [("dx", dx), ("dW", affine.dW), ("db", affine.db), ("probabilities", loss.y)]:
            assert arr.dtype == dtype, f"{name} is {arr.dtype} for {np.dtype(dtype)} inputs"
        results[dtype] = (value, dx, affine.dW)
    # float32 carries ~7 significant digits; a few roundings in a row stay below 1e-5 relative.
    for got, want in zip(results[np.float32], results[np.float64], strict=False):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert functions.relu(np.array([-1, 2])).dtype == np.float64  # integers still become float64
