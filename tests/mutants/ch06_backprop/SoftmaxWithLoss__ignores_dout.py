# (y - t) / N, but backward ignores the upstream gradient dout.
import numpy as np


class SoftmaxWithLoss:
    def __init__(self):
        self.y = self.t = None

    def forward(self, x, t):
        x = np.asarray(x, dtype=float)
        t = np.asarray(t)
        self.t = t.astype(float) if t.shape == x.shape else np.eye(x.shape[1])[t]
        self.y = softmax(x)
        return float(-np.sum(self.t * np.log(self.y + 1e-7)) / x.shape[0])

    def backward(self, dout=1.0):
        return (self.y - self.t) / self.y.shape[0]
