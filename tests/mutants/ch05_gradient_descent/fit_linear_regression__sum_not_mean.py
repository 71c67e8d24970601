# Gradient summed over the batch (no 1/B): the effective learning rate grows with B.
import numpy as np


def fit_linear_regression(X, y, lr=0.1, epochs=100, batch_size=None, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (N, D) and y (N,), got {X.shape} and {y.shape}")
    if batch_size is not None and batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    n, d = X.shape
    rng = np.random.default_rng(seed)
    w, b, history = np.zeros(d), 0.0, []
    for _ in range(epochs):
        order = np.arange(n) if batch_size is None else rng.permutation(n)
        step = n if batch_size is None else batch_size
        for s in range(0, n, step):
            idx = order[s : s + step]
            err = X[idx] @ w + b - y[idx]
            w = w - lr * 2.0 * (X[idx].T @ err)
            b = b - lr * 2.0 * float(err.sum())
        history.append(float(np.mean((X @ w + b - y) ** 2)))
    return w, b, history
