"""Grading kernels in a sandbox: bubblewrap (Debian package ``bubblewrap``) plus resource limits.

``nbgrader_config.py`` makes autograde's executor start every learner kernel through
:class:`SandboxKernelManager` (``c.RobustExecute.kernel_manager_class``). The kernel then runs as

    bwrap <namespaces, read-only system, private /tmp> [setpriv <uid>] prlimit <limits> python -m ipykernel_launcher -f <connection file>

* **What it sees:** the system (``/usr``, ``/etc``, ...) and the Python environment read-only, the
  course's ``utils`` package read-only at ``/course/utils``, the data folder (``DLF_DATA``) and the
  decoded-data caches (``DLF_CACHE``, and a site's ``DLF_SHARED_CACHE`` when set) read-only, a private ``/tmp`` (also its ``HOME``), and one
  writable folder: the submission's own working folder (``autograded/<student>/<chapter>/``, where
  nbgrader runs the notebook). Nothing else of the course: not ``gradebook.db``, ``submitted/``,
  other students' ``autograded/`` folders, ``feedback/``, ``source``/``solutions/``, the exchange,
  ``/home`` or ``/root``; the notebook files in its folder read as empty (autograde's copy holds the
  hidden tests).
* **Environment:** cleared; only :attr:`SandboxKernelManager.env_passthrough` is passed (fast mode,
  data folder, plotting backend, thread counts), so the grader's secrets stay outside.
* **No network:** a new network namespace (loopback only, nothing listening); the kernel talks to
  nbgrader over ZeroMQ IPC sockets in a private folder bound into the sandbox.
* **Processes:** a new PID namespace: the kernel cannot see or signal the grader, and every process it
  started dies when the kernel stops (``--die-with-parent``, the namespace's init exits); a new
  session (no terminal injection).
* **Limits** (``prlimit`` inside the sandbox, one setting each, see :class:`SandboxKernelManager`):
  address space, processes/threads, open files, file size, CPU time, no core files. Run as root,
  the grader drops the kernel to an unprivileged uid of its own (``RLIMIT_NPROC`` does not apply to
  root, and a per-kernel uid keeps parallel kernels from sharing one process budget). Run as an
  ordinary user, bubblewrap puts the kernel in a user namespace, which counts processes per sandbox.

No sandbox, no grading: if bubblewrap is missing or cannot start, :class:`SandboxKernelManager`
refuses to start a kernel with a message naming the package, unless the instructor opts out
explicitly with ``DLF_UNSAFE_NO_SANDBOX=1`` (or ``c.SandboxKernelManager.enabled = False``).
``nbgrader validate`` (a learner's ``make validate``) never uses this module.

``python -m utils.sandbox check`` says whether the sandbox works on this machine.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Int, List, Unicode, default

BWRAP_PACKAGE = "bubblewrap"
UNSAFE_ENV = "DLF_UNSAFE_NO_SANDBOX"
#: Where the course's ``utils`` package is mounted inside the sandbox (PYTHONPATH points here).
COURSE_IN_SANDBOX = "/course"
UTILS_DIR = Path(__file__).resolve().parent
MiB = 1024 * 1024
_warned = False


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox here; grading must not run unprotected."""


def _bwrap() -> str | None:
    """The bubblewrap executable: ``$DLF_BWRAP`` if set (tests point it at a missing file), else ``bwrap`` on PATH."""
    if os.environ.get("DLF_BWRAP"):
        path = os.environ["DLF_BWRAP"]
        return path if os.access(path, os.X_OK) else None
    return shutil.which("bwrap") or (os.access("/usr/bin/bwrap", os.X_OK) and "/usr/bin/bwrap") or None


def _unsafe_opt_out() -> bool:
    return os.environ.get(UNSAFE_ENV, "").strip() not in ("", "0")


@functools.lru_cache(maxsize=4)
def _probe_with(bwrap: str | None) -> str | None:
    if bwrap is None:
        return (
            f"bubblewrap (bwrap) is not installed. Install it with `apt-get install {BWRAP_PACKAGE}` "
            f"(Debian/Ubuntu; `dnf install {BWRAP_PACKAGE}` on Fedora)"
        )
    for tool in ["prlimit", *(["setpriv"] if os.geteuid() == 0 else [])]:
        if not shutil.which(tool, path="/usr/bin:/bin"):
            return f"{tool} is missing (Debian package util-linux)"
    cmd = [bwrap, *_namespace_args(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", "true"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{bwrap} could not be run: {error}"
    if proc.returncode != 0:
        return (
            f"{bwrap} is installed but cannot create a sandbox here ({proc.stderr.strip() or proc.returncode}); "
            "it needs user namespaces (sysctl kernel.unprivileged_userns_clone=1) or root"
        )
    return None


def _probe() -> str | None:
    """None if bubblewrap can start a sandbox with our namespaces here, else why not (cached per executable)."""
    return _probe_with(_bwrap())


def check_available() -> None:
    """Raise :class:`SandboxUnavailable` (naming the package to install) unless a sandbox can start here.

    The opt-out (``DLF_UNSAFE_NO_SANDBOX=1``) is not consulted: callers decide what it means.
    """
    reason = _probe()
    if reason:
        raise SandboxUnavailable(
            f"Grading runs learner code, and the sandbox that isolates it is unavailable: {reason}. "
            f"To grade without it anyway (learner code then runs with your rights), set {UNSAFE_ENV}=1."
        )


def require_sandbox(**_hook_args) -> None:
    """``Autograde.pre_convert_hook``: stop autograde, before the first submission, when the sandbox is
    unavailable and not explicitly waived (``DLF_UNSAFE_NO_SANDBOX=1``). Raises ``SystemExit`` because
    nbgrader logs and skips an ordinary exception per submission."""
    if _unsafe_opt_out():
        return
    try:
        check_available()
    except SandboxUnavailable as error:
        raise SystemExit(f"[autograde stopped] {error}") from None


def _namespace_args() -> list[str]:
    args = [
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
    ]
    if os.geteuid() != 0:
        args.insert(0, "--unshare-user")  # unprivileged bubblewrap: needs (and uses) a user namespace
    return args


def _ancestors(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts each kernel inside bubblewrap with resource limits (see the module).

    Every limit below is per kernel (one submission) and configurable in ``nbgrader_config.py``,
    e.g. ``c.SandboxKernelManager.memory_limit_mb = 8192``; 0 means no limit. The measurements that
    justify the defaults are in the README (*Limits per kernel*, under "For instructors").
    """

    enabled = Bool(
        True,
        config=True,
        help=(
            "Start kernels in the sandbox. False (or DLF_UNSAFE_NO_SANDBOX=1) runs learner code with the "
            "grader's rights: only for a trusted class."
        ),
    )
    memory_limit_mb = Int(
        6144,
        config=True,
        help=(
            "RLIMIT_AS of each process in the sandbox, MiB. `import torch` alone reserves 3.2 GiB of address space; "
            "chapter 14's solution (the heaviest) peaks at 4.8 GiB (1.6 GiB resident) under fast-mode grading."
        ),
    )
    max_processes = Int(
        256,
        config=True,
        help=("RLIMIT_NPROC: processes plus threads of the kernel's uid (a chapter 13/14 kernel runs 12 threads)."),
    )
    max_open_files = Int(
        1024, config=True, help="RLIMIT_NOFILE: open files per process (a chapter 13/14 kernel holds 63)."
    )
    max_file_size_mb = Int(
        256, config=True, help=("RLIMIT_FSIZE, MiB: the largest file the kernel may write (no chapter writes a file).")
    )
    cpu_time_s = Int(
        900,
        config=True,
        help=(
            "RLIMIT_CPU, seconds of CPU per process: a backstop behind the per-cell timeout for CPU burnt outside "
            "cells (background threads). Chapter 14's kernel uses 19 s of CPU under fast-mode grading."
        ),
    )
    uid_base = Int(
        200000,
        config=True,
        help=(
            "When the grader runs as root, each kernel runs as uid/gid uid_base + (grader pid mod 100000), "
            "a uid owning nothing, unique per concurrent grader process."
        ),
    )
    env_passthrough = List(
        Unicode(),
        config=True,
        default_value=[
            "DLF_FAST",
            "DLF_DEVICE",
            "DLF_LANG",  # the edition's language for test messages (utils/i18n/messages.py)
            "NBGRADER_EXECUTION",
            "NBGRADER_VALIDATING",
            "MPLBACKEND",
            "OMP_NUM_THREADS",
            "MKL_NUM_THREADS",
            "OPENBLAS_NUM_THREADS",
            "LANG",
            "LC_ALL",
            "TZ",
            "PYTHONWARNINGS",
        ],
        help="Environment variables copied into the sandbox (everything else is cleared).",
    )
    extra_ro_binds = List(Unicode(), config=True, help="More host folders to show read-only at the same path.")

    @default("transport")
    def _transport_default(self):
        return "ipc"  # no network inside: ZeroMQ over Unix sockets in a folder bound into the sandbox

    # ------------------------------------------------------------------ start
    def _sandboxed(self) -> bool:
        return self.enabled and not _unsafe_opt_out()

    async def _async_pre_start_kernel(self, **kw):
        if not self._sandboxed():
            global _warned
            if not _warned:  # once per grading process, at a level `--log-level=ERROR` still shows
                self.log.error(
                    "Kernels NOT sandboxed (%s or SandboxKernelManager.enabled=False): learner code "
                    "runs with the grader's rights",
                    UNSAFE_ENV,
                )
                _warned = True
            self.transport, self.ip = "tcp", "127.0.0.1"  # stock nbgrader's connection
            return await super()._async_pre_start_kernel(**kw)
        check_available()
        self.transport = "ipc"
        self._ipc_dir = tempfile.mkdtemp(prefix="dlf-kernel-")
        self.connection_file = os.path.join(self._ipc_dir, "kernel.json")
        self.ip = os.path.join(self._ipc_dir, "k")
        cwd = os.path.realpath(kw.get("cwd") or os.getcwd())
        self._workdir = cwd
        self._uid = self.uid_base + os.getpid() % 100000 if os.geteuid() == 0 else None
        host_env = dict(kw.get("env") or os.environ)
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        # bubblewrap does not pass signals on, so an interrupt (nbgrader's per-cell timeout) goes as a message
        self.kernel_spec.interrupt_mode = "message"
        if self._uid is not None:
            os.chown(self._ipc_dir, self._uid, self._uid)
            os.chown(self.connection_file, self._uid, self._uid)
            _chown_tree(cwd, self._uid)
        kw["cwd"] = cwd
        kw["env"] = {"PATH": "/usr/bin:/bin"}  # bwrap's own environment; the kernel's is set by --setenv
        return self.sandbox_command(cmd, cwd, host_env), kw

    def sandbox_command(self, cmd: list[str], cwd: str, host_env: dict[str, str]) -> list[str]:
        """``cmd`` (the kernel's command line) wrapped in bubblewrap, setpriv and prlimit."""
        args: list[str] = [_bwrap(), *_namespace_args(), "--clearenv"]  # type: ignore[list-item]  # None only when _probe() fails
        if self._uid is not None:
            args += ["--cap-add", "CAP_SETUID,CAP_SETGID"]  # only for setpriv below, which drops every capability
        # the system, read-only
        for top in ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"):
            if os.path.islink(top):
                args += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                args += ["--ro-bind", top, top]
        args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
        # the Python environment, the course package, data and cache, read-only
        ro = {
            os.path.realpath(p)
            for p in (
                sys.prefix,
                sys.base_prefix,
                sys.exec_prefix,
                os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))),
            )
        }
        ro.update(os.path.realpath(p) for p in self.extra_ro_binds)
        env = {k: host_env[k] for k in self.env_passthrough if k in host_env}
        env.update(
            HOME="/tmp",
            PATH=f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin",
            PYTHONPATH=COURSE_IN_SANDBOX,
            PYTHONDONTWRITEBYTECODE="1",
            MPLCONFIGDIR="/tmp/matplotlib",
        )
        env.setdefault("LANG", "C.UTF-8")
        data = host_env.get("DLF_DATA", "").strip() or str(UTILS_DIR.parent / "data")
        cache = host_env.get("DLF_CACHE", "").strip() or str(UTILS_DIR.parent / ".cache")
        shared = host_env.get("DLF_SHARED_CACHE", "").strip()  # a site's decoded data, prepared once (deploy/)
        for name, path in (("DLF_DATA", data), ("DLF_CACHE", cache), ("DLF_SHARED_CACHE", shared)):
            if not path:
                continue
            path = os.path.realpath(os.path.expanduser(path))
            if os.path.isdir(path):
                ro.add(path)
                env[name] = path
        env.setdefault("DLF_CACHE", "/tmp/cache")  # no cache on the host: a private, throw-away one
        mounts = sorted(p for p in ro if p not in ("/", "/usr", "/etc") and os.path.exists(p))
        mounts = [p for p in mounts if not any(p.startswith(q + "/") for q in mounts if q != p)]
        course_root = os.path.realpath(os.getcwd())  # nbgrader runs from the course folder
        for path in mounts:
            if course_root == path or course_root.startswith(path + "/"):
                raise SandboxUnavailable(
                    f"{path} would be shown to learner code read-only, and it holds the course folder {course_root} "
                    "(gradebook.db, submissions): move the course folder out of it, or the data/environment out of "
                    "the course's parents (DLF_DATA, DLF_CACHE, the Python environment)"
                )
        made: set[str] = set()
        links = [p for p in {sys.prefix, os.path.dirname(os.path.dirname(sys.executable))} if os.path.realpath(p) != p]
        for path in [*mounts, *links, f"{COURSE_IN_SANDBOX}/utils", cwd, self._ipc_dir]:
            for parent in _ancestors(path):  # bwrap would create these 0700 (as their source): learners must pass
                if (
                    parent not in made
                    and not parent.startswith(("/usr/", "/etc/"))
                    and parent not in ("/usr", "/etc", "/tmp")
                ):
                    args += ["--perms", "0755", "--dir", parent]
                    made.add(parent)
        for path in mounts:
            args += ["--ro-bind", path, path]
        # a venv reached through a symbolic link (python finds its venv next to the path it was started by)
        for path in {sys.prefix, os.path.dirname(os.path.dirname(sys.executable))}:
            if os.path.realpath(path) != path and os.path.realpath(path) in mounts:
                args += ["--symlink", os.path.realpath(path), path]
        args += ["--ro-bind", str(UTILS_DIR), f"{COURSE_IN_SANDBOX}/utils"]
        # the only writable places: the submission's folder and the kernel's socket folder
        args += ["--bind", cwd, cwd, "--bind", self._ipc_dir, self._ipc_dir, "--chdir", cwd]
        # ...except the notebook files there: nbgrader has read them already, and autograde's copy holds the
        # hidden tests (a kernel could print them into its output, i.e. into the learner's feedback)
        for notebook in sorted(Path(cwd).glob("*.ipynb")):
            args += ["--ro-bind", "/dev/null", str(notebook)]
        for key, value in sorted(env.items()):
            args += ["--setenv", key, value]
        args.append("--")
        if self._uid is not None:
            args += [
                shutil.which("setpriv", path="/usr/bin:/bin"),  # type: ignore[list-item]  # None only when _probe() fails
                f"--reuid={self._uid}",
                f"--regid={self._uid}",
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--",
            ]
        args += [shutil.which("prlimit", path="/usr/bin:/bin") or "/usr/bin/prlimit", *self.limit_args(), "--", *cmd]
        return args

    def limit_args(self) -> list[str]:
        def lim(name, value, scale=1):
            return [f"--{name}={value * scale}"] if value > 0 else []

        return [
            *lim("as", self.memory_limit_mb, MiB),
            *lim("nproc", self.max_processes),
            *lim("nofile", self.max_open_files),
            *lim("fsize", self.max_file_size_mb, MiB),
            *lim("cpu", self.cpu_time_s),
            "--core=0",
        ]

    # ------------------------------------------------------------------ stop
    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if restart or not getattr(self, "_ipc_dir", None):
            return
        shutil.rmtree(self._ipc_dir, ignore_errors=True)
        self._ipc_dir = None
        defuse(self._workdir, os.getuid() if self._uid is not None else None)


def _chown_tree(root: str, uid: int) -> None:
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            os.lchown(os.path.join(folder, name), uid, uid)
    os.lchown(root, uid, uid)


def defuse(root: str, owner: int | None = None) -> list[str]:
    """After a kernel stopped: remove what it left in its folder that could make the grader (which writes
    the autograded notebook there next) write or read elsewhere: symbolic links, FIFOs, sockets, devices.
    With ``owner``, give every file back to that uid. Returns the paths removed."""
    removed = []
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                os.unlink(path)
                removed.append(path)
            elif owner is not None:
                os.lchown(path, owner, owner)
    if owner is not None:
        os.lchown(root, owner, owner)
    return removed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["check"]:
        try:
            check_available()
        except SandboxUnavailable as error:
            print(error, file=sys.stderr)
            return 1
        print(f"sandbox OK: {_bwrap()} can isolate grading kernels here")
        return 0
    print("usage: python -m utils.sandbox check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
