# Subtracts the global maximum (right maths) but sums per row: a row far below the
# maximum underflows to 0 / 0.
import numpy as np


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max())
    return e / e.sum(axis=axis, keepdims=True)
