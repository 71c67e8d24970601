"""Reference layers with ``forward`` / ``backward`` (what learners write in chapter 06).

Each layer caches in ``forward`` what its ``backward`` needs (Deep Learning from Scratch's
design). Shapes: ``N`` examples, ``D`` inputs, ``M`` outputs, ``C`` classes.
Backward passes return new arrays and never modify ``dout``. float32 inputs stay float32 (chapter
13 trains MNIST with these layers), other inputs become float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .functions import CE_DELTA, as_float, softmax
from .shapes import require_shape

# Layer state (masks, inputs, outputs, gradients) is None until forward()/backward() sets it, then
# an array: typed Any so that the bodies read as in the chapters, without None checks.


class Relu:
    """``max(0, x)``; remembers the mask of non-positive inputs. Any shape -> same shape."""

    def __init__(self) -> None:
        self.mask: Any = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float(x)
        self.mask = x <= 0
        return np.where(self.mask, x.dtype.type(0), x)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dout = np.asarray(dout)
        return np.where(self.mask, dout.dtype.type(0), dout)


class Sigmoid:
    """Logistic sigmoid; remembers its output ``y`` because ``dy/dx = y (1 - y)``."""

    def __init__(self) -> None:
        self.out: Any = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float(x)
        z = np.exp(-np.abs(x))
        self.out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
        return self.out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * self.out * (1.0 - self.out)


class Affine:
    """``x @ W + b`` for ``x`` ``(N, D)``, ``W`` ``(D, M)``, ``b`` ``(M,)``.

    Uses the arrays it is given (not copies), so in-place updates of ``W`` and ``b`` by an
    optimizer reach the layer. ``backward`` stores ``dW`` ``(D, M)`` and ``db`` ``(M,)``.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray) -> None:
        self.W, self.b = W, b
        self.x: Any = None
        self.dW: Any = None
        self.db: Any = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float(x)
        require_shape(x, (None, self.W.shape[0]), "x")
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout: np.ndarray) -> np.ndarray:
        require_shape(dout, (self.x.shape[0], self.W.shape[1]), "dout")
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class SoftmaxWithLoss:
    """Softmax followed by the mean cross-entropy; ``backward`` returns ``(y - t) / N``.

    ``forward(x, t)``: scores ``x`` ``(N, C)``, labels ``t`` as integers ``(N,)`` or one-hot ``(N, C)``.
    """

    def __init__(self) -> None:
        self.y: Any = None
        self.t: Any = None

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        x = as_float(x)
        require_shape(x, (None, None), "x")
        t = np.asarray(t)
        n, c = x.shape
        if t.shape == (n, c):
            t = t.argmax(axis=1)
        require_shape(t, (n,), "t")
        self.y = softmax(x)
        self.t = np.eye(c, dtype=self.y.dtype)[t]
        return float(-np.sum(np.log(self.y[np.arange(n), t] + CE_DELTA)) / n)

    def backward(self, dout: float = 1.0) -> np.ndarray:
        return dout * (self.y - self.t) / self.y.shape[0]
