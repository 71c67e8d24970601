"""Reference optimizers (what learners write in chapter 08), DLFS's interface.

``update(params, grads)`` changes every array of ``params`` (a dict) in place, so layers that
hold those arrays see the new values. State is created on the first call, one entry per key.
Each class follows the matching ``torch.optim`` class step for step (chapter 08's tests).
"""

from __future__ import annotations

import numpy as np

# A parameter or gradient dict: name -> array, updated in place.
Params = dict[str, np.ndarray]


class SGD:
    """``p -= lr * g``."""

    def __init__(self, lr: float = 0.01):
        self.lr = lr

    def update(self, params: Params, grads: Params) -> None:
        for key in params:
            params[key] -= self.lr * grads[key]


class Momentum:
    """``v = momentum * v - lr * g; p += v`` (``torch.optim.SGD(momentum=...)`` for a constant lr)."""

    def __init__(self, lr: float = 0.01, momentum: float = 0.9):
        self.lr, self.momentum = lr, momentum
        self.v: Params | None = None

    def update(self, params: Params, grads: Params) -> None:
        if self.v is None:
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class AdaGrad:
    """``h += g * g; p -= lr * g / (sqrt(h) + eps)`` (``torch.optim.Adagrad``)."""

    def __init__(self, lr: float = 0.01, eps: float = 1e-10):
        self.lr, self.eps = lr, eps
        self.h: Params | None = None

    def update(self, params: Params, grads: Params) -> None:
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)


class RMSprop:
    """``h = alpha * h + (1 - alpha) * g * g; p -= lr * g / (sqrt(h) + eps)`` (``torch.optim.RMSprop``)."""

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.h: Params | None = None

    def update(self, params: Params, grads: Params) -> None:
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params:
            self.h[key] = self.alpha * self.h[key] + (1 - self.alpha) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)


class Adam:
    """Adam with bias correction, eps outside the square root (``torch.optim.Adam``).

    Written like torch's own implementation: the bias corrections are folded into two scalars, and
    every array operation writes into the moments or into one scratch buffer per parameter. Large
    temporary arrays cost more than the arithmetic (each is a fresh allocation that the CPU must
    page in): chapter 13 measured this update at over half of a NumPy training step before.
    """

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m: Params | None = None
        self.v: Params | None = None
        self._buf: Params  # created with the moments on the first update

    def update(self, params: Params, grads: Params) -> None:
        if self.m is None or self.v is None:  # both are created together
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
            self._buf = {k: np.empty_like(v) for k, v in params.items()}
        self.t += 1
        step = self.lr / (1 - self.beta1**self.t)  # lr / (1 - beta1^t): m_hat's correction
        root_bc2 = np.sqrt(1 - self.beta2**self.t)  # sqrt(v_hat) = sqrt(v) / sqrt(1 - beta2^t)
        for key in params:
            g, m, v, buf = grads[key], self.m[key], self.v[key], self._buf[key]
            np.multiply(g, 1 - self.beta1, out=buf)
            m *= self.beta1
            m += buf  # m = beta1 m + (1 - beta1) g
            np.multiply(g, g, out=buf)
            buf *= 1 - self.beta2
            v *= self.beta2
            v += buf  # v = beta2 v + (1 - beta2) g^2
            np.sqrt(v, out=buf)
            buf /= root_bc2
            buf += self.eps  # sqrt(v_hat) + eps
            np.divide(m, buf, out=buf)
            buf *= step
            params[key] -= buf  # p -= lr m_hat / (sqrt(v_hat) + eps)
