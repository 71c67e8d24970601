# exp(x) instead of exp(-x): a mirrored sigmoid, 1 - sigma(x).
import numpy as np


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, z / (1.0 + z), 1.0 / (1.0 + z))
