# Applies every layer to the input x instead of to the previous layer's output.
import numpy as np


def activation_stats(x, weights, activation):
    x = np.asarray(x, dtype=float)
    stats = []
    for W in weights:
        h = activation(x @ W)
        stats.append((h.mean(), h.std()))
    return np.array(stats)
