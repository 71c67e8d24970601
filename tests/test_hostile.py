"""Broken and hostile submissions: one stock `nbgrader autograde` run over many synthetic students of
chapter 01, each grade checked exactly, and the students after them graded as usual.

Chapter 01 has three test cells: test_tensor_info (2 points, after the first answer cell),
test_affine (3, after the second) and test_to_one_hot (2, after the third): 7 points in all.
A submission broken at the start of the `affine` answer cell keeps the 2 points earned before it.
The per-cell timeout is lowered to 5 s here (`--Execute.timeout=5`); the course's is 180 s.
"""

from __future__ import annotations

import json

import pytest

import grading as g

CH = "ch01_tensors"
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("hostile")]

WRONG_AFFINE = (g.MUTANTS / CH / "affine__elementwise.py").read_text(encoding="utf-8")   # loses test_affine only
AT_START_OF_AFFINE = {
    "slow_cell": "while True:\n    pass\n",
    "ignores_interrupt": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n",
    "exits": "import os\nos._exit(1)\n",
    "killed": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)   # what the out-of-memory killer does\n",
}
APPENDED_TO_AFFINE = {
    "always_equal": '''
class _Anything:
    def __eq__(self, other):
        return True
    def __array__(self, dtype=None, copy=None):
        raise TypeError("no")
def affine(X, W, b):
    return _Anything()''',
    "lying_subclass": '''
class _Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)
    def __array__(self, dtype=None, copy=None):
        return np.full(self.shape, 42.0)
def affine(X, W, b):
    return np.zeros((len(X), np.shape(W)[1])).view(_Liar)''',
    "patches_numpy": WRONG_AFFINE + '''
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)''',
    "patches_utils_testing": WRONG_AFFINE + '''
import utils.testing
utils.testing.check_close = lambda *a, **k: None
utils.testing.check_type = lambda *a, **k: None''',
    "redefines_assertion_error": WRONG_AFFINE + '''
class AssertionError(Exception):
    pass''',
    # Rebinding the notebook's own name defeats check_close in-process, and this affine is wrong in
    # its values only (its shape checks are right): it scores full marks. The audit
    # (python -m utils.grading audit) flags it for review: see test_audit_flags_tampering_and_only_tampering.
    "rebinds_check_close": '''
def affine(X, W, b):
    if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
        raise ValueError(f"X {tuple(X.shape)}, W {tuple(W.shape)}, b {tuple(b.shape)}: shapes do not fit")
    return X @ W - b
check_close = lambda *a, **k: None''',
}
EXPECTED = {  # student -> points out of 7
    "blank": 0, "honest": 7, "slow_cell": 4, "ignores_interrupt": 2, "exits": 2, "killed": 2,
    "deletes_test": 4, "edits_test": 4, "edits_points": 7, "edits_grade_id": 4, "moves_test": 4,
    "always_equal": 4, "lying_subclass": 4, "patches_numpy": 4, "patches_utils_testing": 4,
    "redefines_assertion_error": 4, "rebinds_check_close": 7, "prints_a_lot": 7,
    "malformed_json": 0, "empty_file": 0, "nbformat_3": 0, "renamed_notebook": 0,
    "zz_honest_after_all_that": 7,
}
NO_NOTEBOOK = {"malformed_json", "empty_file", "nbformat_3", "renamed_notebook"}   # rejected before execution
REVIEW = {"patches_numpy", "patches_utils_testing", "redefines_assertion_error", "rebinds_check_close"}


def cell_index(nb: dict, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb["cells"]) if g.nbgrader_meta(c).get("grade_id") == grade_id)


def submissions(released: dict) -> dict[str, object]:
    """``{student: notebook dict, or the raw text of a broken file, or (file name, notebook)}``."""
    full = g.filled_submission(CH, released)
    wrong = g.filled_submission(CH, released, {"affine": WRONG_AFFINE})

    def changed(nb, fn):
        nb = json.loads(json.dumps(nb))
        fn(nb)
        return nb

    def prepend_to_affine(code):
        return lambda nb: nb["cells"][cell_index(nb, "affine")].__setitem__(
            "source", code + g.source(nb["cells"][cell_index(nb, "affine")]))

    def append_to_affine(code):
        return lambda nb: nb["cells"][cell_index(nb, "affine")].__setitem__(
            "source", g.source(nb["cells"][cell_index(nb, "affine")]) + "\n" + code)

    subs: dict[str, object] = {"blank": released, "honest": full, "zz_honest_after_all_that": full}
    for student, code in AT_START_OF_AFFINE.items():
        subs[student] = changed(full, prepend_to_affine(code))
    for student, code in APPENDED_TO_AFFINE.items():
        subs[student] = changed(full, append_to_affine(code))
    subs["deletes_test"] = changed(wrong, lambda nb: nb["cells"].pop(cell_index(nb, "test_affine")))
    subs["edits_test"] = changed(wrong, lambda nb: nb["cells"][cell_index(nb, "test_affine")].__setitem__(
        "source", "print('affine: all tests passed')"))
    subs["edits_points"] = changed(full, lambda nb: nb["cells"][cell_index(nb, "test_affine")]["metadata"]["nbgrader"]
                                   .__setitem__("points", 100))
    subs["edits_grade_id"] = changed(wrong, lambda nb: nb["cells"][cell_index(nb, "test_affine")]["metadata"]["nbgrader"]
                                     .__setitem__("grade_id", "test_affine_mine"))
    subs["moves_test"] = changed(wrong, lambda nb: nb["cells"].append(nb["cells"].pop(cell_index(nb, "test_affine"))))
    subs["prints_a_lot"] = changed(full, append_to_affine("for _i in range(200_000):\n    print('spam', _i)"))
    subs["malformed_json"] = json.dumps(full)[:-200]
    subs["empty_file"] = ""
    subs["nbformat_3"] = json.dumps(dict(full, nbformat=3, nbformat_minor=0))
    subs["renamed_notebook"] = ("my_work.ipynb", full)
    assert set(subs) == set(EXPECTED)
    return subs


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("hostile")
    released = g.load_nb(g.release(CH, course))
    for student, sub in submissions(released).items():
        folder = course / "submitted" / student / CH
        folder.mkdir(parents=True)
        name, content = sub if isinstance(sub, tuple) else (f"{CH}.ipynb", sub)
        (folder / name).write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    proc = g.run_nbgrader(course, "autograde", CH, "--force", "--Execute.timeout=5", check=False)
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in EXPECTED:
            nb = gb.find_submission_notebook(CH, CH, student)
            scores[student] = (float(nb.score), float(nb.max_score))
    return course, proc, scores


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_grade_is_the_honest_one(graded, student):
    _, proc, scores = graded
    assert scores[student] == (EXPECTED[student], 7.0), (
        f"{student}: graded {scores[student][0]} / {scores[student][1]}, expected {EXPECTED[student]} / 7\n{proc.stderr[-3000:]}")


def test_broken_files_get_a_clear_error_and_nothing_else_is_lost(graded):
    course, proc, _ = graded
    for student in NO_NOTEBOOK:
        assert f"for student '{student}'" in proc.stderr, f"no error reported for {student}"
    executed = {p.parts[-3] for p in (course / "autograded").glob(f"*/{CH}/{CH}.ipynb")}
    assert executed == set(EXPECTED) - NO_NOTEBOOK, f"autograded notebooks missing for {set(EXPECTED) - NO_NOTEBOOK - executed}"


def autograded(course, student: str) -> dict:
    return g.load_nb(course / "autograded" / student / CH / f"{CH}.ipynb")


@pytest.mark.parametrize("student", ["ignores_interrupt", "exits", "killed"])
def test_a_dead_or_stuck_kernel_is_reported_in_its_cell(graded, student):
    course, _, _ = graded
    nb = autograded(course, student)
    errors = g.errors(nb)
    stopped = [e for e in errors if e[1] in ("CellTimeoutError", "DeadKernelError")]
    assert stopped and stopped[0][0] == "affine", f"{student}: {errors}"
    later = [cell for cell, ename, _ in errors if ename == "NotRun"]
    assert {"test_affine", "to_one_hot", "test_to_one_hot"} <= set(later), f"{student}: cells marked not run: {later}"


def test_enormous_output_is_truncated(graded):
    course, _, _ = graded
    cell = autograded(course, "prints_a_lot")["cells"][cell_index(autograded(course, "prints_a_lot"), "affine")]
    text = "".join("".join(o.get("text", "")) for o in cell["outputs"] if o.get("output_type") == "stream")
    assert 0 < text.count("\n") <= 1001 and "Output truncated" in text


def test_audit_flags_tampering_and_only_tampering(graded):
    course, _, _ = graded
    proc = g.run_course_tool(course, "audit", CH)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    flagged = {line.split()[1] for line in proc.stdout.splitlines() if line.startswith("REVIEW ")}
    unreadable = {"malformed_json", "empty_file"}   # reported as unreadable notebooks
    assert flagged - unreadable == REVIEW, f"flagged {sorted(flagged)}\n{proc.stdout}"
