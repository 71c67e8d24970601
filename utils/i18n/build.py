"""Write the translated student notebooks from the English release and the chapter catalogs.

``notebooks-<lang>/<chapter>/<chapter>.ipynb`` is ``notebooks/<chapter>/<chapter>.ipynb`` with each
markdown cell's source replaced by its translation (catalog entry with ``msgctxt`` = the cell id).
Code cells, test cells, cell ids and nbgrader metadata are not touched, so the one nbgrader source
grades either edition; the notebook's metadata gets ``dlf.lang``, which the grader reads to start
the kernel with ``DLF_LANG`` (utils/nbgrader_plugins.py) so that test messages come in that language.

A missing, fuzzy or stale entry (the catalog's English differs from the cell: run
``python -m utils.i18n.extract``) leaves the English text in that cell, and the build fails unless
``--allow-incomplete`` is given. Only chapters with a catalog are built.

    python -m utils.i18n.build                      # every chapter with a catalog, after `make release`
    python -m utils.i18n.build --allow-incomplete ch02_perceptron
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat
import polib

from . import CATALOGS, ROOT
from .extract import by_context, read_catalog


def translate(nb: nbformat.NotebookNode, catalog: polib.POFile, lang: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """The translated copy of the released notebook ``nb`` and the problems found (one line each)."""
    out = copy.deepcopy(nb)
    entries = by_context(catalog)
    problems = []
    for index, cell in enumerate(out.cells):
        if cell.cell_type != "markdown" or cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            continue
        entry = entries.get(cell.get("id"))
        where = f"cell {index} (id {cell.get('id')!r})"
        if entry is None or not entry.msgstr:
            problems.append(f"{where}: missing translation")
        elif entry.fuzzy:
            problems.append(f"{where}: fuzzy (the English changed; check the translation, then drop the flag)")
        elif entry.msgid != cell.source:
            problems.append(f"{where}: the catalog is stale (run `python -m utils.i18n.extract`)")
        else:
            cell.source = entry.msgstr
    out.metadata.setdefault("dlf", {})["lang"] = lang
    return out, problems


def catalog_chapters(lang: str) -> list[str]:
    return sorted(p.stem for p in (CATALOGS / lang).glob("ch[0-9][0-9]_*.po"))


def build(chapter: str, lang: str = "ko", release: Path = ROOT / "notebooks", out: Path | None = None) -> list[str]:
    """Write ``chapter``'s translated notebook; return its problems."""
    out = out or ROOT / f"notebooks-{lang}"
    nb = nbformat.read(release / chapter / f"{chapter}.ipynb", as_version=4)
    translated, problems = translate(nb, read_catalog(CATALOGS / lang / f"{chapter}.po"), lang)
    target = out / chapter / f"{chapter}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(translated, target)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.i18n.build", description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="default: every chapter with a catalog")
    parser.add_argument("--lang", default="ko")
    parser.add_argument(
        "--allow-incomplete", action="store_true", help="build with English where a translation is missing or fuzzy"
    )
    args = parser.parse_args(argv)
    available = catalog_chapters(args.lang)
    chapters = [c for c in args.chapters if c in available] if args.chapters else available
    failed = 0
    for chapter in chapters:
        problems = build(chapter, args.lang)
        for line in problems:
            print(f"i18n/{args.lang}/{chapter}.po: {line}", file=sys.stderr)
        failed += len(problems)
    print(f"notebooks-{args.lang}/ regenerated for: {' '.join(chapters) or '(no catalog)'}")
    if failed and not args.allow_incomplete:
        print(f"{failed} missing or fuzzy translation(s): translate them, or pass --allow-incomplete", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
