# lambda * ||W||^2: forgot the 1/2 that makes the gradient lambda * W.
import numpy as np


def l2_penalty(params, weight_decay):
    return float(sum(weight_decay * np.sum(p**2) for p in params.values() if p.ndim >= 2))
