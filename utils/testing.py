"""Checks for the notebooks' test cells, with messages a learner can act on.

Every check fails with :class:`CheckFailed` (an ``AssertionError``) whose message says *what*
is wrong: the type, the shape, or the first value that differs, with the expected value,
the value received and the tolerance, plus an optional ``hint`` naming the likely bug.

Design rules (see CONTRIBUTING.md, "Test cells", and README, "For course developers", "Writing test cells"):

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

from utils.i18n.messages import tr, translate

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
        tr("Hint: {hint}", hint=translate(hint)),
        width=100,
        subsequent_indent="      ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def _fail(name: str, what: str, hint: str | None = None) -> None:
    __tracebackhide__ = True
    msg = f"{translate(name)}: {what}"
    if hint:
        msg += "\n" + _hint_lines(hint)
    raise CheckFailed(msg)


def rel_error(x, y, eps: float = 1e-8) -> float:
    """Largest elementwise relative error ``|x - y| / max(eps, |x| + |y|)`` (CS231n's habit).

    Around 1e-7 or less: the two agree; 1e-2 or more: something is wrong. The course's one
    relative-error function: :func:`utils.gradcheck.gradient_check` reports it too. It lives here,
    not in :mod:`utils.gradcheck`, because test cells call it and this module's NumPy functions are
    bound at import (see the module docstring).
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
        _fail(name, tr("expected a NumPy array (or a number), got an object of type {type}", type=_type_name(value)))
    try:
        return raw.astype(dtype)
    except (TypeError, ValueError) as err:
        _fail(name, tr("could not be read as {dtype} numbers ({error})", dtype=np.dtype(dtype).name, error=err))
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
        wanted = translate(" or ").join(t.__name__ for t in types)
        _fail(name, tr("expected {wanted}, got {got}", wanted=wanted, got=_type_name(value)), hint)


def check_shape(value: Any, shape: Sequence[int], name: str = "your result", hint: str | None = None) -> np.ndarray:
    """Fail unless ``value`` (converted by :func:`as_array`) has exactly ``shape``; return the array."""
    __tracebackhide__ = True
    arr = as_array(value, name)
    shape = tuple(int(s) for s in shape)
    if arr.shape != shape:
        extra = ""
        if arr.shape == shape[::-1] and len(shape) == 2 and shape[0] != shape[1]:
            extra = translate(" (the transpose: are rows and columns swapped?)")
        elif arr.size == int(np.prod(shape)):
            extra = translate(" (same number of elements: a reshape/axis problem?)")
        _fail(name, tr("shape should be {shape}, got {got}", shape=shape, got=arr.shape) + extra, hint)
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
            tr(
                "got NaN at index {index} where {expected} was expected (an overflow, log(0) or 0/0 somewhere?)",
                index=idx,
                expected=_fmt(exp[idx]),
            ),
            hint,
        )
    ok = _isclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True)
    if not ok.all():
        bad = _argwhere(~ok)
        idx = tuple(int(i) for i in bad[0])
        where = tr(" at index {index}", index=idx) if arr.ndim else ""
        tolerance = (
            tr("exact comparison")
            if rtol == 0 and atol == 0
            else tr("tolerance: rtol={rtol}, atol={atol}", rtol=f"{rtol:g}", atol=f"{atol:g}")
        )
        want, got_s = _fmt(exp[idx]), _fmt(arr[idx])
        if want == got_s:  # they differ beyond 10 digits: show every digit
            want, got_s = repr(float(exp[idx])), repr(float(arr[idx]))
        _fail(
            name,
            tr(
                "{bad} of {size} value(s) wrong. First{where}: expected {want}, got {got} ({tolerance})",
                bad=len(bad),
                size=arr.size,
                where=where,
                want=want,
                got=got_s,
                tolerance=tolerance,
            ),
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
        _fail(name, translate(what), hint)


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
                    tr(
                        "raised {error} as expected, but its message {text} should mention {piece}",
                        error=exc_type.__name__,
                        text=repr(text),
                        piece=repr(piece),
                    ),
                    hint,
                )
        return err
    except NotImplementedError:  # an exercise not done yet: say that, not "raised the wrong error"
        raise
    except Exception as err:  # noqa: BLE001 - we report whatever came instead
        what = tr(
            "should raise {error}, but raised {got}: {message}",
            error=exc_type.__name__,
            got=type(err).__name__,
            message=err,
        )
        _fail(label, what, hint)
    _fail(label, tr("should raise {error} for this input, but returned normally", error=exc_type.__name__), hint)
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
            tr("dtype should be a float type, got {dtype}", dtype=result.dtype),
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
        _fail(
            label,
            tr("emitted a warning: {category}: {message}", category=first.category.__name__, message=first.message),
            hint,
        )
    return result


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
            tr("return one gradient per input: ({grads})", grads=", ".join("d" + n for n in names)),
        )
        check_true(
            len(grads) == len(arrays),
            f"{label}.backward(dout)",
            tr(
                "should return {count} gradients ({grads}), got {got}",
                count=len(arrays),
                grads=", ".join("d" + n for n in names),
                got=len(grads),
            ),
        )
    for n, grad, leaf in zip(names, grads, leaves, strict=False):
        check_close(
            grad,
            leaf.grad.numpy(),  # type: ignore[union-attr]  # set by backward()
            tr("{label}.backward: d{n} vs torch autograd ({shapes})", label=label, n=n, shapes=shapes),
            rtol,
            atol,
            hints.get("d" + n),
        )
    for k, leaf in param_leaves.items():
        check_close(
            getattr(layer, "d" + k, None),
            leaf.grad.numpy(),  # type: ignore[union-attr]  # set by backward()
            tr("{label}.d{k} vs torch autograd ({shapes})", label=label, k=k, shapes=shapes),
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

    check_type(grads, dict, name, hint=tr("return a dict with the keys {keys}", keys=sorted(params)))
    leaves = {k: torch.tensor(_plain(v), requires_grad=True) for k, v in params.items()}
    loss_fn(**leaves).backward()
    for key, leaf in leaves.items():
        check_true(
            key in grads, name, tr("has no gradient for {key!r} (keys: {keys})", key=key, keys=sorted(map(str, grads)))
        )
        what = tr("{name}[{key!r}] vs torch autograd", name=name, key=key)
        check_close(grads[key], leaf.grad.numpy(), what, rtol, atol, hint)  # type: ignore[union-attr]


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
    kind = translate("one-hot labels" if t.ndim == 2 else "integer labels")
    xt = torch.tensor(x, requires_grad=True)
    reference = F.cross_entropy(xt, torch.from_numpy(t.argmax(axis=1) if t.ndim == 2 else t.astype(np.int64)))
    reference.backward()
    loss = call_unmodified(layer.forward, x, t.copy(), name=f"{label}.forward")
    check_type(loss, (float, np.floating), f"{label}.forward(x, t)", hint="return the loss as one float")
    what = tr("{label}.forward vs torch's cross-entropy, {kind}, x {shape}", label=label, kind=kind, shape=x.shape)
    check_close(loss, reference.item(), what, rtol=1e-4)
    check_close(
        layer.backward(dout),
        dout * xt.grad.numpy(),  # type: ignore[union-attr]  # set by backward()
        tr("{label}.backward({dout:g}) vs torch autograd, {kind}", label=label, dout=dout, kind=kind),
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


class BuildingBlockFailed(CheckFailed):
    """:func:`check_building_block`'s failure: its message already says which exercise to fix."""


def check_building_block(exercise: str, check: Callable, *args, **kwargs) -> None:
    """Run ``check(*args, **kwargs)``, a check of an earlier exercise that this one builds on; if it
    fails, fail with a message that says to fix ``exercise`` first, followed by its own message.
    A failure of a guard inside ``check`` (one that itself runs check_building_block) passes through
    unchanged: it already names the exercise to fix."""
    __tracebackhide__ = True
    try:
        check(*args, **kwargs)
    except (NotImplementedError, BuildingBlockFailed):
        raise
    except NameError as err:
        if not str(getattr(err, "name", "") or "").startswith("test_"):
            raise BuildingBlockFailed(
                tr("this exercise uses your {exercise}, which failed: fix {exercise} first.", exercise=exercise)
                + f"\n{exercise}: NameError: {err}"
            ) from err
        raise BuildingBlockFailed(
            tr(
                "this check reuses the test of {exercise} ({name}): run the test cell of {exercise} above first",
                exercise=exercise,
                name=err.name,
            )
        ) from err
    except Exception as err:  # noqa: BLE001 - whatever it is, the earlier exercise is the place to look
        what = str(err) if isinstance(err, AssertionError) else f"{type(err).__name__}: {err}"
        raise BuildingBlockFailed(
            tr(
                "this exercise uses your {exercise}, which is not right yet: fix {exercise} first "
                "(its own test cell says more).",
                exercise=exercise,
            )
            + f"\n{exercise}: {what}"
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
                tr(
                    "changed its argument #{number} in place; compute a new array instead "
                    "(e.g. `x = x + 1`, not `x += 1`)",
                    number=i + 1,
                ),
            )
    for key in kwargs:
        if not _same(kwargs[key], before_kwargs[key]):
            _fail(label, tr("changed its argument {key} in place; compute a new array instead", key=repr(key)))
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
            return translate(hint).format(**{k: (v or "").strip() for k, v in found.groupdict().items()})
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
            f"{self.label}: "
            + tr("your code raised {error}:", error=type(error).__name__)
            + f"\n  {error}"
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
        _fail(name, tr("has no entry {key!r} (keys: {keys})", key=missing[0], keys=sorted(got)), hint)
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


# --- helpers for ch10_batchnorm: BatchNorm2d and LayerNorm ---


def torch_batchnorm2d(gamma: Any, beta: Any, eps: float = 1e-5) -> Any:
    """``nn.BatchNorm2d`` in float64, in training mode, with weight ``gamma`` and bias ``beta``
    (chapter 10's reference for per-channel batch normalization of (N, C, H, W) inputs)."""
    import torch
    import torch.nn as nn

    layer = nn.BatchNorm2d(len(gamma), eps=eps).double().train()
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(np.asarray(gamma, dtype=np.float64)))
        layer.bias.copy_(torch.as_tensor(np.asarray(beta, dtype=np.float64)))
    return layer


def torch_layernorm(gamma: Any, beta: Any, eps: float = 1e-5) -> Any:
    """``nn.LayerNorm(D)`` in float64 with weight ``gamma`` and bias ``beta`` (chapter 10's reference
    for a NumPy layer normalization over the last axis)."""
    import torch
    import torch.nn as nn

    layer = nn.LayerNorm(len(gamma), eps=eps).double()
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(np.asarray(gamma, dtype=np.float64)))
        layer.bias.copy_(torch.as_tensor(np.asarray(beta, dtype=np.float64)))
    return layer


# --- helpers for ch01 masks and views, ch07 autograd corners ---
# More hints for `explain_errors`, checked before the general ones: the errors of a boolean mask of the
# wrong shape, of NumPy's .copy() on a tensor, and of autograd's corners (chapter 07, section 8).
_ERROR_HINTS[:0] = [
    (
        r"boolean index did not match|shape of the mask .* does not match the shape of the indexed tensor",
        "a boolean mask must have the shape of the array it indexes: compare mask.shape with x.shape",
    ),
    (r"'Tensor' object has no attribute 'copy'", "a torch tensor copies with .clone(); .copy() is NumPy's"),
    (
        r"grad can be implicitly created only for scalar outputs",
        "backward() without arguments needs a scalar: pass gradient=v (the same shape as the output) "
        "for the vector-Jacobian product, or call it on a sum",
    ),
    (
        r"backward through the graph a second time",
        "the first backward() freed the graph: pass retain_graph=True to every backward() but the last "
        "through the same graph, or run the forward pass again",
    ),
    (
        r"Inference tensors cannot be saved for backward",
        "a tensor made under torch.inference_mode() cannot enter autograd: use torch.no_grad() there, or .clone() it",
    ),
]
# --- helpers for chapters 01-08 test cells ---
# Checks the test cells of chapters 01-08 share, so that a test cell shows only its inputs.


def check_tuple(value: Any, length: int, name: str, hint: str | None = None) -> tuple:
    """Fail unless ``value`` is a tuple of ``length`` items; return it (for unpacking)."""
    __tracebackhide__ = True
    check_type(value, tuple, name, hint)
    if len(value) != length:
        _fail(name, tr("should return {length} values, got {got}", length=length, got=len(value)), hint)
    return value


def check_tuple_of_arrays(value: Any, shapes: dict, name: str, hints: dict | None = None) -> tuple[np.ndarray, ...]:
    """Fail unless ``value`` is a tuple with one array (or number) per entry of ``shapes``
    (``{"w": (2,), "b": (), "errors": (6,)}``), each of that shape; return them as plain float arrays.
    ``hints`` maps an entry's name to the likely bug when its shape is wrong."""
    __tracebackhide__ = True
    hints = hints or {}
    check_tuple(value, len(shapes), name, hint=tr("return ({names})", names=", ".join(shapes)))
    return tuple(
        check_shape(item, shape, tr("{key} from {name}", key=key, name=name), hints.get(key))
        for item, (key, shape) in zip(value, shapes.items(), strict=True)
    )


def check_int(value: Any, expected: int, name: str, hint: str | None = None) -> None:
    """Fail unless ``value`` is a Python or NumPy integer equal to ``expected`` (the hint goes with the value)."""
    __tracebackhide__ = True
    check_type(value, (int, np.integer), name)
    check_equal(value, expected, name, hint)


def check_dtype(
    value: Any, dtype: Any, name: str, hint: str | None = None, types: type | tuple[type, ...] = np.ndarray
) -> None:
    """Fail unless ``value`` is one of ``types`` (an ``np.ndarray`` by default) whose dtype is ``dtype``
    (``np.float64``, ``np.int64``) or a kind of it (``np.floating``: any float type)."""
    __tracebackhide__ = True
    check_type(value, types, name, hint)
    if not np.issubdtype(value.dtype, dtype):
        kinds = {np.floating: translate("a float type"), np.integer: translate("an integer type")}
        wanted = kinds[dtype] if dtype in kinds else np.dtype(dtype).name
        _fail(name, tr("dtype should be {wanted}, got {got}", wanted=wanted, got=value.dtype), hint)


def check_layer_by_hand(
    layer: Any,
    x: Any,
    out: Any,
    dout: Any,
    dx: Any,
    name: str | None = None,
    rtol: float = 1e-12,
    hint: str | None = None,
    shown: str | None = None,
) -> None:
    """A one-input layer against hand-worked values: ``layer.forward(x)`` must give ``out`` and then
    ``layer.backward(dout)`` an ``np.ndarray`` ``dx``; neither call may change its argument.
    ``hint`` goes with the backward pass; ``shown`` is how messages write ``x`` (``"[0, ln 3]"``).
    Tolerance: hand-worked values in float64, so rtol=1e-12 only absorbs rounding."""
    __tracebackhide__ = True
    label = name or type(layer).__name__
    shown = shown or str(np.asarray(x).tolist())
    got = call_unmodified(layer.forward, x, name=f"{label}.forward")
    check_close(got, out, f"{label}.forward({shown})", rtol=rtol)
    grad = call_unmodified(layer.backward, dout, name=f"{label}.backward")
    check_type(grad, _ndarray, f"{label}.backward(dout)")
    what = tr(
        "{label}.backward({dout}) after forward({shown})", label=label, dout=np.asarray(dout).tolist(), shown=shown
    )
    check_close(grad, dx, what, rtol=rtol, hint=hint)


def check_backward_on_random_arrays(
    layer: Any, torch_fn: Callable, seed: int, n_inputs: int = 2, shape: Sequence[int] = (2, 3), **kwargs
) -> None:
    """:func:`check_backward_matches_torch` on random inputs: ``n_inputs`` arrays and ``dout`` of
    ``shape``, drawn at once as ``np.random.default_rng(seed).normal(size=(n_inputs + 1, *shape))``.
    ``kwargs`` go to :func:`check_backward_matches_torch` (``hints=``, ``rtol=``)."""
    __tracebackhide__ = True
    *inputs, dout = np.random.default_rng(seed).normal(size=(n_inputs + 1, *shape))
    check_backward_matches_torch(layer, inputs, dout, torch_fn, **kwargs)


def check_dict_close(
    got: Any,
    expected: dict,
    name: str,
    rtol: float = 1e-7,
    atol: float = 1e-12,
    hint: str | None = None,
    types: type | tuple[type, ...] | None = None,
    type_hint: str | None = None,
) -> None:
    """Fail unless ``got`` is a dict with every key of ``expected`` and, under each, a close value
    (checked in ``expected``'s order; the message names the key), of one of ``types`` if given."""
    __tracebackhide__ = True
    check_type(got, dict, name, hint=tr("return a dict with the keys {keys}", keys=list(expected)))
    for key, value in expected.items():
        check_true(key in got, name, tr("has no entry {key!r} (keys: {keys})", key=key, keys=sorted(map(str, got))))
        if types is not None:
            check_type(got[key], types, f"{name}[{key!r}]", type_hint)
        check_close(got[key], value, f"{name}[{key!r}]", rtol=rtol, atol=atol, hint=hint)


def two_layer_problem(net: Any, seed: int) -> tuple[dict, Any, Any, Callable]:
    """Chapter 06's test problem for a ``TwoLayerNet(3, 4, 2)``: writes random ``W1, b1, W2, b2`` (in
    this order, from ``np.random.default_rng(seed)``) into ``net.params`` in place (the layers must see
    them), draws ``x (5, 3)`` and labels ``t``, and returns ``(P, x, t, loss)``: copies of the
    parameters and the reference loss written with torch,
    ``loss(W1, b1, W2, b2) = F.cross_entropy(relu(x @ W1 + b1) @ W2 + b2, t)``."""
    import torch
    import torch.nn.functional as F

    rng = np.random.default_rng(seed)
    shapes = {"W1": (3, 4), "b1": (4,), "W2": (4, 2), "b2": (2,)}
    params = {key: rng.normal(size=shape) for key, shape in shapes.items()}
    for key, value in params.items():
        net.params[key][...] = value
    x, t = rng.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])

    def loss(W1, b1, W2, b2):
        return F.cross_entropy(torch.relu(torch.from_numpy(x) @ W1 + b1) @ W2 + b2, torch.from_numpy(t))

    return {k: v.copy() for k, v in params.items()}, x, t, loss


def check_parameters_close(
    model: Any,
    expected: Any,
    name: str,
    rtol: float = 1e-10,
    atol: float = 1e-12,
    hint: str | None = None,
    grad: bool = False,
) -> None:
    """Fail unless each parameter of the torch ``model`` (its ``.grad`` with ``grad=True``) is close to
    the matching entry of ``expected``: another module (its parameters, or their ``.grad``) or a
    sequence of tensors in ``model.parameters()`` order. The message names the parameter."""
    __tracebackhide__ = True
    import torch

    if isinstance(expected, torch.nn.Module):
        expected = [p.grad if grad else p.detach() for p in expected.parameters()]
    expected = list(expected)
    named = list(model.named_parameters())
    check_true(
        len(named) == len(expected),
        name,
        tr("the model has {count} parameters, expected {wanted}", count=len(named), wanted=len(expected)),
    )
    for (key, p), reference in zip(named, expected, strict=True):
        got = p.grad if grad else p.detach()
        if _is_tensor(reference):  # trusted: to NumPy here, so that check_close need not convert a tensor
            reference = reference.detach().cpu().numpy()
        what = tr("{param} {name}", param=f"{key}{'.grad' if grad else ''}", name=translate(name))
        check_close(got, reference, what, rtol=rtol, atol=atol, hint=hint)


def small_mlp_problem(
    seed: int, sizes: Sequence[int] = (4, 5, 3), n: int = 7, activation: Any = None
) -> tuple[Any, Any, Any]:
    """``(model, x, y)`` for testing a training step: after ``torch.manual_seed(seed)``, the float64
    ``nn.Sequential(nn.Linear(D, H), activation (nn.ReLU() by default), nn.Linear(H, C))``, then
    ``x = torch.randn(n, D)`` (float64) and integer labels ``y`` in ``0 ... C-1``, drawn in this order."""
    import torch
    from torch import nn

    d, h, c = sizes
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, h), activation or nn.ReLU(), nn.Linear(h, c)).double()
    return model, torch.randn(n, d, dtype=torch.float64), torch.randint(0, c, (n,))


def one_sgd_step_reference(model: Any, x: Any, y: Any, lr: float) -> tuple[Any, float]:
    """``(reference, loss)``: a copy of ``model`` after one full-batch plain-SGD step on
    ``F.cross_entropy(model(x), y)``, written out with autograd (:func:`sgd_reference`), and the loss
    before the step. ``model`` itself is left unchanged."""
    losses: list[float] = []
    reference = sgd_reference(model, x, y, lr, losses=losses)
    return reference, losses[0]


# --- helpers for chapters 09-16 test cells ---
# Reference logic of the test cells of chapters 09-16, so that a test cell shows only its inputs.


def check_hidden_units_identical(W1: Any, W2: Any, when: str, hint: str | None = None) -> None:
    """Fail unless every hidden unit of a two-layer net is the same as the first one: all columns of
    ``W1`` (D, H) equal, and all rows of ``W2`` (H, C) equal (chapter 09's symmetry of an equal start).
    ``when`` ends the messages ("after training from 0.3")."""
    __tracebackhide__ = True
    W1, W2 = as_array(W1, "W1"), as_array(W2, "W2")
    hidden = W1.shape[1]
    check_close(
        W1,
        np.repeat(W1[:, :1], hidden, axis=1),
        tr("the {hidden} hidden units (columns of W1) {when}", hidden=hidden, when=translate(when)),
        rtol=1e-9,
        atol=1e-12,
        hint=hint,
    )
    rows = tr("rows of W2 {when}", when=translate(when))
    check_close(W2, np.repeat(W2[:1, :], hidden, axis=0), rows, rtol=1e-9, atol=1e-12, hint=hint)


def check_split_covers_each_example_once(
    x_train: Any, t_train: Any, x_val: Any, t_val: Any, labels: Any, name: str
) -> None:
    """Fail unless a train/validation split of examples that carry their id (``x`` is the id, or
    column 0 of ``x`` is) uses every id 0 .. N-1 exactly once, with ``t`` next to each example equal
    to ``labels[id]`` (chapter 12's ``train_val_split``). ``name`` says which split it was."""
    __tracebackhide__ = True
    sides = [as_array(x_train, "x_train"), as_array(x_val, "x_val")]
    ids = np.concatenate([side.reshape(len(side), -1)[:, 0] for side in sides])
    check_equal(
        np.sort(ids),
        np.arange(len(labels) * 1.0),
        tr("the example ids in x_train and x_val together ({name})", name=translate(name)),
        hint="every example goes to exactly one side: split one permutation of the indices",
    )
    check_equal(
        np.concatenate([as_array(t_train, "t_train"), as_array(t_val, "t_val")]),
        as_array(labels)[ids.astype(int)],
        tr("labels next to their examples ({name})", name=translate(name)),
        hint="index x and t with the same indices",
    )


def relu_mlp_reference(x: Any, layers: Sequence[Any]) -> Any:
    """The forward pass of a multilayer perceptron written with ``torch.nn.functional``: ``x`` flattened
    to (N, features), then ``F.linear`` with each layer's ``weight`` and ``bias``, a ReLU between the
    layers and none after the last (chapter 13's reference for ``Model``)."""
    import torch.nn.functional as F

    h = x.reshape(len(x), -1)
    for i, layer in enumerate(layers):
        h = F.linear(h, layer.weight, layer.bias)
        if i < len(layers) - 1:
            h = F.relu(h)
    return h


def small_bn_classifier(seed: int = 0) -> tuple[Any, Any, Any]:
    """``(model, x, y)``: Linear(3, 4) -> BatchNorm1d -> ReLU -> Linear(4, 2), initialized from
    ``torch.manual_seed(seed)``, with 10 fixed examples ``x`` (10, 3) and labels ``y`` (10,) (chapter 13's
    tests of a training epoch: batch norm makes the training mode visible)."""
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    x = torch.randn(10, 3, generator=torch.Generator().manual_seed(0))
    return model, x, torch.tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 1])


def check_conv2d_matches_torch(
    conv2d_forward: Callable,
    x_shape: Sequence[int],
    w_shape: Sequence[int],
    stride: int,
    padding: int,
    seed: int = 0,
    hint: str | None = None,
) -> None:
    """Fail unless ``conv2d_forward(x, w, b, stride=stride, padding=padding)`` on random float64 inputs of
    these shapes equals ``F.conv2d`` and leaves its inputs unchanged (chapter 14).

    Tolerance: both sum the same products per output, so they agree to about 1e-15; rtol 1e-6 leaves
    room for any summation order, while a wrong index, a flipped filter or a missing bias gives errors
    of order 1."""
    __tracebackhide__ = True
    import torch
    import torch.nn.functional as F

    g = np.random.default_rng(seed)
    x, w, b = g.normal(size=x_shape), g.normal(size=w_shape), g.normal(size=w_shape[0])
    want = F.conv2d(
        torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=stride, padding=padding
    ).numpy()
    got = call_unmodified(conv2d_forward, x, w, b, stride=stride, padding=padding, name="conv2d_forward")
    name = f"conv2d_forward(x {tuple(x_shape)}, w {tuple(w_shape)}, stride={stride}, padding={padding}) vs F.conv2d"
    check_close(got, want, name, rtol=1e-6, atol=1e-9, hint=hint)


def federated_toy_clients(cuts: Sequence[int]) -> tuple[list, tuple[Any, Any]]:
    """``(clients, (x_test, y_test))``: :func:`federated_toy_data`'s 60 training points cut into consecutive
    clients at the indices ``cuts`` (``[15]``: two clients of 15 and 45 points), and its test set."""
    x, y, x_test, y_test = federated_toy_data()
    bounds = [0, *cuts, len(y)]
    return [(x[a:b], y[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)], (x_test, y_test)


def centralized_gd_reference(rounds: int, lr: float, seed: int) -> tuple[dict, list[float]]:
    """``(state_dict, accuracies)`` of centralized full-batch gradient descent on all of :func:`federated_toy_data`'s
    training points: ``nn.Linear(2, 3)`` created after ``torch.manual_seed(seed)``, ``rounds`` steps of plain SGD
    (:func:`sgd_reference`), and the test accuracy after each step. Chapter 16: FedAvg with one local epoch of
    full-batch SGD per round is exactly this."""
    import torch
    import torch.nn as nn

    from .training import evaluate_accuracy

    x, y, x_test, y_test = federated_toy_data()
    torch.manual_seed(seed)
    model, accuracies = nn.Linear(2, 3), []
    for _ in range(rounds):
        model = sgd_reference(model, x, y, lr)
        accuracies.append(evaluate_accuracy(model, x_test, y_test))
    return model.state_dict(), accuracies


def per_class_accuracy(logits: Any, y: Any, n_classes: int) -> list[float]:
    """Entry ``c``: the share of the examples of TRUE class ``c`` whose argmax of ``logits`` is ``c`` (the
    recall of class ``c``; chapter 16's ``per_class``)."""
    predicted = logits.argmax(1)
    return [(predicted[y == c] == c).float().mean().item() for c in range(n_classes)]


# --- helpers for chapter 15 (residual networks) ---


def randomize_batchnorm(module: Any, seed: int = 0) -> Any:
    """Give every ``BatchNorm2d`` in ``module`` random weights, biases and running statistics (weight and variance
    in [0.5, 1.5] and [0.5, 2], bias and mean in [-0.5, 0.5] and [-0.3, 0.3]), so that a test sees every layer; returns
    ``module``."""
    import torch
    import torch.nn as nn

    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for bn in (m for m in module.modules() if isinstance(m, nn.BatchNorm2d)):
            n = bn.num_features
            if bn.running_mean is None or bn.running_var is None:  # track_running_stats=False
                raise ValueError("randomize_batchnorm needs BatchNorm2d layers with running statistics")
            bn.weight.copy_(0.5 + torch.rand(n, generator=g))
            bn.bias.copy_(torch.rand(n, generator=g) - 0.5)
            bn.running_mean.copy_(0.6 * torch.rand(n, generator=g) - 0.3)
            bn.running_var.copy_(0.5 + 1.5 * torch.rand(n, generator=g))
    return module


def residual_block_reference(block: Any, x: Any, stride: int, training: bool) -> Any:
    """relu(F(x) + s(x)) written out with ``torch.nn.functional`` from the weights of chapter 15's ``block``
    (``block.residual = [conv 3x3, BN, ReLU, conv 3x3, BN]``; ``block.shortcut`` Identity, [conv 1x1, BN] or None).

    Batch norm uses the batch statistics when ``training``, else the running statistics (which it leaves unchanged).
    Fails with a message naming the expected layout when the block's attributes are not laid out that way.
    """
    import torch.nn as nn
    import torch.nn.functional as F

    __tracebackhide__ = True
    layers = list(getattr(block, "residual", []) or [])
    kinds = [type(m).__name__ for m in layers]
    if kinds != ["Conv2d", "BatchNorm2d", "ReLU", "Conv2d", "BatchNorm2d"]:
        _fail(
            "block.residual",
            tr("has layers {kinds}", kinds=kinds),
            "Sequential(Conv2d 3x3, BatchNorm2d, ReLU, Conv2d 3x3, BatchNorm2d)",
        )
    conv1, bn1, _, conv2, bn2 = layers

    def bn(h, layer):
        mean, var = layer.running_mean.clone(), layer.running_var.clone()
        return F.batch_norm(h, mean, var, layer.weight, layer.bias, training, 0.0, layer.eps)

    out = bn(
        F.conv2d(F.relu(bn(F.conv2d(x, conv1.weight, stride=stride, padding=1), bn1)), conv2.weight, padding=1), bn2
    )
    shortcut = getattr(block, "shortcut", None)
    if shortcut is None:
        return F.relu(out)
    if isinstance(shortcut, nn.Identity):
        return F.relu(out + x)
    parts = list(shortcut)
    if [type(m).__name__ for m in parts] != ["Conv2d", "BatchNorm2d"]:
        _fail(
            "block.shortcut",
            tr("is {shortcut!r}", shortcut=shortcut),
            "nn.Identity() or Sequential(Conv2d 1x1 with the stride, BatchNorm2d)",
        )
    return F.relu(out + bn(F.conv2d(x, parts[0].weight, stride=stride), parts[1]))


def output_shapes(model: Any, modules: Sequence[Any], x: Any) -> list[tuple[int, ...]]:
    """The output shape, without the batch axis, of each of ``modules`` (parts of ``model``) when ``model(x)`` runs
    once, in the order they ran (forward hooks, removed afterwards)."""
    shapes: list[tuple[int, ...]] = []
    handles = [m.register_forward_hook(lambda mod, inp, out: shapes.append(tuple(out.shape[1:]))) for m in modules]
    try:
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes


def resnet_parameter_count(width: int, n: int, num_classes: int, shortcuts: bool) -> int:
    """Parameters of chapter 15's ``build_resnet(width, n, shortcuts, num_classes)``, counted by hand.

    A block c_in -> c_out: two 3x3 convolutions without bias (9 c_in c_out + 9 c_out^2) and two batch norms (4 c_out);
    a projection c -> 2c adds 2c^2 + 4c. Stem 27w + 2w; stage 1: n blocks w -> w; stages 2 and 3 (c = w, 2w): one block
    c -> 2c (plus its projection with shortcuts) and n - 1 blocks 2c -> 2c; head 4w C + C.
    """

    def block(c_in: int, c_out: int) -> int:
        return 9 * c_in * c_out + 9 * c_out * c_out + 4 * c_out

    total = 27 * width + 2 * width + n * block(width, width) + 4 * width * num_classes + num_classes
    for c in (width, 2 * width):
        total += block(c, 2 * c) + (n - 1) * block(2 * c, 2 * c) + (2 * c * c + 4 * c if shortcuts else 0)
    return total


def adam_reference_losses(model: Any, x: Any, y: Any, steps: int, lr: float) -> list[float]:
    """The losses of ``steps`` Adam(lr) steps of mean cross-entropy on the one batch ``(x, y)``, each before its
    update, for a copy of ``model`` in training mode (``model`` is left unchanged): chapter 15's reference loop."""
    import torch
    import torch.nn.functional as F

    local = copy.deepcopy(model).train()
    optimizer, losses = torch.optim.Adam(local.parameters(), lr=lr), []
    for _ in range(steps):
        loss = F.cross_entropy(local(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


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


# --- ch12: hyperparameter search ---
# The data and objectives chapter 12's test cells feed train_val_split and random_search.


def traceable_examples(n: int, to: Callable = np.asarray) -> tuple[Any, Any]:
    """``(x, t)`` for chapter 12's ``train_val_split``: row ``i`` of ``x`` is ``[i, i + 0.5]`` and its label
    ``t[i]`` is ``i % 4``, so every pair can be traced after a split (see
    :func:`check_split_covers_each_example_once`); ``to`` is ``np.asarray`` or ``torch.from_numpy``."""
    return to(np.stack([np.arange(n * 1.0), np.arange(n) + 0.5], axis=1)), to(np.arange(n) % 4)


def log_score(params: dict) -> float:
    """An objective for ``random_search`` that depends on every hyperparameter: the sum of
    ``(i + 1) * log10(value)`` over the values of ``params`` in order, a Python float."""
    return float(sum(np.log10(v) * (i + 1) for i, v in enumerate(params.values())))


def lr_peak_score(params: dict) -> float:
    """An objective for ``random_search`` that peaks at ``params["lr"] = 1e-2``: ``-(log10(lr) + 2) ** 2``."""
    return -((np.log10(params["lr"]) + 2.0) ** 2)


# --- ch15: the debugging habits' test problems (initial loss, overfitting one batch, gradient norms) ---


def constant_logits_model(bias: Sequence[float], d_in: int = 4) -> Any:
    """An ``nn.Linear(d_in, len(bias))`` with zero weights and the bias ``bias``: its logits are ``bias`` for every
    input, so its cross-entropy can be worked out by hand (chapter 15's ``initial_loss_check``)."""
    import torch
    import torch.nn as nn

    model = nn.Linear(d_in, len(bias))
    with torch.no_grad():
        model.weight.zero_()
        model.bias.copy_(torch.tensor(bias))
    return model


def overfit_problem(n: int, d: int, classes: int, seed: int = 0) -> tuple[Any, Any, Any]:
    """``(model, x, y)``: a d-32-classes ReLU MLP in eval mode (with a ``Dropout(0.0)``, so that only the mode differs)
    and ``n`` random points ``x`` with random labels ``y``, all from ``seed`` (chapter 15's ``overfit_one_batch``)."""
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Dropout(0.0), nn.Linear(32, classes)).eval()
    g = torch.Generator().manual_seed(seed)
    x, y = torch.randn(n, d, generator=g), torch.randint(0, classes, (n,), generator=g)
    return model, x, y


def linear_with_grads(weight: Any, bias: Any, weight_grad: Any, bias_grad: Any) -> Any:
    """An ``nn.Linear`` with these weights and bias and these ``.grad`` values set by hand (chapter 15's
    ``grad_norms``): ``weight`` is ``(out, in)``, ``bias`` ``(out,)``, the gradients of the same shapes."""
    import torch
    import torch.nn as nn

    weight, bias = torch.tensor(weight, dtype=torch.float32), torch.tensor(bias, dtype=torch.float32)
    layer = nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        layer.weight.copy_(weight)
        layer.bias.copy_(bias)
    layer.weight.grad, layer.bias.grad = torch.tensor(weight_grad), torch.tensor(bias_grad)
    return layer


def small_cnn_with_frozen_stem(seed: int) -> Any:
    """A small CNN (conv 3 -> 4 without bias, BatchNorm2d, ReLU, Linear to 3 classes) for 6 x 6 images, its first
    layer frozen (``requires_grad_(False)``), after one backward pass of cross-entropy on 5 random images from
    ``seed``: every other parameter has a ``.grad`` (chapter 15's ``grad_norms``)."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3)
    )
    model[0].weight.requires_grad_(False)
    F.cross_entropy(model(torch.randn(5, 3, 6, 6)), torch.tensor([0, 1, 2, 0, 1])).backward()
    return model


# --- ch07: a training loop run on the mode probe ---


def train_mode_probe(train: Callable, epochs: int, validate: bool = True) -> tuple[Any, dict]:
    """``(probe, history)``: a fresh :func:`mode_probe` and what a learner's ``train`` returned for it, from
    ``train(probe, [(x, ones)], epochs, nn.CrossEntropyLoss(), torch.optim.SGD(probe.parameters(), lr=0.0),
    val_data=(x, zeros), progress=False)`` (no ``val_data`` unless ``validate``), where ``x`` is six zero
    inputs (6, 4) in float64, trained on labels 1 (what the probe predicts in training mode) and validated
    on labels 0 (what it predicts in eval mode). Chapter 07's tests of a training loop's validation:
    validating in eval mode gives ``val_acc`` 1.0, in training mode 0.0."""
    import torch
    from torch import nn

    probe, x = mode_probe(), torch.zeros(6, 4, dtype=torch.float64)
    batches, val_data = [(x, torch.ones(6, dtype=torch.int64))], (x, torch.zeros(6, dtype=torch.int64))
    optimizer = torch.optim.SGD(probe.parameters(), lr=0.0)
    if not validate:
        return probe, train(probe, batches, epochs, nn.CrossEntropyLoss(), optimizer, progress=False)
    return probe, train(probe, batches, epochs, nn.CrossEntropyLoss(), optimizer, val_data=val_data, progress=False)


# --- ch14: test-cell helpers (pooling against torch, random convolution inputs) ---
# Chapter 14's test cells compare max pooling with F.max_pool2d and autograd, and conv2d_backward with autograd,
# on random inputs; these draw the inputs and run the comparison, so that a test cell shows only its cases.


def check_max_pool2d_matches_torch(
    max_pool2d_forward: Callable, shape: Sequence[int], kernel: int, stride: int, seed: int = 0, hint: str | None = None
) -> None:
    """Fail unless ``max_pool2d_forward(x, kernel, stride)`` on a random float64 ``x`` of ``shape`` (drawn from
    ``default_rng(seed)``) equals ``F.max_pool2d`` exactly: a maximum copies a number, so tolerance 0."""
    __tracebackhide__ = True
    import torch
    import torch.nn.functional as F

    x = np.random.default_rng(seed).normal(size=shape)
    want = F.max_pool2d(torch.from_numpy(x), kernel, stride).numpy()
    name = f"max_pool2d_forward(x {shape}, kernel={kernel}, stride={stride}) vs F.max_pool2d"
    check_close(max_pool2d_forward(x, kernel, stride), want, name, rtol=0, atol=0, hint=hint)


def check_max_pool2d_backward_matches_autograd(
    max_pool2d_backward: Callable,
    x: Any,
    kernel: int,
    stride: int,
    seed: int = 0,
    x_name: str | None = None,
    hint: str | None = None,
) -> None:
    """Fail unless ``max_pool2d_backward(dout, x, kernel, stride)`` leaves its inputs unchanged and equals
    :func:`max_pool2d_autograd` for a random ``dout`` of the pooled shape (drawn from ``default_rng(seed)``).
    A pixel's gradient is one entry of dout or a sum of a few (overlapping windows): rtol 1e-12. ``x_name``
    describes ``x`` in the message (default ``x (N, C, H, W)``)."""
    __tracebackhide__ = True
    import torch
    import torch.nn.functional as F

    x = np.asarray(x, dtype=np.float64)
    dout = np.random.default_rng(seed).normal(size=F.max_pool2d(torch.from_numpy(x), kernel, stride).shape)
    got = call_unmodified(max_pool2d_backward, dout, x, kernel, stride, name="max_pool2d_backward")
    x_name = x_name or f"x {tuple(x.shape)}"
    name = f"max_pool2d_backward(dout, {x_name}, kernel={kernel}, stride={stride}) vs autograd"
    check_close(got, max_pool2d_autograd(x, dout, kernel, stride), name, rtol=1e-12, atol=1e-12, hint=hint)


def random_conv2d_inputs(
    x_shape: Sequence[int], w_shape: Sequence[int], stride: int = 1, padding: int = 0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(x, w, b, dout)``: standard-normal float64 arrays drawn in this order from ``default_rng(seed)``, ``b`` of
    shape ``(F,)`` and ``dout`` of the shape ``F.conv2d(x, w, stride=stride, padding=padding)`` has."""
    import torch
    import torch.nn.functional as F

    g = np.random.default_rng(seed)
    x, w, b = g.normal(size=x_shape), g.normal(size=w_shape), g.normal(size=w_shape[0])
    dout = g.normal(size=F.conv2d(torch.from_numpy(x), torch.from_numpy(w), stride=stride, padding=padding).shape)
    return x, w, b, dout


def check_im2col_matches_unfold(
    im2col: Callable,
    x_shape: Sequence[int],
    kh: int,
    kw: int,
    stride: int,
    padding: int,
    seed: int = 0,
    hint: str | None = None,
) -> None:
    """Fail unless ``im2col(x, kh, kw, stride, padding)`` on a random float64 ``x`` of ``x_shape`` (drawn from
    ``default_rng(seed)``) leaves ``x`` unchanged and equals :func:`unfold_rows` exactly: im2col only copies
    numbers, so tolerance 0."""
    __tracebackhide__ = True
    x = np.random.default_rng(seed).normal(size=x_shape)
    got = call_unmodified(im2col, x, kh, kw, stride, padding, name="im2col")
    name = f"im2col(x {x_shape}, {kh}, {kw}, stride={stride}, padding={padding}) vs F.unfold"
    check_close(got, unfold_rows(x, kh, kw, stride, padding), name, rtol=0, atol=0, hint=hint)


def check_col2im_matches_fold(
    col2im: Callable,
    x_shape: Sequence[int],
    kh: int,
    kw: int,
    stride: int,
    padding: int,
    seed: int = 0,
    hint: str | None = None,
) -> None:
    """Fail unless ``col2im(cols, x_shape, kh, kw, stride, padding)`` on random float64 ``cols`` (one row per
    window, laid out as :func:`unfold_rows` returns them, drawn from ``default_rng(seed)``) leaves ``cols``
    unchanged and equals :func:`fold_rows`. Only the order of the additions can differ: rtol 1e-12."""
    __tracebackhide__ = True
    cols = np.random.default_rng(seed).normal(size=unfold_rows(np.zeros(x_shape), kh, kw, stride, padding).shape)
    got = call_unmodified(col2im, cols, x_shape, kh, kw, stride, padding, name="col2im")
    name = f"col2im(cols, {x_shape}, {kh}, {kw}, stride={stride}, padding={padding}) vs F.fold"
    check_close(got, fold_rows(cols, x_shape, kh, kw, stride, padding), name, rtol=1e-12, atol=1e-12, hint=hint)


def crop_flip_origins(random_crop_flip: Callable, shape: Sequence[int], padding: int, seed: int) -> list:
    """Run ``random_crop_flip(x, padding=padding, generator=...)`` on ``x = torch.randn(*shape)`` drawn with
    ``manual_seed(seed)``, the crop's generator seeded ``seed + 1``; return each output image's
    :func:`crop_flip_origin` ``(dy, dx, flipped)``, ``None`` where it is no window of its padded input."""
    import torch

    x = torch.randn(*shape, generator=torch.Generator().manual_seed(seed))
    out = random_crop_flip(x, padding=padding, generator=torch.Generator().manual_seed(seed + 1))
    return [crop_flip_origin(out[i], x[i], padding) for i in range(len(x))]
