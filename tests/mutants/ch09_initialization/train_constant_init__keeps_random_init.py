# Forgets to overwrite the network's random initial weights with `value`.
import numpy as np


def train_constant_init(x, t, value, steps=50, lr=0.1):
    net = TwoLayerNet(x.shape[1], 10, int(np.max(t)) + 1)
    for _ in range(steps):
        for name, g in net.gradient(x, t).items():
            net.params[name] -= lr * g
    return net
