# The textbook formula: exp(1000) overflows (RuntimeWarning) for x = -1000.
import numpy as np


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    return 1.0 / (1.0 + np.exp(-x))
