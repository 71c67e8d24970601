# Mixes bases: exp of a uniform exponent drawn between log10(low) and log10(high).
import numpy as np


def sample_log_uniform(low, high, size, rng):
    if not 0 < low < high:
        raise ValueError(f"need 0 < low < high, got low={low}, high={high}")
    return np.exp(rng.uniform(np.log10(low), np.log10(high), size=size))
