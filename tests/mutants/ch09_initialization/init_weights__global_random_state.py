# Ignores rng and draws from NumPy's global generator: not reproducible from the given rng.
import numpy as np


def init_weights(fan_in, fan_out, method, rng, std=0.01):
    if method == "zeros":
        return np.zeros((fan_in, fan_out))
    scales = {"normal": std, "xavier": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}
    if method not in scales:
        raise ValueError(f"unknown method {method!r}")
    return scales[method] * np.random.randn(fan_in, fan_out)
