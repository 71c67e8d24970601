"""The course's grading commands, for learners and instructors (``python -m utils.grading_tools ...``,
or the ``make`` targets that wrap them):

* ``validate [--show-source] NOTEBOOK...`` (``make validate``) – ``nbgrader validate``, but prints one
  block per failing test (grade id, the check that failed, the full message and hint; stock nbgrader
  cuts each line at 90 characters and reprints the cell) and exits with status 1 when a test fails
  (stock ``nbgrader validate`` exits 0 either way, so scripts cannot rely on it);
* ``audit CHAPTER`` (``make audit``) – after autograde, flags submissions whose answer cells tamper with
  the checking machinery (rebinding ``check_close``, patching ``np.allclose``, redefining
  ``AssertionError``, ...). A notebook cannot be fully defended against code running in its own
  process; this check runs outside it, so an instructor reviews those submissions by hand.

The nbgrader plug-ins that ``nbgrader_config.py`` loads are in :mod:`utils.nbgrader_plugins`.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

from . import cells
from .i18n.messages import notebook_language, translate

# ----------------------------------------------------------------------------- validate
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CHECK_FRAME = re.compile(r"\bin (test_\w+)\(")


def failure_report(cell, show_source: bool = False, index: int | None = None, lang: str = "en") -> str:
    """One block for a failed test cell: its grade id and points, the check that failed (the
    innermost ``test_...`` function in the traceback), and the error's full message with its hint.
    A failed ordinary cell (``index``: its number from 1) is named by its number. The course's own
    words are in ``lang``, the notebook's edition."""
    meta = cells.nbgrader_meta(cell)
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
            message = translate(
                "an exercise above is not done yet: replace `raise NotImplementedError()` with your code", lang
            )
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
            self.graded = sum(1 for cell in nb.cells if cells.is_code(cell) and cells.is_grade(cell))
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
            tests = sum(1 for _, cell in validator.failed_cells if cells.is_grade(cell))
            print(f"{path}: {tests} of {validator.graded} test cell(s) failed\n")
            for index, cell in validator.failed_cells:
                print(failure_report(cell, show_source, index, notebook_language(path)) + "\n")
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
        if not cells.is_code(cell) or cells.is_answer_cell(cell):
            continue
        try:
            tree = ast.parse(cells.source(cell))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("utils"):
                names |= {alias.asname or alias.name for alias in node.names}
    return names


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
    unchanged = {cells.source(cell) for cell in (released or {}).get("cells", [])}
    reasons = []
    for cell in nb.get("cells", []):
        # Test cells are skipped: autograde restores them from the instructor's copy.
        if not cells.is_code(cell) or cells.is_test_cell(cell) or cells.source(cell) in unchanged:
            continue
        where = cells.grade_id(cell) or cell.get("id", "?")
        try:
            tree = ast.parse(_python_source(cells.source(cell)))
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
    print("usage: python -m utils.grading_tools validate [--show-source] NOTEBOOK... | audit CHAPTER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
