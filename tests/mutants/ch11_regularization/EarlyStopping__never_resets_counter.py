# Counts every non-improving epoch since the start.
import copy

import numpy as np


class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_score, self.best_epoch, self.best_params = -np.inf, None, None
        self.bad_epochs, self.epoch = 0, -1

    def step(self, score, params):
        self.epoch += 1
        if score > self.best_score + self.min_delta:
            self.best_score, self.best_epoch, self.best_params = score, self.epoch, copy.deepcopy(params)
        else:
            self.bad_epochs += 1
        return self.bad_epochs >= self.patience

    def restore(self, params):
        for name, value in self.best_params.items():
            params[name][...] = value
        return params
