# Moves against the error: w -= lr * (y - y_hat) * x.
import numpy as np


def perceptron_fit(X, y, lr=0.1, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        n_wrong = 0
        for xi, yi in zip(X, y):
            delta = yi - float(xi @ w + b > 0)
            if delta != 0:
                n_wrong += 1
                w = w - lr * delta * xi
                b = b - lr * delta
        errors.append(n_wrong)
    return w, b, errors
