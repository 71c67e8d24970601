"""Numerical gradients and gradient checking (reference copies of chapters 05 and 06).

``numerical_gradient`` perturbs the array in place, so ``f`` may read it through a closure
(``lambda _: net.loss(x, t)``), restores it exactly, and divides by the step actually
stored, which keeps float32 arrays accurate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from .testing import rel_error


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Central-difference gradient of ``f`` at ``x``.

    Args:
        f: function of the array returning a number (it may ignore its argument).
        x: float ndarray of any shape; perturbed in place, restored exactly on return.
        h: step.
    Returns:
        float64 array of ``x``'s shape.
    Raises:
        TypeError: if ``x`` is not a floating-point ndarray.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"x must be a float NumPy array, got {type(x).__name__} of dtype {getattr(x, 'dtype', None)}")
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        try:
            x[idx] = original + h
            x_plus, f_plus = float(x[idx]), float(f(x))
            x[idx] = original - h
            x_minus, f_minus = float(x[idx]), float(f(x))
        finally:
            x[idx] = original
        grad[idx] = (f_plus - f_minus) / (x_plus - x_minus)
    return grad


def gradient_check(
    f: Callable[[], float], params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], h: float = 1e-4
) -> float:
    """Largest relative error between ``grads`` and numerical gradients of ``f`` over all ``params``.

    Args:
        f: no-argument function returning the loss; it reads ``params`` (perturbed in place).
        params: ``{name: float array}``; grads: ``{name: array of the same shape}`` (analytic).
    Returns:
        float: max over every parameter and element of :func:`utils.testing.rel_error`.
    """
    if set(params) != set(grads):
        raise ValueError(f"params and grads must have the same keys, got {sorted(params)} and {sorted(grads)}")
    worst = 0.0
    for name, p in params.items():
        g = np.asarray(grads[name], dtype=np.float64)
        if g.shape != p.shape:
            raise ValueError(f"grads[{name!r}] must have shape {p.shape}, got {g.shape}")
        worst = max(worst, rel_error(numerical_gradient(lambda _: f(), p, h), g))
    return worst
