# Mini-batches in the original order every epoch (no rng.permutation).
import numpy as np


def fit_linear_regression(X, y, lr=0.1, epochs=100, batch_size=None, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (N, D) and y (N,), got {X.shape} and {y.shape}")
    if batch_size is not None and batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    n, d = X.shape
    w, b, history = np.zeros(d), 0.0, []
    step = n if batch_size is None else batch_size
    for _ in range(epochs):
        for s in range(0, n, step):
            err = X[s : s + step] @ w + b - y[s : s + step]
            w = w - lr * 2.0 / len(err) * (X[s : s + step].T @ err)
            b = b - lr * 2.0 / len(err) * float(err.sum())
        history.append(float(np.mean((X @ w + b - y) ** 2)))
    return w, b, history
