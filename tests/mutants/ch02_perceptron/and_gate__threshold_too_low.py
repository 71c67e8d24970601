# Bias -0.2: one active input already fires, so this is OR, not AND.
import numpy as np


def and_gate(x1, x2):
    return step_function(0.5 * np.asarray(x1) + 0.5 * np.asarray(x2) - 0.2)
