"""Grading speed, as an instructor grades: `make grade` (utils/grade_submissions.py) in a fresh
temporary course, fast mode as nbgrader sets it (NBGRADER_EXECUTION), correct submissions.

* per chapter: the seconds one solution submission takes to autograde (nbgrader start-up, kernel
  start, the whole notebook), every chapter, one worker;
* throughput: submissions per minute for --submissions copies of the solution, with each of
  --jobs workers (wall time of the whole `make grade` run, from its start to its summary table).

    python bench/grading.py [--times] [--throughput] [--chapters ch01_tensors ...] [--submissions 4] [--jobs 1 2]
                            [--section NAME]

Without --times/--throughput both parts run. Math threads are left to utils.grade_submissions
(cores // jobs per worker). Data: set DLF_DATA as for autograde (chapters 08-15 load MNIST/CIFAR-10).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from utils import cells

from report import write_section

ROOT = Path(__file__).resolve().parents[1]
THROUGHPUT_CHAPTERS = ["ch01_tensors", "ch06_backprop", "ch13_mnist_mlp", "ch14_cifar10_cnn"]


def chapters() -> list[str]:
    return sorted(p.name for p in (ROOT / "solutions").glob("ch[0-9][0-9]_*"))


def env() -> dict[str, str]:
    e = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "DLF_FAST")
    }
    e["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{e.get('PATH', '')}"
    e["PYTHONPATH"] = f"{ROOT}{os.pathsep}{e.get('PYTHONPATH', '')}".rstrip(os.pathsep)
    e.setdefault("MPLBACKEND", "Agg")
    return e


def solution_submission(chapter: str, released: Path) -> str:
    """The released notebook with every answer cell taken from the solution notebook."""

    answers = {
        cells.grade_id(c): c["source"]
        for c in cells.read_notebook(ROOT / "solutions" / chapter / f"{chapter}.ipynb")["cells"]
        if cells.is_answer_cell(c)
    }
    nb = cells.read_notebook(released)
    for cell in nb["cells"]:
        if cells.is_answer_cell(cell):
            cell["source"] = answers[cells.grade_id(cell)]
    return json.dumps(nb)


def grade(chapter: str, submissions: int, jobs: int) -> tuple[float, list[tuple[str, str, float]]]:
    """Wall seconds of `python -m utils.grade_submissions` over ``submissions`` solution copies, and
    its table rows ``(student, score, seconds)``."""
    with tempfile.TemporaryDirectory(prefix=f"bench-grading-{chapter}-") as tmp:
        course = Path(tmp)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "solutions" / chapter, course / "solutions" / chapter)
        subprocess.run(
            [
                str(Path(sys.executable).parent / "nbgrader"),
                "generate_assignment",
                chapter,
                "--force",
                "--log-level=ERROR",
            ],
            cwd=course,
            env=env(),
            check=True,
        )
        text = solution_submission(chapter, course / "notebooks" / chapter / f"{chapter}.ipynb")
        for i in range(submissions):
            folder = course / "submitted" / f"learner{i:02d}" / chapter
            folder.mkdir(parents=True)
            (folder / f"{chapter}.ipynb").write_text(text, encoding="utf-8")
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "utils.grade_submissions", chapter, "--jobs", str(jobs)],
            cwd=course,
            env=env(),
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
    rows = [(m[1], m[2], float(m[3])) for m in re.finditer(r"^(learner\d+)\s+(\S+)\s+([\d.]+)", proc.stdout, re.M)]
    if proc.returncode != 0 or len(rows) != submissions or any(s.split("/")[0] != s.split("/")[1] for _, s, _ in rows):
        raise SystemExit(
            f"{chapter}: grading failed or not full marks ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-2000:]}"
        )
    return wall, rows


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average when the run ended: {one:.1f} (1 min), {five:.1f} (5 min)"


def times(chapter_list: list[str]) -> None:
    lines = ["| chapter | seconds to autograde one solution submission | score |", "|---|---|---|"]
    total = 0.0
    for chapter in chapter_list:
        _, rows = grade(chapter, 1, 1)
        _, score, seconds = rows[0]
        total += seconds
        print(f"{chapter}: {seconds:.1f} s ({score})", flush=True)
        lines.append(f"| `{chapter}` | {seconds:.1f} | {score} |")
    lines.append(f"| all {len(chapter_list)} | {total:.0f} | |")
    write_section(
        "grading_times",
        "Grading time per chapter (fast mode, one worker)",
        "Seconds from the start of `nbgrader autograde CHAPTER --student S` to its end (nbgrader, "
        "kernel start, every cell of the notebook in fast mode), one solution submission in a fresh "
        f"course, one worker with all cores; {load_note()}.\n\n" + "\n".join(lines),
    )


def throughput(chapter_list: list[str], submissions: int, jobs_list: list[int], section: str) -> None:
    cores = os.cpu_count() or 1
    best = max(j for j in jobs_list if j <= cores)
    header = (
        "| chapter | "
        + " | ".join(f"JOBS={j}: submissions/min (s each)" for j in jobs_list)
        + f" | 100 learners, JOBS={best} here | 100 learners on 16 cores, JOBS=16 (extrapolated) |"
    )
    lines = [header, "|---" * (len(jobs_list) + 3) + "|"]
    for chapter in chapter_list:
        cells = []
        for jobs in jobs_list:
            wall, rows = grade(chapter, submissions, jobs)
            per_min = 60 * submissions / wall
            mean = sum(s for _, _, s in rows) / len(rows)
            print(
                f"{chapter} JOBS={jobs}: {per_min:.1f}/min, {wall:.0f} s for {submissions}, {mean:.1f} s each",
                flush=True,
            )
            cells.append(f"{per_min:.1f} ({mean:.0f} s)")
            if jobs == best:
                here = 100 / per_min
                per_core = per_min / min(jobs, cores)  # one worker per core: the rate scales with cores
                cells_100 = [f"{here:.0f} min", f"{100 / (per_core * 16):.0f} min"]
        cells += cells_100
        lines.append(f"| `{chapter}` | " + " | ".join(cells) + " |")
    write_section(
        section,
        f"Grading throughput (`make grade`): {', '.join(chapter_list)}",
        f"{submissions} copies of the solution submission per run, graded by `python -m utils.grade_submissions "
        "CHAPTER --jobs N` in a fresh course; submissions per minute = submissions / wall time of the whole "
        "run (start-up and summary included); in brackets the mean seconds one submission took inside "
        f"the run; {load_note()}. The last two columns: 100 / (submissions per minute) with JOBS = {best} on "
        f"these {cores} cores, and the same per-core rate times 16 cores (one worker per core; it assumes "
        "16 cores with as much memory and cache per core as here, and nothing else running).\n\n" + "\n".join(lines),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", action="store_true", help="only the per-chapter grading times")
    parser.add_argument("--throughput", action="store_true", help="only the throughput table")
    parser.add_argument(
        "--chapters", nargs="+", help="chapters (default: all for --times; ch01, ch06, ch13, ch14 for --throughput)"
    )
    parser.add_argument("--submissions", type=int, default=4)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--section",
        default="grading_throughput",
        help="the docs/benchmarks.md section to write the throughput table into",
    )
    args = parser.parse_args()
    both = not (args.times or args.throughput)
    if args.times or both:
        times(args.chapters or chapters())
    if args.throughput or both:
        throughput(args.chapters or THROUGHPUT_CHAPTERS, args.submissions, args.jobs, args.section)


if __name__ == "__main__":
    main()
