"""nbgrader configuration for the Deep Learning Foundations course.

Paths are relative to the course root, which is the folder nbgrader runs in (the repo root
for `make release` and for instructors; a temporary folder in the test harness).
Every section name below is a real nbgrader class: a misspelled one would be ignored
silently, so tests/test_project.py (test_nbgrader_config_uses_only_real_classes_and_traits)
checks each of them.
"""

c = get_config()  # noqa: F821  (injected by traitlets)

# --- Course layout -------------------------------------------------------------------
c.CourseDirectory.course_id = "dl-foundations"
c.CourseDirectory.source_directory = "solutions"  # instructor notebooks (single source of truth)
c.CourseDirectory.release_directory = "notebooks"  # student versions, committed to git
# submitted/, autograded/, feedback/ and gradebook.db keep nbgrader's defaults (git-ignored).

# --- What learners see ---------------------------------------------------------------
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# --- Grading -------------------------------------------------------------------------
# Stock default is 30 s per cell. Fast-mode training cells need more; a runaway loop is
# still stopped (interrupt first, then the kernel is restarted by nbclient).
c.Execute.timeout = 180
c.Execute.interrupt_on_timeout = True
# After the last cell, kill the kernel instead of asking it to exit and waiting: nothing is left to
# collect, and the graceful shutdown cost 1.6 s per notebook (chapter 04's autograde: 1.72 s from the
# last cell to the next step, 0.12 s with "immediate"); a kernel in the sandbox takes its processes with it.
c.Execute.shutdown_kernel = "immediate"
# A learner who deletes a test cell gets the instructor's copy back instead of a silent 0.
c.OverwriteCells.add_missing_cells = True
# Report every failing test when validating, not only the first one.
c.Validator.validate_all = True

# --- Robust grading and private feedback (utils/nbgrader_plugins.py) ----------------
# Each list below is nbgrader 0.9.6's stock list with one course step added or swapped in.
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from utils.nbgrader_plugins import ForgetUnknownGradeIds, HideHiddenTests, RobustExecute  # noqa: E402

# A cell whose grade id a learner edited is graded as an ordinary cell and the real one restored
# (stock nbgrader fails the whole submission): ForgetUnknownGradeIds runs before OverwriteCells.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    ForgetUnknownGradeIds,
    OverwriteCells,
    CheckCellMetadata,
]
# A cell that kills its kernel or ignores the timeout's interrupt fails from that cell on, instead of
# failing the whole submission: RobustExecute replaces Execute, whose settings above (and
# --Execute.timeout=...) it inherits as a subclass.
c.Autograde.autograde_preprocessors = [
    RobustExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
# Every learner kernel that autograde starts runs in a sandbox (utils/sandbox.py): bubblewrap with the course
# read-only, only the submission's own folder writable, no network, no grader environment, and the limits
# below. Without bubblewrap autograde refuses to run (install the Debian package `bubblewrap`), unless
# DLF_UNSAFE_NO_SANDBOX=1 is set. `nbgrader validate` (a learner's `make validate`) is not sandboxed: it runs
# the learner's own code on the learner's own machine.
from utils.sandbox import SandboxKernelManager, require_sandbox  # noqa: E402

c.RobustExecute.kernel_manager_class = SandboxKernelManager
c.Autograde.pre_convert_hook = require_sandbox  # no sandbox: stop before the first submission
# Limits per kernel (0 = none), measured on the solutions of chapters 13-14 in fast mode (README, "Limits per kernel").
c.SandboxKernelManager.memory_limit_mb = 6144  # address space: torch's import takes 3.2 GiB, ch14 peaks at 4.8 GiB
c.SandboxKernelManager.max_processes = 256  # processes + threads: a ch13/ch14 kernel runs 12 threads
c.SandboxKernelManager.max_open_files = 1024  # a ch13/ch14 kernel holds 63
c.SandboxKernelManager.max_file_size_mb = 256  # no chapter writes a file
c.SandboxKernelManager.cpu_time_s = 900  # CPU seconds per process: ch14's kernel uses 19 s
# Feedback: hidden tests and the tracebacks that quote them are removed; each error's message stays.
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
# A print in a loop: autograded notebooks keep the first 1000 lines of each cell's output (stock default, said here).
c.LimitOutput.max_lines = 1000

# --- Teaching a class (utils/classroom.py, deploy/README.md) ------------------------------
# Late submissions: each started day after the chapter's due date costs 10 % of the points the
# notebook earned (nothing left after 10 days). Due dates live in the gradebook, per chapter.
c.AssignLatePenalties.plugin_class = "utils.classroom.LatePenalty"
# Grades for an LMS, one column per graded cell: nbgrader export --exporter=utils.classroom.CellGradesExport
