"""A reference two-layer network (what learners write in chapter 06), built from :mod:`utils.layers`.

Affine -> ReLU -> Affine -> softmax cross-entropy, parameters in ``self.params``
(``W1`` ``(D, H)``, ``b1`` ``(H,)``, ``W2`` ``(H, C)``, ``b2`` ``(C,)``). The layers share those
arrays, so optimizers update ``params`` in place.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gradcheck import numerical_gradient as _numerical_gradient
from .layers import Affine, Relu, SoftmaxWithLoss


class TwoLayerNet:
    def __init__(
        self, input_size: int, hidden_size: int, output_size: int, weight_init_std: float = 0.01, seed: int = 0
    ):
        rng = np.random.default_rng(seed)
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }
        self.layers: list[Any] = [
            Affine(self.params["W1"], self.params["b1"]),
            Relu(),
            Affine(self.params["W2"], self.params["b2"]),
        ]
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        """Scores (logits) ``(N, C)`` for inputs ``(N, D)``."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def loss(self, x, t) -> float:
        """Mean cross-entropy of ``predict(x)`` against labels ``t`` (integers ``(N,)`` or one-hot)."""
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t) -> float:
        """Fraction of rows whose highest score is the true class."""
        t = np.asarray(t)
        if t.ndim == 2:
            t = t.argmax(axis=1)
        return float(np.mean(self.predict(x).argmax(axis=1) == t))

    def gradient(self, x, t) -> dict:
        """Backpropagation: ``{name: gradient}`` with the shapes of ``params``."""
        self.loss(x, t)
        dout = self.last_layer.backward(1.0)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        first, second = self.layers[0], self.layers[2]
        return {"W1": first.dW, "b1": first.db, "W2": second.dW, "b2": second.db}

    def numerical_gradient(self, x, t) -> dict:
        """Central differences of ``loss`` for every parameter (slow: two losses per weight)."""
        return {name: _numerical_gradient(lambda _: self.loss(x, t), p) for name, p in self.params.items()}
