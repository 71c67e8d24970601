"""Run a chapter's solution and every mutant in ONE Python process tree, sharing what they have in common.

    python tests/mutant_runner.py CHAPTER OUT.json

Why: a stock ``nbgrader autograde`` costs about 5 s of CPU per submission (kernel start-up,
importing torch, nbgrader's own processing), most of it the same for every mutant. Here each
submission is the *source* notebook (answer cells filled, hidden tests included, as nbgrader
restores them when grading) with one function replaced, executed cell by cell in an IPython shell.
The cells before the one a submission changes are the solution's: they run once, in this process
(imported modules, data and the namespace stay in memory), and each submission runs in a forked copy
of the process taken just before its first changed cell (copy-on-write: the parent's namespace is
never touched). So a submission costs only the cells from its changed one on, and its prefix is
exactly the solution's, as in a fresh kernel.

The verdict uses nbgrader's rule for autograded test cells: a test cell that raises scores 0,
one that runs scores its points. tests/test_grading.py checks that this runner and stock
nbgrader agree on a mutant of every chapter.

Output: ``{student: {"failed": {grade_id: "ExcName: message"}, "tests": [grade_id, ...],
"errors": {cell: message}}}`` (``errors``: every cell that raised, test or not; ``tests`` and
``errors`` include the shared cells before the fork) for the students ``clobber`` (the solution with
every notebook variable set to None in every answer cell: test cells must not depend on them; it
passing is also the runner's baseline, that the solution's test cells pass here) and
``mutant_<function>__<label>``. Only the chapter's first mutant (compared with stock nbgrader) runs
whole; every other mutant stops at its first failed test cell, so its ``failed`` names that one
cell. That the solution notebook runs top to bottom is checked by nbval (`make test`), in a real kernel.
"""

from __future__ import annotations

import gc
import io
import json
import os
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
# One math thread: a process that forks must not have started a pool of OpenMP threads (its child would hang).
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
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


#: CPU seconds the shared cells before a submission's first changed cell must take for it to run forked.
FORK_WORTH_S = 0.3


def new_state() -> dict:
    return {"failed": {}, "tests": [], "errors": {}}


def run_cell(shell, index: int, cell: tuple[str | None, bool, str], state: dict) -> bool:
    """Execute one cell, recording its error in ``state``; True when it is a test cell that failed."""
    gid, is_test, code = cell
    sink = io.StringIO()
    with redirect_stdout(sink), redirect_stderr(sink):
        result = shell.run_cell(code, store_history=False, silent=True)
    err = result.error_before_exec or result.error_in_exec
    message = None if err is None else f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:300]
    if message:
        state["errors"][gid or f"code cell {index + 1}"] = message
    if is_test:
        state["tests"].append(gid)
        if message:
            state["failed"][gid] = message
            return True
    return False


def run(shell, cells, start: int = 0, state: dict | None = None, stop_at_first_failure: bool = False) -> dict:
    """Execute ``cells[start:]`` (in a fresh namespace when ``start`` is 0) after ``state`` (what the cells
    before ``start`` recorded); with ``stop_at_first_failure``, stop after the first test cell that fails (a
    mutant is killed once it loses any points: the cells after it cannot undo that)."""
    import matplotlib.pyplot as plt

    if start == 0:
        shell.reset(new_session=False)
    state = json.loads(json.dumps(state or new_state()))
    for index in range(start, len(cells)):
        if run_cell(shell, index, cells[index], state) and stop_at_first_failure:
            break
    plt.close("all")
    return state


def run_forked(shell, cells, start: int, state: dict, stop_at_first_failure: bool) -> dict:
    """:func:`run` from ``start`` in a forked copy of this process, whose namespace holds what the shared
    cells before ``start`` left (copy-on-write): a submission pays only for the cells it changes and those
    after them. The parent's namespace is untouched. A child that dies (a mutant calling ``os._exit`` or
    crashing the interpreter) fails the submission, as a dead kernel does under nbgrader."""
    sys.stdout.flush()
    sys.stderr.flush()
    # Move every object to the collector's permanent generation: the child's garbage collections then do not
    # walk (and so copy) the whole inherited heap, which made each fork cost about 0.3 s of CPU.
    gc.freeze()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the verdict, exit without the parent's atexit handlers
        try:
            os.close(read_end)
            try:
                reply = {"result": run(shell, cells, start, state, stop_at_first_failure)}
            except BaseException:  # a bug of this runner: the parent raises it, never a silent kill
                reply = {"runner_error": traceback.format_exc()}
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(json.dumps(reply).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if payload and os.waitstatus_to_exitcode(status) == 0:
        reply = json.loads(payload)
        if "runner_error" in reply:
            raise RuntimeError(f"the forked run of {cells[start][0] or start} failed:\n{reply['runner_error']}")
        return reply["result"]
    # As under nbgrader after a dead kernel: every test cell from the changed cell on loses its points.
    died = json.loads(json.dumps(state))
    message = (
        f"DeadKernelError: the runner's process for this submission died (exit status "
        f"{os.waitstatus_to_exitcode(status)}) in or after code cell {start + 1}"
    )
    for gid, is_test, _ in cells[start:]:
        if is_test:
            died["tests"].append(gid)
            died["errors"][gid] = died["failed"][gid] = message
    return died


def first_difference(cells, other) -> int:
    """The index of the first cell whose code differs between two submissions of one notebook."""
    assert len(cells) == len(other), "submissions of one notebook have the same cells"
    return next((i for i, (a, b) in enumerate(zip(cells, other, strict=True)) if a != b), len(cells))


def main(chapter: str, out_path: str) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.showtraceback = lambda *a, **k: None  # tracebacks go nowhere; the verdict is the exception
    functions = g.graded_functions(chapter)
    solution = cells_for(chapter)
    # (student, cells, stop at the first failed test cell). The first mutant runs whole: tests/test_grading.py
    # compares its failed cells with stock nbgrader's. The others stop at their first failed test cell, which
    # is all a kill needs.
    submissions = [("clobber", cells_for(chapter, append_to_answers=g.clobber_code(chapter)), False)]
    for number, m in enumerate(g.mutants(chapter)):
        if m.function in functions:
            replaced = cells_for(chapter, (functions[m.function], m.path.read_text()))
            submissions.append((m.student, replaced, number > 0))
    # Each submission equals the solution up to some cell: the solution runs once, in this process, up to the
    # last such cell, and a submission forks from it where it starts to differ, once the cells before that
    # took FORK_WORTH_S of CPU (a fork costs about 0.15 s); one that would save less runs afterwards from
    # scratch in a fresh namespace (imported modules stay loaded).
    forks: dict[int, list] = {}
    for student, cells, stop in submissions:
        forks.setdefault(first_difference(solution, cells), []).append((student, cells, stop))
    results: dict[str, dict] = {}
    from_scratch = []
    shell.reset(new_session=False)
    state, prefix_cpu, last = new_state(), 0.0, max(forks)
    for index in range(last + 1):
        for student, cells, stop in forks.get(index, []):
            if prefix_cpu >= FORK_WORTH_S:
                results[student] = run_forked(shell, cells, index, state, stop)
            else:
                from_scratch.append((student, cells, stop))
        if index < last:
            start = time.process_time()
            run_cell(shell, index, solution[index], state)
            if index > 0:  # the first cell's imports are paid once either way
                prefix_cpu += time.process_time() - start
    for student, cells, stop in from_scratch:
        results[student] = run(shell, cells, stop_at_first_failure=stop)
    order = [student for student, _, _ in submissions]
    results = {student: results[student] for student in order}
    Path(out_path).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
