"""Where the course keeps its data and caches.

* ``DLF_DATA``  – the data folder (default: ``data/`` at the repo root, git-ignored).
  CI points it at ``../shared/data``; on a shared server it is one read-only folder for everyone.
* ``DLF_CACHE`` – decoded-array caches, per user: ``$DLF_CACHE`` if set, else
  ``$XDG_CACHE_HOME/dl-foundations``, else ``~/.cache/dl-foundations``. Never inside the
  installed package (on a shared server that is read-only, and one learner's cache must not be
  another's), and kept apart from the data folder because that one may be read-only.
* ``DLF_SHARED_CACHE`` – optional, read-only: caches prepared once for everyone on a shared server
  (deploy/install.sh decodes the CIFAR-10 JPEG copy there), looked up after the user's own cache.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the folder that holds ``utils/``); the package is installed editable.
REPO_ROOT = Path(__file__).resolve().parent.parent

#: The name of the course's folder under the user's cache folder.
CACHE_NAME = "dl-foundations"


def data_dir() -> Path:
    """The course data folder: ``$DLF_DATA`` if set, else ``<repo>/data``."""
    value = os.environ.get("DLF_DATA", "").strip()
    return Path(value).expanduser().resolve() if value else REPO_ROOT / "data"


def cache_dir() -> Path:
    """A writable per-user cache folder, created on demand (mode 0700 when created here):
    ``$DLF_CACHE`` if set, else ``$XDG_CACHE_HOME/dl-foundations``, else
    ``~/.cache/dl-foundations`` (the XDG convention; an empty or relative ``XDG_CACHE_HOME`` is
    ignored, as the XDG spec says)."""
    value = os.environ.get("DLF_CACHE", "").strip()
    if value:
        path = Path(value).expanduser().resolve()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
        path = base / CACHE_NAME
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def shared_cache_dir() -> Path | None:
    """``$DLF_SHARED_CACHE`` if set (a read-only folder prepared by an administrator), else None.
    Never created or written here."""
    value = os.environ.get("DLF_SHARED_CACHE", "").strip()
    return Path(value).expanduser().resolve() if value else None
