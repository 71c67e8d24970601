# Loops over params only: a missing or extra key in grads goes unnoticed (or gives a KeyError).
import numpy as np


def gradient_check(f, params, grads):
    worst = 0.0
    for name, p in params.items():
        n = numerical_gradient(lambda _: f(), p)
        a = np.asarray(grads.get(name, n), dtype=float)
        worst = max(worst, float((np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))).max()))
    return worst
