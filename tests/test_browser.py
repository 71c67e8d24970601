"""In a real browser: JupyterLab from the course environment with the nbgrader extension, a learner
running a chapter and pressing Validate, an instructor opening Formgrader.

Needs Chromium from the system (Debian: `apt-get install chromium`) and the `playwright` package
(a dev dependency; no browser is downloaded). Skipped when either is missing, unless
DLF_REQUIRE_BROWSER=1 (CI sets it). Set DLF_SCREENSHOT_DIR=docs/img to refresh the README's screenshots.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import harness as g
import pytest

CH = "ch01_tensors"
TOKEN = "dlf-browser-test"
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("browser")]


def chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def need_browser():
    missing = []
    if chromium() is None:
        missing.append("Chromium (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[dev]')")
    if missing:
        if os.environ.get("DLF_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DLF_REQUIRE_BROWSER=1 but missing: {', '.join(missing)}")
        pytest.skip(f"no browser test: missing {', '.join(missing)}")


def test_nbgrader_extension_is_enabled_and_compatible():
    proc = subprocess.run([str(g.BIN / "jupyter"), "labextension", "list"], capture_output=True, text=True, timeout=120)
    listing = proc.stdout + proc.stderr
    line = next((ln for ln in listing.splitlines() if "@jupyter/nbgrader" in ln), "")
    assert "enabled" in line and "OK" in line, f"@jupyter/nbgrader is not enabled and OK:\n{listing}"


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A course folder with ch01 released, a learner's solved and blank copies, and JupyterLab serving it."""
    need_browser()
    course = tmp_path_factory.mktemp("lab")
    released = g.load_nb(g.release(CH, course))
    (course / "work").mkdir()
    (course / "work" / "solved.ipynb").write_text(json.dumps(g.filled_submission(CH, released)), encoding="utf-8")
    (course / "work" / "blank.ipynb").write_text(json.dumps(released), encoding="utf-8")
    wrong_affine = (g.MUTANTS / CH / "affine__elementwise.py").read_text(encoding="utf-8")
    (course / "work" / "wrong.ipynb").write_text(
        json.dumps(g.filled_submission(CH, released, {"affine": wrong_affine})), encoding="utf-8"
    )
    # The Korean edition where a learner opens it (make lab EDITION=ko), with the same wrong affine.
    korean = g.load_nb(g.ROOT / "notebooks-ko" / CH / f"{CH}.ipynb")
    (course / "notebooks-ko" / CH).mkdir(parents=True)
    (course / "notebooks-ko" / CH / f"{CH}.ipynb").write_text(
        json.dumps(g.filled_submission(CH, korean, {"affine": wrong_affine})), encoding="utf-8"
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = g.course_env()
    del env["MPLBACKEND"]  # inline plots, as a learner sees them
    log = open(course / "server.log", "w")
    server = subprocess.Popen(
        [
            str(g.BIN / "jupyter"),
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={course}",
            "--allow-root",
        ],
        cwd=course,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not start:\n{(course / 'server.log').read_text()}")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
            yield base, browser
            browser.close()
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def screenshot(page, name: str) -> None:
    """Save the page as ``name`` in DLF_SCREENSHOT_DIR (after a second for the page to settle), if it is set."""
    folder = os.environ.get("DLF_SCREENSHOT_DIR")
    if folder:
        time.sleep(1)
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def open_notebook(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url)
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    validate_button(page).wait_for(timeout=90_000)
    time.sleep(2)
    no_news = page.get_by_role("button", name="No", exact=True)  # "get notified about Jupyter news?"
    if no_news.count():
        no_news.click()
    return page


def validate_button(page):
    """nbgrader's Validate button in the toolbar of the notebook on screen (JupyterLab may restore others)."""
    return page.locator(".jp-ToolbarButtonComponent-label:visible", has_text="Validate").first


def validate(page) -> str:
    validate_button(page).click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=180_000)
    time.sleep(1)
    return dialog.inner_text()


def test_learner_runs_a_chapter_and_validates_it(lab):
    base, browser = lab
    page = open_notebook(browser, f"{base}/lab/tree/work/solved.ipynb?reset&token={TOKEN}")
    page.get_by_text("Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.locator(".jp-Notebook-cell .jp-InputPrompt:has-text('[14]')").first.wait_for(timeout=180_000)
    page.locator(".jp-RenderedImage img").first.wait_for(timeout=60_000)  # the chapter's figure rendered
    text = validate(page)
    screenshot(page, "validate-success.png")
    assert "passes all the tests" in text, text
    page.close()


def test_validate_names_the_failing_tests(lab):
    base, browser = lab
    page = open_notebook(browser, f"{base}/lab/tree/work/blank.ipynb?reset&token={TOKEN}")
    text = validate(page)
    assert "NotImplementedError" in text and "failed" in text.lower(), text
    page.close()


def test_validate_shows_the_whole_message_and_hint(lab):
    """A wrong affine (`*` for `@`): the dialog names the check that failed and shows its whole message."""
    base, browser = lab
    page = open_notebook(browser, f"{base}/lab/tree/work/wrong.ipynb?reset&token={TOKEN}")
    text = validate(page)
    # nbgrader's dialog shows the cell's source first: scroll to the error, which is what the learner reads.
    page.locator(".jp-Dialog").get_by_text("Hint:").last.scroll_into_view_if_needed()
    page.mouse.move(700, 450)
    page.mouse.wheel(0, 330)  # down to the last lines of the first error: the check's message and hint
    screenshot(page, "validate-failures.png")
    for piece in ["test_affine_values_and_array_type", "could not be broadcast", "Hint:", "`@`"]:
        assert piece in text, (piece, text)
    page.close()


def test_validate_speaks_korean_in_the_korean_edition(lab):
    """The Korean ch01 with the wrong affine: Validate's kernel runs in notebooks-ko/, so the failure
    message and hint come from the Korean catalog (utils/i18n/locale/ko/utils.po, utils/i18n/messages.py)."""
    from utils.i18n.messages import translate

    base, browser = lab
    page = open_notebook(browser, f"{base}/lab/tree/notebooks-ko/{CH}/{CH}.ipynb?reset&token={TOKEN}")
    page.locator(".jp-Notebook .jp-RenderedMarkdown", has_text="딥러닝의 자료 구조").first.wait_for(
        timeout=30_000
    )  # the Korean title rendered
    text = validate(page)
    hint = translate("Hint: {hint}", "ko").split("{")[0].strip()  # 힌트:
    broadcast = translate(  # the message explain_errors gives for `*` where `@` was meant
        "the shapes {shapes} do not broadcast (each axis needs equal sizes or a 1). Usual causes: `*` where "
        "the matrix product `@` was meant; a sum or max that dropped its axis: keep it with keepdims=True "
        "(x.sum(axis=1, keepdims=True) has shape (N, 1), not (N,))",
        "ko",
    )
    pieces = [
        hint,
        broadcast.split("}")[1].split("(")[0].strip(),
        translate("your code raised {error}:", "ko").split("{")[0].strip(),
    ]
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in piece) for piece in pieces), pieces  # Hangul
    page.locator(".jp-Dialog").get_by_text(hint).last.scroll_into_view_if_needed()
    page.mouse.move(700, 450)
    page.mouse.wheel(0, 330)
    screenshot(page, "validate-failures-ko.png")
    for piece in ["test_affine_values_and_array_type", *pieces]:
        assert piece in text, (piece, text)
    assert "do not broadcast" not in text and "Hint:" not in text, text  # no English message left
    page.close()


def test_instructor_opens_formgrader(lab):
    base, browser = lab
    page = browser.new_page(viewport={"width": 1400, "height": 700})
    page.goto(f"{base}/formgrader?token={TOKEN}")
    page.get_by_text("Manage Assignments").first.wait_for(timeout=90_000)
    page.get_by_text(CH).first.wait_for(timeout=90_000)
    screenshot(page, "formgrader.png")
    assert "Manual Grading" in page.inner_text("body")
    page.close()
