"""Measuring how a dataset is split among federated clients (chapter 16).

The partitioning itself (``dirichlet_partition``) is an exercise of chapter 16, so it is not here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def label_skew(parts: Sequence, labels) -> float:
    """Size-weighted mean total variation distance between each client's class mix and the overall one.

    ``parts``: one integer index array per client, indices into ``labels`` (N,) of integer classes.
    0 means every client has the overall class proportions; values near 1 mean clients hold classes
    that are rare overall. Empty clients are ignored.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must have shape (N,), got {labels.shape}")
    n_classes = int(labels.max()) + 1
    overall = np.bincount(labels, minlength=n_classes) / len(labels)
    total, counted = 0.0, 0
    for part in parts:
        part = np.asarray(part, dtype=np.int64)
        if len(part):
            mix = np.bincount(labels[part], minlength=n_classes) / len(part)
            total += len(part) * 0.5 * float(np.abs(mix - overall).sum())
            counted += len(part)
    return total / counted if counted else 0.0
