# Forgets to put the element back: x ends up shifted by -h everywhere.
import numpy as np


def numerical_gradient(f, x, h=1e-4):
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a float array")
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        x[idx] = original + h
        xp, fp = float(x[idx]), float(f(x))
        x[idx] = original - h
        xm, fm = float(x[idx]), float(f(x))
        grad[idx] = (fp - fm) / (xp - xm)
    return grad
