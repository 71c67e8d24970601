"""The template chapter a new chapter starts from (templates/chNN_name, CONTRIBUTING.md), checked on its own.

It lives outside solutions/, so `make release`, nbgrader's assignment list and the chapter tests never see it;
here the harness releases it into a temporary course and proves what it proves for every chapter: no leaks,
full marks for the solution, zero for the unchanged release (NotImplementedError only), every mutant in
tests/mutants/chNN_name/ killed, and the structural rules (hidden tests, test-cell names, two mutants).
"""

from __future__ import annotations

import re

import harness as g
import pytest
from test_grading import top_level_names

T = g.TEMPLATE
SOURCE = g.source_nb(T)


def test_template_is_not_a_chapter():
    assert SOURCE.is_file(), f"{SOURCE} is missing"
    assert T not in g.chapters(), "the template must not match solutions/ch[0-9][0-9]_*"
    assert not (g.SOLUTIONS / T).exists() and not (g.RELEASED / T).exists()
    chapters_glob = re.search(r"^CHAPTERS\s*:=.*$", (g.ROOT / "Makefile").read_text(), re.M)
    assert chapters_glob and "solutions/ch[0-9][0-9]_*" in chapters_glob.group(), "make release must glob chapters only"


def test_template_follows_the_test_cell_rules():
    nb = g.load_nb(SOURCE)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, f"strip {SOURCE}"
    tests = [cell for cell in nb["cells"] if g.is_test_cell(cell)]
    assert len(tests) >= 2, "the template shows one concern per grade cell: at least two test cells"
    for cell in tests:
        text = g.source(cell)
        visible = text.split("### BEGIN HIDDEN TESTS")[0]
        assert "### BEGIN HIDDEN TESTS" in text and "### END HIDDEN TESTS" in text, (
            f"{g.grade_id(cell)}: no hidden tests"
        )
        assert "@explain_errors\ndef test_" in visible, f"{g.grade_id(cell)}: no named check"
        foreign = sorted(n for n in top_level_names(text) if not n.startswith(("test_", "_")))
        assert not foreign, f"{g.grade_id(cell)} binds {foreign} at its top level"
    functions = g.graded_functions(T)
    for name in functions:
        assert len([m for m in g.mutants(T) if m.function == name]) >= 2, f"{name}: fewer than 2 mutants"


@pytest.mark.grading
def test_template_passes_the_harness(tmp_path):
    course = tmp_path / "course"
    released_path = g.release(T, course)
    assert not (g.ROOT / "notebooks" / T).exists(), "the harness released the template into the repository"

    text = released_path.read_text(encoding="utf-8")
    assert not [marker for marker in g.MARKERS if marker in text], "the release keeps an nbgrader marker"
    released = g.load_nb(released_path)
    code = "\n".join(g.source(cell) for cell in released["cells"])
    leaked = [line for line in g.solution_lines(T) if line in code]
    assert g.solution_lines(T) and not leaked, f"solution or hidden-test lines in the release: {leaked}"

    scores = g.autograde(course, T, {g.SOLUTION: g.filled_submission(T, released), g.BLANK: released})
    assert scores[g.SOLUTION] and all(s == m for s, m in scores[g.SOLUTION].values()), scores[g.SOLUTION]
    assert not g.errors(g.autograded_nb(course, T, g.SOLUTION))
    assert all(s == 0 for s, _ in scores[g.BLANK].values()), scores[g.BLANK]
    blank_errors = g.errors(g.autograded_nb(course, T, g.BLANK))
    assert {cell for cell, _, _ in blank_errors} >= set(scores[g.BLANK])
    assert {ename for _, ename, _ in blank_errors} == {"NotImplementedError"}, blank_errors

    results = g.run_mutants(T, tmp_path)
    assert not results["clobber"]["failed"], "test cells depend on notebook variables"
    survivors = [m.id for m in g.mutants(T) if not results[m.student]["failed"]]
    assert g.mutants(T) and not survivors, f"mutants that passed every test cell: {survivors}"
