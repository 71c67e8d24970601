# Penalizes every parameter, biases included.
import numpy as np


def l2_penalty(params, weight_decay):
    return float(sum(0.5 * weight_decay * np.sum(p**2) for p in params.values()))
