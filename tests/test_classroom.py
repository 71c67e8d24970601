"""A class on one server, with real Linux users: deploy/'s JupyterHub + nbgrader exchange end to end.

Needs root and the classroom installed by ``deploy/install.sh`` (the course environment in
``$DLF_CLASSROOM_PREFIX``, default /opt/dl-foundations). It uses the checkout's
deploy/jupyterhub_config.py and deploy/nbgrader_config.py, but its own throwaway users, groups,
exchange, hub state and site config under a temporary folder, so it never touches a real classroom.
In CI (``CI`` set, or ``DLF_REQUIRE_CLASSROOM=1``) a missing requirement fails instead of skipping.

Everything goes through HTTP, as the browser would: PAM login at the hub, the hub's REST API
(tokens, spawning), each learner's own server (nbgrader's assignment-list and validate endpoints,
the contents API) and the instructor's Formgrader API (generate, release, due date, collect,
autograde, feedback). Only the grades export and the "must fail" checks run commands as a user
(``runuser``): that is what a learner's terminal or kernel can do.

test_classroom_in_a_browser then uses the same hub in headless Chromium (tests/test_browser.py's
requirements; DLF_REQUIRE_BROWSER=1 makes a missing browser fail): a learner's Assignments tab
fetches ch01, and the instructor's Formgrader lists the collected submissions. Both tests need
``--dist loadgroup`` under xdist (as ``make test``), so that they share one worker and one setup.
"""

from __future__ import annotations

import atexit
import csv
import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import harness as g
import pytest

ROOT = Path(__file__).resolve().parents[1]
PREFIX = Path(os.environ.get("DLF_CLASSROOM_PREFIX", "/opt/dl-foundations"))
REQUIRED = bool(os.environ.get("CI")) or os.environ.get("DLF_REQUIRE_CLASSROOM") == "1"
COURSE_ID = "dl-foundations"
CH01, CH14 = "ch01_tensors", "ch14_cifar10_cnn"
DATA = Path(os.environ.get("DLF_DATA") or ROOT / "data")

pytestmark = [pytest.mark.timeout(900), pytest.mark.xdist_group("classroom")]


def _stale_course_files() -> list[str]:
    """The checkout's utils/*.py files that the classroom's installed copy lacks or has in another version:
    learners' kernels import that copy, so a stale install fails the checkout's test cells."""
    installed = sorted((PREFIX / "venv" / "lib").glob("python3.*/site-packages/utils"))
    if not installed:
        return []  # no install at all: reported on its own
    return [
        f"utils/{src.name}"
        for src in sorted((ROOT / "utils").glob("*.py"))
        if not (installed[0] / src.name).is_file() or (installed[0] / src.name).read_bytes() != src.read_bytes()
    ]


def _require() -> None:
    problems = []
    if os.geteuid() != 0:
        problems.append("must run as root (it creates throwaway Linux users)")
    for path in (PREFIX / "venv" / "bin" / "jupyterhub", PREFIX / "bin" / "configurable-http-proxy"):
        if not path.exists():
            problems.append(f"{path} missing: run deploy/install.sh first")
    for tool in ("useradd", "userdel", "groupadd", "groupdel", "chpasswd", "runuser", "prlimit"):
        if not shutil.which(tool):
            problems.append(f"{tool} not found")
    if not (DATA / "cifar10-jpg").is_dir() and not (DATA / "cifar-10-batches-py").is_dir():
        problems.append(f"CIFAR-10 not under DLF_DATA={DATA} (chapter 14 loads it)")
    stale = _stale_course_files()
    if stale:
        problems.append(
            f"{PREFIX} was installed from another version of the course ({', '.join(stale[:3])} "
            "differ from this checkout's): run deploy/install.sh again"
        )
    if problems:
        (pytest.fail if REQUIRED else pytest.skip)("classroom test: " + "; ".join(problems))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(args), capture_output=True, text=True, **kwargs)
    if check and proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stdout}{proc.stderr}")
    return proc


class Classroom:
    """Throwaway users, groups and a hub; :meth:`close` removes all of it (also at exit)."""

    def __init__(self) -> None:
        tag = secrets.token_hex(3)
        self.base = Path(tempfile.mkdtemp(prefix=f"dlf-classroom-{tag}-", dir="/tmp"))
        self.base.chmod(0o755)  # users must reach the site config and the exchange inside it
        self.instructors, self.learners = f"dlf_t_{tag}_ig", f"dlf_t_{tag}_lg"
        self.teacher, self.alice, self.bob, self.carol, self.outsider = (
            f"dlf_t_{tag}_{s}" for s in ("t", "a", "b", "c", "x")
        )
        self.users: list[str] = []
        self.groups: list[str] = []
        self.passwords: dict[str, str] = {}
        self.hub: subprocess.Popen | None = None
        self.timings: dict[str, float] = {}
        self.hub_url: str | None = None  # set once the end-to-end scenario has finished
        self._closed = False
        atexit.register(self.close)

    # --- setup ----------------------------------------------------------------------------
    def add_group(self, name: str) -> None:
        _run("groupadd", name)
        self.groups.append(name)

    def add_user(self, name: str, group: str | None) -> None:
        home = self.base / "home" / name
        home.parent.mkdir(exist_ok=True)
        home.parent.chmod(0o755)
        # HOME_MODE 0755 = Debian's default: the hub must make it private before the first spawn.
        _run(
            "useradd",
            "-m",
            "-d",
            str(home),
            "-K",
            "HOME_MODE=0755",
            "-s",
            "/bin/bash",
            *(["-G", group] if group else []),
            name,
        )
        self.users.append(name)
        self.passwords[name] = secrets.token_urlsafe(12)
        _run("chpasswd", input=f"{name}:{self.passwords[name]}\n")

    def home(self, user: str) -> Path:
        return self.base / "home" / user

    def as_user(
        self, user: str, *cmd: str, cwd: Path | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess:
        """A command as ``user`` with the course environment on PATH (what their terminal can do)."""
        env = [
            "HOME=" + str(self.home(user)),
            f"PATH={PREFIX / 'venv' / 'bin'}:/usr/bin:/bin",
            f"JUPYTER_CONFIG_PATH={self.site}",
            "LANG=C.UTF-8",
        ]
        return subprocess.run(
            ["runuser", "-u", user, "--", "env", "-i", *env, *cmd],
            capture_output=True,
            text=True,
            cwd=cwd or self.home(user),
            timeout=timeout,
        )

    # --- teardown -------------------------------------------------------------------------
    def _kill_processes_of(self, user: str) -> None:
        try:
            uid = int(_run("id", "-u", user).stdout)
        except (RuntimeError, ValueError):
            return
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                uids = next(line for line in status.read_text().splitlines() if line.startswith("Uid:"))
                if int(uids.split()[1]) == uid:
                    os.kill(int(status.parent.name), signal.SIGKILL)
            except (OSError, StopIteration, ValueError):
                pass

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.hub and self.hub.poll() is None:
            self.hub.send_signal(signal.SIGTERM)  # the hub stops the servers and the proxy it started
            try:
                self.hub.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.hub.pid, signal.SIGKILL)
        pid_file = self.base / "state" / "proxy.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        for user in self.users:
            self._kill_processes_of(user)
            _run("userdel", "-f", "-r", user, check=False)
        for group in self.groups:
            _run("groupdel", group, check=False)
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="module")
def classroom():
    _require()
    room = Classroom()
    try:
        yield room
    finally:
        room.close()
        leftovers = [u for u in room.users if _run("id", u, check=False).returncode == 0]
        assert not leftovers, f"throwaway users not removed: {leftovers}"


class Step:
    """Times a named step; the name is in every failure message."""

    def __init__(self, room: Classroom, name: str):
        self.room, self.name = room, name

    def __enter__(self):
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc):
        self.room.timings[self.name] = round(time.monotonic() - self.start, 1)
        return False


def test_classroom_end_to_end(classroom):  # noqa: C901 (one scenario, told in order)
    import requests

    room = classroom
    t0 = time.monotonic()
    teacher, alice, bob = room.teacher, room.alice, room.bob

    with Step(room, "users, groups, site config"):
        room.add_group(room.instructors)
        room.add_group(room.learners)
        room.add_user(teacher, room.instructors)
        room.add_user(alice, room.learners)
        room.add_user(bob, room.learners)
        room.add_user(room.carol, room.learners)  # only logs in with the browser, at the end
        room.add_user(room.outsider, None)
        room.site = room.base / "site"
        (room.site / "learner").mkdir(parents=True)
        shutil.copytree(ROOT / "deploy" / "learner-jupyter", room.site / "learner", dirs_exist_ok=True)
        exchange = room.base / "exchange"
        exchange.mkdir()
        exchange.chmod(0o1777)
        config = (ROOT / "deploy" / "nbgrader_config.py").read_text()
        config = (
            config.replace("@COURSE_ID@", COURSE_ID)
            .replace("@EXCHANGE_ROOT@", str(exchange))
            .replace("@INSTRUCTORS_GROUP@", room.instructors)
        )
        (room.site / "nbgrader_config.py").write_text(config)
        for path in [room.site, *room.site.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        # The instructor's course: a clone of the repository's course files in their home.
        course = room.home(teacher) / COURSE_ID
        course.mkdir()
        shutil.copy(ROOT / "nbgrader_config.py", course)
        for chapter in (CH01, CH14):
            shutil.copytree(
                ROOT / "solutions" / chapter,
                course / "solutions" / chapter,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
            )
        _run("chown", "-R", f"{teacher}:{teacher}", str(course))

    with Step(room, "hub start"):
        state = room.base / "state"
        state.mkdir(mode=0o700)
        port, api_port, proxy_port = _free_port(), _free_port(), _free_port()
        service_token = secrets.token_hex(32)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DLF_", "PYTHON", "JUPYTER", "NBGRADER", "OMP_", "MPLBACKEND", "VIRTUAL_ENV"))
        }
        env.update(
            DLF_CLASSROOM_ENV=str(room.base / "no-classroom.env"),
            DLF_PREFIX=str(PREFIX),
            DLF_HUB_STATE=str(state),
            DLF_HUB_IP="127.0.0.1",
            DLF_HUB_PORT=str(port),
            DLF_HUB_API_PORT=str(api_port),
            DLF_PROXY_API_PORT=str(proxy_port),
            DLF_INSTRUCTORS_GROUP=room.instructors,
            DLF_LEARNERS_GROUP=room.learners,
            DLF_SITE_JUPYTER_DIR=str(room.site),
            DLF_DATA=str(DATA.resolve()),
            DLF_HUB_SERVICE_TOKEN=service_token,
            # One math thread per kernel, as the grading harness uses: this test shares the
            # machine with the rest of `make test` (the classroom's own default is 2).
            DLF_THREADS_PER_LEARNER="1",
            PATH=f"{PREFIX / 'venv' / 'bin'}:/usr/bin:/bin",
        )
        log = open(state / "hub.log", "w")
        room.hub = subprocess.Popen(
            [str(PREFIX / "venv" / "bin" / "jupyterhub"), "-f", str(ROOT / "deploy" / "jupyterhub_config.py")],
            cwd=state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        hub = f"http://127.0.0.1:{port}"

        def hub_log() -> str:
            return (state / "hub.log").read_text()[-4000:]

        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"{hub}/hub/api/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert room.hub.poll() is None, f"the hub exited:\n{hub_log()}"
            assert time.monotonic() < deadline, f"the hub did not answer within 90 s:\n{hub_log()}"
            time.sleep(0.5)
    admin = {"Authorization": f"token {service_token}"}

    with Step(room, "PAM logins, admin = instructors"):

        def login(user: str, password: str) -> int:
            session = requests.Session()
            session.get(f"{hub}/hub/login", timeout=30)
            reply = session.post(
                f"{hub}/hub/login",
                allow_redirects=False,
                timeout=60,
                data={"username": user, "password": password, "_xsrf": session.cookies.get("_xsrf", "")},
            )
            return reply.status_code

        assert login(alice, "wrong password") == 403
        assert login(room.outsider, room.passwords[room.outsider]) == 403, "a user outside both groups logged in"
        for user in (teacher, alice, bob):
            assert login(user, room.passwords[user]) == 302, f"{user} could not log in:\n{hub_log()}"
        users = {u["name"]: u for u in requests.get(f"{hub}/hub/api/users", headers=admin, timeout=30).json()}
        assert users[teacher]["admin"] is True and users[alice]["admin"] is False and users[bob]["admin"] is False
        assert room.outsider not in users

    with Step(room, "spawn three servers"):
        tokens = {}
        for user in (teacher, alice, bob):
            reply = requests.post(
                f"{hub}/hub/api/users/{user}/tokens",
                headers=admin,
                timeout=30,
                json={"note": "classroom test", "expires_in": 3600},
            )
            assert reply.status_code == 201, reply.text
            tokens[user] = reply.json()["token"]
            reply = requests.post(f"{hub}/hub/api/users/{user}/server", headers=admin, timeout=120)
            assert reply.status_code in (201, 202), f"spawn {user}: {reply.status_code} {reply.text}\n{hub_log()}"
        deadline = time.monotonic() + 120
        for user in (teacher, alice, bob):
            while (
                not requests.get(f"{hub}/hub/api/users/{user}", headers=admin, timeout=30)
                .json()["servers"]
                .get("", {})
                .get("ready")
            ):
                assert time.monotonic() < deadline, f"{user}'s server not ready within 120 s:\n{hub_log()}"
                time.sleep(0.5)
        for user in (teacher, alice, bob):
            assert room.home(user).stat().st_mode & 0o777 == 0o700, f"{user}'s home is not private after spawning"

    def api(user: str, method: str, path: str, timeout: float = 600, **kwargs):
        reply = requests.request(
            method,
            f"{hub}/user/{user}/{path}",
            timeout=timeout,
            headers={"Authorization": f"token {tokens[user]}"},
            **kwargs,
        )
        return reply

    def ok(reply) -> dict:
        assert reply.status_code == 200, f"{reply.request.method} {reply.url}: {reply.status_code} {reply.text[:2000]}"
        body = reply.json()
        if isinstance(body, dict) and "success" in body:
            assert body["success"], f"{reply.request.method} {reply.url}: {json.dumps(body)[:3000]}"
        return body

    with Step(room, "generate + release ch01, ch14; class list (Formgrader API)"):
        for chapter in (CH01, CH14):
            ok(api(teacher, "POST", f"formgrader/api/assignment/{chapter}/assign"))
            ok(api(teacher, "POST", f"formgrader/api/assignment/{chapter}/release"))
        assert (exchange / COURSE_ID / "outbound" / CH14 / f"{CH14}.ipynb").is_file()
        # The class list, as Formgrader's Manage Students keeps it: the names go into the exports.
        for user, (first, last) in {alice: ("Alice", "Lee"), bob: ("Bob", "Park")}.items():
            ok(
                api(
                    teacher,
                    "PUT",
                    f"formgrader/api/student/{user}",
                    json={"first_name": first, "last_name": last, "email": f"{user}@example.edu"},
                )
            )

    def listing(user: str) -> dict[str, dict]:
        body = ok(api(user, "GET", "assignments", params={"course_id": COURSE_ID}))
        return {(a["assignment_id"], a["status"]): a for a in body["value"]}

    with Step(room, "learners list + fetch"):
        for user in (alice, bob):
            assert {(CH01, "released"), (CH14, "released")} <= set(listing(user)), listing(user)
            for chapter in (CH01, CH14):
                ok(api(user, "POST", "assignments/fetch", params={"course_id": COURSE_ID, "assignment_id": chapter}))
            assert {(CH01, "fetched"), (CH14, "fetched")} <= set(listing(user))
            assert (room.home(user) / CH14 / f"{CH14}.ipynb").is_file()

    def save(user: str, chapter: str, nb: dict) -> None:
        reply = api(
            user,
            "PUT",
            f"api/contents/{chapter}/{chapter}.ipynb",
            json={"type": "notebook", "format": "json", "content": nb},
        )
        assert reply.status_code in (200, 201), reply.text

    def fetched(user: str, chapter: str) -> dict:
        return ok(api(user, "GET", f"api/contents/{chapter}/{chapter}.ipynb"))["content"]

    # Alice answers everything correctly; Bob gets `affine` wrong in ch01 (an elementwise product: its
    # test cell, 3 of 11 points, fails) and
    # leaves ch14 as released (NotImplementedError everywhere).
    with Step(room, "learners answer (contents API)"):
        save(alice, CH01, g.filled_submission(CH01, fetched(alice, CH01)))
        save(alice, CH14, g.filled_submission(CH14, fetched(alice, CH14)))
        wrong_affine = (ROOT / "tests" / "mutants" / CH01 / "affine__elementwise.py").read_text()
        save(bob, CH01, g.filled_submission(CH01, fetched(bob, CH01), replace={"affine": wrong_affine}))

    def validate(user: str, chapter: str) -> dict:
        return ok(api(user, "POST", "assignments/validate", params={"path": f"{chapter}/{chapter}.ipynb"}))["value"]

    with Step(room, "Validate ch01 (alice, bob)"):
        assert not validate(alice, CH01).get("failed"), "alice's correct ch01 failed Validate"
        failed = validate(bob, CH01).get("failed", [])
        assert failed and all("affine" in json.dumps(f) for f in failed), failed
    with Step(room, "Validate ch14 (alice: full solution, course timeout)"):
        result = validate(alice, CH14)
        assert not result.get("failed"), f"alice's correct ch14 failed Validate: {json.dumps(result)[:3000]}"
    with Step(room, "Validate ch14 (bob: blank)"):
        assert validate(bob, CH14).get("failed"), "bob's blank ch14 passed Validate"

    with Step(room, "submit; due date between alice and bob (Formgrader API)"):
        for chapter in (CH01, CH14):
            ok(api(alice, "POST", "assignments/submit", params={"course_id": COURSE_ID, "assignment_id": chapter}))
        time.sleep(1.1)
        due = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        ok(
            api(
                teacher,
                "PUT",
                f"formgrader/api/assignment/{CH01}",
                json={"duedate_notimezone": due, "duedate_timezone": "UTC"},
            )
        )
        time.sleep(1.1)
        for chapter in (CH01, CH14):
            ok(api(bob, "POST", "assignments/submit", params={"course_id": COURSE_ID, "assignment_id": chapter}))

    with Step(room, "collect + autograde (Formgrader API)"):
        for chapter in (CH01, CH14):
            ok(api(teacher, "POST", f"formgrader/api/assignment/{chapter}/collect"))
        for chapter in (CH01, CH14):
            for user in (alice, bob):
                ok(api(teacher, "POST", f"formgrader/api/submission/{chapter}/{user}/autograde"))

    with Step(room, "feedback: generate, release, learners fetch"):
        for chapter in (CH01, CH14):
            ok(api(teacher, "POST", f"formgrader/api/assignment/{chapter}/generate_feedback"))
            ok(api(teacher, "POST", f"formgrader/api/assignment/{chapter}/release_feedback"))
        for user in (alice, bob):
            for chapter in (CH01, CH14):
                ok(
                    api(
                        user,
                        "POST",
                        "assignments/fetch_feedback",
                        params={"course_id": COURSE_ID, "assignment_id": chapter},
                    )
                )
                pages = list((room.home(user) / chapter / "feedback").glob(f"*/{chapter}.html"))
                assert len(pages) == 1, f"{user} {chapter}: feedback pages {pages}"
                text = html.unescape(re.sub(r"<[^>]+>", "", pages[0].read_text()))
                assert "HIDDEN TESTS" not in text
                leaked = [line for line in g.hidden_test_lines(chapter) if line in text]
                assert not leaked, f"{user}'s {chapter} feedback shows hidden tests: {leaked[:3]}"

    with Step(room, "grades: stock CSV and per-cell CSV (instructor's command line)"):
        for args in (["--to", "grades.csv"], ["--exporter=utils.classroom.CellGradesExport", "--to", "cells.csv"]):
            proc = room.as_user(teacher, "nbgrader", "export", *args, cwd=course)
            assert proc.returncode == 0, proc.stdout + proc.stderr
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(open(course / "grades.csv"))}
        ch01_max = 11.0
        ch14_max = float(rows[(alice, CH14)]["max_score"])
        expected = {  # (raw, penalty, score)
            (alice, CH01): (11.0, 0.0, 11.0),  # on time, everything right
            (bob, CH01): (8.0, 0.8, 7.2),  # affine wrong (-3), 1 started day late: -10 %
            (alice, CH14): (ch14_max, 0.0, ch14_max),  # no due date: never late
            (bob, CH14): (0.0, 0.0, 0.0),
        }
        for key, (raw, penalty, score) in expected.items():
            row = rows[key]
            got = (float(row["raw_score"]), float(row["late_submission_penalty"] or 0), float(row["score"]))
            assert got == pytest.approx((raw, penalty, score), abs=1e-9), f"{key}: {row}"
        assert float(rows[(alice, CH01)]["max_score"]) == ch01_max and ch14_max > 0
        assert (rows[(bob, CH01)]["first_name"], rows[(bob, CH01)]["last_name"]) == ("Bob", "Park")
        lines = list(csv.reader(open(course / "cells.csv")))
        header, possible, cells = lines[0], lines[1], {r[0]: dict(zip(lines[0], r, strict=False)) for r in lines[2:]}
        assert possible[0] == "Points Possible"
        assert dict(zip(header, possible, strict=False))[f"{CH01}:test_affine"] == "3"
        assert cells[bob][f"{CH01}:test_affine"] == "0" and cells[bob][f"{CH01}:test_tensor_info"] == "2"
        assert cells[bob][f"{CH01} total"] == "7.2" and cells[alice][f"{CH01} total"] == "11"
        assert cells[alice]["last_name"] == "Lee" and cells[alice]["email"] == f"{alice}@example.edu"
        graded = [h for h in header if h.startswith(f"{CH14}:")]
        assert graded and all(cells[alice][h] == dict(zip(header, possible, strict=False))[h] for h in graded)
        assert all(cells[bob][h] == "0" for h in graded)

    with Step(room, "what must fail"):
        bob_nb = room.home(bob) / CH01 / f"{CH01}.ipynb"
        inbound = exchange / COURSE_ID / "inbound"
        denied = {
            "alice reads bob's notebook": ["cat", str(bob_nb)],
            "alice lists bob's home": ["ls", str(room.home(bob))],
            "alice lists the exchange's inbound (finds bob's submission)": ["ls", str(inbound)],
            "alice writes into the released chapter": ["touch", str(exchange / COURSE_ID / "outbound" / CH01 / "x")],
            "alice reads the gradebook": ["cat", str(course / "gradebook.db")],
            "alice lists solutions/": ["ls", str(course / "solutions")],
            "alice reads bob's feedback": ["ls", str(room.home(bob) / CH01 / "feedback")],
            "alice runs the instructor's collect": ["nbgrader", "collect", CH01, f"--CourseDirectory.root={course}"],
            "alice lists the gradebook's students": [
                "nbgrader",
                "db",
                "student",
                "list",
                f"--CourseDirectory.root={course}",
            ],
        }
        allowed = [name for name, cmd in denied.items() if room.as_user(alice, *cmd).returncode == 0]
        assert not allowed, f"a learner could: {allowed}"
        # Guessing the name does not work either: it ends in 72 random bits, and the folder is unlistable.
        assert room.as_user(alice, "sh", "-c", f"ls -d {inbound}/{bob}+* 2>/dev/null").stdout == ""
        for path in ("formgrader", "formgrader/api/assignments", "formgrader/api/submissions/" + CH01):
            reply = api(alice, "GET", path, allow_redirects=False)
            assert reply.status_code == 404, f"a learner's server serves {path}: {reply.status_code}"
        assert api(teacher, "GET", "formgrader/api/assignments").status_code == 200
        # Alice's token does not open the instructor's (or bob's) server.
        for other in (teacher, bob):
            reply = requests.get(
                f"{hub}/user/{other}/api/contents",
                timeout=30,
                allow_redirects=False,
                headers={"Authorization": f"token {tokens[alice]}"},
            )
            assert reply.status_code in (403, 404), f"alice's token opened {other}'s server: {reply.status_code}"
        reply = requests.get(f"{hub}/hub/api/users", timeout=30, headers={"Authorization": f"token {tokens[alice]}"})
        assert reply.status_code == 403 or [u["name"] for u in reply.json()] == [alice]

    room.hub_url = hub
    room.timings["total"] = round(time.monotonic() - t0, 1)
    report = "\n".join(f"  {name:<62}{seconds:>7.1f} s" for name, seconds in room.timings.items())
    print(f"\nclassroom step timings:\n{report}")
    if os.environ.get("DLF_CLASSROOM_TIMINGS"):
        Path(os.environ["DLF_CLASSROOM_TIMINGS"]).write_text(json.dumps(room.timings, indent=1))


def test_classroom_in_a_browser(classroom):
    """The same term in headless Chromium, on the hub left by test_classroom_end_to_end (no second setup).

    Carol, a learner who has not logged in yet, logs in on the hub's login page (PAM), gets her
    JupyterLab, opens *Nbgrader → Assignment List* and fetches ch01 by clicking its Fetch button. The
    instructor logs in the same way and opens Formgrader through the hub: ch01's collected
    submissions (alice's and bob's, graded) are listed. DLF_SCREENSHOT_DIR=docs/img refreshes the
    README's screenshots.
    """
    from test_browser import chromium, need_browser, screenshot

    room = classroom
    need_browser()
    if room.hub_url is None:
        (pytest.fail if REQUIRED else pytest.skip)("test_classroom_end_to_end did not finish: no hub to browse")
    from playwright.sync_api import sync_playwright

    hub, carol, teacher = room.hub_url, room.carol, room.teacher
    t0 = time.monotonic()

    def login(browser, user: str, height: int):
        page = browser.new_context(viewport={"width": 1400, "height": height}).new_page()
        page.goto(f"{hub}/hub/login")
        page.fill("#username_input", user)
        page.fill("#password_input", room.passwords[user])
        page.click("#login_submit")
        return page

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            with Step(room, "browser: carol logs in, Assignments tab, Fetch ch01"):
                page = login(browser, carol, 700)
                page.wait_for_url(f"**/user/{carol}/lab**", timeout=180_000)  # spawned through the hub
                page.wait_for_selector(".jp-LabShell", timeout=120_000)
                page.get_by_role("menuitem", name="Nbgrader").click()
                page.get_by_text("Assignment List", exact=True).click()
                released = page.locator("#released_assignments_list .list_item", has_text=CH01)
                released.get_by_role("button", name="Fetch").click(timeout=90_000)
                fetched = page.locator("#fetched_assignments_list .list_item", has_text=CH01).first
                fetched.get_by_role("button", name="Submit").wait_for(timeout=90_000)
                # ch14 is still offered; ch01 is now carol's, in her own private home.
                page.locator("#released_assignments_list .list_item", has_text=CH14).wait_for(timeout=30_000)
                assert (room.home(carol) / CH01 / f"{CH01}.ipynb").is_file()
                assert room.home(carol).stat().st_mode & 0o777 == 0o700
                no_news = page.get_by_role("button", name="No", exact=True)  # "get notified about Jupyter news?"
                if no_news.count():
                    no_news.click()
                screenshot(page, "classroom-assignments.png")

            with Step(room, "browser: instructor's Formgrader lists ch01's submissions"):
                page = login(browser, teacher, 500)
                page.wait_for_url(f"**/user/{teacher}/**", timeout=180_000)
                page.goto(f"{hub}/user/{teacher}/formgrader/manage_assignments")
                page.locator(f"a[href$='manage_submissions/{CH01}']").click(timeout=90_000)
                rows = page.locator("table tbody tr")
                for learner in (room.alice, room.bob):
                    rows.filter(has_text=learner).first.wait_for(timeout=90_000)
                table = {
                    learner: rows.filter(has_text=learner).first.inner_text() for learner in (room.alice, room.bob)
                }
                assert "Lee, Alice" in table[room.alice] and "Park, Bob" in table[room.bob], table
                assert "11 / 11" in table[room.alice] and "graded" in table[room.alice], table
                assert "8 / 11" in table[room.bob] and "graded" in table[room.bob], (
                    table
                )  # raw score; penalty in the export
                assert room.carol not in page.inner_text("body")  # fetched, never submitted
                screenshot(page, "classroom-formgrader.png")
        finally:
            browser.close()
    if os.environ.get("DLF_CLASSROOM_TIMINGS"):
        Path(os.environ["DLF_CLASSROOM_TIMINGS"]).write_text(json.dumps(room.timings, indent=1))
    print(
        f"\nbrowser on the hub: {time.monotonic() - t0:.1f} s "
        + ", ".join(f"{k}: {v} s" for k, v in room.timings.items() if k.startswith("browser"))
    )
