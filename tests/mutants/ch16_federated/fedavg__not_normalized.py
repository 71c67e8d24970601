# Sums n_k * w_k without dividing by the total number of examples.
import torch


def fedavg(states, sizes):
    averaged = {}
    for key, first in states[0].items():
        if torch.is_floating_point(first):
            averaged[key] = sum(state[key] * n for state, n in zip(states, sizes))
        else:
            averaged[key] = first.clone()
    return averaged
