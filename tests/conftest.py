"""Shared pytest setup of tests/: data-test skipping and the mutant kill table (xdist groups and
nbval: ../conftest.py)."""

from __future__ import annotations

import os
from collections import defaultdict

import pytest


def pytest_terminal_summary(terminalreporter):
    rows = defaultdict(lambda: [0, 0])
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") != "call":
                continue
            for key, value in getattr(report, "user_properties", []):
                if key == "kill":
                    row = rows[(value["chapter"], value["function"])]
                    row[0] += 1
                    row[1] += bool(value["killed_by"])
    if not rows:
        return
    tr = terminalreporter
    tr.section("mutant kill table")
    tr.write_line(f"{'chapter':<22}{'function':<26}{'mutants':>8}{'killed':>8}")
    for (chapter, function), (n, killed) in sorted(rows.items()):
        flag = "" if killed == n else "   <-- SURVIVOR"
        tr.write_line(f"{chapter:<22}{function:<26}{n:>8}{killed:>8}{flag}")
    total, killed = sum(r[0] for r in rows.values()), sum(r[1] for r in rows.values())
    tr.write_line(f"{'total':<48}{total:>8}{killed:>8}")


@pytest.fixture
def require_data():
    """Skip (or fail, when DLF_REQUIRE_DATA=1 as in CI) if a dataset is missing."""
    import utils

    def check(loader, *args, **kwargs):
        try:
            return loader(*args, download=False, **kwargs)
        except utils.DataNotFoundError as err:
            if os.environ.get("DLF_REQUIRE_DATA") == "1":
                raise
            pytest.skip(f"dataset not available (set DLF_DATA): {err}")

    return check
