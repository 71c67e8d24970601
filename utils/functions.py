"""Reference activation and loss functions (what learners write in chapters 03 and 04).

Later chapters import these so they never depend on a learner's answer. All functions take
NumPy arrays and return new arrays (inputs are never modified): float32 stays float32 (half the
memory and time, chapter 13), anything else becomes float64.
"""

from __future__ import annotations

import numpy as np

#: added inside the log of the cross-entropy, so a probability of 0 costs -log(1e-7) ~ 16.1
CE_DELTA = 1e-7


def as_float(x):
    """``x`` as a NumPy array of its own float dtype if that is float32 or float64, else float64."""
    x = np.asarray(x)
    return x if x.dtype in (np.float32, np.float64) else x.astype(np.float64)


def sigmoid(x):
    """Logistic sigmoid, computed as exp(-|x|) so that it never overflows. Any shape -> same shape."""
    x = as_float(x)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def relu(x):
    """max(0, x) elementwise. Any shape -> same shape."""
    x = as_float(x)
    return np.maximum(x, x.dtype.type(0))


def softmax(x, axis: int = -1):
    """Softmax along ``axis`` with the maximum subtracted first. ``(N, C)`` -> ``(N, C)``, rows sum to 1."""
    x = as_float(x)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def cross_entropy_error(y, t) -> float:
    """Mean cross-entropy ``-(1/N) sum_n log(y[n, t_n] + 1e-7)``.

    Args:
        y: probabilities ``(N, C)`` (or ``(C,)`` for one example).
        t: one-hot labels of ``y``'s shape, or integer labels ``(N,)`` (an int for one example).
    """
    y = np.asarray(y, dtype=float)
    t = np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    if y.ndim != 2:
        raise ValueError(f"y must have shape (N, C) or (C,), got {y.shape}")
    if t.shape == y.shape:
        t = t.argmax(axis=1)
    if t.shape != (y.shape[0],):
        raise ValueError(f"t must be one-hot of shape {y.shape} or labels of shape ({y.shape[0]},), got {t.shape}")
    n = y.shape[0]
    return float(-np.sum(np.log(y[np.arange(n), t] + CE_DELTA)) / n)
