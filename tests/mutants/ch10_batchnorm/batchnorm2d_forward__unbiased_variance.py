# Normalizes with the unbiased variance (ddof=1), which PyTorch uses only for running_var.
import numpy as np


def batchnorm2d_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=float)
    gamma, beta = np.asarray(gamma, dtype=float), np.asarray(beta, dtype=float)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (N, C, H, W), got {x.shape}")
    c = x.shape[1]
    for name, p in [("gamma", gamma), ("beta", beta)]:
        if p.shape != (c,):
            raise ValueError(f"{name} must have shape ({c},) for x with {c} channels, got {p.shape}")
    mu, var = x.mean(axis=(0, 2, 3), keepdims=True), x.var(axis=(0, 2, 3), ddof=1, keepdims=True)
    xhat = (x - mu) / np.sqrt(var + eps)
    return gamma.reshape(1, c, 1, 1) * xhat + beta.reshape(1, c, 1, 1)
