"""Checks for the notebooks' test cells, with messages a learner can act on.

Every check fails with :class:`CheckFailed` (an ``AssertionError``) whose message says *what*
is wrong: the type, the shape, or the first value that differs, with the expected value,
the value received and the tolerance, plus an optional ``hint`` naming the likely bug.

Design rules (see README, "Writing tests"):

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
from typing import Any, Callable, Sequence

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


def _fail(name: str, what: str, hint: str | None = None) -> None:
    __tracebackhide__ = True
    msg = f"{name}: {what}"
    if hint:
        msg += f"\nHint: {hint}"
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


def likely_bug(got: Any, known: Sequence[tuple[Any, str]], default: str | None = None,
               rtol: float = 1e-6, atol: float = 1e-12) -> str | None:
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


def check_type(value: Any, types: type | tuple[type, ...], name: str = "your result",
               hint: str | None = None) -> None:
    """Fail unless ``isinstance(value, types)``."""
    __tracebackhide__ = True
    if not isinstance(value, types):
        types = types if isinstance(types, tuple) else (types,)
        wanted = " or ".join(t.__name__ for t in types)
        _fail(name, f"expected {wanted}, got {_type_name(value)}", hint)


def check_shape(value: Any, shape: Sequence[int], name: str = "your result",
                hint: str | None = None) -> np.ndarray:
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


def check_close(got: Any, expected: Any, name: str = "your result", rtol: float = 1e-7,
                atol: float = 1e-12, hint: str | None = None) -> None:
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
        _fail(name, f"got NaN at index {idx} where {_fmt(exp[idx])} was expected "
                    f"(an overflow, log(0) or 0/0 somewhere?)", hint)
    ok = _isclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True)
    if not ok.all():
        bad = _argwhere(~ok)
        idx = tuple(int(i) for i in bad[0])
        where = f" at index {idx}" if arr.ndim else ""
        tolerance = "exact comparison" if rtol == 0 and atol == 0 else f"tolerance: rtol={rtol:g}, atol={atol:g}"
        want, got_s = _fmt(exp[idx]), _fmt(arr[idx])
        if want == got_s:  # they differ beyond 10 digits: show every digit
            want, got_s = repr(float(exp[idx])), repr(float(arr[idx]))
        _fail(name, f"{len(bad)} of {arr.size} value(s) wrong. First{where}: expected "
                    f"{want}, got {got_s} ({tolerance})", hint)


def check_equal(got: Any, expected: Any, name: str = "your result", hint: str | None = None) -> None:
    """Exact comparison for integers and booleans (labels, counts, shapes as arrays)."""
    __tracebackhide__ = True
    check_close(got, expected, name, rtol=0.0, atol=0.0, hint=hint)


def check_true(condition: bool, name: str, what: str, hint: str | None = None) -> None:
    """Fail with ``what`` unless ``condition`` is the real ``True`` (not merely truthy)."""
    __tracebackhide__ = True
    if condition is not True and not (isinstance(condition, np.bool_) and bool(condition)):
        _fail(name, what, hint)


def check_raises(exc_type: type[BaseException], fn: Callable, *args, name: str | None = None,
                 match: Sequence[str] = (), hint: str | None = None, **kwargs) -> BaseException:
    """Fail unless ``fn(*args, **kwargs)`` raises ``exc_type`` whose message contains every ``match``."""
    __tracebackhide__ = True
    label = name or getattr(fn, "__name__", "the function")
    try:
        fn(*args, **kwargs)
    except exc_type as err:
        text = str(err)
        for piece in match:
            if piece not in text:
                _fail(label, f"raised {exc_type.__name__} as expected, but its message {text!r} "
                             f"should mention {piece!r}", hint)
        return err
    except Exception as err:  # noqa: BLE001 - we report whatever came instead
        _fail(label, f"should raise {exc_type.__name__}, but raised {type(err).__name__}: {err}", hint)
    _fail(label, f"should raise {exc_type.__name__} for this input, but returned normally", hint)
    raise AssertionError("unreachable")  # pragma: no cover


def check_no_warnings(fn: Callable, *args, name: str | None = None, hint: str | None = None, **kwargs) -> Any:
    """Call ``fn(*args, **kwargs)``; fail if it emits any warning; return its result.

    NumPy's overflow, divide-by-zero and invalid-value warnings are switched on for the call
    (underflow stays silent: ``exp(-1000) == 0`` is the right answer, not a bug).
    """
    __tracebackhide__ = True
    label = name or getattr(fn, "__name__", "the function")
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


def check_matches_torch_optimizer(optimizer: Any, torch_cls: type, torch_kwargs: dict | None = None,
                                  steps: int = 100, seed: int = 0, name: str | None = None,
                                  rtol: float = 1e-6, atol: float = 1e-9) -> float:
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
                _fail(label, f"params[{key!r}] was replaced by a new array at step {step}",
                      "update in place (params[key] -= ...), so the layers holding the array see the change")
            expected = leaves[key].detach().numpy()
            check_close(params[key], expected, f"{label}: params[{key!r}] after step {step}", rtol=rtol, atol=atol)
            worst = max(worst, float(_abs(as_array(params[key]) - expected).max()))
    return worst


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, _ndarray):
        return isinstance(b, _ndarray) and a.shape == b.shape and bool(_array_equal(a, b, equal_nan=True))
    if _is_tensor(a):
        import torch

        return _is_tensor(b) and a.shape == b.shape and bool(torch.equal(a, b))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def call_unmodified(fn: Callable, *args, name: str | None = None, **kwargs) -> Any:
    """Call ``fn(*args, **kwargs)`` and fail if it changed any argument in place.

    Arguments are deep-copied before the call and compared afterwards.
    """
    __tracebackhide__ = True
    label = name or getattr(fn, "__name__", "the function")
    before_args = copy.deepcopy(args)
    before_kwargs = copy.deepcopy(kwargs)
    result = fn(*args, **kwargs)
    for i, (now, before) in enumerate(zip(args, before_args)):
        if not _same(now, before):
            _fail(label, f"changed its argument #{i + 1} in place; compute a new array instead "
                         f"(e.g. `x = x + 1`, not `x += 1`)")
    for key in kwargs:
        if not _same(kwargs[key], before_kwargs[key]):
            _fail(label, f"changed its argument {key!r} in place; compute a new array instead")
    return result


# --- helpers for chapters 08-15 ---
# Reference logic the test cells of chapters 08-15 share, so that a test cell shows only its inputs.


def check_building_block(name: str, check: Callable, *args, **kwargs) -> None:
    """Run ``check(*args, **kwargs)``, a quick check of an earlier exercise this test builds on.

    If it fails, fail with a message that says to fix ``name`` first (its own test cell says how),
    instead of blaming the function under test. ``NotImplementedError`` passes through unchanged.
    """
    __tracebackhide__ = True
    try:
        check(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as err:  # noqa: BLE001 - any failure of the building block is reported as such
        _fail(f"this test builds on your {name}",
              f"which does not pass its own check: {type(err).__name__}: {err}",
              f"fix {name} first (run its test cell above); this test cannot pass before that")


def check_state_close(got: Any, expected: dict, name: str, rtol: float = 1e-5, atol: float = 1e-6,
                      hint: str | None = None) -> None:
    """Fail unless ``got`` is a dict (a ``state_dict``) with ``expected``'s keys and close values."""
    __tracebackhide__ = True
    check_type(got, dict, name, hint="a state_dict() is a dict of tensors")
    missing = sorted(set(expected) - set(got))
    if missing:
        _fail(name, f"has no entry {missing[0]!r} (keys: {sorted(got)})", hint)
    for key, value in expected.items():
        check_close(got[key], value, f"{name}[{key!r}]", rtol=rtol, atol=atol, hint=hint)


def sgd_reference(model: Any, x: Any, y: Any, lr: float, epochs: int = 1, loss_fn: Callable | None = None,
                  batch_size: int | None = None, seed: int = 0, shuffle: bool = True,
                  losses: list | None = None) -> Any:
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
        batches = ([(x, y)] if batch_size is None
                   else minibatches(x, y, batch_size, shuffle=shuffle, seed=seed + epoch))
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
    (chapter 15's tests of the federated loop; fixed seed)."""
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
            window = padded[:, dy:dy + h, dx:dx + w]
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
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                         nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(32, 10))


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
