# Subtracts each row's mean (axis=1) instead of each column's: the rows, not the columns, end up with mean 0.
def center(X):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, shape (N, D); got shape {X.shape}")
    return X - X.mean(axis=1, keepdims=True)
