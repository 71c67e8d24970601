"""The course's nbgrader plug-ins: grading that an instructor can trust.

Stock nbgrader is used throughout; ``nbgrader_config.py`` plugs these preprocessors in.

* :class:`RobustExecute` – autograde's executor. A cell that kills its kernel (``os._exit``, the
  out-of-memory killer) or ignores the interrupt sent on timeout no longer fails the whole
  submission (stock nbgrader drops it and the student gets no autograded notebook): the cell is
  marked failed, every later cell is marked "not run", and the grade is what the cells before it earned.
* :class:`ForgetUnknownGradeIds` – a cell whose grade id a learner edited is graded as an ordinary
  cell (stock nbgrader fails the whole submission), and the instructor's test cell is restored.
* :class:`HideHiddenTests` – for ``nbgrader generate_feedback``: removes the hidden-test blocks
  from test cells and the tracebacks (which quote test code) from their errors, keeping each
  error's one-line message, so feedback says *what* failed without revealing the tests.

The command-line tools (validate, audit) are in :mod:`utils.grading_tools`. Neither module is
imported by ``import utils``: a learner's notebook stays light.
"""

from __future__ import annotations

import re

from nbgrader.preprocessors import Execute, NbGraderPreprocessor

from . import cells

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
NOT_RUN = "NotRun"
HIDDEN_NOTE = "# (hidden tests were run here when your notebook was graded)"


def _error_output(ename: str, evalue: str):
    from nbformat.v4 import new_output

    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class RobustExecute(Execute):
    """nbgrader's ``Execute``, plus: a kernel that dies or hangs fails its cell, not the submission."""

    def preprocess(self, nb, resources=None, km=None):
        self._stopped_at = None
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        if self._stopped_at is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error_output(NOT_RUN, f"not run: the kernel stopped in cell {self._stopped_at}")]
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except (CellTimeoutError, DeadKernelError) as error:
            self._stopped_at = index + 1
            if isinstance(error, DeadKernelError):
                ename, what = (
                    "DeadKernelError",
                    "the kernel died while running this cell (os._exit, a crash, or out of memory)",
                )
            else:
                ename, what = (
                    "CellTimeoutError",
                    (
                        f"this cell ran longer than {self.timeout} s and did not stop when "
                        "interrupted; its kernel was shut down"
                    ),
                )
            self.log.error("Cell %d: %s", index + 1, what)
            cell.outputs.append(_error_output(ename, what))
            self._shut_down_kernel()
            return cell, resources

    def _shut_down_kernel(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception as error:  # the kernel may be gone already
            self.log.warning("Shutting down the kernel: %s", error)


class ForgetUnknownGradeIds(NbGraderPreprocessor):
    """Before nbgrader restores the instructor's cells: a cell whose ``grade_id`` the gradebook does not
    know (a learner edited it) becomes an ordinary cell, so the submission is graded instead of failing
    as a whole; ``OverwriteCells.add_missing_cells`` then puts the real test cell back."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            source = gb.find_notebook(info["notebook"], info["assignment"])
            known = {
                cell.name for cells in (source.grade_cells, source.solution_cells, source.task_cells) for cell in cells
            }
        for index, cell in enumerate(nb.cells):
            grade_id = cells.grade_id(cell)
            if grade_id is not None and grade_id not in known:
                self.log.warning(
                    "Cell %d has grade id %r, which %s does not have: graded as an ordinary cell",
                    index + 1,
                    grade_id,
                    info["notebook"],
                )
                del cell.metadata["nbgrader"]
        return nb, resources


def strip_hidden_tests(source: str) -> str:
    """``source`` with every ``### BEGIN HIDDEN TESTS ... ### END HIDDEN TESTS`` block replaced by a note."""
    pattern = re.compile(rf"^[ \t]*{re.escape(HIDDEN_BEGIN)}.*?^[ \t]*{re.escape(HIDDEN_END)}[^\n]*", re.S | re.M)
    return pattern.sub(HIDDEN_NOTE, source)


class HideHiddenTests(NbGraderPreprocessor):
    """For feedback: hidden tests out of the source, tracebacks out of the errors of test cells."""

    def preprocess_cell(self, cell, resources, index):
        if cells.is_test_cell(cell):
            cell.source = strip_hidden_tests(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
