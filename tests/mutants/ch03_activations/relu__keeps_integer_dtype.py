# Right values, but an integer input gives an integer array ("returns a float array" fails):
# dividing or subtracting a learning-rate step later would truncate.
import numpy as np


def relu(x):
    return np.maximum(np.asarray(x), 0)
