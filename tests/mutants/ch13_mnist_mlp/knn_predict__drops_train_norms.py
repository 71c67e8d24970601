# Drops |x|^2 as if it were a constant: it is constant per query row, not per training image.
import numpy as np


def knn_predict(x_train, y_train, x_query, k):
    x_train, x_query = np.asarray(x_train, dtype=float), np.asarray(x_query, dtype=float)
    y_train = np.asarray(y_train)
    if not 1 <= k <= len(x_train):
        raise ValueError(f"k must be between 1 and N = {len(x_train)}, got k = {k}")
    d = (x_query**2).sum(axis=1)[:, None] - 2 * x_query @ x_train.T
    votes = y_train[np.argpartition(d, k - 1, axis=1)[:, :k]]
    return np.array([np.bincount(row).argmax() for row in votes], dtype=np.int64)
