# Plain mean of the clients' weights, ignoring how much data each has.
import torch


def fedavg(states, sizes):
    averaged = {}
    for key, first in states[0].items():
        if torch.is_floating_point(first):
            averaged[key] = sum(state[key] for state in states) / len(states)
        else:
            averaged[key] = first.clone()
    return averaged
