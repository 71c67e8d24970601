"""The Korean edition: catalogs, build, grading and messages (utils/i18n, i18n/ko, notebooks-ko).

* every catalog is complete and non-fuzzy, and agrees with its source notebook;
* formulas, code spans and link targets are identical cell by cell; glossary terms are used;
* ``notebooks-ko/`` is in sync with `make release` (as notebooks/ is, tests/test_grading.py);
* a Korean-edition submission autogrades exactly like the English one with the one nbgrader source,
  a stub scores zero, and a wrong answer fails with a Korean message.
"""

from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
import unicodedata

import harness as g
import nbformat
import polib
import pytest

from utils.i18n import CATALOGS, ROOT, build, extract, hints, messages

KO = CATALOGS / "ko"
CHAPTERS = sorted(p.stem for p in KO.glob("ch[0-9][0-9]_*.po"))
RELEASED_KO = ROOT / "notebooks-ko"
GLOSSARY = ROOT / "docs" / "glossary.md"


def catalog(chapter: str) -> polib.POFile:
    return extract.read_catalog(KO / f"{chapter}.po")


def make_catalog(*entries: tuple) -> polib.POFile:
    """A catalog of ``(msgid, msgstr, msgctxt[, flags])`` entries."""
    cat = extract.new_catalog("t", "ko")
    cat.extend(polib.POEntry(msgid=i, msgstr=s, msgctxt=c, flags=list(f)) for i, s, c, *f in entries)
    return cat


def test_every_chapter_has_a_korean_catalog():
    missing = sorted(set(g.chapters()) - set(CHAPTERS))
    assert not missing, (
        f"no Korean catalog for {missing}: run `python -m utils.i18n.extract <chapter>` and translate it"
    )


# ----------------------------------------------------------------------------- catalogs
def catalog_problems(cat: polib.POFile, cells: list[tuple[str, str]]) -> list[str]:
    """What keeps ``cat`` from being a complete translation of ``cells``: missing, fuzzy, stale."""
    entries = extract.by_context(cat)
    out = []
    for cid, text in cells:
        e = entries.get(cid)
        if e is None or not e.msgstr:
            out.append(f"cell {cid}: missing")
        elif e.fuzzy:
            out.append(f"cell {cid}: fuzzy")
        elif e.msgid != text:
            out.append(f"cell {cid}: stale (run python -m utils.i18n.extract)")
    return out


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_catalog_is_complete_and_not_fuzzy(chapter):
    cells = extract.markdown_cells(g.load_nb(g.SOLUTIONS / chapter / f"{chapter}.ipynb"))
    problems = catalog_problems(catalog(chapter), cells)
    assert not problems, f"i18n/ko/{chapter}.po: {problems}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_hint_catalog_is_complete_and_not_fuzzy(chapter):
    path = messages.LOCALE / "ko" / f"{chapter}.po"
    assert path.is_file(), f"no hint catalog: run python -m utils.i18n.hints {chapter}"
    strings = hints.hint_strings(g.load_nb(g.SOLUTIONS / chapter / f"{chapter}.ipynb"))
    assert strings, "no hint= strings found in the test cells"
    problems = catalog_problems(extract.read_catalog(path), strings)
    assert not problems, f"{path.relative_to(ROOT)}: {problems}"


def test_the_completeness_check_fails_on_missing_fuzzy_and_stale_entries():
    cat = make_catalog(("A", "가", "1"), ("B", "나", "2", "fuzzy"), ("C old", "다", "3"))
    cells = [("1", "A"), ("2", "B"), ("3", "C"), ("4", "D")]
    assert catalog_problems(cat, cells) == [
        "cell 2: fuzzy",
        "cell 3: stale (run python -m utils.i18n.extract)",
        "cell 4: missing",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(t, id=i) for i, t in cells])
    translated, problems = build.translate(nb, cat, "ko")
    assert len(problems) == 3 and [c.source for c in translated.cells] == ["가", "B", "C", "D"]


def test_extract_marks_changed_cells_fuzzy_adds_new_ones_and_keeps_removed_ones_obsolete():
    old = make_catalog(("Same", "같음", "1"), ("Old text", "옛 번역", "2"), ("Gone", "사라짐", "3"))
    before = str(old)
    new = extract.update(old, [("1", "Same"), ("2", "New text"), ("4", "Added")])
    assert str(old) == before, "update changed its input"
    by = {e.msgctxt: e for e in new}
    assert by["1"].translated() and by["1"].msgstr == "같음"
    assert by["2"].fuzzy and by["2"].msgstr == "옛 번역" and by["2"].previous_msgid == "Old text"
    assert by["4"].msgstr == "" and not by["4"].fuzzy
    assert by["3"].obsolete and by["3"].msgstr == "사라짐"
    text = str(new)
    assert '#, fuzzy\n#| msgid "Old text"\nmsgctxt "2"\nmsgid "New text"\nmsgstr "옛 번역"' in text
    assert '#~ msgctxt "3"\n#~ msgid "Gone"' in text
    fields = ("msgctxt", "msgid", "msgstr", "flags", "previous_msgid", "obsolete")
    assert [[getattr(e, f) for f in fields] for e in polib.pofile(text, wrapwidth=0)] == [
        [getattr(e, f) for f in fields] for e in new
    ]
    moved = extract.update(old, [("9", "Old text")], same_text_is_same=True)  # a hint in a renamed test cell
    assert extract.by_context(moved)["9"].translated() and extract.by_context(moved)["9"].msgstr == "옛 번역"
    assert extract.by_context(extract.update(old, [("9", "Old text")]))["9"].fuzzy  # a markdown cell: to be confirmed
    again = extract.update(new, [("1", "Same"), ("2", "Newer text")])  # still fuzzy: keep the first previous
    assert {e.msgctxt: e for e in again}["2"].previous_msgid == "Old text"


@pytest.mark.parametrize(
    "path",
    [*sorted(KO.glob("*.po")), *sorted((messages.LOCALE / "ko").glob("*.po"))],
    ids=lambda p: p.parent.name + "/" + p.name,
)
def test_catalogs_are_standard_po_files(path):
    cat = extract.read_catalog(path)
    assert cat.metadata["Language"] == "ko" and cat.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in cat.metadata["Content-Type"]
    assert str(cat) == path.read_text(encoding="utf-8"), "not in the canonical form: re-run extract"
    if shutil.which("msgfmt"):  # GNU gettext's own checker, as Poedit uses it
        proc = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0 and "warning" not in proc.stderr, proc.stderr


# ----------------------------------------------------------------------------- what must survive translation
_DISPLAY = re.compile(r"\$\$.+?\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$")
_CODE = re.compile(r"`[^`\n]+`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def invariants(text: str) -> dict[str, collections.Counter]:
    display = _DISPLAY.findall(text)
    rest = _DISPLAY.sub(" ", text)
    code = _CODE.findall(rest)
    rest = _CODE.sub(" ", rest)
    return {
        "formulas $$...$$": collections.Counter(display),
        "formulas $...$": collections.Counter(_INLINE.findall(rest)),
        "code spans": collections.Counter(code),
        "link targets": collections.Counter(_LINK.findall(rest)),
    }


def test_invariants_see_formulas_code_and_links():
    found = invariants("a $x$ and $$y = 1$$, `f(x)` and [d](../d.md), `$z$` is code")
    assert found["formulas $...$"] == {"x": 1} and found["formulas $$...$$"] == {"$$y = 1$$": 1}
    assert found["code spans"] == {"`f(x)`": 1, "`$z$`": 1} and found["link targets"] == {"../d.md": 1}


def unclosed_bold(text: str) -> list[str]:
    """Every closing ``**`` that CommonMark does not accept as one: after punctuation and before a letter,
    as in ``**오차역전파법(backpropagation)**은`` (write ``**오차역전파법**(backpropagation)은``)."""
    masked = _DISPLAY.sub(lambda m: "x" * len(m.group()), text)
    masked = _INLINE.sub(lambda m: "x" * len(m.group()), masked)
    masked = _CODE.sub(lambda m: "x" * len(m.group()), masked)
    closers = [m.start() for m in re.finditer(r"\*\*", masked)][1::2]

    def punct(ch: str) -> bool:
        return unicodedata.category(ch)[0] in "PS"

    return [
        text[max(0, i - 30) : i + 3]
        for i in closers
        if i + 2 < len(masked) and punct(masked[i - 1]) and not (masked[i + 2].isspace() or punct(masked[i + 2]))
    ]


def test_unclosed_bold_is_found():
    assert unclosed_bold("**오차역전파법(backpropagation)**은 and `a**b`") == ["**오차역전파법(backpropagation)**은"]
    assert unclosed_bold("**오차역전파법**(backpropagation)은, (**굵게**), **a.** b") == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_bold_renders_in_korean(chapter):
    bad = [f"cell {e.msgctxt}: {s!r}" for e in extract.active(catalog(chapter)) for s in unclosed_bold(e.msgstr)]
    assert not bad, "bold that Markdown shows as asterisks (close ** before the parenthesis):\n" + "\n".join(bad)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_formulas_code_spans_and_links_are_unchanged(chapter):
    bad = []
    for e in extract.active(catalog(chapter)):
        if e.msgstr:
            en, ko = invariants(e.msgid), invariants(e.msgstr)
            bad += [
                f"cell {e.msgctxt}: {k} {dict(en[k] - ko[k])} lost, {dict(ko[k] - en[k])} added"
                for k in en
                if en[k] != ko[k]
            ]
    assert not bad, "\n".join(bad)


def glossary() -> list[tuple[str, str]]:
    rows = re.findall(r"^\| *([^|]+?) *\| *([^|]+?) *\|$", GLOSSARY.read_text(encoding="utf-8"), re.M)
    return [(en, ko) for en, ko in rows if en not in ("English", "---")]


def missing_terms(english: str, korean: str, terms: list[tuple[str, str]]) -> list[str]:
    """Glossary terms in ``english`` (outside formulas and code) whose Korean form ``korean`` lacks.
    Longer terms are matched first, so "gradient descent" does not count as "gradient"."""
    text = _CODE.sub(" ", _INLINE.sub(" ", _DISPLAY.sub(" ", english))).replace("**", "")
    korean = korean.replace("**", "")
    out = []
    for en, ko in sorted(terms, key=lambda t: -len(t[0])):
        pattern = re.compile(rf"\b{re.escape(en)}(?:s|es)?\b", re.I)
        if pattern.search(text):
            text = pattern.sub(" ", text)
            if ko not in korean:
                out.append(f"{en} → {ko}")
    return out


def test_glossary_check_finds_a_missing_term():
    terms = [("gradient", "기울기"), ("gradient descent", "경사 하강법")]
    assert missing_terms("Gradient descent follows the gradients", "경사 하강법은 기울기를 따릅니다", terms) == []
    assert missing_terms("the gradient", "그레이디언트", terms) == ["gradient → 기울기"]
    assert missing_terms("`gradient` and $gradient$", "", terms) == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_glossary_terms_are_used(chapter):
    terms = glossary()
    assert len(terms) >= 10
    bad = [
        f"cell {e.msgctxt}: {missing}"
        for e in extract.active(catalog(chapter))
        if e.msgstr and (missing := missing_terms(e.msgid, e.msgstr, terms))
    ]
    assert not bad, "\n".join(bad)


# ----------------------------------------------------------------------------- release
@pytest.fixture(scope="module")
def released(tmp_path_factory):
    cache: dict[str, tuple] = {}

    def get(chapter: str):
        if chapter not in cache:
            course = tmp_path_factory.mktemp(f"ko-release-{chapter}")
            cache[chapter] = (course, g.release(chapter, course))
        return cache[chapter]

    return get


def test_no_korean_release_without_a_catalog():
    stray = [ch for ch in g.chapters() if ch not in CHAPTERS and (RELEASED_KO / ch).exists()]
    assert not stray, f"notebooks-ko/ holds chapters with no catalog in i18n/ko/: {stray}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_korean_release_is_in_sync(chapter, tmp_path):
    # Built from the committed English release: tests/test_grading.py::test_release_is_in_sync checks that it
    # is what nbgrader releases from solutions/ now (releasing every chapter again here cost ~80 s of CPU).
    committed = RELEASED_KO / chapter / f"{chapter}.ipynb"
    build.build(chapter, "ko", release=g.RELEASED, out=tmp_path)
    fresh = tmp_path / chapter / f"{chapter}.ipynb"
    assert committed.is_file(), f"notebooks-ko/{chapter} is missing: run `make release` and commit it"
    assert fresh.read_bytes() == committed.read_bytes(), (
        f"notebooks-ko/{chapter} is out of date with solutions/{chapter} and i18n/ko/{chapter}.po: "
        "run `make release` and commit the result"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_only_markdown_differs_between_editions(chapter):
    en = g.load_nb(g.RELEASED / chapter / f"{chapter}.ipynb")
    ko = g.load_nb(RELEASED_KO / chapter / f"{chapter}.ipynb")
    assert ko["metadata"] == {**en["metadata"], "dlf": {"lang": "ko"}}
    assert len(en["cells"]) == len(ko["cells"])
    for a, b in zip(en["cells"], ko["cells"], strict=True):
        if a["cell_type"] == "markdown":
            assert {**a, "source": None} == {**b, "source": None}
        else:
            assert a == b, f"cell {a['id']} differs between the editions"


# ----------------------------------------------------------------------------- grading
GRADED = "ch02_perceptron"


@pytest.mark.grading
def test_korean_submission_grades_like_the_english_one(released, tmp_path):
    course, en_path = released(GRADED)
    target = tmp_path / "course"
    shutil.copytree(course, target)
    en = g.load_nb(en_path)
    ko = json.loads(nbformat.writes(build.translate(nbformat.reads(json.dumps(en), 4), catalog(GRADED), "ko")[0]))
    functions = g.graded_functions(GRADED)
    mutant = next(m for m in g.mutants(GRADED) if m.function in functions)
    wrong = {functions[mutant.function]: mutant.path.read_text()}
    scores = g.autograde(
        target,
        GRADED,
        {
            "en": g.filled_submission(GRADED, en),
            "ko": g.filled_submission(GRADED, ko),
            "ko_blank": ko,
            "en_mutant": g.filled_submission(GRADED, en, wrong),
            "ko_mutant": g.filled_submission(GRADED, ko, wrong),
        },
    )
    assert scores["ko"] == scores["en"] and all(s == m for s, m in scores["ko"].values())
    assert all(s == 0 for s, _ in scores["ko_blank"].values())
    assert scores["ko_mutant"] == scores["en_mutant"] != scores["en"]
    # the same failing test says it in Korean in the Korean edition, in English in the English one
    ko_errors = [e for e in g.errors(g.autograded_nb(target, GRADED, "ko_mutant")) if e[1] == "CheckFailed"]
    en_errors = [e for e in g.errors(g.autograded_nb(target, GRADED, "en_mutant")) if e[1] == "CheckFailed"]
    assert ko_errors and len(ko_errors) == len(en_errors)
    assert any(re.search("[가-힣]", v) for _, _, v in ko_errors), ko_errors
    assert not any(re.search("[가-힣]", v) for _, _, v in en_errors), en_errors


# ----------------------------------------------------------------------------- messages
def test_language_comes_from_dlf_lang_the_session_path_or_the_folder(monkeypatch, tmp_path):
    for name in ("DLF_LANG", "JPY_SESSION_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    assert messages.language() == "en"
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/course/notebooks-ko/ch02_perceptron/ch02_perceptron.ipynb")
    assert messages.language() == "ko"
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/course/notebooks/ch02_perceptron/ch02_perceptron.ipynb")
    assert messages.language() == "en"
    monkeypatch.setenv("DLF_LANG", "ko")
    assert messages.language() == "ko"
    monkeypatch.delenv("JPY_SESSION_NAME")
    monkeypatch.delenv("DLF_LANG")
    (tmp_path / "notebooks-ko" / "ch02").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notebooks-ko" / "ch02")
    assert messages.language() == "ko"


def test_a_fetched_korean_notebook_says_its_language_in_its_metadata(monkeypatch, tmp_path):
    # The exchange puts either edition in ~/ch02_perceptron/: the path names no edition, the notebook does.
    for name in ("DLF_LANG", "JPY_SESSION_NAME"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "ch02_perceptron"
    folder.mkdir()
    monkeypatch.chdir(folder)
    notebook = folder / "ch02_perceptron.ipynb"
    notebook.write_text(json.dumps({"cells": [], "metadata": {"dlf": {"lang": "ko"}}}), encoding="utf-8")
    assert messages.language() == "ko"  # nbgrader validate: the notebooks in the kernel's folder
    monkeypatch.setenv("JPY_SESSION_NAME", "ch02_perceptron/ch02_perceptron.ipynb")
    assert messages.language() == "ko"  # JupyterLab: the session's notebook
    monkeypatch.delenv("JPY_SESSION_NAME")
    (folder / "scratch.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}), encoding="utf-8")
    assert messages.language() == "en"  # notebooks that disagree: English
    notebook.write_text("", encoding="utf-8")  # unreadable, as in the grading sandbox
    assert messages.language() == "en"


def test_check_messages_are_korean_in_the_korean_edition(monkeypatch):
    from utils.testing import check_close, check_raises

    monkeypatch.setenv("DLF_LANG", "ko")
    with pytest.raises(AssertionError) as failed:
        check_close([1, 2, 3], [1, 2, 4], "step_function(x)")
    assert str(failed.value) == (
        "step_function(x): 값 3개 중 1개가 틀렸습니다. 첫 번째 인덱스 (2,): 기댓값 4, 받은 값 3 "
        "(허용 오차: rtol=1e-07, atol=1e-12)"
    )
    with pytest.raises(AssertionError, match="ValueError를 발생시켜야 하는데 정상적으로 반환했습니다"):
        check_raises(ValueError, lambda: None, name="f")
    monkeypatch.setenv("DLF_LANG", "en")
    with pytest.raises(AssertionError, match="should raise ValueError for this input, but returned normally"):
        check_raises(ValueError, lambda: None, name="f")


def test_hints_and_error_hints_are_korean_in_the_korean_edition(monkeypatch):
    import numpy as np

    from utils.testing import check_close, explain_errors

    monkeypatch.setenv("DLF_LANG", "ko")
    with pytest.raises(AssertionError, match="힌트: 로그 안에 delta = 1e-7을 더하십시오"):
        check_close(1.0, 2.0, "cross_entropy_error", hint="add delta = 1e-7 inside the log")  # a ch04 test cell's hint

    @explain_errors
    def test_broadcast():
        return np.ones((2, 3)) + np.ones(2)

    with pytest.raises(AssertionError) as failed:
        test_broadcast()
    assert "여러분의 코드가 ValueError를 발생시켰습니다" in str(failed.value)
    assert "모양 (2,3) (2,)는 브로드캐스트되지 않습니다" in str(failed.value)


def test_message_translations_keep_their_placeholders():
    fields = re.compile(r"\{[^}]*\}")
    for e in extract.active(extract.read_catalog(messages.LOCALE / "ko" / "utils.po")):  # hints: plain text
        assert e.translated(), f"untranslated: {e.msgid!r}"
        assert sorted(fields.findall(e.msgid)) == sorted(fields.findall(e.msgstr)), e.msgid


def test_a_hint_built_with_an_f_string_is_translated_with_its_values():
    # ch02's hint is f"the truth table is {truth}: ..."; utils.po holds the template (python-brace-format).
    got = messages.translate("the truth table is [0, 0, 0, 1]: adjust the bias (the threshold)", "ko")
    assert got == "진리표는 [0, 0, 0, 1]입니다: 편향(임계값)을 조정하십시오"
    assert messages.translate("a message no catalog holds", "ko") == "a message no catalog holds"


def test_hint_strings_finds_hints_passed_directly_named_first_or_in_a_hints_dict():
    source = (
        "def test_x():\n"
        '    hint = "named first, then passed as hint=hint"\n'
        '    check_close(1, 1, "x", hint="passed directly")\n'
        '    check_tuple_of_arrays(v, shapes, "y", hints={"b": "b is a single number"})\n'
        '    check_close(1, 1, "z", hint=f"an f-string {n} stays English")\n'
        '    name = "not a hint"\n'
    )
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1}})
    found = hints.hint_strings(nbformat.v4.new_notebook(cells=[cell]))
    assert found == [
        ("t:1", "named first, then passed as hint=hint"),
        ("t:2", "passed directly"),
        ("t:3", "b is a single number"),
    ]
