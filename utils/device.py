"""Pick the device to train on: CUDA, Apple's MPS, or the CPU."""

from __future__ import annotations

import os

_VALID = ("cpu", "cuda", "mps")


def get_device(prefer: str | None = None):
    """Return a ``torch.device``.

    Order: ``prefer`` (or ``$DLF_DEVICE``) if given, else CUDA if available, else MPS if
    available, else CPU. Asking for a device that is not available raises ``ValueError``.
    """
    import torch

    choice = prefer or os.environ.get("DLF_DEVICE", "").strip() or None
    if choice is not None:
        kind = choice.split(":")[0]
        if kind not in _VALID:
            raise ValueError(f"device must be one of {_VALID} (optionally 'cuda:N'), got {choice!r}")
        if kind == "cuda" and not torch.cuda.is_available():
            raise ValueError("device 'cuda' requested but torch.cuda.is_available() is False")
        if kind == "mps" and not torch.backends.mps.is_available():
            raise ValueError("device 'mps' requested but torch.backends.mps.is_available() is False")
        return torch.device(choice)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
