"""The grading sandbox's own rules (utils/sandbox.py): no sandbox, no grading (unless waived explicitly);
a learner's validate never needs it. What the sandbox blocks is tested by tests/test_hostile.py."""

from __future__ import annotations

import json

import harness as g
import pytest

from utils import sandbox

CH = "ch01_tensors"
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("sandbox")]
NO_BWRAP = {"DLF_BWRAP": "/nonexistent/bwrap"}


def test_a_missing_bwrap_is_named_with_its_package(monkeypatch):
    monkeypatch.setenv("DLF_BWRAP", "/nonexistent/bwrap")
    with pytest.raises(sandbox.SandboxUnavailable) as error:
        sandbox.check_available()
    message = str(error.value)
    assert "apt-get install bubblewrap" in message and sandbox.UNSAFE_ENV in message


def test_the_kernel_command_is_wrapped_with_every_limit():
    km = sandbox.SandboxKernelManager(
        memory_limit_mb=100, max_processes=7, max_open_files=9, max_file_size_mb=3, cpu_time_s=11
    )
    assert km.transport == "ipc"
    assert km.limit_args() == [
        f"--as={100 * 2**20}",
        "--nproc=7",
        "--nofile=9",
        f"--fsize={3 * 2**20}",
        "--cpu=11",
        "--core=0",
    ]
    km.cpu_time_s = 0  # 0: no limit
    assert not [a for a in km.limit_args() if a.startswith("--cpu")]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("sandbox")
    released = g.load_nb(g.release(CH, course))
    folder = course / "submitted" / "alice" / CH
    folder.mkdir(parents=True)
    (folder / f"{CH}.ipynb").write_text(json.dumps(g.filled_submission(CH, released)), encoding="utf-8")
    return course


def run(course, *args, **env):
    import subprocess

    return subprocess.run(
        [str(g.BIN / "nbgrader"), *args, "--log-level=ERROR"],
        cwd=course,
        env=g.course_env(**{"DLF_UNSAFE_NO_SANDBOX": "", **env}),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_autograde_stops_without_the_sandbox_unless_waived(course):
    proc = run(course, "autograde", CH, "--force", **NO_BWRAP)
    assert proc.returncode != 0 and "[autograde stopped]" in proc.stderr and "bubblewrap" in proc.stderr, proc.stderr
    assert not (course / "autograded" / "alice").exists(), "nothing is graded without the sandbox"
    proc = run(course, "autograde", CH, "--force", DLF_UNSAFE_NO_SANDBOX="1", **NO_BWRAP)
    assert proc.returncode == 0, proc.stderr
    assert "NOT sandboxed" in proc.stderr  # the waiver is said in the log


def test_validate_needs_no_sandbox(course):
    proc = g.subprocess.run(
        [g.sys.executable, "-m", "utils.grading_tools", "validate", f"submitted/alice/{CH}/{CH}.ipynb"],
        cwd=course,
        env=g.course_env(DLF_UNSAFE_NO_SANDBOX="", **NO_BWRAP),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success" in proc.stdout, proc.stdout


def test_a_mount_that_holds_the_course_folder_is_refused(tmp_path, monkeypatch):
    km = sandbox.SandboxKernelManager()
    km._ipc_dir, km._uid = str(tmp_path), None
    work = tmp_path / "autograded" / "alice" / CH
    work.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(sandbox.SandboxUnavailable, match="holds the course folder"):
        km.sandbox_command(["python"], str(work), {"DLF_DATA": str(tmp_path.parent)})
    assert "--ro-bind" in km.sandbox_command(["python"], str(work), {})


def test_a_sites_shared_cache_is_shown_read_only(tmp_path, monkeypatch):
    # deploy/ decodes CIFAR-10 once into DLF_SHARED_CACHE; a grading kernel must read it (else every
    # kernel decodes 60,000 JPEGs again) and must not be able to write it.
    km = sandbox.SandboxKernelManager()
    km._ipc_dir, km._uid = str(tmp_path / "ipc"), None
    shared, work = tmp_path / "shared-cache", tmp_path / "course" / "autograded" / "alice" / CH
    shared.mkdir()
    work.mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "course")
    cmd = km.sandbox_command(["python"], str(work), {"DLF_SHARED_CACHE": str(shared)})
    triples = [cmd[i : i + 3] for i in range(len(cmd) - 2)]
    assert ["--ro-bind", str(shared), str(shared)] in triples
    assert ["--bind", str(shared), str(shared)] not in triples
    assert ["--setenv", "DLF_SHARED_CACHE", str(shared)] in triples
    assert "DLF_SHARED_CACHE" not in km.sandbox_command(["python"], str(work), {})
