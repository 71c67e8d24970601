"""What a notebook cell is to nbgrader: the course's one set of cell predicates.

The test harness, the grading plug-ins, the validate and audit commands and the benchmarks all ask
the same questions of a cell: is it an answer cell, a test cell, what is its grade id. The answers
come from nbgrader's own predicates (:func:`nbgrader.utils.is_grade` and
:func:`~nbgrader.utils.is_solution`, re-exported here), so they cannot drift from how nbgrader itself
releases and grades a notebook.

Cells may be nbformat ``NotebookNode`` objects or plain dicts read with :mod:`json`, including a
learner's submission with malformed metadata (a ``nbgrader`` entry that is not a mapping counts as none).
It imports nbgrader, so ``import utils`` (a learner's notebook) does not import it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbgrader.utils import is_grade, is_solution

__all__ = [
    "is_grade",
    "is_solution",
    "read_notebook",
    "source",
    "nbgrader_meta",
    "grade_id",
    "is_code",
    "is_answer_cell",
    "is_test_cell",
]


def read_notebook(path: str | Path) -> NotebookNode:
    """The notebook at ``path`` as nbformat's ``NotebookNode`` (items and attributes both work), read
    as stored: no version conversion, no validation (a submission may be invalid on purpose)."""
    return nbformat.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def source(cell: Mapping) -> str:
    """A cell's source as one string (a stored notebook may hold it as a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def nbgrader_meta(cell: Mapping) -> dict[str, Any]:
    """The cell's ``metadata.nbgrader`` mapping, or ``{}`` (also when the metadata is malformed)."""
    metadata = cell.get("metadata")
    meta = metadata.get("nbgrader") if isinstance(metadata, Mapping) else None
    return dict(meta) if isinstance(meta, Mapping) else {}


def _node(cell: Mapping) -> NotebookNode:
    """A ``NotebookNode`` that nbgrader's predicates accept: the cell itself, or (for a plain dict) a copy of
    only its type and well-formed nbgrader metadata."""
    if isinstance(cell, NotebookNode) and isinstance(cell.get("metadata"), Mapping):
        return cell
    meta = nbgrader_meta(cell)
    return nbformat.from_dict({"cell_type": cell.get("cell_type"), "metadata": {"nbgrader": meta} if meta else {}})


def grade_id(cell: Mapping) -> str | None:
    """The cell's nbgrader ``grade_id``, or None for an ordinary cell."""
    return nbgrader_meta(cell).get("grade_id")


def is_code(cell: Mapping) -> bool:
    return cell.get("cell_type") == "code"


def is_answer_cell(cell: Mapping) -> bool:
    """A code cell the learner writes in (``solution: true``): the release replaces its solution block."""
    return is_code(cell) and bool(is_solution(_node(cell)))


def is_test_cell(cell: Mapping) -> bool:
    """An autograded test cell (``grade: true``, ``solution: false``): locked, restored from the
    instructor's copy at grading, scored by whether it raises."""
    node = _node(cell)
    return is_code(cell) and bool(is_grade(node)) and not is_solution(node)
