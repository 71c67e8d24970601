# Never checks the shape: a 1-D X is centered as one column instead of raising ValueError.
def center(X):
    X = np.asarray(X, dtype=float)
    return X - X.mean(axis=0)
