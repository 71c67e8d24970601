# Uniform on [low, high]: most samples land in the top decade.
import numpy as np


def sample_log_uniform(low, high, size, rng):
    if not 0 < low < high:
        raise ValueError(f"need 0 < low < high, got low={low}, high={high}")
    return rng.uniform(low, high, size=size)
