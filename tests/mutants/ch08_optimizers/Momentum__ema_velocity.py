# Velocity as an average, v = m v + (1 - m) g (dampening): steps 10x smaller than torch's momentum.
import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] + (1 - self.momentum) * grads[key]
            params[key] -= self.lr * self.v[key]
