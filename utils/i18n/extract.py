"""(Re)generate the translation catalogs ``i18n/<lang>/<chapter>.po`` from the source notebooks.

One entry per markdown cell of ``solutions/<chapter>/<chapter>.ipynb``: ``msgctxt`` is the cell id,
``msgid`` the English markdown. Updating an existing catalog works as ``msgmerge`` does:

* an English cell that changed keeps its translation, marked ``fuzzy``, with the English text the
  translation was made from as ``#| msgid`` (a translator's tool shows the difference);
* a new cell gets an empty entry;
* a removed cell's entry becomes obsolete (``#~``), so its translation is not lost.

Catalogs are read and written with polib, with ``wrapwidth=0``: a multi-line string is one quoted
line per source line (as ``msgmerge`` writes it), a line is never re-wrapped, so a diff of a catalog
reads like a diff of the text.

    python -m utils.i18n.extract ch02_perceptron            # update (or create) the Korean catalog
    python -m utils.i18n.extract --all                        # every chapter that already has one
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polib

from . import CATALOGS, ROOT

SOLUTIONS = ROOT / "solutions"
PLURAL_FORMS = {"ko": "nplurals=1; plural=0;"}


# --------------------------------------------------------------------------- catalogs (polib)
def read_catalog(path: Path) -> polib.POFile:
    """The catalog at ``path``; ``wrapwidth=0``: one quoted line per text line, never re-wrapped, as written."""
    return polib.pofile(str(path), wrapwidth=0)


def new_catalog(project: str, language: str) -> polib.POFile:
    catalog = polib.POFile(wrapwidth=0)
    catalog.header = f"{project} ({language})"
    catalog.metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": "2026-11-29 00:00+0000",  # a translator's tool updates it on save
        "Last-Translator": "Deep Learning Foundations translators",
        "Language-Team": {"ko": "Korean"}.get(language, language),
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(language, "nplurals=2; plural=(n != 1);"),
        "X-Generator": "utils.i18n.extract",
    }
    return catalog


def write_catalog(path: Path, catalog: polib.POFile) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(catalog), encoding="utf-8")


def active(catalog: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalog if not e.obsolete]


def by_context(catalog: polib.POFile) -> dict[str | None, polib.POEntry]:
    return {e.msgctxt: e for e in active(catalog)}


def catalog_path(chapter: str, lang: str = "ko") -> Path:
    return CATALOGS / lang / f"{chapter}.po"


def markdown_cells(nb: dict) -> list[tuple[str, str]]:
    """``(cell id, source)`` of every markdown cell a learner reads (nbgrader answer cells excluded)."""
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown" or cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            continue
        src = cell["source"]
        out.append((cell["id"], "".join(src) if isinstance(src, list) else src))
    return out


def _entry(old: polib.POEntry, **changes: object) -> polib.POEntry:
    """A copy of ``old`` (its text, translation, context, flags, previous text and comments) with ``changes``."""
    fields: dict[str, object] = {
        "msgid": old.msgid,
        "msgstr": old.msgstr,
        "msgctxt": old.msgctxt,
        "flags": list(old.flags),
        "previous_msgid": old.previous_msgid,
        "tcomment": old.tcomment,
        "comment": old.comment,
        "obsolete": old.obsolete,
    }
    return polib.POEntry(**(fields | changes))


def update(catalog: polib.POFile, cells: list[tuple[str, str]], same_text_is_same: bool = False) -> polib.POFile:
    """``catalog`` brought in line with ``cells`` (see the module docstring); the input is not changed.

    ``same_text_is_same``: an entry whose context is new or whose text changed takes, unflagged, the
    translation of another entry with exactly its text (hints, whose context is only where they are);
    otherwise such a translation is only offered, as fuzzy (a markdown cell whose id changed).
    """
    old = {e.msgctxt: e for e in active(catalog)}
    by_text = {e.msgid: e for e in catalog if e.translated() or (e.obsolete and e.msgstr and not e.fuzzy)}
    entries = []
    for cid, text in cells:
        e = old.pop(cid, None)
        if same_text_is_same and (e is None or e.msgid != text) and text in by_text:
            entries.append(polib.POEntry(msgid=text, msgstr=by_text[text].msgstr, msgctxt=cid))
            continue
        if e is None:
            reuse = by_text.get(text)  # a cell whose id changed: offer the old translation, to be confirmed
            e = polib.POEntry(
                msgid=text, msgstr=reuse.msgstr if reuse else "", msgctxt=cid, flags=["fuzzy"] if reuse else []
            )
        elif e.msgid != text:
            flags, previous = list(e.flags), e.previous_msgid
            if not e.msgstr:
                previous = None
            elif not e.fuzzy:
                flags, previous = [*flags, "fuzzy"], e.msgid  # keep the text the translation was made from
            e = _entry(e, msgid=text, flags=flags, previous_msgid=previous)
        else:
            e = _entry(e)
        entries.append(e)
    gone = [_entry(e, flags=[], previous_msgid=None, obsolete=True) for e in old.values() if e.msgstr]
    kept = [_entry(e) for e in catalog if e.obsolete and e.msgctxt not in {x.msgctxt for x in entries}]
    out = polib.POFile(wrapwidth=0)
    out.header, out.metadata, out.metadata_is_fuzzy = catalog.header, dict(catalog.metadata), catalog.metadata_is_fuzzy
    out.extend(entries + gone + kept)
    return out


def extract(chapter: str, lang: str = "ko") -> polib.POFile:
    """Update (or create) ``chapter``'s catalog on disk and return it."""
    nb = json.loads((SOLUTIONS / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    path = catalog_path(chapter, lang)
    current = read_catalog(path) if path.exists() else new_catalog(f"dl-foundations {chapter}", lang)
    updated = update(current, markdown_cells(nb))
    write_catalog(path, updated)
    return updated


def summary(catalog: polib.POFile) -> str:
    current = active(catalog)
    fuzzy = sum(e.fuzzy for e in current)
    missing = sum(not e.msgstr for e in current)
    obsolete = len(catalog) - len(current)
    return f"{len(current)} entries: {len(current) - fuzzy - missing} translated, {fuzzy} fuzzy, {missing} missing, {obsolete} obsolete"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.i18n.extract", description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*")
    parser.add_argument("--all", action="store_true", help="every chapter that has a catalog")
    parser.add_argument("--lang", default="ko")
    args = parser.parse_args(argv)
    chapters = args.chapters or []
    if args.all:
        chapters += sorted(p.stem for p in (CATALOGS / args.lang).glob("ch[0-9][0-9]_*.po"))
    if not chapters:
        parser.error("name a chapter or pass --all")
    for chapter in chapters:
        print(f"{catalog_path(chapter, args.lang).relative_to(ROOT)}: {summary(extract(chapter, args.lang))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
