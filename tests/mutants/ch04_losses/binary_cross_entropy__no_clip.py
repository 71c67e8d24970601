# No clipping: p = 0 or p = 1 gives log(0) = -inf (and 0 * -inf = nan).
import numpy as np


def binary_cross_entropy(p, y, reduction="mean"):
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    losses = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(losses.sum())
    if reduction == "mean":
        return float(losses.mean())
    raise ValueError(f"unknown reduction {reduction!r}")
