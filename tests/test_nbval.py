"""nbval: `make test` runs every solution notebook top to bottom, and a broken cell fails it by name.

The notebooks themselves are run by `make test` (it passes `solutions` to pytest with the flags in
the Makefile's NBVAL); here: that the command does so, and, on a temporary copy of a chapter with
one broken cell, that the same command fails and its report names that cell.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import harness as g

ANSI = re.compile(r"\x1b\[[0-9;]*m")  # nbval colours its report unless --color=no


def make_dry_run(*args: str) -> str:
    """The commands `make ARGS` would run (make -n), as text, continued lines joined."""
    return subprocess.run(
        ["make", "-n", "--no-print-directory", *args],
        cwd=g.ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.replace("\\\n", " ")


def pytest_command(make_output: str) -> list[str]:
    line = next(line for line in make_output.splitlines() if " -m pytest " in line)
    return shlex.split(line.split(" -m pytest ", 1)[1])


def test_make_test_runs_every_solution_notebook_under_nbval():
    args = pytest_command(make_dry_run("test"))
    assert {"--nbval-lax", "--nbval-current-env"} <= set(args), args
    assert "solutions" in args and "tests" in args, args
    assert args[args.index("--dist") + 1] == "loadgroup", "conftest.py keeps a notebook on one worker by its group"


def test_make_check_runs_the_chapter_under_nbval_and_checks_its_release():
    args = pytest_command(make_dry_run("check", "NB=notebooks/ch03_activations/ch03_activations.ipynb"))
    assert "solutions/ch03_activations/ch03_activations.ipynb" in args, args
    keyword = args[args.index("-k") + 1]
    assert "ch03_activations" in keyword and "scores_zero" in keyword and "in_sync" in keyword, keyword


def test_a_broken_cell_fails_make_test_with_nbval_naming_the_cell(tmp_path):
    """A copy of ch01 with a NameError appended to one ordinary code cell, run with `make test`'s
    own pytest options on two xdist workers: exit status 1, that cell (and only it) reported."""
    chapter = "ch01_tensors"
    nb = g.load_nb(g.SOLUTIONS / chapter / f"{chapter}.ipynb")
    code_cells = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    broken = next(i for i, cell in enumerate(code_cells) if i >= 3 and not g.nbgrader_meta(cell))
    code_cells[broken]["source"] = g.source(code_cells[broken]).rstrip() + "\nprint(undefined_tensor.shape)\n"
    (tmp_path / "solutions" / chapter).mkdir(parents=True)
    (tmp_path / "solutions" / chapter / f"{chapter}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
    shutil.copy(g.ROOT / "conftest.py", tmp_path / "conftest.py")

    args = pytest_command(make_dry_run("test"))
    args = [a for a in args if a not in ("tests", "solutions")]
    args[args.index("-n") + 1] = "2"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args, "solutions"],
        cwd=tmp_path,
        env=g.course_env(PYTHONPATH=os.pathsep.join([str(g.ROOT), str(g.ROOT / "tests" / "startup")])),
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = ANSI.sub("", proc.stdout + proc.stderr)
    assert proc.returncode == 1, out[-3000:]
    summary = out.strip().splitlines()[-1]
    assert f"1 failed, {len(code_cells) - 1} passed" in summary, out[-3000:]
    assert f"FAILED solutions/{chapter}/{chapter}.ipynb::Cell {broken}" in out, out[-3000:]
    assert f"Cell {broken}: Cell execution caused an exception" in out, out[-3000:]
    assert "print(undefined_tensor.shape)" in out and "NameError" in out, out[-3000:]
