"""Grading that an instructor can trust: nbgrader plug-ins and two commands.

Stock nbgrader is used throughout; ``nbgrader_config.py`` plugs in the two preprocessors below.

* :class:`RobustExecute` – autograde's executor. A cell that kills its kernel (``os._exit``, the
  out-of-memory killer) or ignores the interrupt sent on timeout no longer fails the whole
  submission (stock nbgrader drops it and the student gets no autograded notebook): the cell is
  marked failed, every later cell is marked "not run", and the grade is what the cells before it earned.
* :class:`ForgetUnknownGradeIds` – a cell whose grade id a learner edited is graded as an ordinary
  cell (stock nbgrader fails the whole submission), and the instructor's test cell is restored.
* :class:`HideHiddenTests` – for ``nbgrader generate_feedback``: removes the hidden-test blocks
  from test cells and the tracebacks (which quote test code) from their errors, keeping each
  error's one-line message, so feedback says *what* failed without revealing the tests.

Commands (``python -m utils.grading ...``, or the ``make`` targets that wrap them):

* ``validate [--show-source] NOTEBOOK...`` – ``nbgrader validate``, but prints one block per failing
  test (grade id, the check that failed, the full message and hint; stock nbgrader cuts each line at
  90 characters and reprints the cell) and exits with status 1 when a test fails (stock
  ``nbgrader validate`` exits 0 either way, so scripts cannot rely on it);
* ``audit CHAPTER`` – after autograde, flags submissions whose answer cells tamper with the
  checking machinery (rebinding ``check_close``, patching ``np.allclose``, redefining
  ``AssertionError``, ...). A notebook cannot be fully defended against code running in its own
  process; this check runs outside it, so an instructor reviews those submissions by hand.

This module imports nbgrader lazily: ``import utils`` in a learner's notebook stays light.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from pathlib import Path

try:  # nbgrader is a course dependency; the fallback only keeps `import utils.grading` working without it
    from nbgrader import utils as _nbu
    from nbgrader.preprocessors import Execute, NbGraderPreprocessor
except ImportError:  # pragma: no cover
    Execute = NbGraderPreprocessor = object
    _nbu = None

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

    # --- edition: a submission of a translated edition (notebook metadata dlf.lang, written by
    # utils/i18n/build.py) is graded by a kernel started with DLF_LANG, so that test messages come in
    # its language (utils/i18n/messages.py); the sandbox passes DLF_LANG through (utils/sandbox.py).
    # A notebook without it is graded in English, whatever DLF_LANG the grader itself has.
    def start_new_kernel(self, **kwargs):
        lang = str(self.nb.metadata.get("dlf", {}).get("lang", "en")) if self.nb is not None else "en"
        kwargs["env"] = {**(kwargs.get("env") or os.environ), "DLF_LANG": lang}
        return super().start_new_kernel(**kwargs)

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
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
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
        if cell.cell_type == "code" and _nbu.is_grade(cell) and not _nbu.is_solution(cell):
            cell.source = strip_hidden_tests(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


# ----------------------------------------------------------------------------- validate
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CHECK_FRAME = re.compile(r"\bin (test_\w+)\(")


def failure_report(cell, show_source: bool = False, index: int | None = None) -> str:
    """One block for a failed test cell: its grade id and points, the check that failed (the
    innermost ``test_...`` function in the traceback), and the error's full message with its hint.
    A failed ordinary cell (``index``: its number from 1) is named by its number."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade"):
        points = meta.get("points", 0)
        head = f"FAILED {meta.get('grade_id')} ({points:g} point{'' if points == 1 else 's'})"
    else:
        head = f"ERROR in code cell {index if index is not None else '?'} (not graded)"
    errors = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    lines = []
    for out in errors:
        frames = _CHECK_FRAME.findall(_ANSI.sub("", "\n".join(out.get("traceback", []))))
        if frames:
            head += f" in {frames[-1]}"
        message = out.get("evalue") or ""
        if out.get("ename") == "NotImplementedError" and not message:
            message = "an exercise above is not done yet: replace `raise NotImplementedError()` with your code"
        lines.append(f"{out.get('ename', 'Error')}: {message}")
    if not errors:
        stderr = [out.get("text", "") for out in cell.get("outputs", []) if out.get("name") == "stderr"]
        lines.append("".join(stderr).strip() or "partial credit: some checks of this cell failed")
    text = head + "\n" + "\n".join("    " + line for block in lines for line in block.splitlines())
    if show_source:
        text += "\n  the test cell:\n" + "\n".join("    | " + line for line in cell.source.splitlines())
    return text


def validate(paths: list[str], show_source: bool = False) -> int:
    """Validate each notebook like ``nbgrader validate``, but print one block per failing test
    (its name, the full message and hint; the cell's source only with ``show_source``).
    Return 1 if any test failed or a test cell changed, else 0."""
    from nbgrader.apps.validateapp import ValidateApp
    from nbgrader.validator import Validator

    class RecordingValidator(Validator):
        def _get_failed_cells(self, nb):
            failed = super()._get_failed_cells(nb)
            self.failed_cells = [(nb.cells.index(cell) + 1, cell) for cell in failed]
            self.graded = sum(1 for cell in nb.cells if _nbu.is_grade(cell) and cell.cell_type == "code")
            return failed

    app = ValidateApp()
    app.initialize([])  # reads nbgrader_config.py from the working directory
    validator = RecordingValidator(parent=app)
    status = 0
    for path in paths:
        if not Path(path).is_file():
            print(f"{path}: no such notebook", file=sys.stderr)
            status = 1
            continue
        validator.failed_cells, validator.graded = [], 0
        results = validator.validate(path)
        if results.get("type_changed") or results.get("changed"):
            status = 1
            kind = "type_changed" if results.get("type_changed") else "changed"
            getattr(validator, f"_print_num_{kind}")(len(results[kind]))
            for cell in results[kind]:
                if kind == "changed":
                    validator._print_changed(cell["source"])
                else:
                    validator._print_type_changed(cell["old_type"], cell["new_type"], cell["source"])
            continue
        if validator.failed_cells:
            status = 1
            tests = sum(1 for _, cell in validator.failed_cells if _nbu.is_grade(cell))
            print(f"{path}: {tests} of {validator.graded} test cell(s) failed\n")
            for index, cell in validator.failed_cells:
                print(failure_report(cell, show_source, index) + "\n")
        else:
            print(f"{path}: Success! All {validator.graded} test cell(s) passed.")
    return status


# ----------------------------------------------------------------------------- audit
#: names a test cell relies on; an answer cell must not bind them.
PROTECTED_NAMES = {
    "AssertionError",
    "Exception",
    "BaseException",
    "print",
    "isinstance",
    "float",
    "np",
    "torch",
    "utils",
    "F",
    "nn",
    "__builtins__",
}
PROTECTED_MODULES = {"np", "numpy", "torch", "utils", "builtins", "sys", "F", "nn"}


#: names through which an answer cell can change how *later* cells run: IPython's input transformers and events
#: (rewrite or blank a test cell before it runs), tracing hooks, the import machinery and raw memory access.
INTERPRETER_HOOKS = {
    "input_transformers_cleanup",
    "input_transformers_post",
    "ast_transformers",
    "events",
    "register_magic_function",
    "run_cell",
    "settrace",
    "setprofile",
    "excepthook",
    "displayhook",
    "__import__",
    "importlib",
    "ctypes",
    "meta_path",
    "modules",
    "f_globals",
    "f_locals",
    "__builtins__",
    "__code__",
    "__globals__",
}


def _python_source(source: str) -> str:
    """A cell's code as IPython runs it: magics (``%time``, ``!ls``) become ``get_ipython()`` calls, so a
    magic line cannot hide the rest of a cell from the audit."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover
        return source
    return TransformerManager().transform_cell(source)


def _imported_helpers(nb: dict) -> set[str]:
    """Names the notebook imports from utils.testing (check_close, ...), read from its ordinary cells."""
    names: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code" or cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            continue
        try:
            tree = ast.parse(_source(cell))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("utils"):
                names |= {alias.asname or alias.name for alias in node.names}
    return names


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _local_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes inside a function or class body: the names they bind are local (a method
    ``numerical_gradient`` does not rebind the notebook's ``numerical_gradient``)."""
    local: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [node.body]
            local |= {id(sub) for stmt in body for sub in ast.walk(stmt)}
    return local


def tampering(nb: dict, released: dict | None = None) -> list[str]:
    """Reasons to review a submission by hand: cells that rebind or patch what the tests use.

    Test cells are skipped (autograde restores them from the instructor's copy), and so are cells
    identical to a cell of the ``released`` notebook (its imports bind ``check_close`` legitimately).
    """
    protected = PROTECTED_NAMES | _imported_helpers(released or nb)
    unchanged = {_source(cell) for cell in (released or {}).get("cells", [])}
    reasons = []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if (
            cell.get("cell_type") != "code"
            or (meta.get("grade") and not meta.get("solution"))
            or _source(cell) in unchanged
        ):
            continue
        where = meta.get("grade_id") or cell.get("id", "?")
        try:
            tree = ast.parse(_python_source(_source(cell)))
        except SyntaxError:
            reasons.append(f"{where}: not valid Python, so it cannot be checked automatically")
            continue
        local = _local_nodes(tree)
        declared_global = {name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names}

        # Called only inside this iteration, so late binding of the loop variables is harmless.
        def binds_global(node: ast.AST, name: str) -> bool:
            return id(node) not in local or name in declared_global  # noqa: B023

        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in INTERPRETER_HOOKS:
                reasons.append(f"{where}: uses {node.attr}, which can change how later cells (the tests) run")
            elif isinstance(node, ast.Name) and node.id in INTERPRETER_HOOKS:
                reasons.append(f"{where}: uses {node.id}, which can change how later cells (the tests) run")
            targets: list[ast.expr] = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                if node.name in protected and binds_global(node, node.name):
                    reasons.append(f"{where}: defines {node.name!r}, which the tests use")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    origin = (node.module if isinstance(node, ast.ImportFrom) else alias.name) or ""
                    if (alias.asname or alias.name) in protected and origin.split(".")[0] not in {
                        "numpy",
                        "torch",
                        "utils",
                    }:
                        reasons.append(
                            f"{where}: imports {alias.asname or alias.name!r} from {origin or '.'}, a name the tests use"
                        )
                    if "builtins" in (origin, alias.name):
                        reasons.append(f"{where}: imports builtins")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"setattr", "exec", "eval", "globals"}
            ):
                reasons.append(f"{where}: calls {node.func.id}()")
            for target in targets:
                for sub in ast.walk(target):
                    if (
                        isinstance(sub, ast.Name)
                        and sub.id in protected
                        and isinstance(sub.ctx, ast.Store)
                        and binds_global(sub, sub.id)
                    ):
                        reasons.append(f"{where}: assigns to {sub.id!r}, which the tests use")
                if (
                    isinstance(target, (ast.Attribute, ast.Subscript))
                    and _root_name(target) in PROTECTED_MODULES | protected
                ):
                    reasons.append(f"{where}: patches {ast.unparse(target)}")
    return sorted(set(reasons))


def audit(chapter: str, course: Path = Path("."), release_directory: str = "notebooks") -> int:
    """Print the submissions of ``chapter`` under ``course/submitted`` that need a manual review; 1 if any.

    Cells are compared with the release in ``course/<release_directory>/<chapter>/<chapter>.ipynb``.
    """
    released_path = course / release_directory / chapter / f"{chapter}.ipynb"
    if not released_path.is_file():
        print(
            f"{released_path}: the released notebook is missing (run nbgrader generate_assignment {chapter})",
            file=sys.stderr,
        )
        return 2
    released = json.loads(released_path.read_text(encoding="utf-8"))
    flagged = 0
    for path in sorted((course / "submitted").glob(f"*/{chapter}/*.ipynb")):
        student = path.parts[-3]
        try:
            reasons = tampering(json.loads(path.read_text(encoding="utf-8")), released)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            reasons = [f"not a readable notebook: {error}"]
        if reasons:
            flagged += 1
            print(f"REVIEW {student} ({path.name}):")
            for reason in reasons:
                print(f"  - {reason}")
    print(f"{chapter}: {flagged} submission(s) to review by hand" if flagged else f"{chapter}: nothing to review")
    return 1 if flagged else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) >= 2 and argv[0] == "validate":
        paths = [a for a in argv[1:] if a != "--show-source"]
        return validate(paths, show_source="--show-source" in argv[1:]) if paths else 2
    if len(argv) == 2 and argv[0] == "audit":
        return audit(argv[1])
    print("usage: python -m utils.grading validate [--show-source] NOTEBOOK... | audit CHAPTER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
