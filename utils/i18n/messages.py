"""The language of the running notebook, and the test-cell messages in that language.

Test cells are the same in every edition; only the words of their failure messages change. Every
message template in :mod:`utils.testing` goes through :func:`tr` (``tr("expected {wanted}, got
{got}", wanted=..., got=...)``), which looks the *English template* up in ``i18n/<lang>/utils.po``
(a gettext catalog like the chapters', read with polib once per language, then a dict) and formats the translation,
or the English template when there is none. A hint passed as ``hint="..."`` from a test cell is looked
up the same way, so a test cell's hints can be translated in that catalog without editing the cell.

The language (:func:`language`), first match wins:

1. ``DLF_LANG`` (``en``, ``ko``): set by the grader for a submission whose notebook metadata says
   ``dlf.lang`` (utils/nbgrader_plugins.py, RobustExecute), or by hand;
2. ``JPY_SESSION_NAME``: jupyter_server starts a notebook's kernel with it set to the notebook's path
   (jupyter_server/services/sessions/sessionmanager.py, ``get_kernel_env``): a path inside
   ``notebooks-ko/`` means Korean;
3. the working directory: a kernel runs in its notebook's folder (JupyterLab, ``nbgrader validate``).

Where the path names no edition (a Korean notebook fetched from the nbgrader exchange lands in
``~/ch01_tensors/``, as the English one does), the notebook itself says: its metadata ``dlf.lang``
(written by utils/i18n/build.py), read from the session's notebook, or from the notebooks in the
working directory when they all agree. Anything else is English.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from . import LANGUAGES

# Inside the package, not in i18n/: the grading sandbox (utils/sandbox.py) shows a kernel the course's
# utils/ folder only, and a pip-installed course ships only the package.
LOCALE = Path(__file__).resolve().parent / "locale"


def _edition_of(path: str) -> str | None:
    for part in Path(path).parts:
        if part.startswith("notebooks-") and part[len("notebooks-") :] in LANGUAGES:
            return part[len("notebooks-") :]
    return None


@cache
def _metadata_lang(path: str, mtime: float) -> str | None:
    try:
        lang = json.loads(Path(path).read_text(encoding="utf-8"))["metadata"]["dlf"]["lang"]
    except (OSError, ValueError, KeyError, TypeError):  # not a notebook, no dlf.lang, unreadable (sandbox)
        return None
    return lang if lang in LANGUAGES else None


def _edition_in(notebooks: list[Path]) -> str | None:
    langs = set()
    for nb in notebooks:
        try:
            langs.add(_metadata_lang(str(nb), nb.stat().st_mtime))
        except OSError:
            langs.add(None)
    return langs.pop() if len(langs) == 1 else None


def language() -> str:
    lang = os.environ.get("DLF_LANG", "").strip().lower()
    if lang:
        return lang if lang in LANGUAGES else "en"
    try:
        cwd = Path.cwd()
    except OSError:  # the working directory was removed
        return "en"
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session:
        return _edition_of(session) or _edition_in([cwd / Path(session).name]) or "en"
    return _edition_of(str(cwd)) or _edition_in(sorted(cwd.glob("*.ipynb"))) or "en"


@cache
def _catalog(lang: str) -> dict[str, str]:
    import polib  # only a translated edition needs it: an English kernel never imports it

    table: dict[str, str] = {}
    for path in sorted((LOCALE / lang).glob("*.po")):  # utils.po (utils.testing) and <chapter>.po (hints)
        table.update((e.msgid, e.msgstr) for e in polib.pofile(str(path)).translated_entries())
    return table


def translate(text: str, lang: str | None = None) -> str:
    """``text`` in the notebook's language (unchanged when it is English or has no translation)."""
    lang = lang or language()
    if lang == "en":
        return text
    return _catalog(lang).get(text, text)


def tr(template: str, /, **values: object) -> str:
    """The message ``template`` translated, then formatted with ``values`` (``str.format`` fields)."""
    return translate(template).format(**values)
