"""The grading harness: every chapter, every graded function, every mutant.

For each chapter in solutions/ (picked up automatically):
  1. sync      – regenerating the release reproduces notebooks/ exactly;
  2. no leaks  – no solution code, hidden test or marker in notebooks/;
  3. full      – the solutions, submitted into the released notebook, score full marks;
  4. zero      – the released notebook, submitted unchanged, scores 0 and fails only
                 with NotImplementedError;
  5. mutants   – each tests/mutants/<chapter>/<function>__<label>.py loses points (run by
                 tests/mutant_runner.py, whose verdict is checked against stock nbgrader
                 on one mutant per chapter);
plus structural rules: hidden tests in every test cell, >= 2 mutants per graded function.
That each solution notebook runs top to bottom (fast mode) is nbval's job: `make test` runs
every notebook in solutions/ with `pytest --nbval-lax` (tests/test_nbval.py).
"""

from __future__ import annotations

import ast
import filecmp
import functools
import shutil

import harness as g
import pytest

CHAPTERS = g.chapters()
MUTANTS = g.mutants()


def by_chapter(items, chapter_of=lambda item: item):
    """Keep a chapter's tests on one xdist worker (`--dist loadgroup`), so its release, its one
    nbgrader autograde (`graded`) and its mutant run (`mutant_results`) happen once per session."""
    return [
        pytest.param(item, marks=pytest.mark.xdist_group(chapter_of(item)), id=getattr(item, "id", None))
        for item in items
    ]


@pytest.fixture(scope="session")
def released(tmp_path_factory):
    """``released(chapter) -> (course folder, released notebook)``, generated once per worker."""

    @functools.cache
    def get(chapter: str):
        course = tmp_path_factory.mktemp(f"release-{chapter}")
        return course, g.release(chapter, course)

    return get


def fresh_course(released, chapter: str, tmp_path):
    """A private copy of the released course (its own gradebook), so tests run in parallel."""
    course, nb_path = released(chapter)
    target = tmp_path / "course"
    shutil.copytree(course, target)
    return target, g.load_nb(nb_path)


def test_there_are_chapters():
    assert CHAPTERS, "no solutions/chNN_name/chNN_name.ipynb found"


@pytest.mark.grading
@pytest.mark.parametrize("chapter", by_chapter(CHAPTERS))
def test_release_is_in_sync(chapter, released):
    course, _ = released(chapter)
    fresh, committed = course / "notebooks" / chapter, g.RELEASED / chapter
    assert committed.is_dir(), f"notebooks/{chapter} is missing: run `make release` and commit it"
    cmp = filecmp.dircmp(fresh, committed, ignore=[".ipynb_checkpoints", "__pycache__"])
    differing = [f for f in cmp.common_files if not filecmp.cmp(fresh / f, committed / f, shallow=False)]
    assert not (cmp.left_only or cmp.right_only or differing), (
        f"notebooks/{chapter} is out of date with solutions/{chapter} (missing: {cmp.left_only}, "
        f"extra: {cmp.right_only}, differing: {differing}): run `make release` and commit the result"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_release_leaks_nothing(chapter):
    path = g.RELEASED / chapter / f"{chapter}.ipynb"
    text = path.read_text(encoding="utf-8")
    for marker in g.MARKERS:
        assert marker not in text, f"{path} contains the marker {marker!r}"
    released_code = "\n".join(g.source(c) for c in g.load_nb(path)["cells"])
    leaked = [line for line in g.solution_lines(chapter) if line in released_code]
    assert not leaked, f"{path} contains solution or hidden-test lines: {leaked[:5]}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_test_cell_has_hidden_tests(chapter):
    nb = g.load_nb(g.SOLUTIONS / chapter / f"{chapter}.ipynb")
    test_cells = [c for c in nb["cells"] if g.is_test_cell(c)]
    assert test_cells, f"{chapter} has no graded test cell"
    for cell in test_cells:
        text = g.source(cell)
        gid = g.nbgrader_meta(cell)["grade_id"]
        assert "### BEGIN HIDDEN TESTS" in text, f"{chapter}:{gid} has no hidden tests"
        visible = text.split("### BEGIN HIDDEN TESTS")[0]
        assert "check_" in visible or "assert" in visible, f"{chapter}:{gid} has no visible test"


def visible_code_lines(code: str) -> int:
    """How much a learner reads in a test cell's visible part: its code lines as committed (after
    `ruff format`), blank lines and comment-only lines not counted. A call that `ruff format` wraps
    over seven lines counts seven: name a long hint first (`hint = "..."`) to keep it on one."""
    return sum(1 for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#"))


def test_visible_code_lines_counts_lines_not_comments_or_blanks():
    code = "# hand-worked: 1\n@explain_errors\ndef test_a(x):\n    check_close(\n        x,\n        1,\n    )\n\n\ntest_a(1)\n"
    assert visible_code_lines(code) == 7


def test_visible_test_cells_read_at_a_glance():
    # CONTRIBUTING.md, "Test cells": at most 20 code lines in a visible part, a median of at most 10.
    sizes = {}
    for chapter in CHAPTERS:
        for cell in g.load_nb(g.SOLUTIONS / chapter / f"{chapter}.ipynb")["cells"]:
            if g.is_test_cell(cell):
                visible = g.source(cell).split("### BEGIN HIDDEN TESTS")[0]
                sizes[f"{chapter}:{g.nbgrader_meta(cell)['grade_id']}"] = visible_code_lines(visible)
    too_long = {cell: n for cell, n in sizes.items() if n > 20}
    assert not too_long, f"visible parts over 20 code lines (split the cell or name long hints first): {too_long}"
    median = sorted(sizes.values())[len(sizes) // 2]
    assert median <= 10, f"the median visible test cell has {median} code lines (at most 10)"


def top_level_names(code: str) -> set[str]:
    """Names a cell binds in the notebook's namespace: assignments, loop variables, with-targets, imports,
    defs, also inside top-level for/if/with/try blocks (not inside functions or classes)."""
    names: set[str] = set()

    def visit(statements):
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For))
                else [item.optional_vars for item in node.items if item.optional_vars]
                if isinstance(node, ast.With)
                else []
            )
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            names.update(
                n.target.id for n in ast.walk(node) if isinstance(n, ast.NamedExpr) and isinstance(n.target, ast.Name)
            )
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(node, field, []))
            for handler in getattr(node, "handlers", []):
                if handler.name:
                    names.add(handler.name)
                visit(handler.body)

    visit(ast.parse(code).body)
    return names


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_test_cells_leave_the_learners_names_alone(chapter):
    """A test cell must not overwrite a learner's variables (README, "Writing test cells"): every name it
    binds at the top level is a named check `test_...` or starts with `_`."""
    nb = g.load_nb(g.SOLUTIONS / chapter / f"{chapter}.ipynb")
    for cell in nb["cells"]:
        if g.is_test_cell(cell):
            foreign = sorted(n for n in top_level_names(g.source(cell)) if not n.startswith(("test_", "_")))
            assert not foreign, (
                f"{chapter}:{g.nbgrader_meta(cell)['grade_id']} binds {foreign} at its top level: "
                "put inputs inside a `def test_...():` check, or start the name with `_`"
            )


def test_top_level_names_sees_every_binding():
    code = (
        "a = 1\nfor b, (c, d) in []:\n    e = 2\nwith open(f) as g:\n    pass\nimport h.i\ndef test_j():\n    k = 3\n"
        "try:\n    pass\nexcept ValueError as m:\n    n = 1\nprint(o := 2)\n"
    )
    assert top_level_names(code) == {"a", "b", "c", "d", "e", "g", "h", "test_j", "m", "n", "o"}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_graded_function_has_two_mutants(chapter):
    functions = g.graded_functions(chapter)
    assert functions, f"{chapter} defines no function in an answer cell"
    counts = {name: 0 for name in functions}
    for m in g.mutants(chapter):
        assert m.function in functions, f"{m.path.name}: {m.function!r} is not defined in an answer cell of {chapter}"
        assert f"def {m.function}(" in m.path.read_text() or f"class {m.function}" in m.path.read_text(), (
            f"{m.path.name} must redefine {m.function}"
        )
        counts[m.function] += 1
    few = {name: n for name, n in counts.items() if n < 2}
    assert not few, f"{chapter}: graded functions with fewer than 2 mutants in tests/mutants/{chapter}/: {few}"


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_notebooks_are_stripped(folder):
    for path in sorted((g.ROOT / folder).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        for cell in g.load_nb(path)["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, (
                    f"{path} stores outputs in cell {cell.get('id')}: strip it (nbstripout {path})"
                )


@pytest.fixture(scope="session")
def mutant_results(tmp_path_factory):
    """``mutant_results(chapter)``: clobber and every mutant run by tests/mutant_runner.py, once."""

    @functools.cache
    def get(chapter: str) -> dict:
        return g.run_mutants(chapter, tmp_path_factory.mktemp(f"mutants-{chapter}"))

    return get


@pytest.fixture(scope="session")
def graded(released, tmp_path_factory):
    """``graded(chapter) -> (course, scores)``: stock nbgrader autograde, once per chapter, of

    * ``solution`` – the released notebook with its answer cells filled from the solutions,
    * ``blank``    – the released notebook unchanged,
    * ``mutant``   – the solution with the chapter's first mutant (the runner cross-check),

    in one call (nbgrader's start-up and gradebook set-up are paid once).
    """

    @functools.cache
    def get(chapter: str):
        course, release_nb = fresh_course(released, chapter, tmp_path_factory.mktemp(f"graded-{chapter}"))
        submissions = {g.SOLUTION: g.filled_submission(chapter, release_nb), g.BLANK: release_nb}
        first = g.mutants(chapter)[:1]
        functions = g.graded_functions(chapter)
        if first and first[0].function in functions:
            submissions["mutant"] = g.filled_submission(
                chapter, release_nb, {functions[first[0].function]: first[0].path.read_text()}
            )
        return course, g.autograde(course, chapter, submissions)

    return get


@pytest.mark.grading
@pytest.mark.parametrize("chapter", by_chapter(CHAPTERS))
def test_solutions_score_full_marks(chapter, graded):
    course, scores = graded(chapter)
    scores = scores[g.SOLUTION]
    assert scores, f"{chapter}: no graded cells found by nbgrader"
    short = {cell: s for cell, s in scores.items() if s[0] != s[1]}
    graded_nb = g.autograded_nb(course, chapter, g.SOLUTION)
    errs = g.errors(graded_nb)
    assert not short and not errs, f"{chapter}: solution lost points in {short}; errors: {errs}"
    # nbgrader's Validate (validate_all) reports an ordinary cell that writes to stderr as failed: a progress
    # bar or a warning would tell a learner with a correct notebook that validation failed
    noisy = [
        c.get("id", "?")
        for c in graded_nb["cells"]
        if c["cell_type"] == "code"
        and not g.grade_id(c)
        and any(o.get("name") == "stderr" for o in c.get("outputs", []))
    ]
    assert not noisy, f"{chapter}: cells {noisy} write to stderr while graded: Validate would call them failed"


@pytest.mark.grading
@pytest.mark.parametrize("chapter", by_chapter(CHAPTERS))
def test_release_scores_zero(chapter, graded):
    course, scores = graded(chapter)
    scores = scores[g.BLANK]
    scored = {cell: s for cell, s in scores.items() if s[0] != 0}
    assert not scored, f"{chapter}: the unchanged release earns points in {scored}"
    errs = g.errors(g.autograded_nb(course, chapter, g.BLANK))
    failing_cells = {cell for cell, _, _ in errs}
    assert failing_cells >= set(scores), f"{chapter}: test cells that did not fail: {set(scores) - failing_cells}"
    other = [e for e in errs if e[1] != "NotImplementedError"]
    assert not other, f"{chapter}: the release fails with something other than NotImplementedError: {other}"


@pytest.mark.grading
@pytest.mark.parametrize("chapter", by_chapter(CHAPTERS))
def test_tests_survive_a_learner_overwriting_notebook_variables(chapter, mutant_results):
    """Test cells build their own inputs: a learner who reuses `X` or redefines `sigmoid` loses nothing."""
    failed = mutant_results(chapter)["clobber"]["failed"]
    assert not failed, (
        f"{chapter}: test cells depend on notebook variables {g.notebook_variables(chapter)}: "
        f"they fail when those are overwritten: {failed}"
    )


@pytest.mark.grading
@pytest.mark.parametrize("mutant", by_chapter(MUTANTS, chapter_of=lambda m: m.chapter))
def test_mutant_loses_points(mutant, mutant_results, record_property):
    functions = g.graded_functions(mutant.chapter)
    assert mutant.function in functions, f"{mutant.path}: no graded function {mutant.function!r}"
    lost = sorted(mutant_results(mutant.chapter)[mutant.student]["failed"])
    record_property(
        "kill", {"chapter": mutant.chapter, "function": mutant.function, "label": mutant.label, "killed_by": lost}
    )
    assert lost, f"mutant {mutant.id} survived: every test cell passed"


@pytest.mark.grading
@pytest.mark.parametrize("chapter", by_chapter([ch for ch in CHAPTERS if g.mutants(ch)]))
def test_mutant_runner_agrees_with_stock_nbgrader(chapter, graded, mutant_results):
    """The runner's verdict equals nbgrader autograde's, on the chapter's first mutant."""
    mutant = g.mutants(chapter)[0]
    _, scores = graded(chapter)
    scores = scores["mutant"]
    lost_nbgrader = sorted(cell for cell, (score, maximum) in scores.items() if score < maximum)
    runner = mutant_results(chapter)[mutant.student]
    assert sorted(runner["tests"]) == sorted(scores), f"{chapter}: runner and nbgrader see different test cells"
    assert sorted(runner["failed"]) == lost_nbgrader, (
        f"{mutant.id}: nbgrader takes points in {lost_nbgrader}, the runner in {sorted(runner['failed'])}"
    )


def test_errors_are_keyed_by_grade_id_not_cell_id():
    """JupyterLab gives cells random ids; nbgrader scores by grade_id, so the harness must too."""
    err = {"output_type": "error", "ename": "NotImplementedError", "evalue": ""}
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "id": "3f9a1c",
                "outputs": [err],
                "metadata": {"nbgrader": {"grade": True, "grade_id": "test_affine", "points": 1}},
            },
            {"cell_type": "code", "id": "b7e2d0", "outputs": [err], "metadata": {}},
        ]
    }
    assert [cell for cell, _, _ in g.errors(nb)] == ["test_affine", "b7e2d0"]


def test_leak_check_ignores_lines_the_exercise_shows_in_public():
    """ch05's exercise text quotes `rng = np.random.default_rng(seed)`: not a leak; its solution's own lines are."""
    lines = g.solution_lines("ch05_gradient_descent")
    assert "rng = np.random.default_rng(seed)" not in lines
    assert "x_plus = float(x[idx])  # the value actually stored (float32 rounds it)" in lines
