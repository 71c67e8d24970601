# No shape checks: NumPy's own errors (AxisError, a broadcasting ValueError) do not name the shape received.
import numpy as np


def batchnorm2d_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=float)
    gamma, beta = np.asarray(gamma, dtype=float), np.asarray(beta, dtype=float)
    mu, var = x.mean(axis=(0, 2, 3), keepdims=True), x.var(axis=(0, 2, 3), keepdims=True)
    xhat = (x - mu) / np.sqrt(var + eps)
    return gamma[None, :, None, None] * xhat + beta[None, :, None, None]
