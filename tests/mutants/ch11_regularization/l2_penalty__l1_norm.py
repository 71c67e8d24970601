# Sums absolute values (an L1 penalty) instead of squares.
import numpy as np


def l2_penalty(params, weight_decay):
    return float(sum(0.5 * weight_decay * np.sum(np.abs(p)) for p in params.values() if p.ndim >= 2))
