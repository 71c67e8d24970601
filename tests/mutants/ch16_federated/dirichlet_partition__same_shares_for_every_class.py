# Draws the Dirichlet shares once: every client gets the same class mix (quantity skew only).
import numpy as np


def dirichlet_partition(labels, n_clients, alpha, seed=0):
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    parts = [[] for _ in range(n_clients)]
    q = rng.dirichlet(alpha * np.ones(n_clients))
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        cuts = (np.cumsum(q)[:-1] * len(idx)).astype(int)
        for k, piece in enumerate(np.split(idx, cuts)):
            parts[k].append(piece)
    return [np.concatenate(p).astype(np.int64) for p in parts]
