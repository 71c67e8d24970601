"""The grading harness: stock nbgrader on a temporary course, driven from pytest.

Every chapter is a folder ``solutions/chNN_name/`` holding ``chNN_name.ipynb`` (the nbgrader
source notebook). For each one the harness can

* release it (``nbgrader generate_assignment``) into a temporary course with its own gradebook,
* build submissions: the released notebook with its answer cells filled from the solutions,
  optionally with one graded function replaced by a mutant from ``tests/mutants/``,
* autograde them (``nbgrader autograde``) and read the per-test-cell scores back.

Nothing here writes into the repository: each call works in a folder the caller provides.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The cell predicates are the course's one set (utils/cells.py, built on nbgrader's own); the harness's
# callers use them as g.source, g.is_test_cell, ... (explicit `x as x`: re-exported).
from utils.cells import grade_id as grade_id
from utils.cells import is_answer_cell as is_answer_cell
from utils.cells import is_code as is_code
from utils.cells import is_test_cell as is_test_cell
from utils.cells import nbgrader_meta as nbgrader_meta
from utils.cells import read_notebook as load_nb
from utils.cells import source as source

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
RELEASED = ROOT / "notebooks"
MUTANTS = ROOT / "tests" / "mutants"
BIN = Path(sys.executable).parent

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


# The template a new chapter starts from (CONTRIBUTING.md): outside solutions/, so neither `make release`,
# nor nbgrader's list of assignments, nor chapters() below sees it; tests/test_template.py checks it alone.
TEMPLATES = ROOT / "templates"
TEMPLATE = "chNN_name"


def chapters() -> list[str]:
    """Every chapter with a source notebook, in order (new chapters are picked up automatically)."""
    return sorted(p.name for p in SOLUTIONS.glob("ch[0-9][0-9]_*") if (p / f"{p.name}.ipynb").is_file())


def source_folder(chapter: str) -> Path:
    """``solutions/<chapter>``, or ``templates/chNN_name`` for the template."""
    return (TEMPLATES if chapter == TEMPLATE else SOLUTIONS) / chapter


def source_nb(chapter: str) -> Path:
    """The chapter's nbgrader source notebook."""
    return source_folder(chapter) / f"{chapter}.ipynb"


def graded_functions(chapter: str) -> dict[str, str]:
    """``{function or class name: grade_id of the answer cell that defines it}``."""
    found: dict[str, str] = {}
    for cell in load_nb(source_nb(chapter))["cells"]:
        if is_answer_cell(cell):
            for node in ast.parse(source(cell)).body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    found[node.name] = grade_id(cell)
    return found


def notebook_variables(chapter: str) -> list[str]:
    """Names that ordinary (non-nbgrader) code cells bind, imports excluded: `X`, `sigmoid`, ...

    Test cells must not rely on them, since a learner may overwrite any of them while experimenting.
    """
    names: set[str] = set()
    for cell in load_nb(source_nb(chapter))["cells"]:
        if not is_code(cell) or nbgrader_meta(cell):
            continue
        for node in ast.parse(source(cell)).body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For))
                else []
            )
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
    return sorted(names)


@dataclass(frozen=True)
class Mutant:
    chapter: str
    function: str
    label: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.chapter}/{self.function}__{self.label}"

    @property
    def student(self) -> str:
        """The student id the mutant is submitted under."""
        return f"mutant_{self.function}__{self.label}"


def mutants(chapter: str | None = None) -> list[Mutant]:
    """Every ``tests/mutants/<chapter>/<function>__<label>.py``."""
    found = []
    for ch in [chapter] if chapter else chapters():
        for path in sorted((MUTANTS / ch).glob("*__*.py")):
            function, label = path.stem.split("__", 1)
            found.append(Mutant(ch, function, label, path))
    return found


# ----------------------------------------------------------------------------- nbgrader
# pytest-xdist runs one worker per core, each starting kernels: one math thread per process
# avoids oversubscribing the cores (torch and BLAS default to one thread per core each).
SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


class NbgraderError(RuntimeError):
    pass


def sandbox_required() -> bool:
    """CI (CI=true) and DLF_REQUIRE_SANDBOX=1 forbid grading without the sandbox, so its tests cannot be skipped."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("DLF_REQUIRE_SANDBOX") == "1"


def sandbox_problem() -> str | None:
    """Why autograde's sandbox (utils/sandbox.py, bubblewrap) cannot run here, or None."""
    from utils.sandbox import _probe

    return _probe()


def course_env(**overrides: str) -> dict[str, str]:
    """The environment for programs the tests start: fast mode, headless plots, one math thread,
    the venv's tools first on PATH (nbgrader runs `alembic` from there); ``overrides`` win."""
    env = dict(
        os.environ,
        DLF_FAST="1",
        MPLBACKEND="Agg",
        PYTHONWARNINGS="ignore",
        **SINGLE_THREAD,
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    if sandbox_problem() and not sandbox_required():
        # a developer's machine without bubblewrap still runs the harness (test_hostile.py skips, CI fails)
        env["DLF_UNSAFE_NO_SANDBOX"] = "1"
    env.update(overrides)
    return env


def run_nbgrader(course: Path, *args: str, timeout: float = 900, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course`` (see :func:`course_env`).

    With ``check`` (the default) a non-zero exit raises :class:`NbgraderError`.
    """
    proc = subprocess.run(
        [str(BIN / "nbgrader"), *args, "--log-level=ERROR"],
        cwd=course,
        env=course_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise NbgraderError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def run_course_tool(course: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m utils.grading_tools ARGS`` in ``course``: what `make validate` and `make audit` run."""
    return subprocess.run(
        [sys.executable, "-m", "utils.grading_tools", *args],
        cwd=course,
        env=course_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def release(chapter: str, course: Path) -> Path:
    """Make ``course`` a course folder with ``chapter`` released; return the released notebook."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(
        source_folder(chapter),
        course / "solutions" / chapter,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
    )
    run_nbgrader(course, "generate_assignment", chapter, "--force")
    return course / "notebooks" / chapter / f"{chapter}.ipynb"


def with_mutant(answer: str, mutant_code: str) -> str:
    """An answer cell's code with a mutant appended: the mutant redefines one function, the rest
    of the cell keeps the correct code."""
    return answer.rstrip() + "\n\n\n# --- mutant ---\n" + mutant_code


def filled_submission(chapter: str, released_nb: dict, replace: dict[str, str] | None = None) -> dict:
    """The released notebook with every answer cell filled from the solution notebook.

    ``replace`` maps an answer cell's grade_id to a mutant's code (see :func:`with_mutant`).
    """
    replace = replace or {}
    answers = {grade_id(c): source(c) for c in load_nb(source_nb(chapter))["cells"] if is_answer_cell(c)}
    nb = json.loads(json.dumps(released_nb))
    for cell in nb["cells"]:
        if is_answer_cell(cell):
            gid = grade_id(cell)
            cell["source"] = with_mutant(answers[gid], replace[gid]) if gid in replace else answers[gid]
    return nb


def warm_data_cache(chapter: str) -> None:
    """Decode CIFAR-10's JPEG copy into ``$DLF_CACHE`` before chapter 14 is graded: the grading sandbox reads
    the cache read-only, so without it every sandboxed kernel would decode the images again (as an instructor
    does once, see the README)."""
    if not chapter.startswith("ch14"):
        return
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import utils\nfor train in (True, False):\n"
            "    try:\n        utils.load_cifar10(train=train, download=False)\n"
            "    except utils.DataNotFoundError:\n        pass",
        ],
        env=course_env(),
        capture_output=True,
        timeout=900,
    )


def autograde(course: Path, chapter: str, submissions: dict[str, dict]) -> dict[str, dict[str, tuple[float, float]]]:
    """Autograde ``{student: notebook}``; return ``{student: {test grade_id: (score, max)}}``."""
    from nbgrader.api import Gradebook

    for student, nb in submissions.items():
        folder = course / "submitted" / student / chapter
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{chapter}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
    warm_data_cache(chapter)
    run_nbgrader(course, "autograde", chapter, "--force")
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in submissions:
            sub = gb.find_submission_notebook(chapter, chapter, student)
            scores[student] = {g.name: (float(g.score), float(g.max_score)) for g in sub.grades}
    return scores


def clobber_code(chapter: str) -> str:
    """Code that sets every notebook variable to None (appended to every answer cell)."""
    return "\n".join(f"{name} = None  # a learner reusing the name" for name in notebook_variables(chapter))


def run_mutants(chapter: str, workdir: Path, timeout: float = 900) -> dict[str, dict]:
    """Run the clobber submission (the solution, notebook variables overwritten) and every mutant
    of ``chapter`` with tests/mutant_runner.py (one process).

    Returns ``{student: {"failed": {grade_id: error}, "tests": [grade_id, ...], "errors": {cell: error}}}``
    for the students ``clobber`` and ``mutant_<function>__<label>``.
    """
    out = workdir / "mutants.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "mutant_runner.py"), chapter, str(out)],
        cwd=workdir,
        env=course_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(
            f"mutant_runner {chapter} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return json.loads(out.read_text(encoding="utf-8"))


# Student ids of the stock-nbgrader batch (see test_grading.graded).
SOLUTION, BLANK = "solution", "blank"


def autograded_nb(course: Path, chapter: str, student: str) -> dict:
    return load_nb(course / "autograded" / student / chapter / f"{chapter}.ipynb")


def errors(nb: dict) -> list[tuple[str, str, str]]:
    """``(cell, ename, evalue)`` for every error output in an executed notebook.

    ``cell`` is the nbgrader grade_id where the cell has one (the key nbgrader scores by),
    else the cell id: cell ids and grade_ids are independent in notebooks made in JupyterLab.
    """
    return [
        (grade_id(c) or c.get("id", "?"), o["ename"], o.get("evalue", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


_PRIVATE_BLOCK = re.compile(r"### BEGIN (?:SOLUTION|HIDDEN TESTS)\n(.*?)### END", re.S)
_HIDDEN_BLOCK = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def _lines_only_in(chapter: str, blocks: re.Pattern) -> list[str]:
    """The substantive lines (16+ characters, not comments) inside ``blocks`` of the source notebook
    that appear nowhere outside such blocks."""
    cells = [source(cell) for cell in load_nb(source_nb(chapter))["cells"]]
    outside = "\n".join(blocks.sub("", text) for text in cells)
    return [
        line.strip()
        for text in cells
        for block in blocks.findall(text)
        for line in block.splitlines()
        if len(line.strip()) >= 16 and not line.strip().startswith("#") and line.strip() not in outside
    ]


def solution_lines(chapter: str) -> list[str]:
    """The substantive lines between solution markers and inside hidden-test blocks.

    Lines that the source notebook also shows in public (an exercise text quoting
    ``rng = np.random.default_rng(seed)``, a visible test sharing a setup line with a hidden
    one) are not secrets and are left out.
    """
    return _lines_only_in(chapter, _PRIVATE_BLOCK)


def hidden_test_lines(chapter: str) -> list[str]:
    """The substantive lines of the hidden tests that appear nowhere else in the source notebook
    (not in public cells, not in a solution): text that must never reach a learner."""
    return _lines_only_in(chapter, _HIDDEN_BLOCK)
