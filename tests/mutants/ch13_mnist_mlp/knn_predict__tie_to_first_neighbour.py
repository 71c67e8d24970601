# Votes with a Counter: a tie goes to the label seen first (the nearer neighbour), not the smallest.
import numpy as np


def knn_predict(x_train, y_train, x_query, k):
    x_train, x_query = np.asarray(x_train, dtype=float), np.asarray(x_query, dtype=float)
    y_train = np.asarray(y_train)
    if not 1 <= k <= len(x_train):
        raise ValueError(f"k must be between 1 and N = {len(x_train)}, got k = {k}")
    from collections import Counter

    d = (x_query**2).sum(axis=1)[:, None] - 2 * x_query @ x_train.T + (x_train**2).sum(axis=1)[None, :]
    votes = y_train[np.argsort(d, axis=1)[:, :k]]
    return np.array([Counter(row.tolist()).most_common(1)[0][0] for row in votes], dtype=np.int64)
