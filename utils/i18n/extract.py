"""(Re)generate the translation catalogs ``i18n/<lang>/<chapter>.po`` from the source notebooks.

One entry per markdown cell of ``solutions/<chapter>/<chapter>.ipynb``: ``msgctxt`` is the cell id,
``msgid`` the English markdown. Updating an existing catalog works as ``msgmerge`` does:

* an English cell that changed keeps its translation, marked ``fuzzy``, with the English text the
  translation was made from as ``#| msgid`` (a translator's tool shows the difference);
* a new cell gets an empty entry;
* a removed cell's entry becomes obsolete (``#~``), so its translation is not lost.

    python -m utils.i18n.extract ch02_perceptron            # update (or create) the Korean catalog
    python -m utils.i18n.extract --all                        # every chapter that already has one
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import CATALOGS, ROOT, po

SOLUTIONS = ROOT / "solutions"


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


def update(catalog: po.Catalog, cells: list[tuple[str, str]], same_text_is_same: bool = False) -> po.Catalog:
    """``catalog`` brought in line with ``cells`` (see the module docstring); the input is not changed.

    ``same_text_is_same``: an entry whose context is new or whose text changed takes, unflagged, the
    translation of another entry with exactly its text (hints, whose context is only where they are);
    otherwise such a translation is only offered, as fuzzy (a markdown cell whose id changed).
    """
    old = {e.msgctxt: e for e in catalog.active()}
    by_text = {e.msgid: e for e in catalog.entries if e.translated or (e.obsolete and e.msgstr and not e.fuzzy)}
    entries = []
    for cid, text in cells:
        e = old.pop(cid, None)
        if same_text_is_same and (e is None or e.msgid != text) and text in by_text:
            entries.append(po.Entry(text, by_text[text].msgstr, cid))
            continue
        if e is None:
            reuse = by_text.get(text)  # a cell whose id changed: offer the old translation, to be confirmed
            e = po.Entry(text, reuse.msgstr if reuse else "", cid, ["fuzzy"] if reuse else [])
        elif e.msgid != text:
            flags, previous = list(e.flags), e.previous_msgid
            if not e.msgstr:
                previous = None
            elif not e.fuzzy:
                flags, previous = [*flags, "fuzzy"], e.msgid  # keep the text the translation was made from
            e = po.Entry(text, e.msgstr, cid, flags, previous, list(e.comments), list(e.auto_comments))
        else:
            e = po.Entry(
                e.msgid, e.msgstr, cid, list(e.flags), e.previous_msgid, list(e.comments), list(e.auto_comments)
            )
        entries.append(e)
    gone = [
        po.Entry(e.msgid, e.msgstr, e.msgctxt, [], None, e.comments, e.auto_comments, obsolete=True)
        for e in old.values()
        if e.msgstr
    ]
    kept = [e for e in catalog.entries if e.obsolete and e.msgctxt not in {x.msgctxt for x in entries}]
    return po.Catalog(dict(catalog.header), entries + gone + kept)


def extract(chapter: str, lang: str = "ko") -> po.Catalog:
    """Update (or create) ``chapter``'s catalog on disk and return it."""
    nb = json.loads((SOLUTIONS / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    path = catalog_path(chapter, lang)
    current = po.read(path) if path.exists() else po.Catalog(po.new_header(f"dl-foundations {chapter}", lang), [])
    updated = update(current, markdown_cells(nb))
    po.write(path, updated)
    return updated


def summary(catalog: po.Catalog) -> str:
    active = catalog.active()
    fuzzy = sum(e.fuzzy for e in active)
    missing = sum(not e.msgstr for e in active)
    obsolete = len(catalog.entries) - len(active)
    return f"{len(active)} entries: {len(active) - fuzzy - missing} translated, {fuzzy} fuzzy, {missing} missing, {obsolete} obsolete"


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
