# 2 * lambda * W: the derivative of lambda * W^2, not of lambda / 2 * W^2.
import numpy as np


def l2_penalty_grad(params, weight_decay):
    return {k: 2 * weight_decay * p if p.ndim >= 2 else np.zeros_like(p) for k, p in params.items()}
