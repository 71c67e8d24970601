# Sets the weights but never trains.
import numpy as np


def train_constant_init(x, t, value, steps=50, lr=0.1):
    net = TwoLayerNet(x.shape[1], 10, int(np.max(t)) + 1)
    net.params["W1"][...] = value
    net.params["W2"][...] = value
    net.params["b1"][...] = 0.0
    net.params["b2"][...] = 0.0
    return net
