# Uses >= : h(0) = 1 instead of the course's h(0) = 0.
import numpy as np


def step_function(x):
    return (np.asarray(x) >= 0).astype(np.int64)
