# Elementwise product instead of the matrix product.
def affine(X, W, b):
    if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0]:
        raise ValueError(f"X has shape {tuple(X.shape)} but W has shape {tuple(W.shape)}")
    if tuple(b.shape) != (W.shape[1],):
        raise ValueError(f"b has shape {tuple(b.shape)}")
    return X * W + b
