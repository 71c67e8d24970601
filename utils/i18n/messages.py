"""The language of the running notebook, and the test-cell messages in that language.

Test cells are the same in every edition; only the words of their failure messages change. Every
message template in :mod:`utils.testing` goes through :func:`tr` (``tr("expected {wanted}, got
{got}", wanted=..., got=...)``), which looks the *English template* up in ``i18n/<lang>/utils.po``
(a gettext catalog like the chapters', read with polib once per language, then a dict) and formats the translation,
or the English template when there is none. A hint passed as ``hint="..."`` from a test cell is looked
up the same way, so a test cell's hints can be translated in that catalog without editing the cell.

A text that a test cell builds with an f-string (``hint=f"the truth table is {truth}: ..."``, a
``name`` such as ``f"after training from {value}"``) reaches :func:`translate` already formatted, so no
entry has its text. An entry flagged ``python-brace-format`` whose msgid is the f-string's template
(its ``{...}`` fields written as in the cell) matches such a text: each field matches any text, and
the msgstr gets the matched text in place of the same field (``{np.mean(losses):.6f}`` included).
Only flagged entries are tried this way, after the exact lookup.

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
import re
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


def notebook_language(path: str | Path) -> str:
    """The edition a notebook file says it is in (metadata ``dlf.lang``), else English."""
    return _edition_in([Path(path)]) or "en"


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


_FIELD = re.compile(r"\{[^{}]*\}")


@cache
def _templates(lang: str) -> list[tuple[re.Pattern[str], list[str], str]]:
    """``(pattern, fields, msgstr)`` of the translated entries flagged ``python-brace-format`` that have fields."""
    import polib

    out = []
    for path in sorted((LOCALE / lang).glob("*.po")):
        for e in polib.pofile(str(path)).translated_entries():
            fields = _FIELD.findall(e.msgid)
            if "python-brace-format" not in e.flags or not fields or not _FIELD.sub("", e.msgid):
                continue
            parts: list[str] = []
            groups: dict[str, str] = {}  # a field used twice must match the same text twice
            for literal, field in zip(_FIELD.split(e.msgid), [*fields, None], strict=True):
                parts.append(re.escape(literal))
                if field is not None:
                    if field in groups:
                        parts.append(f"(?P={groups[field]})")
                    else:
                        groups[field] = f"f{len(groups)}"
                        parts.append(f"(?P<{groups[field]}>.*?)")
            out.append((re.compile("".join(parts), re.S), list(groups), e.msgstr))
    return out


def _from_template(text: str, lang: str) -> str | None:
    for pattern, fields, msgstr in _templates(lang):
        found = pattern.fullmatch(text)
        if found:
            # a field's text may be one of the messages too ("integer labels"): it is shorter, so this ends
            values = {field: translate(found.group(f"f{i}"), lang) for i, field in enumerate(fields)}
            return "".join(values.get(piece, piece) for piece in re.split(f"({_FIELD.pattern})", msgstr))
    return None


def translate(text: str, lang: str | None = None) -> str:
    """``text`` in the notebook's language (unchanged when it is English or has no translation)."""
    lang = lang or language()
    if lang == "en":
        return text
    found = _catalog(lang).get(text)
    if found is not None:
        return found
    return _from_template(text, lang) or text


def tr(template: str, /, **values: object) -> str:
    """The message ``template`` translated, then formatted with ``values`` (``str.format`` fields)."""
    lang = language()
    text = template if lang == "en" else _catalog(lang).get(template, template)  # templates: exact lookup only
    return text.format(**values)
