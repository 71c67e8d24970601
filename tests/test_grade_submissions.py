"""`make grade` (utils/grade_submissions.py): parallel workers on one gradebook lose no grade.

Seven ch01 submissions (full, blank, partial, and one that cannot be graded) are graded by 2 workers
in a temporary course while a third connection holds the gradebook locked for longer than sqlite's
default busy timeout (5 s) as the workers start. Every student must export exactly the expected grade.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import threading
import time

import harness as g
import pytest

CHAPTER = "ch01_tensors"
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("grade_submissions")]
# ch01: tensor_info 2 + affine 3 + to_one_hot 2 + masked_fill 4 = 11 points. `patcher` is right but patches np.allclose (no effect).
MAX = 11.0
EXPECTED = {"full": 11.0, "patcher": 11.0, "blank_a": 0.0, "blank_b": 0.0, "wrong_affine": 8.0, "no_one_hot": 9.0}
BROKEN = "broken"  # an empty file: autograde fails for this one student


def submissions() -> dict[str, str]:
    released = g.load_nb(g.RELEASED / CHAPTER / f"{CHAPTER}.ipynb")
    full = g.filled_submission(CHAPTER, released)
    mutant = (g.MUTANTS / CHAPTER / "affine__elementwise.py").read_text(encoding="utf-8")
    no_one_hot, patcher = json.loads(json.dumps(full)), json.loads(json.dumps(full))
    for cell in no_one_hot["cells"]:
        if g.is_answer_cell(cell) and "def to_one_hot" in g.source(cell):
            cell["source"] = "# YOUR CODE HERE\nraise NotImplementedError()"
    next(c for c in patcher["cells"] if g.is_answer_cell(c))["source"] += "\nnp.allclose = lambda *a, **k: True"
    notebooks = {
        "full": full,
        "patcher": patcher,
        "blank_a": released,
        "blank_b": released,
        "wrong_affine": g.filled_submission(CHAPTER, released, {"affine": mutant}),
        "no_one_hot": no_one_hot,
    }
    files = {student: json.dumps(nb, indent=1) for student, nb in notebooks.items()}
    files[BROKEN] = ""
    return files


def grade_submissions(course, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "utils.grade_submissions", *args],
        cwd=course,
        env=g.course_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )


def grade(course, jobs: int, hold_lock_s: float = 0.0) -> tuple[subprocess.CompletedProcess, dict]:
    g.release(CHAPTER, course)
    for student, text in submissions().items():
        folder = course / "submitted" / student / CHAPTER
        folder.mkdir(parents=True)
        (folder / f"{CHAPTER}.ipynb").write_text(text, encoding="utf-8")
    holder = None
    if hold_lock_s:
        db = sqlite3.connect(course / "gradebook.db", isolation_level=None, check_same_thread=False)
        db.execute("BEGIN EXCLUSIVE")  # nobody reads or writes the gradebook until it commits

        def release_later():
            time.sleep(hold_lock_s)
            db.execute("COMMIT")
            db.close()

        holder = threading.Thread(target=release_later)
        holder.start()
    proc = grade_submissions(course, CHAPTER, "--jobs", str(jobs))
    if holder:
        holder.join()
    g.run_nbgrader(course, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: (r["score"], r["max_score"]) for r in csv.DictReader(f)}
    return proc, rows


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """``{2: (course, process, exported rows)}``: graded by 2 workers while another connection holds the
    gradebook locked for 8 s. (A 1-worker run used to be compared too; the exact expected grade of every
    student below is the stronger check, and it halves this module's time inside `make test`.)"""
    course = tmp_path_factory.mktemp("jobs2")
    return {2: (course, *grade(course, 2, hold_lock_s=8.0))}


def test_parallel_grades_are_exact(courses):
    parallel = courses[2][2]
    for student, score in EXPECTED.items():
        assert float(parallel[student][0]) == score, (
            f"{student}: 2 workers exported {parallel[student]}, expected {score}"
        )
        assert float(parallel[student][1]) == MAX
    others = {student: row for student, row in parallel.items() if student not in EXPECTED}
    assert set(others) <= {BROKEN} and all(float(row[0]) == 0.0 for row in others.values()), others


def test_the_summary_table_and_the_exit_status(courses):
    for _, proc, _ in courses.values():
        assert proc.returncode == 1, proc.stdout + proc.stderr  # `broken` could not be graded
        rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.split()}
        assert "NOT GRADED" in rows[BROKEN] and "JSON" in rows[BROKEN], proc.stdout
        for student, score in EXPECTED.items():
            assert f"{score:g}/{MAX:g}" in rows[student] and "NOT GRADED" not in rows[student], proc.stdout
        assert "patches np.allclose" in rows["patcher"] and "audit" not in rows["full"], proc.stdout
        assert "6 of 7 submission(s) graded, 1 NOT graded" in proc.stdout
        assert "7/7" in proc.stderr and "submission" in proc.stderr  # tqdm's progress bar
    course = courses[2][0]
    assert (course / "autograde-logs" / CHAPTER / f"{BROKEN}.log").is_file()


def test_graded_work_is_kept_unless_forced(courses):
    course = courses[2][0]
    again = grade_submissions(course, CHAPTER, "--student", "full")
    assert again.returncode == 0 and "autograded before" in again.stdout, again.stdout + again.stderr


def test_no_submissions_is_a_usage_error(courses):
    proc = grade_submissions(courses[2][0], "ch99_missing")
    assert proc.returncode == 2 and "no submissions of ch99_missing" in proc.stderr
