# Centers in place: np.asarray does not copy a float array, so the caller's X changes too.
def center(X):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, shape (N, D); got shape {X.shape}")
    X -= X.mean(axis=0)
    return X
