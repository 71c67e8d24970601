"""Peak memory of one learner's kernel running a chapter's solution notebook (for deploy/README.md's sizing).

    DLF_DATA=/srv/dl-foundations/data .venv/bin/python deploy/measure_memory.py ch14_cifar10_cnn --full --max-seconds 600

Runs the solution notebook cell by cell in a fresh kernel (full mode with ``--full``, else fast mode),
and samples the kernel's peak resident memory (``VmHWM`` in /proc/<pid>/status, the kernel's own
high-water mark) every half second. With ``--max-seconds`` it stops after that long and reports
the peak so far and the cell it had reached: a chapter's peak comes with its data and the first
training steps, which later epochs repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parents[1]


def vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapter")
    parser.add_argument("--full", action="store_true", help="full mode (DLF_FAST=0); default: fast mode")
    parser.add_argument("--max-seconds", type=float, default=None)
    parser.add_argument("--threads", default="2", help="OMP_NUM_THREADS for the kernel (the hub's default: 2)")
    args = parser.parse_args()

    os.environ.update(DLF_FAST="0" if args.full else "1", OMP_NUM_THREADS=args.threads, MPLBACKEND="Agg")
    nb = nbformat.read(ROOT / "solutions" / args.chapter / f"{args.chapter}.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=None, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    peak, state = {"kb": 0}, {"cell": -1, "stop": False}
    start = time.monotonic()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid

        def sample() -> None:
            while not state["stop"]:
                try:
                    peak["kb"] = max(peak["kb"], vm_hwm_kb(pid))
                except OSError:
                    return
                if args.max_seconds and time.monotonic() - start > args.max_seconds and not state["stop"]:
                    state["stop"] = True
                    os.kill(pid, signal.SIGINT)  # the kernel's own interrupt (km's is not thread-safe)
                time.sleep(0.5)

        threading.Thread(target=sample, daemon=True).start()
        outcome = "completed"
        for index, cell in enumerate(nb.cells):
            if state["stop"]:
                outcome = "stopped at --max-seconds"
                break
            state["cell"] = index
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
                outcome = "stopped at --max-seconds" if state["stop"] else f"error: {type(err).__name__}"
                break
        peak["kb"] = max(peak["kb"], vm_hwm_kb(pid))
        state["stop"] = True
    result = {
        "chapter": args.chapter,
        "mode": "full" if args.full else "fast",
        "threads": args.threads,
        "peak_rss_mib": round(peak["kb"] / 1024),
        "seconds": round(time.monotonic() - start),
        "last_cell": state["cell"],
        "cells": len(nb.cells),
        "outcome": outcome,
    }
    print(json.dumps(result))
    sys.exit(1 if outcome.startswith("error") else 0)


if __name__ == "__main__":
    main()
