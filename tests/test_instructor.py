"""The instructor's path end to end, with stock nbgrader commands on a temporary course:
release two chapters, add students, collect, autograde, generate feedback, export grades, and
check every exported grade exactly; plus `validate` and `audit` (utils/grading_tools.py)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil

import harness as g
import pytest

CHAPTERS = ("ch01_tensors", "ch02_perceptron")
# Max points, from the test cells' metadata: ch01 2 + 3 + 1 + 1 + 2 + 1 + 1; ch02 1 + 3 + 2 + 1 + 2 + 2 + 2.
MAX = {"ch01_tensors": 11.0, "ch02_perceptron": 13.0}
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("instructor")]


def blank(nb: dict, grade_id: str) -> dict:
    """``nb`` with one answer cell put back to the released stub (a learner who skipped it)."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        if g.nbgrader_meta(cell).get("grade_id") == grade_id:
            cell["source"] = "# YOUR CODE HERE\nraise NotImplementedError()"
    return nb


def submit(course, student: str, chapter: str, nb: dict) -> None:
    folder = course / "submitted" / student / chapter
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{chapter}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")


@pytest.fixture(scope="session")
def term(tmp_path_factory):
    """(Session-scoped: built once even when xdist interleaves this module with others.)
    A course after a whole term: 3 students x 2 chapters released, submitted, autograded,
    feedback generated and grades exported."""
    course = tmp_path_factory.mktemp("term")
    shutil.copy(g.ROOT / "nbgrader_config.py", course)
    released = {}
    for chapter in CHAPTERS:
        shutil.copytree(g.SOLUTIONS / chapter, course / "solutions" / chapter)
        g.run_nbgrader(course, "generate_assignment", chapter, "--force")  # creates gradebook.db
        released[chapter] = g.load_nb(course / "notebooks" / chapter / f"{chapter}.ipynb")
    # The class list in one command (the README's `nbgrader db student import students.csv`): each nbgrader
    # command costs about 3 s of CPU to start, so one import instead of three `db student add`.
    (course / "students.csv").write_text(
        "id,first_name,last_name\nalice,Alice,Kim\nbob,Bob,Lee\ncarol,Carol,Park\n", encoding="utf-8"
    )
    g.run_nbgrader(course, "db", "student", "import", "students.csv")
    mutant = (g.MUTANTS / "ch01_tensors" / "affine__elementwise.py").read_text(encoding="utf-8")
    work = {
        ("alice", "ch01_tensors"): g.filled_submission("ch01_tensors", released["ch01_tensors"]),
        ("alice", "ch02_perceptron"): g.filled_submission("ch02_perceptron", released["ch02_perceptron"]),
        # bob: a wrong affine (loses test_affine, 3 points); ch02 without the last exercise (loses 2)
        ("bob", "ch01_tensors"): g.filled_submission("ch01_tensors", released["ch01_tensors"], {"affine": mutant}),
        ("bob", "ch02_perceptron"): blank(
            g.filled_submission("ch02_perceptron", released["ch02_perceptron"]), "fixed_xor_network"
        ),
        # carol hands in the release unchanged
        ("carol", "ch01_tensors"): released["ch01_tensors"],
        ("carol", "ch02_perceptron"): released["ch02_perceptron"],
    }
    for (student, chapter), nb in work.items():
        submit(course, student, chapter, nb)
    for chapter in CHAPTERS:
        g.run_nbgrader(course, "autograde", chapter)
        g.run_nbgrader(course, "generate_feedback", chapter)
    g.run_nbgrader(course, "export", "--to", "grades.csv")
    return course


def test_exported_grades_are_exact(term):
    with open(term / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    expected = {
        ("alice", "ch01_tensors"): 11.0,
        ("alice", "ch02_perceptron"): 13.0,
        ("bob", "ch01_tensors"): 8.0,
        ("bob", "ch02_perceptron"): 11.0,
        ("carol", "ch01_tensors"): 0.0,
        ("carol", "ch02_perceptron"): 0.0,
    }
    assert set(rows) == set(expected), f"grades.csv has {sorted(rows)}"
    for key, score in expected.items():
        assert float(rows[key]["score"]) == score, f"{key}: exported {rows[key]['score']}, expected {score}"
        assert float(rows[key]["max_score"]) == MAX[key[1]], f"{key}: max_score {rows[key]['max_score']}"
    assert rows[("bob", "ch01_tensors")]["last_name"] == "Lee"


def test_feedback_reveals_no_hidden_test(term):
    for chapter in CHAPTERS:
        secrets = g.hidden_test_lines(chapter)
        assert secrets, f"{chapter}: found no hidden-test lines to look for"
        for student in ("alice", "bob", "carol"):
            html = (term / "feedback" / student / chapter / f"{chapter}.html").read_text(encoding="utf-8")
            text = (
                re.sub(r"<[^>]+>", "", html)
                .replace("&quot;", '"')
                .replace("&#39;", "'")
                .replace("&gt;", ">")
                .replace("&lt;", "<")
                .replace("&amp;", "&")
            )
            assert "HIDDEN TESTS" not in text, f"feedback/{student}/{chapter}: a hidden-test marker is left"
            leaked = [line for line in secrets if line in text]
            assert not leaked, f"feedback/{student}/{chapter} shows hidden-test code: {leaked[:3]}"
    # ...while it still says what failed, with the test's own message, and the score.
    bob = (term / "feedback" / "bob" / "ch01_tensors" / "ch01_tensors.html").read_text(encoding="utf-8")
    assert "affine(X, W, b)" in bob and "8.0" in bob


def test_autograded_notebooks_keep_hidden_tests_for_the_instructor(term):
    nb = g.load_nb(term / "autograded" / "bob" / "ch01_tensors" / "ch01_tensors.ipynb")
    assert "BEGIN HIDDEN TESTS" in json.dumps(nb)


def test_validate_exits_nonzero_on_failing_tests(term, tmp_path):
    released = term / "notebooks" / "ch01_tensors" / "ch01_tensors.ipynb"
    stub = g.run_course_tool(term, "validate", str(released))
    assert stub.returncode == 1, (
        f"validate on the blank release exited {stub.returncode}:\n{stub.stdout}\n{stub.stderr}"
    )
    assert "NotImplementedError" in stub.stdout
    # One block per failing test: grade id, points, the named check, the whole message; no cell source.
    assert "FAILED test_tensor_info (2 points) in test_tensor_info_returns_ndim_and_shape" in stub.stdout
    assert "7 of 7 test cell(s) failed" in stub.stdout and "def test_" not in stub.stdout
    solved = tmp_path / "ch01_tensors.ipynb"
    solved.write_text(json.dumps(g.filled_submission("ch01_tensors", g.load_nb(released))), encoding="utf-8")
    ok = g.run_course_tool(term, "validate", str(solved))
    assert ok.returncode == 0, f"validate on the solutions exited {ok.returncode}:\n{ok.stdout}\n{ok.stderr}"
    assert "Success" in ok.stdout
    missing = g.run_course_tool(term, "validate", str(tmp_path / "nope.ipynb"))
    assert missing.returncode == 1 and "no such notebook" in missing.stderr


def test_audit_finds_nothing_in_honest_work(term):
    for chapter in CHAPTERS:
        result = g.run_course_tool(term, "audit", chapter)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "nothing to review" in result.stdout


# ----------------------------------------------------------------------------- the README, verbatim
def readme_steps() -> list[str]:
    """The command of each step of the README's instructor table: the first `...` of its last column."""
    text = (g.ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## For instructors") :]
    steps = re.findall(r"^\| \d+\. .*\| `([^`]+)`[^|]*\|$", section, re.M)
    assert len(steps) >= 8, f"found {len(steps)} steps in the README's instructor table: {steps}"
    return steps


def fresh_clone(dest):
    """What `git clone` gives: the tracked files (and new ones not yet committed), nothing git ignores;
    `.venv` is the current environment, as after `make test` there."""
    import subprocess

    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=g.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = g.ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    (dest / ".venv").symlink_to(g.BIN.parent)
    return dest


def test_readme_quick_start_works_verbatim_on_a_fresh_clone(tmp_path):
    import subprocess

    if shutil.which("git") is None or not (g.ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = fresh_clone(tmp_path / "course")
    released = clone / "notebooks" / "ch01_tensors" / "ch01_tensors.ipynb"
    committed = released.read_bytes()
    (clone / "alice.ipynb").write_text(
        json.dumps(g.filled_submission("ch01_tensors", g.load_nb(released))), encoding="utf-8"
    )
    env = g.course_env(PYTHONPATH=os.pathsep.join([str(clone), str(clone / "tests" / "startup")]))
    for command in readme_steps():
        if command.startswith("make lab"):
            continue
        # `make` would reinstall the course when the copied pyproject.toml is newer than the environment's stamp.
        run = command.replace("make ", "make -o .venv/.installed ", 1) if command.startswith("make ") else command
        proc = subprocess.run(["bash", "-c", run], cwd=clone, env=env, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, (
            f"README step `{command}` failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
        assert "Skipping existing assignment" not in proc.stdout + proc.stderr, (
            f"`{command}` did nothing:\n{proc.stderr}"
        )
        if "generate_assignment" in command:
            assert released.read_bytes() == committed, "generate_assignment --force changed the committed release"
    with open(clone / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [
        (r["student_id"], r["assignment"], float(r["score"]), float(r["max_score"]), r["last_name"]) for r in rows
    ] == [("alice", "ch01_tensors", 11.0, 11.0, "Kim")], rows
    assert (clone / "feedback" / "alice" / "ch01_tensors" / "ch01_tensors.html").is_file()
