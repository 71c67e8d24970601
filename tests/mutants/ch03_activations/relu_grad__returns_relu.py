# Returns the function instead of its derivative.
import numpy as np


def relu_grad(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)
