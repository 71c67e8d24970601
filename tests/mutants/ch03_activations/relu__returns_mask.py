# Returns the 0/1 mask (the derivative) instead of max(0, x).
import numpy as np


def relu(x):
    return (np.asarray(x) > 0).astype(float)
