"""Where the course keeps its data and caches.

* ``DLF_DATA``  – the data folder (default: ``data/`` at the repo root, git-ignored).
  CI points it at ``../shared/data``; on a laptop or Colab it may be any writable folder.
* ``DLF_CACHE`` – decoded-array caches (default: ``.cache/`` at the repo root, git-ignored).
  Kept apart from the data folder because that one may be read-only.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the folder that holds ``utils/``); the package is installed editable.
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The course data folder: ``$DLF_DATA`` if set, else ``<repo>/data``."""
    value = os.environ.get("DLF_DATA", "").strip()
    return Path(value).expanduser().resolve() if value else REPO_ROOT / "data"


def cache_dir() -> Path:
    """A writable cache folder: ``$DLF_CACHE`` if set, else ``<repo>/.cache``. Created on demand."""
    value = os.environ.get("DLF_CACHE", "").strip()
    path = Path(value).expanduser().resolve() if value else REPO_ROOT / ".cache"
    path.mkdir(parents=True, exist_ok=True)
    return path
