"""Broken and hostile submissions: one stock `nbgrader autograde` run over many synthetic students of
chapter 01, each grade checked exactly, and the students after them graded as usual.

Chapter 01 has seven test cells: test_tensor_info (2 points, after the first answer cell),
test_affine (3, after the second), test_to_one_hot and test_to_one_hot_errors (1 + 1, after the
third), test_masked_fill, test_masked_fill_copies and test_masked_fill_rejects (2 + 1 + 1, after the
fourth): 11 points in all.
A submission broken at the start of the `affine` answer cell keeps the 2 points earned before it.
The per-cell timeout is lowered to 10 s here (`--Execute.timeout=10`); the course's is 180 s.

Every kernel runs in the real sandbox (utils/sandbox.py, bubblewrap): the `attack_*` students attack the
grader, their classmates and the machine from inside it (ATTACKS below), with the address space and file
size limits lowered so that the test stays light. Each attack prints what it achieved as one `ATTACK {...}`
line, which the tests read back from the autograded notebook.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import harness as g
import pytest

CH = "ch01_tensors"
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("hostile")]

WRONG_AFFINE = (g.MUTANTS / CH / "affine__elementwise.py").read_text(encoding="utf-8")  # loses test_affine only
AT_START_OF_AFFINE = {
    "slow_cell": "while True:\n    pass\n",
    "ignores_interrupt": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n",
    "exits": "import os\nos._exit(1)\n",
    "killed": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)   # what the out-of-memory killer does\n",
}
APPENDED_TO_AFFINE = {
    "always_equal": """
class _Anything:
    def __eq__(self, other):
        return True
    def __array__(self, dtype=None, copy=None):
        raise TypeError("no")
def affine(X, W, b):
    return _Anything()""",
    "lying_subclass": """
class _Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)
    def __array__(self, dtype=None, copy=None):
        return np.full(self.shape, 42.0)
def affine(X, W, b):
    return np.zeros((len(X), np.shape(W)[1])).view(_Liar)""",
    "patches_numpy": WRONG_AFFINE
    + """
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)""",
    "patches_utils_testing": WRONG_AFFINE
    + """
import utils.testing
utils.testing.check_close = lambda *a, **k: None
utils.testing.check_type = lambda *a, **k: None""",
    "redefines_assertion_error": WRONG_AFFINE
    + """
class AssertionError(Exception):
    pass""",
    # Rebinding the notebook's own name defeats check_close in-process, and this affine is wrong in
    # its values only (its shape checks are right): it scores full marks. The audit
    # (python -m utils.grading_tools audit) flags it for review: see test_audit_flags_tampering_and_only_tampering.
    "rebinds_check_close": """
def affine(X, W, b):
    if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
        raise ValueError(f"X {tuple(X.shape)}, W {tuple(W.shape)}, b {tuple(b.shape)}: shapes do not fit")
    return X @ W - b
check_close = lambda *a, **k: None""",
}
# --- attacks from inside the sandbox ----------------------------------------------------------------
# Placeholders filled in by the fixture: {course} (the course folder's absolute path), {port} (a TCP server
# on 127.0.0.1), {secret} (a value only the grader's environment holds), {utils} (the course's utils folder
# on the host), {venv} (sys.prefix), {tag} (unique per run).
MEMORY_LIMIT_MB, FILE_SIZE_LIMIT_MB = (
    4096,
    8,
)  # lowered for this run (the course's: 6144 and 256); importing torch takes 3.2 GiB of address space
ATTACK_PRELUDE = """import json, os, signal, subprocess, sys, time
_r = {}
def _try(key, fn):
    try:
        _r[key] = "ok: " + repr(fn())[:200]
    except BaseException as error:
        _r[key] = "blocked: " + type(error).__name__
"""
ATTACK_REPORT = "print('ATTACK', json.dumps(_r, sort_keys=True), flush=True)\n"
ATTACKS = {
    # (a) read and rewrite the gradebook: every classmate's manual score to 0 (overrides the autograde)
    "attack_gradebook": """import sqlite3
def _rewrite(path):
    con = sqlite3.connect("file:" + path + "?mode=rw", uri=True)
    rows = con.execute("select count(*) from grade").fetchall()
    con.execute("update grade set manual_score = 0")
    con.commit()
    return rows
_try("gradebook", lambda: _rewrite("{course}/gradebook.db"))
_try("gradebook_relative", lambda: _rewrite("../../../gradebook.db"))
""",
    # (b) delete or overwrite classmates' submitted (graded later) and autograded (graded before) notebooks
    "attack_classmates": """_try("delete_submitted", lambda: os.remove("{course}/submitted/honest/ch01_tensors/ch01_tensors.ipynb"))
_try("overwrite_submitted", lambda: open("{course}/submitted/zz_honest_after_all_that/ch01_tensors/ch01_tensors.ipynb", "w").write("{{}}"))
_try("delete_autograded", lambda: os.remove("../../always_equal/ch01_tensors/ch01_tensors.ipynb"))
_try("overwrite_autograded", lambda: open("{course}/autograded/always_equal/ch01_tensors/ch01_tensors.ipynb", "w").write("{{}}"))
""",
    # (c) instructor files, (d) the grader's environment, (e) writing outside its folder, (f) network,
    # and symbolic links that would make the grader write into the gradebook or copy it into feedback
    "attack_snoop": """_try("solutions", lambda: open("{course}/solutions/ch01_tensors/ch01_tensors.ipynb").read())
_try("source_relative", lambda: os.listdir("../../../solutions"))
_try("course_folder", lambda: sorted(os.listdir("{course}")))
_try("autograded_folder", lambda: sorted(os.listdir("{course}/autograded")))
_try("config", lambda: open("{course}/nbgrader_config.py").read())
_try("own_notebook_hidden_tests", lambda: open("ch01_tensors.ipynb").read().index("BEGIN HIDDEN TESTS"))
_try("home", lambda: os.listdir("/home"))
_r["root_folder"] = sorted(os.listdir("/root"))
_r["environ"] = dict(os.environ)
_r["proc_environ"] = {{}}
for _pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    _try("_e", lambda: open(f"/proc/{{_pid}}/environ", "rb").read().decode(errors="replace"))
    _r["proc_environ"][_pid] = _r.pop("_e")
for _key, _path in [("write_course", "{course}/pwned"), ("write_relative", "../../../pwned"),
                    ("write_solutions", "{course}/solutions/pwned"), ("write_venv", "{venv}/pwned.py"),
                    ("write_utils", "{utils}/pwned.py"), ("write_utils_in_sandbox", "/course/utils/testing.py"),
                    ("write_tmp", "/tmp/pwned-{tag}"), ("write_home", os.path.expanduser("~/pwned-{tag}"))]:
    _try(_key, lambda: open(_path, "a").write("pwned"))
import socket
_try("connect_localhost", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=3).sendall(b"pwned"))
_try("symlink_to_gradebook", lambda: os.symlink("{course}/gradebook.db", "leak.ipynb"))
_try("symlink_to_solutions", lambda: os.symlink("{course}/solutions", "solutions_leak"))
""",
    # (g) memory beyond the limit, (h) hundreds of processes, (i) a huge file
    "attack_limits": f"""_try("allocate", lambda: len(bytearray({MEMORY_LIMIT_MB + 1024} * 2**20)))
_procs = []
def _spawn():
    for _ in range(1000):
        _procs.append(subprocess.Popen(["sleep", "600"]))
_try("processes", _spawn)
_r["processes_started"] = len(_procs)
for _p in _procs:
    _p.kill()
    _p.wait()
def _write():
    with open("huge.bin", "wb") as f:
        for _ in range({FILE_SIZE_LIMIT_MB * 4}):
            f.write(bytes(2**20))
_try("huge_file", _write)
""",
    # (j) background processes that try to outlive the kernel, writing a marker file every 0.2 s
    "attack_background": """subprocess.Popen(["sh", "-c", "while true; do date +%s%N > bg_marker; sleep 0.2; done"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            with open("fork_marker", "w") as f:
                f.write(str(time.time()))
            time.sleep(0.2)
    os._exit(0)
time.sleep(1)
""",
    # (k) kill the grader: its parent, every visible process, kill -9 -1, then its own process group (the kernel dies)
    "attack_kill_grader": """_try("kill_parent", lambda: os.kill(os.getppid(), signal.SIGKILL))
_r["visible_pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
for _pid in _r["visible_pids"]:
    if _pid != os.getpid():
        _try(f"kill_{{_pid}}", lambda: os.kill(_pid, signal.SIGKILL))
_try("kill_minus_1", lambda: os.kill(-1, signal.SIGKILL))   # every process it may signal but itself
print('ATTACK', json.dumps(_r, sort_keys=True), flush=True)
time.sleep(0.5)
os.killpg(0, signal.SIGKILL)   # its own process group: the kernel itself
""",
    # In-process, so the sandbox cannot stop it: an IPython input transformer that blanks every later test
    # cell (full marks for a wrong answer) and an event that prints every later cell (the hidden tests).
    # `make audit` flags it (see REVIEW).
    "attack_ipython_hooks": """def _blank_tests(lines):
    return ["pass\\n"] if any("check_" in line for line in lines) else lines
get_ipython().input_transformers_cleanup.append(_blank_tests)
get_ipython().events.register("pre_run_cell", lambda info: print("LEAK", len(info.raw_cell)))
""",
}
ATTACKED_AFFINE = {
    "attack_gradebook",
    "attack_ipython_hooks",
}  # submitted with a wrong affine: the attack must not earn it points

MAX = 11.0  # chapter 01's points: see the module docstring
EXPECTED = {  # student -> points out of 11 (MAX)
    "blank": 0,
    "honest": 11,
    "slow_cell": 8,
    "ignores_interrupt": 2,
    "exits": 2,
    "killed": 2,
    "deletes_test": 8,
    "edits_test": 8,
    "edits_points": 11,
    "edits_grade_id": 8,
    "moves_test": 8,
    "always_equal": 8,
    "lying_subclass": 8,
    "patches_numpy": 8,
    "patches_utils_testing": 8,
    "redefines_assertion_error": 8,
    "rebinds_check_close": 11,
    "prints_a_lot": 11,
    "malformed_json": 0,
    "empty_file": 0,
    "nbformat_3": 0,
    "renamed_notebook": 0,
    "zz_honest_after_all_that": 11,
    "attack_gradebook": 8,
    "attack_classmates": 11,
    "attack_snoop": 11,
    "attack_limits": 11,
    "attack_background": 11,
    "attack_ipython_hooks": 11,  # not prevented in-process: flagged by the audit
    "attack_kill_grader": 2,  # killpg(0) kills its own kernel in the affine cell: 2 points earned before
}
NO_NOTEBOOK = {"malformed_json", "empty_file", "nbformat_3", "renamed_notebook"}  # rejected before execution
REVIEW = {
    "patches_numpy",
    "patches_utils_testing",
    "redefines_assertion_error",
    "rebinds_check_close",
    "attack_ipython_hooks",
}


def cell_index(nb: dict, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb["cells"]) if g.nbgrader_meta(c).get("grade_id") == grade_id)


def submissions(released: dict, fill: dict[str, str]) -> dict[str, object]:
    """``{student: notebook dict, or the raw text of a broken file, or (file name, notebook)}``."""
    full = g.filled_submission(CH, released)
    wrong = g.filled_submission(CH, released, {"affine": WRONG_AFFINE})

    def changed(nb, fn):
        nb = json.loads(json.dumps(nb))
        fn(nb)
        return nb

    def prepend_to_affine(code):
        return lambda nb: nb["cells"][cell_index(nb, "affine")].__setitem__(
            "source", code + g.source(nb["cells"][cell_index(nb, "affine")])
        )

    def append_to_affine(code):
        return lambda nb: nb["cells"][cell_index(nb, "affine")].__setitem__(
            "source", g.source(nb["cells"][cell_index(nb, "affine")]) + "\n" + code
        )

    subs: dict[str, object] = {"blank": released, "honest": full, "zz_honest_after_all_that": full}
    for student, code in AT_START_OF_AFFINE.items():
        subs[student] = changed(full, prepend_to_affine(code))
    for student, code in APPENDED_TO_AFFINE.items():
        subs[student] = changed(full, append_to_affine(code))
    subs["deletes_test"] = changed(wrong, lambda nb: nb["cells"].pop(cell_index(nb, "test_affine")))
    subs["edits_test"] = changed(
        wrong,
        lambda nb: nb["cells"][cell_index(nb, "test_affine")].__setitem__(
            "source", "print('affine: all tests passed')"
        ),
    )
    subs["edits_points"] = changed(
        full, lambda nb: nb["cells"][cell_index(nb, "test_affine")]["metadata"]["nbgrader"].__setitem__("points", 100)
    )
    subs["edits_grade_id"] = changed(
        wrong,
        lambda nb: nb["cells"][cell_index(nb, "test_affine")]["metadata"]["nbgrader"].__setitem__(
            "grade_id", "test_affine_mine"
        ),
    )
    subs["moves_test"] = changed(wrong, lambda nb: nb["cells"].append(nb["cells"].pop(cell_index(nb, "test_affine"))))
    subs["prints_a_lot"] = changed(full, append_to_affine("for _i in range(200_000):\n    print('spam', _i)"))
    subs["malformed_json"] = json.dumps(full)[:-200]
    subs["empty_file"] = ""
    subs["nbformat_3"] = json.dumps(dict(full, nbformat=3, nbformat_minor=0))
    subs["renamed_notebook"] = ("my_work.ipynb", full)
    for student, code in ATTACKS.items():
        attack = ATTACK_PRELUDE + code.format(**fill) + ("" if "ATTACK" in code else ATTACK_REPORT)
        subs[student] = changed(wrong if student in ATTACKED_AFFINE else full, prepend_to_affine(attack + "\n"))
    assert set(subs) == set(EXPECTED)
    return subs


class Listener:
    """A TCP server on 127.0.0.1 that records every connection (the sandbox must not reach it)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, addr = self.sock.accept()
            except OSError:
                return
            self.connections.append(addr)
            conn.close()


SECRET_NAME, SECRET = "DLF_TEST_SECRET", "s3cr3t-only-the-grader-knows"


def read_scores(course) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {
            student: (float(nb.score), float(nb.max_score))
            for student in EXPECTED
            for nb in [gb.find_submission_notebook(CH, CH, student)]
        }


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    import utils.sandbox

    problem = g.sandbox_problem()
    if problem:
        if g.sandbox_required():
            pytest.fail(f"the grading sandbox is required here (CI or DLF_REQUIRE_SANDBOX=1): {problem}")
        pytest.skip(f"no grading sandbox here: {problem}")

    course = tmp_path_factory.mktemp("hostile")
    released = g.load_nb(g.release(CH, course))
    listener = Listener()
    tag = f"{os.getpid()}-{time.time_ns()}"
    fill = dict(
        course=str(course),
        port=listener.port,
        secret=SECRET,
        utils=str(Path(utils.sandbox.__file__).parent),
        venv=os.path.realpath(os.sys.prefix),
        tag=tag,
    )
    for student, sub in submissions(released, fill).items():
        folder = course / "submitted" / student / CH
        folder.mkdir(parents=True)
        name, content = sub if isinstance(sub, tuple) else (f"{CH}.ipynb", sub)
        (folder / name).write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    before = {p: p.read_bytes() for p in (course / "submitted").glob(f"*/{CH}/*.ipynb")}
    limits = (
        f"--SandboxKernelManager.memory_limit_mb={MEMORY_LIMIT_MB}",
        f"--SandboxKernelManager.max_file_size_mb={FILE_SIZE_LIMIT_MB}",
    )
    os.environ[SECRET_NAME] = SECRET  # in the grader's environment only
    try:
        start = time.monotonic()
        proc = g.run_nbgrader(course, "autograde", CH, "--force", "--Execute.timeout=10", *limits, check=False)
        seconds = time.monotonic() - start
        scores = read_scores(course)
        # a regrade of the honest students (a manual score written by an attacker would survive it)
        regrade = g.run_nbgrader(
            course, "autograde", CH, "--force", "--student=*honest*", "--Execute.timeout=10", *limits, check=False
        )
    finally:
        del os.environ[SECRET_NAME]
    return dict(
        course=course,
        proc=proc,
        scores=scores,
        regraded=read_scores(course),
        regrade=regrade,
        listener=listener,
        tag=tag,
        before=before,
        seconds=seconds,
    )


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_grade_is_the_honest_one(graded, student):
    proc, scores = graded["proc"], graded["scores"]
    assert scores[student] == (EXPECTED[student], MAX), (
        f"{student}: graded {scores[student][0]} / {scores[student][1]}, expected {EXPECTED[student]} / {MAX}\n{proc.stderr[-3000:]}"
    )


def test_broken_files_get_a_clear_error_and_nothing_else_is_lost(graded):
    course, proc = graded["course"], graded["proc"]
    for student in NO_NOTEBOOK:
        assert f"for student '{student}'" in proc.stderr, f"no error reported for {student}"
    executed = {p.parts[-3] for p in (course / "autograded").glob(f"*/{CH}/{CH}.ipynb")}
    assert executed == set(EXPECTED) - NO_NOTEBOOK, (
        f"autograded notebooks missing for {set(EXPECTED) - NO_NOTEBOOK - executed}"
    )


def autograded(course, student: str) -> dict:
    return g.load_nb(course / "autograded" / student / CH / f"{CH}.ipynb")


@pytest.mark.parametrize("student", ["ignores_interrupt", "exits", "killed"])
def test_a_dead_or_stuck_kernel_is_reported_in_its_cell(graded, student):
    course = graded["course"]
    nb = autograded(course, student)
    errors = g.errors(nb)
    stopped = [e for e in errors if e[1] in ("CellTimeoutError", "DeadKernelError")]
    assert stopped and stopped[0][0] == "affine", f"{student}: {errors}"
    later = [cell for cell, ename, _ in errors if ename == "NotRun"]
    assert {"test_affine", "to_one_hot", "test_to_one_hot"} <= set(later), f"{student}: cells marked not run: {later}"


def test_enormous_output_is_truncated(graded):
    course = graded["course"]
    cell = autograded(course, "prints_a_lot")["cells"][cell_index(autograded(course, "prints_a_lot"), "affine")]
    text = "".join("".join(o.get("text", "")) for o in cell["outputs"] if o.get("output_type") == "stream")
    assert 0 < text.count("\n") <= 1001 and "Output truncated" in text


def test_audit_flags_tampering_and_only_tampering(graded):
    course = graded["course"]
    proc = g.run_course_tool(course, "audit", CH)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    flagged = {line.split()[1] for line in proc.stdout.splitlines() if line.startswith("REVIEW ")}
    unreadable = {"malformed_json", "empty_file"}  # reported as unreadable notebooks
    assert flagged - unreadable == REVIEW, f"flagged {sorted(flagged)}\n{proc.stdout}"


# ----------------------------------------------------------------------------- attacks from the sandbox
def attack_report(course, student: str) -> dict:
    nb = autograded(course, student)
    text = "".join(
        "".join(o.get("text", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    lines = [line for line in text.splitlines() if line.startswith("ATTACK ")]
    assert lines, f"{student}: no ATTACK report in its outputs: {g.errors(nb)}"
    return json.loads(lines[-1][len("ATTACK ") :])


def blocked(report: dict, *keys: str) -> None:
    for key in keys:
        assert report[key].startswith("blocked"), f"{key}: {report[key]}"


def test_sandbox_is_really_there(graded):
    """The attacks ran inside bubblewrap (not in an unprotected kernel that merely failed)."""
    assert "NOT sandboxed" not in graded["proc"].stderr
    report = attack_report(graded["course"], "attack_kill_grader")
    assert report["visible_pids"][:2] == [1, 2], report["visible_pids"]  # a PID namespace of its own


def test_classmates_grades_stay_exact_after_a_regrade(graded):
    assert graded["regrade"].returncode == 0, graded["regrade"].stderr[-3000:]
    assert graded["regraded"] == graded["scores"] and graded["scores"]["honest"] == (MAX, MAX)


def test_gradebook_cannot_be_read_or_written(graded):
    blocked(attack_report(graded["course"], "attack_gradebook"), "gradebook", "gradebook_relative")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded['course'] / 'gradebook.db'}") as gb:
        manual = [
            grade.manual_score
            for sub in gb.assignment_submissions(CH)
            for nb in sub.notebooks
            for grade in nb.grades
            if grade.manual_score is not None
        ]
    assert manual == [], f"manual scores appeared: {manual}"


def test_classmates_notebooks_cannot_be_touched_and_nothing_is_lost(graded):
    course = graded["course"]
    blocked(
        attack_report(course, "attack_classmates"),
        "delete_submitted",
        "overwrite_submitted",
        "delete_autograded",
        "overwrite_autograded",
    )
    for path, content in graded["before"].items():
        assert path.read_bytes() == content, f"{path} changed"
    victim = autograded(course, "always_equal")
    assert len(victim["cells"]) > 10 and graded["scores"]["always_equal"] == (EXPECTED["always_equal"], MAX)


def test_instructor_files_environment_and_outside_world_are_out_of_reach(graded):
    course = graded["course"]
    report = attack_report(course, "attack_snoop")
    # the course folder holds only the path down to its own folder
    assert (report["course_folder"], report["autograded_folder"]) == ("ok: ['autograded']", "ok: ['attack_snoop']"), (
        report
    )
    blocked(
        report,
        "solutions",
        "source_relative",
        "config",
        "home",
        "own_notebook_hidden_tests",
        "write_course",
        "write_relative",
        "write_solutions",
        "write_venv",
        "write_utils",
        "write_utils_in_sandbox",
        "connect_localhost",
    )
    assert set(report["root_folder"]) <= {".pyenv"}, report["root_folder"]  # only a bound Python, if it lives there
    assert SECRET_NAME not in report["environ"], sorted(report["environ"])
    assert SECRET not in json.dumps(autograded(course, "attack_snoop")), "the grader's secret reached the kernel"
    assert graded["listener"].connections == [], "the kernel reached a server on 127.0.0.1"
    tag = graded["tag"]
    assert not list(Path("/tmp").glob(f"pwned-{tag}")) and not list(Path.home().glob(f"pwned-{tag}")), (
        "the private /tmp or HOME leaked to the host"
    )
    for path in (course / "pwned", course / "solutions" / "pwned", Path(os.sys.prefix) / "pwned.py"):
        assert not path.exists(), path
    assert not (Path(g.ROOT) / "utils" / "pwned.py").exists()


def test_symbolic_links_left_by_a_kernel_are_removed(graded):
    folder = graded["course"] / "autograded" / "attack_snoop" / CH
    report = attack_report(graded["course"], "attack_snoop")
    assert report["symlink_to_gradebook"].startswith("ok"), report  # allowed inside, removed after the kernel stops
    assert not [p for p in folder.rglob("*") if p.is_symlink()]
    assert g.load_nb(folder / f"{CH}.ipynb")["cells"], "the autograded notebook is a notebook"


def test_memory_processes_and_file_size_are_limited(graded):
    course = graded["course"]
    report = attack_report(course, "attack_limits")
    blocked(report, "allocate", "processes", "huge_file")
    assert report["processes_started"] < 256, report
    huge = course / "autograded" / "attack_limits" / CH / "huge.bin"
    assert huge.stat().st_size <= FILE_SIZE_LIMIT_MB * 2**20


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text in (proc / "cmdline").read_bytes().decode(errors="replace"):
                found.append(proc.name)
        except OSError:
            pass
    return found


def test_background_processes_die_with_their_kernel(graded):
    folder = graded["course"] / "autograded" / "attack_background" / CH
    markers = [folder / "bg_marker", folder / "fork_marker"]
    assert all(m.exists() for m in markers), "the background processes never ran"
    stamps = [m.stat().st_mtime_ns for m in markers]
    time.sleep(1.0)
    assert [m.stat().st_mtime_ns for m in markers] == stamps, "a background process still writes"
    assert _processes_mentioning("bg_marker") == []


def test_killing_everything_kills_only_its_own_kernel(graded):
    course = graded["course"]
    errors = g.errors(autograded(course, "attack_kill_grader"))
    assert ("affine", "DeadKernelError") in [(cell, ename) for cell, ename, _ in errors], errors
    report = attack_report(course, "attack_kill_grader")
    blocked(report, *[k for k in report if k.startswith("kill_")])
    assert graded["scores"]["zz_honest_after_all_that"] == (MAX, MAX)
