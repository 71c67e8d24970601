"""Mixed precision where it is fast: bfloat16 on CUDA GPUs and on CPUs that compute it natively.

Two tools:

* :func:`mixed_precision` wraps a model so that its forward pass runs in bfloat16 and returns
  float32. Training code stays unchanged: the loss, ``backward`` and the optimizer run outside
  autocast, with float32 weights and gradients, as PyTorch's autocast documentation asks.
* :func:`autocast` is the context manager behind it, for forward-only code (evaluation).

Where bfloat16 would be emulated (older CPUs, Apple's MPS) both do nothing: emulated bfloat16 is
slower than float32.
"""

from __future__ import annotations

import contextlib
import functools


def has_fast_bfloat16() -> bool:
    """True when this CPU computes bfloat16 natively (AVX-512 BF16 or AMX), where oneDNN's bfloat16
    convolutions and matrix products are faster than float32.

    Not ``torch.ops.mkldnn._is_mkldnn_bf16_supported()``: that is True on every AVX-512 CPU, including
    those (Skylake, Cascade Lake) where oneDNN only emulates bfloat16.
    """
    import torch

    try:
        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except (AttributeError, RuntimeError):  # a build without these private helpers
        return False


def autocast(device="cpu", enabled: bool = True):
    """``torch.autocast`` with bfloat16 on ``device`` (a ``torch.device`` or a string) where that is
    fast (CUDA with bfloat16 support, or :func:`has_fast_bfloat16`), else ``contextlib.nullcontext()``.

    Wrap forward passes only (and the loss), never ``backward`` or the optimizer step.
    bfloat16 keeps float32's exponent range, so no loss scaling is needed.
    """
    import torch

    kind = torch.device(device).type
    if enabled and kind == "cuda" and torch.cuda.is_available() and torch.cuda.is_bf16_supported():
        return torch.autocast("cuda", dtype=torch.bfloat16)
    if enabled and kind == "cpu" and has_fast_bfloat16():
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()


@functools.cache
def _wrapper_class():
    import torch

    class MixedPrecision(torch.nn.Module):
        """Runs ``module`` under :func:`autocast` for the device of its parameters; float32 out."""

        def __init__(self, module: torch.nn.Module, enabled: bool = True):
            super().__init__()
            self.module = module
            self.enabled = enabled

        def forward(self, *args, **kwargs):
            device = next(self.module.parameters()).device
            with autocast(device, self.enabled):
                out = self.module(*args, **kwargs)
            return out.float() if torch.is_tensor(out) and out.is_floating_point() else out

    return MixedPrecision


def mixed_precision(model, enabled: bool = True):
    """Wrap ``model`` (an ``nn.Module``) so that its forward pass runs in bfloat16 where that is fast
    and returns float32 outputs. The wrapper shares ``model``'s parameters (``wrapper.module is model``):
    train the wrapper, use either. ``train()``/``eval()`` and ``.to(...)`` pass through."""
    return _wrapper_class()(model, enabled)
