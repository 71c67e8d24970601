# h = g * g at every step: no memory (RMSprop with alpha = 0).
import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-10):
        self.lr, self.eps, self.h = lr, eps, None

    def update(self, params, grads):
        for key in params:
            h = grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + self.eps)
