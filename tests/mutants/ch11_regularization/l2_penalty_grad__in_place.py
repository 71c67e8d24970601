# Scales the parameter arrays themselves and returns them: the weights change.
import numpy as np


def l2_penalty_grad(params, weight_decay):
    grads = {}
    for k, p in params.items():
        if p.ndim >= 2:
            p *= weight_decay
            grads[k] = p
        else:
            grads[k] = np.zeros_like(p)
    return grads
