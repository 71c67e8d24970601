# Ignores the rng argument and uses NumPy's global generator.
import numpy as np


def sample_log_uniform(low, high, size, rng):
    if not 0 < low < high:
        raise ValueError(f"need 0 < low < high, got low={low}, high={high}")
    return 10.0 ** np.random.uniform(np.log10(low), np.log10(high), size=size)
