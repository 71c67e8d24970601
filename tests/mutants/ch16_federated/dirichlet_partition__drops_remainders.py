# Gives client k int(q_k * n_c) examples of class c: the rounding remainders are lost.
import numpy as np


def dirichlet_partition(labels, n_clients, alpha, seed=0):
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    parts = [[] for _ in range(n_clients)]
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        q = rng.dirichlet(alpha * np.ones(n_clients))
        start = 0
        for k in range(n_clients):
            size = int(q[k] * len(idx))
            parts[k].append(idx[start : start + size])
            start += size
    return [np.concatenate(p).astype(np.int64) for p in parts]
