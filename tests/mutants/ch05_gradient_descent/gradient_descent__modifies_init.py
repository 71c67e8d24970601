# x = init_x does not copy: `x -= ...` walks the caller's array.
import numpy as np


def gradient_descent(f, init_x, lr=0.01, steps=100, grad=None):
    x = init_x
    grad = grad or (lambda v: numerical_gradient(f, v))
    path = [x.copy()]
    for _ in range(steps):
        x -= lr * grad(x)
        path.append(x.copy())
    return x, np.array(path)
