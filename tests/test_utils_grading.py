"""utils.nbgrader_plugins, utils.grading_tools and utils.cells without nbgrader runs: hiding hidden tests,
the tampering audit, the failure report and the cell predicates."""

from __future__ import annotations

import harness as g
import pytest

from utils.grading_tools import tampering
from utils.nbgrader_plugins import HIDDEN_NOTE, strip_hidden_tests


def test_strip_hidden_tests_keeps_visible_lines_and_every_block_goes():
    source = (
        "check(f(1), 2)\n### BEGIN HIDDEN TESTS\nsecret_a()\n### END HIDDEN TESTS\nprint('ok')\n"
        "    ### BEGIN HIDDEN TESTS\n    secret_b()\n    ### END HIDDEN TESTS"
    )
    out = strip_hidden_tests(source)
    assert "secret" not in out and "HIDDEN TESTS" not in out
    assert out.startswith("check(f(1), 2)\n") and "print('ok')" in out and out.count(HIDDEN_NOTE) == 2
    assert strip_hidden_tests("no hidden tests here") == "no hidden tests here"


def nb(*answer_sources: str) -> dict:
    imports = {
        "cell_type": "code",
        "metadata": {},
        "source": "from utils.testing import check_close, check_type\nimport numpy as np",
    }
    answers = [
        {
            "cell_type": "code",
            "metadata": {"nbgrader": {"solution": True, "grade": False, "grade_id": f"a{i}"}},
            "source": src,
        }
        for i, src in enumerate(answer_sources)
    ]
    test = {
        "cell_type": "code",
        "metadata": {"nbgrader": {"solution": False, "grade": True, "grade_id": "t"}},
        "source": "check_close = None  # test cells are restored by nbgrader: never flagged",
    }
    return {"cells": [imports, *answers, test]}


def test_honest_answers_are_not_flagged():
    honest = nb(
        "import numpy as np\nimport torch\nfrom utils.testing import check_close\n"
        "def f(x):\n    y = np.asarray(x, dtype=float)\n    y[0] = 1\n    return np.allclose(y, 1)",
        "class Model:\n    pass\nresult = {}\nresult['a'] = 1",
    )
    assert tampering(honest, released=nb()) == []


def test_each_kind_of_tampering_is_named():
    cases = {
        "check_close = lambda *a, **k: None": "assigns to 'check_close'",
        "np.allclose = lambda *a, **k: True": "patches np.allclose",
        "import utils.testing\nutils.testing.check_type = print": "patches utils.testing.check_type",
        "class AssertionError(Exception):\n    pass": "defines 'AssertionError'",
        "def check_type(*a):\n    pass": "defines 'check_type'",
        "import builtins\nbuiltins.isinstance = lambda *a: True": "imports builtins",
        "setattr(np, 'allclose', None)": "calls setattr()",
        "from mymodule import check_close": "imports 'check_close' from mymodule",
        # a magic line must not hide the rest of the cell (the audit parses what IPython runs)
        "%time x = 1\ncheck_close = lambda *a, **k: None": "assigns to 'check_close'",
        # hooks that rewrite or watch later cells, i.e. the tests (tests/test_hostile.py: attack_ipython_hooks)
        "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass'])": "uses input_transformers_cleanup",
        "get_ipython().events.register('pre_run_cell', print)": "uses events",
        "import sys\nsys.settrace(None)": "uses settrace",
        "__import__('numpy').allclose": "uses __import__",
        "def f(:\n    pass": "not valid Python",
    }
    for code, reason in cases.items():
        found = tampering(nb(code), released=nb())
        assert any(reason in r for r in found), f"{code!r}: {found}"


def test_failure_report_gives_the_test_the_check_and_the_whole_message():
    from nbformat.v4 import new_code_cell, new_output

    from utils.grading_tools import failure_report

    message = (
        "affine(X, W, b): 1 of 6 value(s) wrong. First at index (0, 1): expected 9.5, got 9 "
        "(tolerance: rtol=1e-07, atol=1e-12)\nHint: Y[i, j] = sum_k X[i, k] * W[k, j] + b[j]"
    )
    traceback = [
        "\x1b[0;31mCheckFailed\x1b[0m  Traceback (most recent call last)",
        "Cell \x1b[0;32mIn[7], line 20\x1b[0m\n---> 20 test_affine_values_and_array_type(np.array, np.ndarray)",
        "Cell \x1b[0;32mIn[7], line 8\x1b[0m, in \x1b[0;36mtest_affine_values_and_array_type\x1b[0;34m(array, array_type)",
        f"\x1b[0;31mCheckFailed\x1b[0m: {message}",
    ]
    cell = new_code_cell(
        "secret_source()",
        outputs=[new_output("error", ename="CheckFailed", evalue=message, traceback=traceback)],
        metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "test_affine", "points": 3}},
    )
    report = failure_report(cell)
    assert report.splitlines()[0] == "FAILED test_affine (3 points) in test_affine_values_and_array_type"
    assert (
        "    CheckFailed: affine(X, W, b): 1 of 6 value(s) wrong. First at index (0, 1): expected 9.5, got 9 (tolerance"
        in report
    )
    assert "    Hint: Y[i, j] = sum_k X[i, k] * W[k, j] + b[j]" in report
    assert "secret_source" not in report and "secret_source" in failure_report(cell, show_source=True)
    cell.outputs = [new_output("error", ename="NotImplementedError", evalue="", traceback=[])]
    assert "not done yet" in failure_report(cell)
    cell.metadata = {}
    assert failure_report(cell, index=12).startswith("ERROR in code cell 12 (not graded)")


def test_names_bound_inside_a_function_or_class_are_not_flagged():
    # ch06's TwoLayerNet must define a method numerical_gradient, the name of a helper its tests import.
    local = nb(
        "class Net:\n    def check_close(self):\n        return 1\n    np = None",
        "def f():\n    check_close = 2\n    def check_type():\n        pass\n    return check_close",
    )
    assert tampering(local, released=nb()) == []
    rebinding = nb("def f():\n    global check_close\n    check_close = print")
    assert any("assigns to 'check_close'" in r for r in tampering(rebinding, released=nb()))
    patching = nb("def f():\n    np.allclose = lambda *a, **k: True")
    assert any("patches np.allclose" in r for r in tampering(patching, released=nb()))


@pytest.mark.parametrize("chapter", g.chapters())
def test_audit_flags_no_solution(chapter):
    """Every chapter's solutions, submitted as a learner would (the release with its answer cells filled)."""
    released = g.load_nb(g.RELEASED / chapter / f"{chapter}.ipynb")
    assert tampering(g.filled_submission(chapter, released), released=released) == []


def test_cell_predicates_agree_with_nbgrader_on_dicts_nodes_and_malformed_metadata():
    import nbformat

    from utils import cells

    answer = {"cell_type": "code", "metadata": {"nbgrader": {"solution": True, "grade": False, "grade_id": "f"}}}
    test = {"cell_type": "code", "metadata": {"nbgrader": {"solution": False, "grade": True, "grade_id": "test_f"}}}
    graded_answer = {"cell_type": "code", "metadata": {"nbgrader": {"solution": True, "grade": True, "grade_id": "g"}}}
    prose = {"cell_type": "markdown", "metadata": {"nbgrader": {"solution": True, "grade": True, "grade_id": "m"}}}
    malformed = [{"cell_type": "code", "metadata": meta} for meta in ({"nbgrader": "test"}, [], None)]
    for make in (dict, nbformat.from_dict):
        assert [cells.is_answer_cell(make(c)) for c in (answer, test, graded_answer, prose)] == [1, 0, 1, 0]
        assert [cells.is_test_cell(make(c)) for c in (answer, test, graded_answer, prose)] == [0, 1, 0, 0]
        assert cells.grade_id(make(test)) == "test_f"
    for cell in malformed:
        assert not cells.is_answer_cell(cell) and not cells.is_test_cell(cell) and cells.grade_id(cell) is None
    assert cells.source({"source": ["a\n", "b"]}) == "a\nb" and cells.source({}) == ""


def test_a_stub_is_named_in_the_notebooks_language():
    import nbformat

    from utils.grading_tools import failure_report

    cell = nbformat.v4.new_code_cell("", metadata={"nbgrader": {"grade": True, "grade_id": "test_x", "points": 1}})
    cell.outputs = [nbformat.v4.new_output("error", ename="NotImplementedError", evalue="", traceback=[])]
    assert "not done yet" in failure_report(cell)
    assert "아직 끝나지 않았습니다" in failure_report(cell, lang="ko")
