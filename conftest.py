"""pytest setup for the whole repository: xdist groups, and the notebooks run under nbval.

It sits at the repo root (not in tests/) so that it also applies when pytest is given only
notebooks, as in ``pytest --nbval-lax --nbval-current-env -n 2 solutions/`` or ``make check``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# pytest-xdist runs one worker per core: a kernel started by a worker gets one math thread, like the
# harness's graded processes (tests/harness.py), so two workers do not fight over two cores.
SINGLE_THREAD = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")

# One decoded-data cache for the whole run, the one the grading sandbox binds read-only when DLF_CACHE is
# unset (utils/sandbox.py: <repo>/.cache, git-ignored, removed by `make clean`). Without this the tests'
# warm-up (tests/harness.py, warm_data_cache) filled ~/.cache/dl-foundations, which the sandbox does not
# show, and every sandboxed chapter-14 kernel decoded CIFAR-10's 60,000 JPEGs again: 15.2 s of CPU for
# one kernel's first two cells, measured, against 6.3 s with the cache. The folder is world-readable
# (0755; it holds public datasets only): a grader running as root runs each kernel under a uid of its own.
if not os.environ.get("DLF_CACHE", "").strip():
    _cache = Path(__file__).resolve().parent / ".cache"
    os.environ["DLF_CACHE"] = str(_cache)
    try:
        _cache.mkdir(exist_ok=True)
        _cache.chmod(0o755)
    except OSError:
        pass
    # A fresh clone starts with that folder empty: seed it from the user's own cache (which utils uses when
    # DLF_CACHE is unset) instead of decoding again. utils.data checks each file's source and size on load.
    _xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    _own = (Path(_xdg) if os.path.isabs(_xdg) else Path.home() / ".cache") / "dl-foundations"
    for _cached in sorted(_own.glob("*.pt")) if _own.is_dir() else []:
        _target = _cache / _cached.name
        if not _target.exists():
            try:
                _partial = _target.with_suffix(f".{os.getpid()}.tmp")
                shutil.copyfile(_cached, _partial)
                _partial.chmod(0o644)
                _partial.replace(_target)  # atomic: the other xdist workers see all of it or nothing
            except OSError:
                pass


# The programs the tests start (nbgrader, the mutant runner, Jupyter servers, ...) run tests/startup/sitecustomize.py
# first: it defers an import that costs every such process 1.25 s of CPU and that none of them uses (see there).
STARTUP = str(Path(__file__).resolve().parent / "tests" / "startup")
if STARTUP not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [STARTUP, os.environ.get("PYTHONPATH", "")]))


def nbval_group(item) -> str | None:
    """The xdist group of an nbval cell: its notebook's. nbval runs a notebook's cells as separate
    items in one kernel, started by the notebook's first cell: cells of one notebook sent to two
    workers would each run without the cells before them."""
    if type(item).__name__ != "IPyNbCell":
        return None
    return f"nbval-{item.path.parent.parent.name}-{item.path.stem}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Put each notebook's cells in one xdist group, and make `--dist loadgroup` work with pytest 9.

    pytest-xdist 3.8 puts a test in its `xdist_group` by appending `@group` to the node id through
    `item._nodeid`, which pytest 9 no longer reads (it keeps the id in `item._id`). Without this the
    groups are ignored silently: each worker would rebuild a chapter's course and autograde run, and
    a notebook's cells would be spread over the workers.
    """
    for item in items:
        group = nbval_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers only
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        names = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
        )
        if names and not item.nodeid.endswith("@" + "_".join(names)):
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """The kernel of a notebook under nbval (started while its first cell is set up) runs in fast
    mode unless DLF_FAST is set, and with one math thread per xdist worker."""
    if nbval_group(item) is None:
        return (yield)
    defaults = {"DLF_FAST": "1"}
    if os.environ.get("PYTEST_XDIST_WORKER"):
        defaults.update(dict.fromkeys(SINGLE_THREAD, "1"))
    added = [name for name in defaults if name not in os.environ]
    os.environ.update({name: defaults[name] for name in added})
    try:
        return (yield)
    finally:
        for name in added:
            del os.environ[name]


# Seconds a unit of work takes on one xdist worker of the 2-core machine, where known to take long (a group, or
# a test outside any group, by node id without its `@group`): `make test` on a fresh clone in CI, 29 Nov 2026,
# rounded. Every other unit counts one second per test.
UNIT_SECONDS = {
    "hostile": 145,  # one sandboxed autograde of 30 students
    "classroom": 135,  # JupyterHub end to end, then the browser on the same hub
    "ch14_cifar10_cnn": 110,  # release, stock autograde (3 CIFAR-10 kernels), the mutant runner
    "instructor": 105,  # a term of 3 students x 2 chapters, the README quick start, validate, audit
    "nbval-solutions-ch14_cifar10_cnn": 70,
    "ch15_resnet": 55,
    "grade_submissions": 50,
    "browser": 40,
    "tests/test_korean.py::test_korean_submission_grades_like_the_english_one": 30,
}


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`, handing out the longest units of work first.

    xdist's own order (the most tests first) started the hub, the instructor's term and the grading of
    several submissions in parallel last of all, so that one worker ran them while the other had finished:
    with the longest first, the many short units at the end even the two workers out (longest processing
    time first). A unit, once a worker has it, stays on that worker, as with xdist's own order.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class LongestFirst(LoadGroupScheduling):
        _ordered = False

        def _assign_work_unit(self, node):
            if not self._ordered:  # the queue is complete when the first unit is handed out
                units = sorted(self.workqueue.items(), key=lambda unit: -UNIT_SECONDS.get(unit[0], len(unit[1])))
                self.workqueue.clear()
                self.workqueue.update(units)
                self._ordered = True
            super()._assign_work_unit(node)

    return LongestFirst(config, log)
