"""Checks for the notebooks' test cells, with messages a learner can act on.

Every check fails with :class:`CheckFailed` (an ``AssertionError``) whose message says *what*
is wrong: the type, the shape, or the first value that differs, with the expected value,
the value received and the tolerance, plus an optional ``hint`` naming the likely bug.

Design rules (see README, "For course developers", "Writing test cells"):

* Never trust the learner's object. :func:`as_array` accepts only real numbers, lists/tuples
  of numbers, NumPy arrays and torch tensors, and converts them to a *plain* float64
  ``np.ndarray`` before any comparison: an object whose ``__eq__`` always returns True, or an
  ndarray subclass that overrides comparisons, cannot pass.
* Type, shape and values are checked separately, in that order.
* The NumPy functions used here are bound when this module is imported (at the top of the
  notebook), so redefining ``np.allclose`` in an answer cell does not change a verdict.
"""

from __future__ import annotations

import copy
import numbers
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np

# Bound at import time; see the module docstring.
_asarray = np.asarray
_isclose = np.isclose
_isnan = np.isnan
_abs = np.abs
_argwhere = np.argwhere
_array_equal = np.array_equal
_ndarray = np.ndarray
_float64 = np.float64


class CheckFailed(AssertionError):
    """A test-cell check failed; the message tells the learner what to look at."""


def _hint_lines(hint: str) -> str:
    """``Hint: ...`` wrapped at 100 characters: Validate's dialog and tracebacks do not wrap long lines."""
    import textwrap

    return textwrap.fill(
        f"Hint: {hint}", width=100, subsequent_indent="      ", break_long_words=False, break_on_hyphens=False
    )


def _fail(name: str, what: str, hint: str | None = None) -> None:
    __tracebackhide__ = True
    msg = f"{name}: {what}"
    if hint:
        msg += "\n" + _hint_lines(hint)
    raise CheckFailed(msg)


def rel_error(x, y, eps: float = 1e-8) -> float:
    """Largest elementwise relative error ``|x - y| / max(eps, |x| + |y|)`` (CS231n's habit).

    Around 1e-7 or less: the two agree; 1e-2 or more: something is wrong.
    """
    x = _plain(x)
    y = _plain(y)
    if x.shape != y.shape:
        raise ValueError(f"rel_error needs equal shapes, got {x.shape} and {y.shape}")
    if x.size == 0:
        return 0.0
    denom = _abs(x) + _abs(y)
    denom[denom < eps] = eps
    return float((_abs(x - y) / denom).max())


def _plain(value: Any, dtype=_float64) -> np.ndarray:
    """Convert a trusted value (reference side) to a plain ndarray."""
    if isinstance(value, _ndarray):
        return _ndarray.view(value, _ndarray).astype(dtype)
    return np.array(value, dtype=dtype)


def _type_name(value: Any) -> str:
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (numbers.Real, np.bool_)) and not isinstance(value, np.ndarray)


def _is_tensor(value: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _nested_numbers(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_nested_numbers(v) for v in value)
    return _is_number(value)


def as_array(value: Any, name: str = "your result", dtype=_float64) -> np.ndarray:
    """Return ``value`` as a plain ``np.ndarray`` of ``dtype``, or fail naming its type.

    Accepted: real numbers (``int``, ``float``, ``bool``, NumPy scalars), lists/tuples of
    them, NumPy arrays (subclasses are stripped to their raw data), torch tensors.
    """
    __tracebackhide__ = True
    if isinstance(value, _ndarray):
        raw = _ndarray.view(value, _ndarray)
    elif _is_tensor(value):
        import torch

        raw = torch.Tensor.numpy(torch.Tensor.cpu(torch.Tensor.detach(value)))
        raw = _ndarray.view(_asarray(raw), _ndarray)
    elif _is_number(value) or (isinstance(value, (list, tuple)) and _nested_numbers(value)):
        raw = np.array(value)
    else:
        _fail(name, f"expected a NumPy array (or a number), got an object of type {_type_name(value)}")
    try:
        return raw.astype(dtype)
    except (TypeError, ValueError) as err:
        _fail(name, f"could not be read as {np.dtype(dtype).name} numbers ({err})")
    raise AssertionError("unreachable")  # pragma: no cover


def likely_bug(
    got: Any, known: Sequence[tuple[Any, str]], default: str | None = None, rtol: float = 1e-6, atol: float = 1e-12
) -> str | None:
    """The hint of the first ``(wrong_value, hint)`` pair in ``known`` that ``got`` matches, else ``default``.

    Lets a test cell name the bug behind a wrong answer it knows (``forgot the 1/2`` when the
    result is exactly twice the answer): ``check_close(got, want, hint=likely_bug(got, [...], "..."))``.
    ``got`` is never trusted: anything :func:`as_array` refuses, or of another shape, matches nothing.
    """
    try:
        arr = as_array(got)
    except AssertionError:
        return default
    for value, hint in known:
        ref = _plain(value)
        if ref.shape == arr.shape and bool(_isclose(arr, ref, rtol=rtol, atol=atol).all()):
            return hint
    return default


def check_type(value: Any, types: type | tuple[type, ...], name: str = "your result", hint: str | None = None) -> None:
    """Fail unless ``isinstance(value, types)``."""
    __tracebackhide__ = True
    if not isinstance(value, types):
        types = types if isinstance(types, tuple) else (types,)
        wanted = " or ".join(t.__name__ for t in types)
        _fail(name, f"expected {wanted}, got {_type_name(value)}", hint)


def check_shape(value: Any, shape: Sequence[int], name: str = "your result", hint: str | None = None) -> np.ndarray:
    """Fail unless ``value`` (converted by :func:`as_array`) has exactly ``shape``; return the array."""
    __tracebackhide__ = True
    arr = as_array(value, name)
    shape = tuple(int(s) for s in shape)
    if arr.shape != shape:
        extra = ""
        if arr.shape == shape[::-1] and len(shape) == 2 and shape[0] != shape[1]:
            extra = " (the transpose: are rows and columns swapped?)"
        elif arr.size == int(np.prod(shape)):
            extra = " (same number of elements: a reshape/axis problem?)"
        _fail(name, f"shape should be {shape}, got {arr.shape}{extra}", hint)
    return arr


def _fmt(v: float) -> str:
    return f"{v:.10g}"


def check_close(
    got: Any, expected: Any, name: str = "your result", rtol: float = 1e-7, atol: float = 1e-12, hint: str | None = None
) -> None:
    """Fail unless ``got`` has ``expected``'s shape and ``|got - expected| <= atol + rtol·|expected|``.

    The message names the first index that differs, both values and the tolerance.
    ``expected`` is the reference and is trusted; ``got`` goes through :func:`as_array`.
    """
    __tracebackhide__ = True
    exp = _plain(expected)
    arr = check_shape(got, exp.shape, name, hint)
    nan_got = _isnan(arr) & ~_isnan(exp)
    if nan_got.any():
        idx = tuple(int(i) for i in _argwhere(nan_got)[0])
        _fail(
            name,
            f"got NaN at index {idx} where {_fmt(exp[idx])} was expected (an overflow, log(0) or 0/0 somewhere?)",
            hint,
        )
    ok = _isclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True)
    if not ok.all():
        bad = _argwhere(~ok)
        idx = tuple(int(i) for i in bad[0])
        where = f" at index {idx}" if arr.ndim else ""
        tolerance = "exact comparison" if rtol == 0 and atol == 0 else f"tolerance: rtol={rtol:g}, atol={atol:g}"
        want, got_s = _fmt(exp[idx]), _fmt(arr[idx])
        if want == got_s:  # they differ beyond 10 digits: show every digit
            want, got_s = repr(float(exp[idx])), repr(float(arr[idx]))
        _fail(
            name,
            f"{len(bad)} of {arr.size} value(s) wrong. First{where}: expected {want}, got {got_s} ({tolerance})",
            hint,
        )


def check_equal(got: Any, expected: Any, name: str = "your result", hint: str | None = None) -> None:
    """Exact comparison for integers and booleans (labels, counts, shapes as arrays)."""
    __tracebackhide__ = True
    check_close(got, expected, name, rtol=0.0, atol=0.0, hint=hint)


def check_true(condition: bool, name: str, what: str, hint: str | None = None) -> None:
    """Fail with ``what`` unless ``condition`` is the real ``True`` (not merely truthy)."""
    __tracebackhide__ = True
    if condition is not True and not (isinstance(condition, np.bool_) and bool(condition)):
        _fail(name, what, hint)


def check_raises(
    exc_type: type[BaseException],
    fn: Callable,
    *args,
    name: str | None = None,
    match: Sequence[str] = (),
    hint: str | None = None,
    **kwargs,
) -> BaseException:
    """Fail unless ``fn(*args, **kwargs)`` raises ``exc_type`` whose message contains every ``match``."""
    __tracebackhide__ = True
    label = cast(str, name or getattr(fn, "__name__", "the function"))
    try:
        fn(*args, **kwargs)
    except exc_type as err:
        text = str(err)
        for piece in match:
            if piece not in text:
                _fail(
                    label,
                    f"raised {exc_type.__name__} as expected, but its message {text!r} should mention {piece!r}",
                    hint,
                )
        return err
    except NotImplementedError:  # an exercise not done yet: say that, not "raised the wrong error"
        raise
    except Exception as err:  # noqa: BLE001 - we report whatever came instead
        _fail(label, f"should raise {exc_type.__name__}, but raised {type(err).__name__}: {err}", hint)
    _fail(label, f"should raise {exc_type.__name__} for this input, but returned normally", hint)
    raise AssertionError("unreachable")  # pragma: no cover


def check_float_array(
    fn: Callable,
    args: Sequence[Any],
    expected: Any,
    name: str | None = None,
    rtol: float = 1e-7,
    atol: float = 1e-12,
    hint: str | None = None,
    **kwargs,
) -> np.ndarray:
    """Call ``fn(*args, **kwargs)`` (failing if it changes an argument in place) and check that it
    returns a float ``np.ndarray`` of ``expected``'s shape and values; return the result.

    The usual contract of an elementwise NumPy exercise in one line: type, dtype, shape, values.
    """
    __tracebackhide__ = True
    label = cast(str, name or getattr(fn, "__name__", "your function"))
    result = call_unmodified(fn, *args, name=label, **kwargs)
    check_type(result, _ndarray, label, hint="return a NumPy array (np.asarray(x, dtype=float) converts the input)")
    if not np.issubdtype(result.dtype, np.floating):
        _fail(
            label,
            f"dtype should be a float type, got {result.dtype}",
            "convert first: x = np.asarray(x, dtype=float) (an integer input stays integer otherwise)",
        )
    check_close(result, expected, label, rtol=rtol, atol=atol, hint=hint)
    return result


def check_no_warnings(fn: Callable, *args, name: str | None = None, hint: str | None = None, **kwargs) -> Any:
    """Call ``fn(*args, **kwargs)``; fail if it emits any warning; return its result.

    NumPy's overflow, divide-by-zero and invalid-value warnings are switched on for the call
    (underflow stays silent: ``exp(-1000) == 0`` is the right answer, not a bug).
    """
    __tracebackhide__ = True
    label = cast(str, name or getattr(fn, "__name__", "the function"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            result = fn(*args, **kwargs)
    if caught:
        first = caught[0]
        _fail(label, f"emitted a warning: {first.category.__name__}: {first.message}", hint)
    return result


def _quadratic_problem(seed: int):
    """Two parameters ('W' (3, 2), 'b' (2,)) and the gradient of a random convex quadratic
    L = sum_k 1/2 p_k^T H_k p_k - c_k^T p_k in them (H_k positive definite)."""
    rng = np.random.default_rng(seed)
    shapes = {"W": (3, 2), "b": (2,)}
    H, c = {}, {}
    for key, shape in shapes.items():
        n = int(np.prod(shape))
        a = rng.normal(size=(n, n))
        H[key], c[key] = a @ a.T / n + 0.1 * np.eye(n), rng.normal(size=n)
    params = {key: rng.normal(size=shape) for key, shape in shapes.items()}

    def grad_fn(p):
        return {key: (H[key] @ np.asarray(p[key]).ravel() - c[key]).reshape(np.shape(p[key])) for key in p}

    return params, grad_fn


def check_matches_torch_optimizer(
    optimizer: Any,
    torch_cls: type,
    torch_kwargs: dict | None = None,
    steps: int = 100,
    seed: int = 0,
    name: str | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> float:
    """Run ``optimizer.update(params, grads)`` and ``torch_cls(**torch_kwargs)`` side by side.

    Both start from the same float64 parameters of a random convex quadratic (seeded) and get
    the same gradients at their own current point, for ``steps`` steps. Fails at the first step
    where a parameter differs beyond the tolerance, or where ``update`` replaced an array
    instead of changing it in place. Returns the largest difference seen.

    Tolerance: both sides compute in float64, so a faithful implementation differs by rounding
    only (~1e-15); rtol=1e-6 also admits textbook forms that place eps differently.
    """
    __tracebackhide__ = True
    import torch

    label = name or f"{type(optimizer).__name__} vs torch.optim.{torch_cls.__name__}"
    params, grad_fn = _quadratic_problem(seed)
    ids = {key: id(val) for key, val in params.items()}
    leaves = {key: torch.tensor(val.copy(), requires_grad=True) for key, val in params.items()}
    reference = torch_cls(list(leaves.values()), **(torch_kwargs or {}))
    worst = 0.0
    for step in range(1, steps + 1):
        optimizer.update(params, grad_fn(params))
        for key, g in grad_fn({k: v.detach().numpy() for k, v in leaves.items()}).items():
            leaves[key].grad = torch.from_numpy(g)
        reference.step()
        for key in params:
            if id(params[key]) != ids[key]:
                _fail(
                    label,
                    f"params[{key!r}] was replaced by a new array at step {step}",
                    "update in place (params[key] -= ...), so the layers holding the array see the change",
                )
            expected = leaves[key].detach().numpy()
            check_close(params[key], expected, f"{label}: params[{key!r}] after step {step}", rtol=rtol, atol=atol)
            worst = max(worst, float(_abs(as_array(params[key]) - expected).max()))
    return worst


def check_backward_matches_torch(
    layer: Any,
    inputs: Sequence[Any],
    dout: Any,
    torch_fn: Callable,
    params: dict | None = None,
    name: str | None = None,
    rtol: float = 1e-10,
    atol: float = 1e-12,
    hints: dict | None = None,
) -> None:
    """Check a layer's ``forward(*inputs)`` and ``backward(dout)`` against torch autograd.

    ``torch_fn(*inputs, **params)`` is the reference forward pass written with torch operations
    (its argument names name the gradients in messages: ``lambda x, W, b: x @ W + b``). ``params``
    holds the arrays the layer was built with (``Affine(W, b)``): their gradients are read from
    ``layer.d<name>`` (``layer.dW``, ``layer.db``). ``backward`` returns one gradient per input
    (a tuple when there are several). Neither call may change its arguments in place.
    ``hints`` maps a gradient's name (``"dx"``, ``"db"``, ...) to the likely bug.

    Tolerance: the same formula in float64 on both sides, so only rounding differs (~1e-15);
    rtol=1e-10 catches any real mistake.
    """
    __tracebackhide__ = True
    import inspect

    import torch

    label = name or type(layer).__name__
    hints = hints or {}
    arrays = [_plain(x) for x in inputs]
    try:
        names = list(inspect.signature(torch_fn).parameters)[: len(arrays)]
    except (TypeError, ValueError):  # a builtin such as torch.relu
        names = ["x", "y", "z"][: len(arrays)]
    leaves = [torch.tensor(x, requires_grad=True) for x in arrays]
    param_leaves = {k: torch.tensor(_plain(v), requires_grad=True) for k, v in (params or {}).items()}
    expected = torch_fn(*leaves, **param_leaves)
    (expected * torch.as_tensor(_plain(dout))).sum().backward()
    shapes = ", ".join(f"{n} {tuple(x.shape)}" for n, x in zip(names, arrays, strict=False))
    out = call_unmodified(layer.forward, *arrays, name=f"{label}.forward")
    check_close(out, expected.detach().numpy(), f"{label}.forward({shapes})", rtol, atol, hints.get("out"))
    grads = call_unmodified(layer.backward, _plain(dout), name=f"{label}.backward")
    if len(arrays) == 1:
        grads = (grads,)
    else:
        check_type(
            grads,
            tuple,
            f"{label}.backward(dout)",
            f"return one gradient per input: ({', '.join('d' + n for n in names)})",
        )
        check_true(
            len(grads) == len(arrays),
            f"{label}.backward(dout)",
            f"should return {len(arrays)} gradients ({', '.join('d' + n for n in names)}), got {len(grads)}",
        )
    for n, grad, leaf in zip(names, grads, leaves, strict=False):
        check_close(
            grad,
            leaf.grad.numpy(),  # type: ignore[union-attr]  # set by backward()
            f"{label}.backward: d{n} vs torch autograd ({shapes})",
            rtol,
            atol,
            hints.get("d" + n),
        )
    for k, leaf in param_leaves.items():
        check_close(
            getattr(layer, "d" + k, None),
            leaf.grad.numpy(),  # type: ignore[union-attr]  # set by backward()
            f"{label}.d{k} vs torch autograd ({shapes})",
            rtol,
            atol,
            hints.get("d" + k),
        )


def check_gradients_match_torch(
    grads: Any,
    params: dict,
    loss_fn: Callable,
    name: str,
    rtol: float = 1e-9,
    atol: float = 1e-14,
    hint: str | None = None,
) -> None:
    """Check a dict of gradients ``{key: array}`` against torch autograd of ``loss_fn(**params)``.

    ``params`` holds the (trusted) float arrays the loss depends on; ``loss_fn`` takes them as torch
    tensors by keyword and returns a scalar tensor. Fails if ``grads`` is not a dict, lacks a key,
    or any gradient differs beyond the tolerance.
    """
    __tracebackhide__ = True
    import torch

    check_type(grads, dict, name, hint=f"return a dict with the keys {sorted(params)}")
    leaves = {k: torch.tensor(_plain(v), requires_grad=True) for k, v in params.items()}
    loss_fn(**leaves).backward()
    for key, leaf in leaves.items():
        check_true(key in grads, name, f"has no gradient for {key!r} (keys: {sorted(map(str, grads))})")
        check_close(grads[key], leaf.grad.numpy(), f"{name}[{key!r}] vs torch autograd", rtol, atol, hint)  # type: ignore[union-attr]


def check_softmax_with_loss_matches_torch(
    layer: Any, x: Any, t: Any, dout: float = 1.0, name: str | None = None
) -> None:
    """``layer.forward(x, t)`` (mean cross-entropy of softmax(x); ``t`` integer labels or one-hot) and
    ``layer.backward(dout)`` against ``F.cross_entropy`` and torch autograd.

    Tolerances: the loss rtol=1e-4, since chapter 06's convention adds 1e-7 inside the log (a relative
    change of about 1e-7 / p, with p the probability of the true class); the gradient is exact in both:
    rtol=1e-10.
    """
    __tracebackhide__ = True
    import torch
    import torch.nn.functional as F

    label = name or type(layer).__name__
    x, t = _plain(x), np.asarray(t)
    kind = "one-hot labels" if t.ndim == 2 else "integer labels"
    xt = torch.tensor(x, requires_grad=True)
    reference = F.cross_entropy(xt, torch.from_numpy(t.argmax(axis=1) if t.ndim == 2 else t.astype(np.int64)))
    reference.backward()
    loss = call_unmodified(layer.forward, x, t.copy(), name=f"{label}.forward")
    check_type(loss, (float, np.floating), f"{label}.forward(x, t)", hint="return the loss as one float")
    check_close(loss, reference.item(), f"{label}.forward vs torch's cross-entropy, {kind}, x {x.shape}", rtol=1e-4)
    check_close(
        layer.backward(dout),
        dout * xt.grad.numpy(),  # type: ignore[union-attr]  # set by backward()
        f"{label}.backward({dout:g}) vs torch autograd, {kind}",
        rtol=1e-10,
        atol=1e-15,
        hint="the gradient of the mean loss is dout * (y - t) / N",
    )


def mode_probe(n_classes: int = 3):
    """A torch ``nn.Module`` whose prediction depends on its mode, for testing training loops:
    class 0 in ``eval()`` mode, class 1 in ``train()`` mode (logits 5 vs 0, float64, any input
    ``(N, ...)``). ``probe.grad_enabled_in_eval`` records ``torch.is_grad_enabled()`` at every
    eval-mode forward pass, so a test can see that validation ran under ``torch.no_grad()``.
    Its one parameter ``w`` (zeros) keeps optimizers happy."""
    import torch
    from torch import nn

    class ModeProbe(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.zeros(n_classes, dtype=torch.float64))
            self.grad_enabled_in_eval: list[bool] = []

        def forward(self, x):
            if not self.training:
                self.grad_enabled_in_eval.append(torch.is_grad_enabled())
            base = torch.zeros(n_classes, dtype=torch.float64)
            base[1 if self.training else 0] = 5.0
            return base + self.w + 0 * x.reshape(len(x), -1)[:, :1].double()

    return ModeProbe()


def check_building_block(exercise: str, check: Callable, *args, **kwargs) -> None:
    """Run ``check(*args, **kwargs)``, a check of an earlier exercise that this one builds on; if it
    fails, fail with a message that says to fix ``exercise`` first, followed by its own message."""
    __tracebackhide__ = True
    try:
        check(*args, **kwargs)
    except NotImplementedError:
        raise
    except NameError as err:
        if not str(getattr(err, "name", "") or "").startswith("test_"):
            raise CheckFailed(
                f"this exercise uses your {exercise}, which failed: fix {exercise} first.\n{exercise}: NameError: {err}"
            ) from err
        raise CheckFailed(
            f"this check reuses the test of {exercise} ({err.name}): run the test cell of {exercise} above first"
        ) from err
    except Exception as err:  # noqa: BLE001 - whatever it is, the earlier exercise is the place to look
        what = str(err) if isinstance(err, AssertionError) else f"{type(err).__name__}: {err}"
        raise CheckFailed(
            f"this exercise uses your {exercise}, which is not right yet: fix {exercise} first "
            f"(its own test cell says more).\n{exercise}: {what}"
        ) from err


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, _ndarray):
        return isinstance(b, _ndarray) and a.shape == b.shape and bool(_array_equal(a, b, equal_nan=True))
    if _is_tensor(a):
        import torch

        return _is_tensor(b) and a.shape == b.shape and bool(torch.equal(a, b))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def call_unmodified(fn: Callable, *args, name: str | None = None, **kwargs) -> Any:
    """Call ``fn(*args, **kwargs)`` and fail if it changed any argument in place.

    Arguments are deep-copied before the call and compared afterwards.
    """
    __tracebackhide__ = True
    label = cast(str, name or getattr(fn, "__name__", "the function"))
    before_args = copy.deepcopy(args)
    before_kwargs = copy.deepcopy(kwargs)
    result = fn(*args, **kwargs)
    for i, (now, before) in enumerate(zip(args, before_args, strict=False)):
        if not _same(now, before):
            _fail(
                label,
                f"changed its argument #{i + 1} in place; compute a new array instead (e.g. `x = x + 1`, not `x += 1`)",
            )
    for key in kwargs:
        if not _same(kwargs[key], before_kwargs[key]):
            _fail(label, f"changed its argument {key!r} in place; compute a new array instead")
    return result


# ----------------------------------------------------------------------------- errors with hints
_SHAPE = r"\(?[\d, ]*\)?"
_ERROR_HINTS: list[tuple[str, str]] = [
    # NumPy broadcasting: "operands could not be broadcast together with shapes (3,4) (3,)"
    (
        r"could not be broadcast together with (?:remapped )?shapes (?P<shapes>.*)",
        "the shapes {shapes} do not broadcast (each axis needs equal sizes or a 1). Usual causes: `*` where the "
        "matrix product `@` was meant; a sum or max that dropped its axis: keep it with keepdims=True "
        "(x.sum(axis=1, keepdims=True) has shape (N, 1), not (N,))",
    ),
    # torch broadcasting: "The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1"
    (
        r"size of tensor a \((?P<a>\d+)\) must match the size of tensor b \((?P<b>\d+)\) at non-singleton dimension (?P<d>\d+)",
        "sizes {a} and {b} meet on axis {d} and do not broadcast. A reduction without keepdim=True drops "
        "its axis (x.sum(dim=1, keepdim=True) has shape (N, 1)); or are rows and columns swapped?",
    ),
    # NumPy matmul: "matmul: Input operand 1 has a mismatch in its core dimension 0, ... (size 3 is different from 2)"
    (
        r"matmul: .*core dimension.*\(size (?P<a>\d+) is different from (?P<b>\d+)\)",
        "in A @ B the columns of A ({b}) must equal the rows of B ({a}). Print both shapes: "
        "a missing or extra transpose (.T) is the usual cause",
    ),
    (
        r"shapes (?P<a>\(.*?\)) and (?P<b>\(.*?\)) not aligned",
        "np.dot({a}, {b}): the inner sizes must agree. A missing or extra transpose (.T)?",
    ),
    # torch matmul: "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"
    (
        r"shapes cannot be multiplied \((?P<a>\w+) and (?P<b>\w+)\)",
        "in A @ B the columns of A must equal the rows of B (here {a} and {b}). A missing or extra transpose (.T)?",
    ),
    # indexing
    (
        r"index (?P<i>-?\d+) is out of bounds for (?:axis|dimension) (?P<d>\d+) with size (?P<n>\d+)",
        "an index {i} on an axis of size {n} (axis {d}). Valid indices are 0 ... {n}-1: an off-by-one, "
        "labels that start at 1, or the wrong axis?",
    ),
    (
        r"only integers, slices .* are valid indices|arrays used as indices must be of integer",
        "an index array must hold integers: convert labels with .astype(int) (NumPy) or .long() (torch)",
    ),
    (
        r"cannot reshape array of size (?P<n>\d+) into shape (?P<s>.*)",
        "reshape keeps the number of elements: {n} elements do not fit shape {s}",
    ),
    # torch dtypes: "expected m1 and m2 to have the same dtype, but got: double != float",
    # "expected scalar type Double but found Float", "result type Float can't be cast to ... Long"
    (
        r"same dtype|expected scalar type|can't be cast to the desired output type|Found dtype",
        "two tensors of different dtypes meet here (float32 vs float64, or an integer tensor). "
        "torch does not mix them: convert with .double(), .float() or .long(), or create arrays with the input's dtype",
    ),
    (
        r"can't convert np.ndarray of type numpy.object_|can't convert cuda",
        "a tensor could not be made from this array: check its dtype (object arrays cannot be converted)",
    ),
    (r"Can't call numpy\(\) on Tensor that requires grad", "detach the tensor first: t.detach().numpy()"),
    (r"'NoneType'", "a value is None: does every function return its result (a missing `return`)?"),
    (
        r"unsupported operand type|not supported between instances of",
        "a value has an unexpected type here (a list instead of an array? a tuple where one array was expected?)",
    ),
]


def error_hint(error: BaseException) -> str | None:
    """The hint for a NumPy/torch/Python error raised by learner code, or None if none applies.

    Names the shapes or sizes the message mentions and the usual cause (a reduction that lost
    its axis, a missing transpose, an off-by-one index, mixed dtypes).
    """
    import re

    text = str(error)
    for pattern, hint in _ERROR_HINTS:
        found = re.search(pattern, text)
        if found:
            return hint.format(**{k: (v or "").strip() for k, v in found.groupdict().items()})
    return None


class explain_errors:  # noqa: N801 - used as a decorator: @explain_errors
    """Decorator (or context manager) for a test cell's named checks: an exception from the
    learner's code (a NumPy broadcast error, an index out of range, mixed torch dtypes, ...) is
    re-raised as :class:`CheckFailed` that names the check, repeats the original message and adds
    a hint (see :func:`error_hint`). ``NotImplementedError`` (an exercise not done yet) and failed
    checks pass through unchanged.

    ``@explain_errors`` on ``def test_affine_values(): ...`` reports
    ``test_affine_values: your code raised ValueError: operands could not be broadcast ...``.
    """

    _passthrough = (AssertionError, NotImplementedError, KeyboardInterrupt, SystemExit)

    def __init__(self, fn: Callable | str | None = None):
        self.fn = fn if callable(fn) else None
        self.label = fn if isinstance(fn, str) else getattr(fn, "__name__", "the check")
        if self.fn is not None:
            import functools

            functools.update_wrapper(self, self.fn)

    def __call__(self, *args, **kwargs):
        __tracebackhide__ = True
        with self:
            return self.fn(*args, **kwargs)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, error, tb):
        __tracebackhide__ = True
        if error is None or isinstance(error, self._passthrough) or not isinstance(error, Exception):
            return False
        hint = error_hint(error)
        raise CheckFailed(
            f"{self.label}: your code raised {type(error).__name__}:\n  {error}"
            + ("\n" + _hint_lines(hint) if hint else "")
        ) from error


# --- helpers for chapters 08-15 ---
# Reference logic the test cells of chapters 08-15 share, so that a test cell shows only its inputs.


def check_state_close(
    got: Any, expected: dict, name: str, rtol: float = 1e-5, atol: float = 1e-6, hint: str | None = None
) -> None:
    """Fail unless ``got`` is a dict (a ``state_dict``) with ``expected``'s keys and close values."""
    __tracebackhide__ = True
    check_type(got, dict, name, hint="a state_dict() is a dict of tensors")
    missing = sorted(set(expected) - set(got))
    if missing:
        _fail(name, f"has no entry {missing[0]!r} (keys: {sorted(got)})", hint)
    for key, value in expected.items():
        check_close(got[key], value, f"{name}[{key!r}]", rtol=rtol, atol=atol, hint=hint)


def sgd_reference(
    model: Any,
    x: Any,
    y: Any,
    lr: float,
    epochs: int = 1,
    loss_fn: Callable | None = None,
    batch_size: int | None = None,
    seed: int = 0,
    shuffle: bool = True,
    losses: list | None = None,
) -> Any:
    """A copy of ``model`` trained with plain SGD written out with autograd (no ``torch.optim``).

    ``model`` itself is left unchanged; the copy trains in training mode. ``batch_size=None``: one
    full-batch step per epoch. Otherwise epoch ``e`` visits
    ``utils.minibatches(x, y, batch_size, shuffle=shuffle, seed=seed + e)``. ``loss_fn`` defaults to
    ``F.cross_entropy``. Each step's loss is appended to ``losses`` when a list is given.
    """
    import torch
    import torch.nn.functional as F

    from .training import minibatches

    loss_fn = loss_fn or F.cross_entropy
    local = copy.deepcopy(model).train()
    for epoch in range(epochs):
        batches = [(x, y)] if batch_size is None else minibatches(x, y, batch_size, shuffle=shuffle, seed=seed + epoch)
        for xb, yb in batches:
            local.zero_grad()
            loss = loss_fn(local(xb), yb)
            loss.backward()
            if losses is not None:
                losses.append(loss.item())
            with torch.no_grad():
                for p in local.parameters():
                    p -= lr * p.grad
    return local


def three_blobs(n_per_class: int, generator: Any) -> tuple[Any, Any]:
    """``(x (3n, 2), y (3n,))``: three Gaussian blobs around (3, 0), (0, 3), (-3, -3), classes 0, 1, 2
    in blocks of ``n_per_class`` (not shuffled), drawn from the torch ``generator``."""
    import torch

    centres = torch.tensor([[3.0, 0.0], [0.0, 3.0], [-3.0, -3.0]]).repeat_interleave(n_per_class, dim=0)
    x = torch.randn(3 * n_per_class, 2, generator=generator) + centres
    return x, torch.arange(3).repeat_interleave(n_per_class)


def federated_toy_data() -> tuple[Any, Any, Any, Any]:
    """``(x, y, x_test, y_test)``: 60 shuffled training and 30 test points of :func:`three_blobs`
    (chapter 16's tests of the federated loop; fixed seed)."""
    import torch

    gen = torch.Generator().manual_seed(0)
    x, y = three_blobs(20, gen)
    perm = torch.randperm(60, generator=gen)
    x_test, y_test = three_blobs(10, gen)
    return x[perm], y[perm], x_test, y_test


def crop_flip_origin(image: Any, source: Any, padding: int) -> tuple[int, int, bool] | None:
    """``(dy, dx, flipped)`` if ``image`` (C, H, W) is the window at offset (dy, dx) of ``source`` zero-padded
    by ``padding`` on every side, mirrored left-right when ``flipped``; ``None`` if it is none of them
    (chapter 14's random crop and flip, found by trying all (2p + 1)^2 windows)."""
    import torch
    import torch.nn.functional as F

    if not isinstance(image, torch.Tensor) or image.shape != source.shape:
        return None
    padded = F.pad(source, (padding, padding, padding, padding))
    h, w = source.shape[-2:]
    for dy in range(2 * padding + 1):
        for dx in range(2 * padding + 1):
            window = padded[:, dy : dy + h, dx : dx + w]
            for flipped, candidate in ((False, window), (True, window.flip(-1))):
                if torch.equal(image, candidate):
                    return dy, dx, flipped
    return None


def small_cifar_cnn(seed: int = 0) -> Any:
    """A small fixed CNN for 3-channel images (3 conv-BN-ReLU blocks, global max pooling, 10 logits),
    initialized from ``torch.manual_seed(seed)``: chapter 14 tests ``train`` with it, not with the learner's model."""
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1, bias=False),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, bias=False),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1, bias=False),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.AdaptiveMaxPool2d(1),
        nn.Flatten(),
        nn.Linear(32, 10),
    )


def torch_batchnorm1d(gamma: Any, beta: Any, momentum: float = 0.1, eps: float = 1e-5) -> Any:
    """``nn.BatchNorm1d`` in float64, in training mode, with weight ``gamma`` and bias ``beta``
    (chapter 10's reference for a NumPy batch-norm layer)."""
    import torch
    import torch.nn as nn

    layer = nn.BatchNorm1d(len(gamma), momentum=momentum, eps=eps).double().train()
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(np.asarray(gamma, dtype=np.float64)))
        layer.bias.copy_(torch.as_tensor(np.asarray(beta, dtype=np.float64)))
    return layer


# --- helpers for chapter 14: convolution and pooling backward (im2col, col2im) ---
# torch references for the NumPy exercises: F.unfold / F.fold lay windows out as columns, autograd
# differentiates F.conv2d and F.max_pool2d. Everything in float64, on the CPU.


def unfold_rows(x: Any, kh: int, kw: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """``F.unfold``'s windows of ``x (N, C, H, W)`` as rows: ``(N * H_out * W_out, C * kh * kw)`` float64,
    rows in the order (n, i, j), columns in the order (c, u, v) (the layout of ``im2col``)."""
    import torch
    import torch.nn.functional as F

    x = np.asarray(x, dtype=np.float64)
    cols = F.unfold(torch.from_numpy(x), (kh, kw), padding=padding, stride=stride)  # (N, C*kh*kw, L)
    return cols.transpose(1, 2).reshape(-1, x.shape[1] * kh * kw).numpy()


def fold_rows(cols: Any, x_shape: Sequence[int], kh: int, kw: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """``F.fold`` of ``cols`` laid out as :func:`unfold_rows` returns them: every window added back onto
    its pixels (overlaps summed, padding cut off); ``x_shape`` float64."""
    import torch
    import torch.nn.functional as F

    n, _, h, w = (int(s) for s in x_shape)
    cols = torch.from_numpy(np.asarray(cols, dtype=np.float64)).reshape(n, -1, int(np.shape(cols)[1]))
    return F.fold(cols.transpose(1, 2), (h, w), (kh, kw), padding=padding, stride=stride).numpy()


def conv2d_autograd(x: Any, w: Any, b: Any, dout: Any, stride: int = 1, padding: int = 0) -> tuple:
    """``(dx, dw, db)`` of ``sum(F.conv2d(x, w, b) * dout)`` by torch autograd, as float64 arrays."""
    import torch
    import torch.nn.functional as F

    xt, wt, bt = (torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in (x, w, b))
    F.conv2d(xt, wt, bt, stride=stride, padding=padding).backward(torch.from_numpy(np.asarray(dout, dtype=np.float64)))
    return tuple(cast(Any, t.grad).numpy() for t in (xt, wt, bt))


def max_pool2d_autograd(x: Any, dout: Any, kernel: int = 2, stride: int = 2) -> np.ndarray:
    """``dx`` of ``sum(F.max_pool2d(x, kernel, stride) * dout)`` by torch autograd (CPU), float64."""
    import torch
    import torch.nn.functional as F

    xt = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    F.max_pool2d(xt, kernel, stride).backward(torch.from_numpy(np.asarray(dout, dtype=np.float64)))
    return cast(Any, xt.grad).numpy()
