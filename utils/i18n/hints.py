"""(Re)generate the catalogs of a chapter's test-cell hints, ``utils/i18n/locale/<lang>/<chapter>.po``.

A test cell is the same in every edition, so its ``hint="..."`` strings stay English in the code; at
run time :func:`utils.i18n.messages.translate` replaces a hint by its translation when the
notebook's language has one. This tool collects every string literal of a ``hint=`` or ``hints=`` argument in the
chapter's test cells (``hint="..."``, ``hint=likely_bug(got, [(value, "..."), ...], "...")``,
``hints={"b": "..."}``), or assigned to a local ``hint``, ``hints`` or ``..._hint``, into
the chapter's hint catalog, one entry per string, ``msgctxt`` = the test cell's grade_id and the
string's number in it; updates work as in :mod:`utils.i18n.extract` (changed → fuzzy, new → empty,
removed → obsolete).

    python -m utils.i18n.hints ch02_perceptron
"""

from __future__ import annotations

import argparse
import ast
import json
import sys

import polib

from .extract import SOLUTIONS, new_catalog, read_catalog, summary, update, write_catalog
from .messages import LOCALE


def _is_hint_name(name: str | None) -> bool:
    return name is not None and (name in ("hint", "hints") or name.endswith("_hint"))


def _hint_value(node: ast.AST) -> ast.AST | None:
    """The expression that holds hints: the value of a ``hint=``/``hints=`` argument, or of an assignment
    to a local named ``hint``, ``hints`` or ``..._hint`` (a test cell may name a long hint first, then pass
    ``hint=hint``, to keep its calls on one line)."""
    if isinstance(node, ast.keyword) and _is_hint_name(node.arg):
        return node.value
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.value if _is_hint_name(node.targets[0].id) else None
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
        return node.value if _is_hint_name(node.target.id) else None
    return None


def hint_strings(nb: dict) -> list[tuple[str, str]]:
    """``(grade_id:n, text)`` for every string literal in a ``hint=`` argument of a test cell."""
    out = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        seen: list[str] = []
        for node in ast.walk(ast.parse(source)):
            value = _hint_value(node)
            if value is not None:
                # the pieces of an f-string are not whole hints: it stays English
                formatted = {id(c) for f in ast.walk(value) if isinstance(f, ast.JoinedStr) for c in ast.walk(f)}
                for const in ast.walk(value):
                    if id(const) in formatted:
                        continue
                    if isinstance(const, ast.Constant) and isinstance(const.value, str) and " " in const.value:
                        if const.value not in seen:
                            seen.append(const.value)
        out += [(f"{meta['grade_id']}:{i}", text) for i, text in enumerate(seen, 1)]
    return out


def extract_hints(chapter: str, lang: str = "ko") -> polib.POFile:
    nb = json.loads((SOLUTIONS / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    path = LOCALE / lang / f"{chapter}.po"
    current = read_catalog(path) if path.exists() else new_catalog(f"dl-foundations {chapter} hints", lang)
    updated = update(current, hint_strings(nb), same_text_is_same=True)
    write_catalog(path, updated)
    return updated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.i18n.hints", description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="+")
    parser.add_argument("--lang", default="ko")
    args = parser.parse_args(argv)
    for chapter in args.chapters:
        print(f"utils/i18n/locale/{args.lang}/{chapter}.po: {summary(extract_hints(chapter, args.lang))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
