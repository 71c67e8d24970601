# Accumulates the average into states[0]'s tensors in place.
import torch


def fedavg(states, sizes):
    total = float(sum(sizes))
    averaged = states[0]
    for key, first in averaged.items():
        if torch.is_floating_point(first):
            first.mul_(sizes[0] / total)
            for state, n in zip(states[1:], sizes[1:]):
                first.add_(state[key] * (n / total))
    return averaged
