# Multiplies the input array in place.
import numpy as np


class Dropout:
    def __init__(self, p=0.5, seed=None):
        if not 0 <= p < 1:
            raise ValueError(f"p must be in [0, 1), got {p}")
        self.p = p
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.mask = None

    def forward(self, x, train=True):
        if not train:
            return x
        self.mask = (self.rng.random(x.shape) >= self.p) / (1 - self.p)
        x *= self.mask
        return x

    def backward(self, dout):
        return dout * self.mask
