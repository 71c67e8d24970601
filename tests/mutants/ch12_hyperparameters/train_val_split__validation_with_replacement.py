# Draws validation indices with replacement: duplicates, and examples on both sides.
import numpy as np


def train_val_split(x, t, val_ratio=0.2, seed=0, stratify=False):
    if not 0 < val_ratio < 1:
        raise ValueError(f"val_ratio must be strictly between 0 and 1, got {val_ratio}")
    if len(x) != len(t):
        raise ValueError(f"x and t must have the same length, got {len(x)} and {len(t)}")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(t))
    if stratify:
        labels = np.asarray(t)[order]
        val_mask = np.zeros(len(t), dtype=bool)
        for c in np.unique(labels):
            where = np.flatnonzero(labels == c)
            val_mask[where[: round(val_ratio * len(where))]] = True
        return x[order[~val_mask]], t[order[~val_mask]], x[order[val_mask]], t[order[val_mask]]
    rng = np.random.default_rng(seed)
    n_val = round(val_ratio * len(t))
    val_idx = rng.integers(0, len(t), size=n_val)
    train_idx = np.setdiff1d(np.arange(len(t)), val_idx[: n_val // 2])
    return x[train_idx], t[train_idx], x[val_idx], t[val_idx]
