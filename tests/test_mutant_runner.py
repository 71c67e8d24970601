"""tests/mutant_runner.py's forks: a submission forked after the solution's shared cells gets the verdict it
gets when run from scratch, a child that dies loses every test cell from its changed cell on (as a dead
kernel does under nbgrader), and a bug of the runner inside a child is raised, never taken for a kill.

The runner's verdicts on the real chapters are checked by tests/test_grading.py (every mutant killed, the
overwritten-variables run clean, and agreement with stock nbgrader on one mutant per chapter).
"""

from __future__ import annotations

import json
import subprocess
import sys

import harness as g

# Runs in its own process: the runner forks, which a pytest-xdist worker (it has threads) should not.
SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import mutant_runner as mr
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance()
shell.showtraceback = lambda *a, **k: None
solution = [
    (None, False, "x = 2"),
    ("answer", False, "def double(v):\n    return 2 * v"),
    ("test_double", True, "assert double(x) == 4, 'double(2) should be 4'"),
    ("test_double_again", True, "assert double(3) == 6, 'double(3) should be 6'"),
]
wrong = solution[:1] + [("answer", False, "def double(v):\n    return 3 * v")] + solution[2:]
dies = solution[:1] + [("answer", False, "import os\nos._exit(3)")] + solution[2:]
start = mr.first_difference(solution, wrong)
state = mr.new_state()
shell.reset(new_session=False)
for index in range(start):
    mr.run_cell(shell, index, solution[index], state)
out = {
    "start": start,
    "forked": mr.run_forked(shell, wrong, start, state, False),
    "forked_stop": mr.run_forked(shell, wrong, start, state, True),
    "dies": mr.run_forked(shell, dies, start, state, False),
    "parent_untouched": shell.user_ns.get("x") == 2 and "double" not in shell.user_ns,
}
try:
    mr.run_forked(shell, solution[:2] + [("test_double", True)], start, state, False)  # a malformed cell
    out["runner_bug"] = "not raised"
except RuntimeError as error:
    out["runner_bug"] = str(error)
out["scratch"] = mr.run(shell, wrong)
print(json.dumps(out))
"""


def test_forked_submissions_get_the_verdict_of_a_run_from_scratch():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(g.ROOT / "tests")],
        env=g.course_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["start"] == 1, "the first cell that differs is the answer cell"
    both = ["test_double", "test_double_again"]
    assert out["forked"]["tests"] == out["scratch"]["tests"] == both
    assert sorted(out["forked"]["failed"]) == sorted(out["scratch"]["failed"]) == both, out
    assert out["forked"]["failed"] == out["scratch"]["failed"], "the same messages"
    assert list(out["forked_stop"]["failed"]) == ["test_double"], "stops at the first failed test cell"
    assert out["parent_untouched"], "a fork must leave the parent's namespace as the solution left it"
    assert sorted(out["dies"]["failed"]) == both, out["dies"]
    assert all("DeadKernelError" in message for message in out["dies"]["failed"].values()), out["dies"]
    assert out["runner_bug"].startswith("the forked run of"), out["runner_bug"]
