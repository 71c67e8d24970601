# Keras' convention with PyTorch's momentum value: 0.1 on the old statistics, 0.9 on the batch.
import numpy as np


class BatchNorm:
    def __init__(self, num_features, momentum=0.1, eps=1e-5):
        self.num_features, self.momentum, self.eps = num_features, momentum, eps
        self.gamma, self.beta = np.ones(num_features), np.zeros(num_features)
        self.running_mean, self.running_var = np.zeros(num_features), np.ones(num_features)
        self.dgamma = self.dbeta = self.xhat = self.std = None

    def forward(self, x, train=True):
        x = np.asarray(x, dtype=float)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"x must have shape (N, {self.num_features}), got {x.shape}")
        if train:
            n = x.shape[0]
            mu, var = x.mean(axis=0), x.var(axis=0)
            self.std = np.sqrt(var + self.eps)
            self.xhat = (x - mu) / self.std
            m = self.momentum
            self.running_mean = m * self.running_mean + (1 - m) * mu
            self.running_var = m * self.running_var + (1 - m) * var * n / (n - 1)
            xhat = self.xhat
        else:
            xhat = (x - self.running_mean) / np.sqrt(self.running_var + self.eps)
        return self.gamma * xhat + self.beta

    def backward(self, dout):
        n = dout.shape[0]
        self.dbeta = dout.sum(axis=0)
        self.dgamma = (dout * self.xhat).sum(axis=0)
        g = dout * self.gamma
        return (n * g - g.sum(axis=0) - self.xhat * (g * self.xhat).sum(axis=0)) / (n * self.std)
