# Caches the input x and uses x * (1 - x): the output-form derivative applied to the input.
import numpy as np


class Sigmoid:
    def __init__(self):
        self.out = None
        self.x = None

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.x * (1.0 - self.x)
