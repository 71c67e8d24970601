# Works on a float64 copy (to dodge float32 rounding), so a closure over x never sees the nudge.
import numpy as np


def numerical_gradient(f, x, h=1e-4):
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a float array")
    xc = x.astype(np.float64)
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        original = xc[idx]
        xc[idx] = original + h
        fp = float(f(xc))
        xc[idx] = original - h
        fm = float(f(xc))
        xc[idx] = original
        grad[idx] = (fp - fm) / (2 * h)
    return grad
