# Steps along the gradient: gradient *ascent*.
import numpy as np


def gradient_descent(f, init_x, lr=0.01, steps=100, grad=None):
    x = np.array(init_x, dtype=np.float64)
    grad = grad or (lambda v: numerical_gradient(f, v))
    path = [x.copy()]
    for _ in range(steps):
        x = x + lr * grad(x)
        path.append(x.copy())
    return x, np.array(path)
