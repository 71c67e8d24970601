"""`make grade` (utils/grade_submissions.py): parallel workers on one gradebook lose no grade.

The same seven ch01 submissions (full, blank, partial, and one that cannot be graded) are graded in
two temporary courses, with 1 worker and with 2; in the 2-worker run a third connection holds the
gradebook locked for longer than sqlite's default busy timeout (5 s) while the workers start.
Both runs must export exactly the expected grades, identical to each other.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

import grading as g

CHAPTER = "ch01_tensors"
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("grade_submissions")]
# ch01: tensor_info 2 + affine 3 + to_one_hot 2 points.
EXPECTED = {"full_a": 7.0, "full_b": 7.0, "blank_a": 0.0, "blank_b": 0.0,
            "wrong_affine": 4.0, "no_one_hot": 5.0}
BROKEN = "broken"          # an empty file: autograde fails for this one student


def submissions() -> dict[str, str]:
    released = g.load_nb(g.RELEASED / CHAPTER / f"{CHAPTER}.ipynb")
    full = g.filled_submission(CHAPTER, released)
    mutant = (g.MUTANTS / CHAPTER / "affine__elementwise.py").read_text(encoding="utf-8")
    no_one_hot = json.loads(json.dumps(full))
    for cell in no_one_hot["cells"]:
        if g.is_answer_cell(cell) and "def to_one_hot" in g.source(cell):
            cell["source"] = "# YOUR CODE HERE\nraise NotImplementedError()"
    notebooks = {"full_a": full, "full_b": full, "blank_a": released, "blank_b": released,
                 "wrong_affine": g.filled_submission(CHAPTER, released, {"affine": mutant}), "no_one_hot": no_one_hot}
    files = {student: json.dumps(nb, indent=1) for student, nb in notebooks.items()}
    files[BROKEN] = ""
    return files


def grade(course, jobs: int, hold_lock_s: float = 0.0) -> tuple[subprocess.CompletedProcess, dict]:
    g.release(CHAPTER, course)
    for student, text in submissions().items():
        folder = course / "submitted" / student / CHAPTER
        folder.mkdir(parents=True)
        (folder / f"{CHAPTER}.ipynb").write_text(text, encoding="utf-8")
    holder = None
    if hold_lock_s:
        db = sqlite3.connect(course / "gradebook.db", isolation_level=None, check_same_thread=False)
        db.execute("BEGIN EXCLUSIVE")           # nobody reads or writes the gradebook until it commits

        def release_later():
            time.sleep(hold_lock_s)
            db.execute("COMMIT")
            db.close()

        holder = threading.Thread(target=release_later)
        holder.start()
    proc = subprocess.run([sys.executable, "-m", "utils.grade_submissions", CHAPTER, "--jobs", str(jobs)],
                          cwd=course, env=g.course_env(), capture_output=True, text=True, timeout=900)
    if holder:
        holder.join()
    g.run_nbgrader(course, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: (r["score"], r["max_score"]) for r in csv.DictReader(f)}
    return proc, rows


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    serial = grade(tmp_path_factory.mktemp("jobs1"), jobs=1)
    parallel = grade(tmp_path_factory.mktemp("jobs2"), jobs=2, hold_lock_s=8)
    return serial, parallel


def test_parallel_grades_are_exact_and_equal_the_serial_ones(runs):
    (_, serial), (_, parallel) = runs
    for student, score in EXPECTED.items():
        assert float(parallel[student][0]) == score, f"{student}: 2 workers exported {parallel[student]}, expected {score}"
        assert float(parallel[student][1]) == 7.0
    assert parallel == serial, f"2 workers: {parallel}\n1 worker: {serial}"


def test_an_ungradable_submission_sets_the_exit_status_and_stops_nobody(runs):
    for proc, _ in runs:
        assert proc.returncode == 1, proc.stdout + proc.stderr
        table = proc.stdout
        broken = next(line for line in table.splitlines() if line.startswith(BROKEN))
        assert "NOT GRADED" in broken, table
        for student, score in EXPECTED.items():
            row = next(line for line in table.splitlines() if line.startswith(student + " "))
            assert f"{score:g}/7" in row and "NOT GRADED" not in row, table
        assert "6 of 7 submission(s) graded, 1 NOT graded" in table


def test_summary_flags_tampering_and_the_progress_bar_runs(tmp_path):
    course = tmp_path
    released_path = g.release(CHAPTER, course)
    nb = g.filled_submission(CHAPTER, g.load_nb(released_path))
    for cell in nb["cells"]:
        if g.is_answer_cell(cell):
            cell["source"] += "\nnp.allclose = lambda *a, **k: True"
            break
    folder = course / "submitted" / "patcher" / CHAPTER
    folder.mkdir(parents=True)
    (folder / f"{CHAPTER}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "utils.grade_submissions", CHAPTER, "--jobs", "2"],
                          cwd=course, env=g.course_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    row = next(line for line in proc.stdout.splitlines() if line.startswith("patcher"))
    assert "7/7" in row and "audit: " in row and "patches np.allclose" in row, proc.stdout
    assert "1/1" in proc.stderr and "submission" in proc.stderr        # tqdm's bar, on stderr
    assert (course / "autograde-logs" / CHAPTER / "patcher.log").is_file()
    again = subprocess.run([sys.executable, "-m", "utils.grade_submissions", CHAPTER],
                           cwd=course, env=g.course_env(), capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "autograded before" in again.stdout, again.stdout + again.stderr


def test_no_submissions_is_a_usage_error(tmp_path):
    g.release(CHAPTER, tmp_path)
    proc = subprocess.run([sys.executable, "-m", "utils.grade_submissions", CHAPTER],
                          cwd=tmp_path, env=g.course_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2 and "no submissions of ch01_tensors" in proc.stderr
