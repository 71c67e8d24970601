# Checks X and W but lets a (N, 1) bias broadcast silently into a wrong result.
def affine(X, W, b):
    if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0]:
        raise ValueError(f"X has shape {tuple(X.shape)} but W has shape {tuple(W.shape)}")
    return X @ W + b
