# AND's bias: both inputs are needed to fire.
import numpy as np


def or_gate(x1, x2):
    return step_function(0.5 * np.asarray(x1) + 0.5 * np.asarray(x2) - 0.7)
