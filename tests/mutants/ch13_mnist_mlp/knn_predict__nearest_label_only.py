# Finds the k nearest but returns the label of the nearest one: no vote, 1-NN whatever k.
import numpy as np


def knn_predict(x_train, y_train, x_query, k):
    x_train, x_query = np.asarray(x_train, dtype=float), np.asarray(x_query, dtype=float)
    y_train = np.asarray(y_train)
    if not 1 <= k <= len(x_train):
        raise ValueError(f"k must be between 1 and N = {len(x_train)}, got k = {k}")
    d = (x_query**2).sum(axis=1)[:, None] - 2 * x_query @ x_train.T + (x_train**2).sum(axis=1)[None, :]
    return y_train[d.argmin(axis=1)].astype(np.int64)
