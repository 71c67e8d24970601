"""Fast mode: one switch that shrinks every training notebook for CI.

``DLF_FAST=1`` (CI and ``make test`` set it) selects small subsets and few epochs; the code
path stays the same, only the sizes change. In a notebook::

    EPOCHS = utils.pick(full=10, fast=1)
    N_TRAIN = utils.pick(full=None, fast=2_000)   # None = use everything

While nbgrader runs a notebook (``nbgrader autograde``, ``nbgrader validate`` and the Validate
button set ``NBGRADER_EXECUTION``), fast mode is on unless ``DLF_FAST`` says otherwise: grading
checks the exercises, not the full-size training runs, so every training cell (each sized with
``pick``) runs small there.
"""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}


def is_fast() -> bool:
    """True when ``DLF_FAST`` is 1/true/yes/on (case-insensitive); when ``DLF_FAST`` is unset or
    empty, True while nbgrader executes the notebook (``NBGRADER_EXECUTION`` is set)."""
    value = os.environ.get("DLF_FAST", "").strip().lower()
    if not value:
        return bool(os.environ.get("NBGRADER_EXECUTION"))
    return value in _TRUE


def pick(*, full: T, fast: T) -> T:
    """Return ``fast`` in fast mode, ``full`` otherwise (keyword-only, so calls read clearly)."""
    return fast if is_fast() else full
