"""Autograde every submission of a chapter, N at a time: ``make grade CH=ch01_tensors JOBS=4``.

    python -m utils.grade_submissions CHAPTER [--jobs N] [--force] [--student ID ...]

Run it from the course root, like nbgrader. Each submission ``submitted/<student>/<chapter>/`` is
graded by stock ``nbgrader autograde CHAPTER --student <student>`` in its own process, so
``nbgrader_config.py`` applies unchanged to every worker (executor, per-cell timeout, sandbox,
limits). All workers write to the one gradebook. Afterwards a table lists each student's score,
the seconds their grading took and flags: ``NOT GRADED`` (with the reason), ``audit: ...`` (the
tampering audit of :mod:`utils.grading_tools`, as ``make audit``), ``late``, ``manual grading``. The
exit status is 1 when a submission could not be graded, 2 on a usage error, else 0.

Why this is safe with one SQLite gradebook: nbgrader does not support parallel autograding itself
(jupyter/nbgrader#174, open since 2015), but ``--student`` processes touch disjoint rows: each
writes its student's submission rows when it starts and its grades when it ends, in short
transactions, and SQLite serializes writers. A writer that finds the file locked waits for the
busy timeout (5 s in Python's sqlite3) and then fails with "database is locked", and a stock
``nbgrader autograde`` of the whole chapter would then stop for everyone. Here the timeout is
raised to :data:`SQLITE_TIMEOUT` seconds (``?timeout=`` in the configured sqlite URL), and a
student whose process still fails for a transient reason (:data:`TRANSIENT`) is graded again, up
to :data:`ATTEMPTS` times; scores are read back from the gradebook only after every worker has
finished. ``tests/test_grade_submissions.py`` checks that 2 workers export exactly the grades of 1.

Each worker's kernel gets ``cores // jobs`` math threads (``OMP_NUM_THREADS`` and friends, unless
already set), so N workers do not fight over the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

#: seconds a worker waits for another worker's gradebook write before "database is locked".
SQLITE_TIMEOUT = 120
#: tries per submission when a failure is transient (see TRANSIENT).
ATTEMPTS = 3
#: failures that say nothing about the submission: the gradebook was busy, or a kernel's port was taken.
TRANSIENT = re.compile(r"database is locked|Address already in use|Kernel didn't respond|Kernel died before replying")
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@dataclass
class Result:
    student: str
    returncode: int = -1
    seconds: float = 0.0
    attempts: int = 0
    log: str = ""
    score: float | None = None
    max_score: float | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def graded(self) -> bool:
        return self.returncode == 0 and self.score is not None


def course_settings() -> tuple[str, Path, Path]:
    """``(db_url, submitted folder, released folder)`` as nbgrader_config.py in the working directory sets them."""
    from nbgrader.apps.baseapp import NbGrader

    app = NbGrader()
    app.initialize([])  # reads nbgrader_config.py like every nbgrader command
    coursedir = app.coursedir
    root = Path(coursedir.root)
    return coursedir.db_url, root / coursedir.submitted_directory, root / coursedir.release_directory


def patient_db_url(db_url: str) -> str:
    """The sqlite URL with a busy timeout of SQLITE_TIMEOUT s; other databases (and a URL that sets its own
    options) unchanged."""
    if db_url.startswith("sqlite:") and "?" not in db_url:
        return f"{db_url}?timeout={SQLITE_TIMEOUT}"
    return db_url


def worker_env(jobs: int) -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)  # nbgrader runs helper programs (alembic) from PATH
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    threads = str(max(1, (os.cpu_count() or 1) // jobs))
    for var in THREAD_VARS:
        env.setdefault(var, threads)
    return env


def nbgrader_command() -> str:
    local = Path(sys.executable).parent / "nbgrader"
    return str(local) if local.exists() else "nbgrader"


def grade_one(chapter: str, student: str, db_url: str, force: bool, env: dict[str, str]) -> Result:
    """``nbgrader autograde CHAPTER --student STUDENT``, again while the failure is transient."""
    result = Result(student)
    command = [nbgrader_command(), "autograde", chapter, "--student", student, f"--CourseDirectory.db_url={db_url}"]
    start = time.monotonic()
    for attempt in range(1, ATTEMPTS + 1):
        # A retry must redo what the failed try left half-done in the gradebook: --force.
        proc = subprocess.run(
            command + (["--force"] if force or attempt > 1 else []),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        result.returncode, result.log, result.attempts = proc.returncode, proc.stdout, attempt
        if proc.returncode == 0 or not TRANSIENT.search(proc.stdout):
            break
    if result.returncode == 0 and "Skipping existing assignment" in result.log:
        result.flags.append("autograded before: kept (--force regrades)")
    result.seconds = time.monotonic() - start
    return result


def why_not_graded(log: str) -> str:
    """The most telling line of a failed autograde's log."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for line in reversed(lines):
        if re.search(r"\w+(Error|Exception): ", line) and "NbGraderException" not in line:
            return line[-160:]
    errors = [line for line in lines if "| ERROR]" in line]
    return (errors or lines or ["no output"])[0][-160:]


def read_scores(chapter: str, results: list[Result], db_url: str) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        for result in results:
            try:
                submission = gb.find_submission(chapter, result.student)
            except MissingEntry:
                continue
            result.score, result.max_score = float(submission.score), float(submission.max_score)
            if submission.total_seconds_late > 0:
                result.flags.append(f"late ({submission.total_seconds_late:.0f} s)")
            if submission.needs_manual_grade:
                result.flags.append("manual grading")


def audit_flags(chapter: str, results: list[Result], submitted: Path, released: Path) -> None:
    from utils.grading_tools import tampering

    released_nb = released / chapter / f"{chapter}.ipynb"
    if not released_nb.is_file():
        return
    release = json.loads(released_nb.read_text(encoding="utf-8"))
    for result in results:
        for path in sorted((submitted / result.student / chapter).glob("*.ipynb")):
            try:
                reasons = tampering(json.loads(path.read_text(encoding="utf-8")), release)
            except (json.JSONDecodeError, UnicodeDecodeError):
                reasons = []  # autograde reports an unreadable notebook itself
            if reasons:
                result.flags.append(
                    f"audit: {reasons[0]}" + (f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else "")
                )


def table(chapter: str, results: list[Result]) -> str:
    rows = [("student", "score", "seconds", "flags")]
    for r in sorted(results, key=lambda r: r.student):
        score = f"{r.score:g}/{r.max_score:g}" if r.score is not None else "-"
        flags = r.flags if r.graded else [f"NOT GRADED: {why_not_graded(r.log)}", *r.flags]
        rows.append((r.student, score, f"{r.seconds:.1f}", "; ".join(flags)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:>{widths[2]}}  {d}".rstrip() for a, b, c, d in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    failed = sum(not r.graded for r in results)
    lines.append(
        f"{chapter}: {len(results) - failed} of {len(results)} submission(s) graded"
        + (f", {failed} NOT graded (see above; the autograde log of each is in {LOG_DIR}/)" if failed else "")
    )
    return "\n".join(lines)


LOG_DIR = "autograde-logs"


def parse_jobs(value: str) -> int:
    jobs = (os.cpu_count() or 1) if value == "auto" else int(value)
    if jobs < 1:
        raise argparse.ArgumentTypeError("JOBS must be a positive number or 'auto'")
    return jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.grade_submissions", description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", help="the assignment, e.g. ch01_tensors")
    parser.add_argument(
        "--jobs",
        "-j",
        type=parse_jobs,
        default=parse_jobs("auto"),
        help="submissions graded at once (default: one per core; 'auto' = one per core)",
    )
    parser.add_argument("--force", action="store_true", help="regrade submissions that are autograded already")
    parser.add_argument("--student", action="append", help="grade only this student (repeatable)")
    args = parser.parse_args(argv)

    from tqdm import tqdm

    db_url, submitted, released = course_settings()
    students = (
        sorted(p.parent.name for p in submitted.glob(f"*/{args.chapter}") if p.is_dir()) if submitted.is_dir() else []
    )
    students = [s for s in (args.student or students) if (submitted / s / args.chapter).is_dir()]
    if not students:
        print(f"no submissions of {args.chapter} under {submitted}/<student>/{args.chapter}/", file=sys.stderr)
        return 2
    jobs = min(args.jobs, len(students))
    env, url = worker_env(jobs), patient_db_url(db_url)
    results: list[Result] = []
    with (
        ThreadPoolExecutor(max_workers=jobs) as pool,
        tqdm(total=len(students), desc=f"{args.chapter} ({jobs} at a time)", unit="submission") as bar,
    ):
        futures = [pool.submit(grade_one, args.chapter, s, url, args.force, env) for s in students]
        for future in as_completed(futures):
            results.append(future.result())
            bar.set_postfix_str(results[-1].student)
            bar.update()
    read_scores(args.chapter, results, db_url)
    audit_flags(args.chapter, results, submitted, released)
    logs = Path(LOG_DIR) / args.chapter
    logs.mkdir(parents=True, exist_ok=True)
    for r in results:
        (logs / f"{r.student}.log").write_text(r.log, encoding="utf-8")
    print(table(args.chapter, results))
    return 0 if all(r.graded for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
