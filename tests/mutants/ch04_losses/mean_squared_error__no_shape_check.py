# Right formula, but (N, 1) against (N,) broadcasts to (N, N) silently.
import numpy as np


def mean_squared_error(y, t):
    return float(np.mean((np.asarray(y, dtype=float) - np.asarray(t, dtype=float)) ** 2))
