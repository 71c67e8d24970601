# backward draws a fresh mask instead of reusing the forward one.
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
        x = np.asarray(x, dtype=float)
        if not train:
            return x
        self.mask = (self.rng.random(x.shape) >= self.p) / (1 - self.p)
        return x * self.mask

    def backward(self, dout):
        return dout * (self.rng.random(dout.shape) >= self.p) / (1 - self.p)
