"""Run a chapter's solution and every mutant in ONE Python process, each in a fresh namespace.

    python tests/mutant_runner.py CHAPTER OUT.json

Why: a stock ``nbgrader autograde`` costs about 5 s of CPU per submission (kernel start-up,
importing torch, nbgrader's own processing), most of it the same for every mutant. Here each
submission is the *source* notebook (answer cells filled, hidden tests included, as nbgrader
restores them when grading) with one function replaced, executed cell by cell in an IPython
shell whose namespace is reset between submissions; imported modules stay loaded.

The verdict uses nbgrader's rule for autograded test cells: a test cell that raises scores 0,
one that runs scores its points. tests/test_grading.py checks that this runner and stock
nbgrader agree on a mutant of every chapter.

Output: ``{student: {"failed": {grade_id: "ExcName: message"}, "tests": [grade_id, ...],
"errors": {cell: message}}}`` (``errors``: every cell that raised, test or not) for the students
``clobber`` (the solution with every notebook variable set to None in every answer cell: test
cells must not depend on them; it passing is also the runner's baseline, that the solution's
test cells pass here) and ``mutant_<function>__<label>``. Only the chapter's first mutant (compared with stock nbgrader) runs
whole; every other mutant stops at its first failed test cell, so its ``failed`` names that one cell. That the solution notebook runs top to
bottom is checked by nbval (`make test`), in a real kernel.
"""

from __future__ import annotations

import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as g  # noqa: E402


def cells_for(
    chapter: str, replace: tuple[str, str] | None = None, append_to_answers: str = ""
) -> list[tuple[str | None, bool, str]]:
    """``(grade_id or None, is_test_cell, code)`` for every code cell of the source notebook.

    ``replace = (grade_id, code)`` appends a mutant to that answer cell; ``append_to_answers`` is
    appended to every answer cell (the clobber submission).
    """
    out = []
    for cell in g.load_nb(g.source_nb(chapter))["cells"]:
        if not g.is_code(cell):
            continue
        gid = g.grade_id(cell)
        code = g.source(cell)
        if replace and gid == replace[0]:
            code = g.with_mutant(code, replace[1])
        if append_to_answers and g.is_answer_cell(cell):
            code = code.rstrip() + "\n\n" + append_to_answers
        out.append((gid, g.is_test_cell(cell), code))
    return out


def run(shell, cells, stop_at_first_failure: bool = False) -> dict:
    """Execute ``cells`` in a fresh namespace; with ``stop_at_first_failure``, stop after the first test
    cell that fails (a mutant is killed once it loses any points: the cells after it cannot undo that)."""
    import matplotlib.pyplot as plt

    shell.reset(new_session=False)
    failed, tests, errors = {}, [], {}
    for index, (gid, is_test, code) in enumerate(cells):
        sink = io.StringIO()
        with redirect_stdout(sink), redirect_stderr(sink):
            result = shell.run_cell(code, store_history=False, silent=True)
        err = result.error_before_exec or result.error_in_exec
        message = None if err is None else f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:300]
        if message:
            errors[gid or f"code cell {index + 1}"] = message
        if is_test:
            tests.append(gid)
            if message:
                failed[gid] = message
                if stop_at_first_failure:
                    break
    plt.close("all")
    return {"failed": failed, "tests": tests, "errors": errors}


def main(chapter: str, out_path: str) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.showtraceback = lambda *a, **k: None  # tracebacks go nowhere; the verdict is the exception
    functions = g.graded_functions(chapter)
    results = {"clobber": run(shell, cells_for(chapter, append_to_answers=g.clobber_code(chapter)))}
    for number, m in enumerate(g.mutants(chapter)):
        if m.function in functions:
            # The first mutant runs whole: tests/test_grading.py compares its failed cells with stock
            # nbgrader's. The others stop at their first failed test cell, which is all a kill needs.
            results[m.student] = run(
                shell, cells_for(chapter, (functions[m.function], m.path.read_text())), stop_at_first_failure=number > 0
            )
    Path(out_path).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
