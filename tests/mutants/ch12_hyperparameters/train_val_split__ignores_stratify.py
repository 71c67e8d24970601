# A correct random split that ignores stratify=True.
import numpy as np


def train_val_split(x, t, val_ratio=0.2, seed=0, stratify=False):
    if not 0 < val_ratio < 1:
        raise ValueError(f"val_ratio must be strictly between 0 and 1, got {val_ratio}")
    if len(x) != len(t):
        raise ValueError(f"x and t must have the same length, got {len(x)} and {len(t)}")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(t))
    n_val = round(val_ratio * len(t))
    return x[order[n_val:]], t[order[n_val:]], x[order[:n_val]], t[order[:n_val]]
