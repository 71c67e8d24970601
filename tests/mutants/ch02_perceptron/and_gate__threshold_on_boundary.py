# Bias -1.0: for (1, 1) the sum is exactly 0, and h(0) = 0, so AND(1, 1) = 0.
import numpy as np


def and_gate(x1, x2):
    return step_function(0.5 * np.asarray(x1) + 0.5 * np.asarray(x2) - 1.0)
