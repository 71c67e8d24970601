# sigma(x) = (1 + tanh(x / 2)) / 2, but the /2 inside tanh is forgotten.
import numpy as np


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(np.asarray(x, dtype=float)))
