"""The prose of the solution notebooks: clean text, formulas that render, chapter references that hold.

* No control characters in markdown (a TAB typed into `\\tilde` rendered as "ilde").
* Every `$...$` and `$$...$$` formula renders with KaTeX (a real TeX-math renderer; Jupyter itself uses
  MathJax). KaTeX runs in node: `npm ci --prefix tests/js` installs the pinned copy. Without node or
  KaTeX the formula test is skipped, or fails when `DLF_REQUIRE_KATEX=1` (CI).
* Every "chapter NN" reference names a chapter that exists, and in "TOPIC (chapter NN)" where the words
  before the parenthesis name a topic from `TOPICS`, the referenced chapter teaches that topic (its text
  contains the topic's marker).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("ch[0-9][0-9]_*/ch[0-9][0-9]_*.ipynb"))
KATEX_DIR = ROOT / "tests" / "js"

# topic named before a "(chapter NN)" reference  ->  text the referenced chapter must contain
# (lower case, searched in the chapter's markdown and code). Extend it when you add a reference.
TOPICS = {
    r"learning[- ]rate schedule|decaying learning rate|schedules?\b": "lr_scheduler",
    r"cross-entropy": "cross-entropy",
    r"softmax": "softmax",
    r"backprop": "backward",
    r"autograd": "autograd",
    r"initiali[sz]ation": "initiali",
    r"batch norm": "batch norm",
    r"dropout": "dropout",
    r"weight decay|adamw": "weight decay",
    r"early stopping": "early stopping",
    r"optimi[sz]ers?\b|\badam\b|momentum": "momentum",
    r"hyperparameter": "hyperparameter",
    r"confusion matrix": "confusion matrix",
    r"overfitting": "overfitting",
    r"\bmse\b|mean squared": "mean squared",
    r"sigmoid": "sigmoid",
    r"convolution": "convolution",
    r"validation": "validation",
    r"\bxor\b": "xor",
    r"training step|training loop": "zero_grad",
    r"gradient descent|learning rate": "gradient descent",
}
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # every control character but newline


def _markdown(path: Path) -> list[tuple[int, str]]:
    cells = json.loads(path.read_text())["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def _chapter_text(number: int) -> str | None:
    for path in SOLUTIONS:
        if path.name.startswith(f"ch{number:02d}_"):
            return "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]).lower()
    return None


def formulas(markdown: str) -> list[tuple[str, bool]]:
    """The TeX of every `$$...$$` (display) and `$...$` (inline) formula outside code."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    found = []
    for m in re.finditer(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\$)((?:\\\$|[^$])+?)\$", text, flags=re.S):
        found.append((m.group(1), True) if m.group(1) is not None else (m.group(2), False))
    return found


def test_formulas_are_found():
    assert formulas(r"a $x^2$ and $$\frac{1}{2}$$, not `$HOME` or ```\n$y$\n```") == [
        ("x^2", False),
        (r"\frac{1}{2}", True),
    ]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.parent.name)
def test_markdown_has_no_control_characters(path):
    bad = [
        f"cell {i}: {ch!r} in {text[max(0, m.start() - 20) : m.end() + 20]!r}"
        for i, text in _markdown(path)
        for m in CONTROL.finditer(text)
        for ch in [m.group()]
    ]
    assert not bad, "control characters in markdown (a TAB or a backslash escape that Python ate?):\n" + "\n".join(bad)


@lru_cache(maxsize=1)
def _katex_available() -> str | None:
    """None when KaTeX can run, else why not."""
    if not shutil.which("node"):
        return "node is not installed"
    if not (KATEX_DIR / "node_modules" / "katex").is_dir():
        return "KaTeX is not installed: run `npm ci --prefix tests/js`"
    return None


def render_errors(items: list[tuple[str, bool]]) -> list[str | None]:
    out = subprocess.run(
        ["node", str(KATEX_DIR / "render.js")],
        input=json.dumps(items),
        text=True,
        capture_output=True,
        check=True,
        cwd=KATEX_DIR,
        timeout=120,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.parent.name)
def test_every_formula_renders_with_katex(path):
    why = _katex_available()
    if why:
        if os.environ.get("DLF_REQUIRE_KATEX") == "1":
            pytest.fail(why)
        pytest.skip(why)
    items, where = [], []
    for i, text in _markdown(path):
        for tex, display in formulas(text):
            items.append((tex, display))
            where.append(i)
    errors = render_errors(items)
    bad = [f"cell {i}: {tex!r}: {err}" for i, (tex, _), err in zip(where, items, errors, strict=False) if err]
    assert not bad, "formulas KaTeX cannot render:\n" + "\n".join(bad)


def test_katex_rejects_a_broken_formula():
    if _katex_available():
        pytest.skip(_katex_available())
    ok, broken = render_errors([(r"\frac{1}{2}", False), (r"\frac{1}{", False)])
    assert ok is None and broken


REFERENCE = re.compile(r"\b[Cc]hapters? (\d\d)((?:(?:, | and | or |–|-)\d\d)*)")


def references(text: str):
    """(chapter numbers, topic) for every "chapter NN"; topic: the last words before "(chapter NN", else ""."""
    flat = " ".join(text.split())
    for m in REFERENCE.finditer(flat):
        first = int(m.group(1))
        rest = [int(n) for n in re.findall(r"\d\d", m.group(2))]
        ranged = m.group(2)[:1] in ("–", "-")
        numbers = list(range(first, rest[-1] + 1)) if ranged else [first, *rest]
        topic = ""
        if flat[max(0, m.start() - 1) : m.start()] == "(":
            clause = re.split(r"[,;:.!?(]|\*\*| — | and ", flat[max(0, m.start() - 80) : m.start() - 1])[-1]
            topic = " ".join(clause.split()[-4:]).lower()
        yield numbers, topic


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.parent.name)
def test_chapter_references_point_to_the_topic(path):
    bad = []
    for i, text in _markdown(path):
        for numbers, before in references(text):
            for n in numbers:
                chapter = _chapter_text(n)
                if chapter is None:
                    bad.append(f"cell {i}: chapter {n:02d} does not exist ({before!r})")
                    continue
            for pattern, marker in TOPICS.items():
                if re.search(pattern, before) and not any(marker in (_chapter_text(n) or "") for n in numbers):
                    bad.append(f"cell {i}: {before!r} (chapter(s) {numbers}): no {marker!r} there")
    assert not bad, "chapter references that do not hold:\n" + "\n".join(bad)


def test_a_wrong_reference_is_caught():
    refs = list(references("Use a decaying learning rate (chapter 08). See chapters 03–05."))
    assert refs == [([8], "a decaying learning rate"), ([3, 4, 5], "")]
    assert "lr_scheduler" not in _chapter_text(8) and "lr_scheduler" in _chapter_text(13)
