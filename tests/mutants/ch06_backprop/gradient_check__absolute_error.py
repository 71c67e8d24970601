# Reports the largest absolute difference, which depends on the gradient's scale.
import numpy as np


def gradient_check(f, params, grads):
    if set(params) != set(grads):
        raise ValueError("keys differ")
    worst = 0.0
    for name, p in params.items():
        n = numerical_gradient(lambda _: f(), p)
        worst = max(worst, float(np.max(np.abs(np.asarray(grads[name]) - n))))
    return worst
