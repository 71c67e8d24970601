"""Reproducibility: seed every random number generator the course uses."""

from __future__ import annotations

import random

import numpy as np


def seed_everything(seed: int = 0) -> np.random.Generator:
    """Seed Python's ``random``, NumPy's global RNG and torch (CPU and CUDA, if torch is installed).

    Returns a fresh ``np.random.Generator`` seeded with ``seed``: prefer passing that object
    around over relying on global state.
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a course dependency
        pass
    else:
        torch.manual_seed(seed)  # also seeds every CUDA device
    return np.random.default_rng(seed)
