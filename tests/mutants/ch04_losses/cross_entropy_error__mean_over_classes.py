# np.mean over the whole (N, C) array of t * log(y): divides by N * C instead of N.
import numpy as np


def cross_entropy_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    if t.shape != y.shape:
        t = np.eye(y.shape[1])[t]
    return float(-np.mean(t * np.log(y + 1e-7)))
