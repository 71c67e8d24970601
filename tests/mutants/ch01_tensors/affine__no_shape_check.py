# Right product, but lets NumPy's own error (which names no shapes) through.
def affine(X, W, b):
    return X @ W + b
