# erf(x) instead of erf(x / sqrt(2)): the CDF of N(0, 1/2), not of N(0, 1).
import numpy as np


def gelu(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + erf(x))
