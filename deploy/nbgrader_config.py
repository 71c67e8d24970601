"""Site-wide nbgrader configuration for a Deep Learning Foundations classroom.

Installed by deploy/install.sh as /etc/jupyter/nbgrader_config.py, where every nbgrader process
of every user reads it: learners' Assignments tab and Validate button, instructors' Formgrader
and command line. The @...@ placeholders are filled in by install.sh (and by
tests/test_classroom.py, which renders its own copy).

Learners' Validate runs with these settings only: the course folder's nbgrader_config.py (the
180 s cell timeout, the course's grading plug-ins) lives with the instructor and is not readable
by learners, so everything Validate needs is repeated here.
"""

import grp
import os
import pwd

c = get_config()  # noqa: F821  (injected by traitlets)

COURSE_ID = "@COURSE_ID@"
EXCHANGE_ROOT = "@EXCHANGE_ROOT@"
INSTRUCTORS_GROUP = "@INSTRUCTORS_GROUP@"

# --- Everyone --------------------------------------------------------------------------
c.CourseDirectory.course_id = COURSE_ID
# The file exchange: one folder on this server's disk. install.sh creates it root-owned with mode
# 1777 (everyone may create the course folder once, nobody may delete another's). nbgrader makes
# inbound/ 2733 (learners drop submissions in, cannot list it; each submission's folder name ends
# in 72 random bits) and outbound/ 0755 (released notebooks, readable by all).
c.Exchange.root = EXCHANGE_ROOT
# Validate: the course's per-cell timeout (fast-mode ch14 `train` takes about 70 s; stock: 30 s),
# interrupt a runaway cell instead of hanging, and list every failing test, not just the first.
c.Execute.timeout = 180
c.Execute.interrupt_on_timeout = True
# After the last cell, kill the kernel instead of asking it to exit and waiting: nothing is left to
# collect, and the graceful shutdown cost 1.6 s per notebook (chapter 04's autograde: 1.72 s from the
# last cell to the next step, 0.12 s with "immediate"); a kernel in the sandbox takes its processes with it.
c.Execute.shutdown_kernel = "immediate"
c.Validator.validate_all = True
# Kubernetes: no shared disk, so the exchange is ngshare's HTTP service (deploy/k8s/values.yaml).
if os.environ.get("DLF_NBGRADER_EXCHANGE") == "ngshare":
    from ngshare_exchange import configureExchange

    configureExchange(c, os.environ["DLF_NGSHARE_URL"])
# Fast mode: nbgrader sets NBGRADER_EXECUTION in the kernel while it validates or autogrades, and
# utils.fastmode then picks the small sizes (unless DLF_FAST says otherwise). Nothing to set here.


# --- Instructors only -------------------------------------------------------------------
def _user_groups() -> set[str]:
    user = pwd.getpwuid(os.getuid())
    groups = {g.gr_name for g in grp.getgrall() if user.pw_name in g.gr_mem}
    try:
        groups.add(grp.getgrgid(user.pw_gid).gr_name)
    except KeyError:
        pass
    return groups


# An instructor: a member of the instructors group (one server), or DLF_ROLE=instructor set by the
# hub (Kubernetes, where every pod runs as the same uid). Either only changes that user's own
# config: a learner who sets DLF_ROLE gains no access to anything.
if INSTRUCTORS_GROUP in _user_groups() or os.environ.get("DLF_ROLE") == "instructor":
    # The course folder is the instructor's clone of the course repository in their home (Formgrader
    # needs it inside the server's root folder). Its own nbgrader_config.py holds the course layout
    # (solutions/ -> notebooks/), the grading plug-ins, late penalty, export plug-in and, once the
    # grading issue lands, the sandboxed grading kernel (utils.sandbox, configured there): loading
    # it here makes Formgrader and every instructor command use exactly the course's settings.
    COURSE_ROOT = os.path.join(os.path.expanduser("~"), COURSE_ID)
    c.CourseDirectory.root = COURSE_ROOT
    _course_config = os.path.join(COURSE_ROOT, "nbgrader_config.py")
    if os.path.isfile(_course_config):
        # HOOK (grading sandbox, issue 16): the course config is where sandboxed grading is set up.
        load_subconfig(_course_config)  # noqa: F821  (injected by traitlets)
        c.CourseDirectory.root = COURSE_ROOT  # the course config's paths are relative to this root
