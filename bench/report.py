"""Write a benchmark's results into docs/benchmarks.md, in a section the script owns.

Each script replaces only the text between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``,
so scripts can be rerun independently. The section states the command, the machine and the date.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Headline numbers of the course, measured in full mode by the scripts in `bench/` (never asserted
by a timed test). Each section says how it was produced; rerun the command to refresh it.
"""


def machine() -> str:
    import torch

    threads = torch.get_num_threads()
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores "
        f"(torch threads: {threads}), Python {platform.python_version()}, torch {torch.__version__}"
    )


def write_section(name: str, title: str, body: str) -> None:
    command = "python " + " ".join(["bench/" + Path(sys.argv[0]).name, *sys.argv[1:]])
    stamp = datetime.date.today().isoformat()
    section = (
        f"<!-- bench:{name} -->\n## {title}\n\nCommand: `{command}` (from the repo root, in `.venv`); "
        f"{stamp}; {machine()}.\n\n{body.strip()}\n<!-- /bench:{name} -->"
    )
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    if start in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(section)
