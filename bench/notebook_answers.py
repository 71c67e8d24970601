"""Load a chapter's reference answers from its solution notebook, for benchmarks.

What learners write in the last chapters has no reference copy in ``utils`` (there is no later
chapter that needs one), so a benchmark runs the solution notebook's own answer cells: the
single source of truth, never a second copy that could drift.
"""

from __future__ import annotations

from pathlib import Path

from utils import cells

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"


def load_answers(chapter: str, setup: str = "", extra_cells: tuple[str, ...] = ()) -> dict:
    """Execute ``setup``, then every answer cell of ``solutions/<chapter>/<chapter>.ipynb`` and any
    ordinary code cell whose source starts with one of ``extra_cells`` (e.g. ``"class Model"``);
    return the resulting namespace."""
    nb = cells.read_notebook(SOLUTIONS / chapter / f"{chapter}.ipynb")
    namespace: dict = {"__name__": f"solutions_{chapter}"}
    exec(setup, namespace)
    for cell in nb["cells"]:
        if not cells.is_code(cell):
            continue
        source = cells.source(cell)
        if cells.is_answer_cell(cell) or (extra_cells and source.lstrip().startswith(extra_cells)):
            exec(compile(source, f"{chapter}:{cells.grade_id(cell) or 'cell'}", "exec"), namespace)
    return namespace
