# argmax over the batch axis (axis=0) in accuracy: compares a per-class index with the labels.
import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, seed=0):
        rng = np.random.default_rng(seed)
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }
        self.layers = [
            Affine(self.params["W1"], self.params["b1"]),
            Relu(),
            Affine(self.params["W2"], self.params["b2"]),
        ]
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        t = np.asarray(t)
        t = t.argmax(axis=1) if t.ndim == 2 else t
        pred = self.predict(x).argmax(axis=0)
        return float(np.mean(pred[: len(t)] == t[: len(pred)]))

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1.0)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return {"W1": self.layers[0].dW, "b1": self.layers[0].db, "W2": self.layers[2].dW, "b2": self.layers[2].db}

    def numerical_gradient(self, x, t):
        return {k: numerical_gradient(lambda _: self.loss(x, t), p) for k, p in self.params.items()}
