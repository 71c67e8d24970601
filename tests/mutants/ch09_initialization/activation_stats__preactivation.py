# Statistics of h @ W, before the activation.
import numpy as np


def activation_stats(x, weights, activation):
    h = np.asarray(x, dtype=float)
    stats = []
    for W in weights:
        a = h @ W
        h = activation(a)
        stats.append((a.mean(), a.std()))
    return np.array(stats)
