# y * (1 - y) applied to the input x instead of to y = sigmoid(x).
import numpy as np


def sigmoid_grad(x):
    x = np.asarray(x, dtype=float)
    return x * (1.0 - x)
