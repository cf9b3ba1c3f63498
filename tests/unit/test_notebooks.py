"""Every lesson's notebook, built (never run) here: valid nbformat v4, the pinned install cell first, no import of
this repository, the learner's function only ever as a Python string literal; and each page's download button.

The notebooks are run, and their numbers compared with the page's, in tests/notebooks (second tier).
"""

from __future__ import annotations

import ast
import json
from importlib import metadata

import nbformat
import pytest
import streamlit as st
import sympy

from calc_core import notebooks
from calc_core.expressions import ExpressionError, parse_expression
from tests.hostile import EXPRESSIONS

X = sympy.Symbol("x")

# One settings per lesson: the page's defaults.
DEFAULTS = {
    "derivatives": {"f": parse_expression("x^3 - 2x^2 + 1"), "x_range": (-1.0, 2.5), "x0": 1.0, "dx": 1.0,
                    "scheme": "forward"},
    "integrals": {"f": parse_expression("2x"), "interval": (-1.0, 3.0), "rule": "left", "n": 10, "dx": 0.1, "c": 0.0},
    "gradient": {"f": parse_expression("x^2 + y^3", ("x", "y")), "x_range": (-4.0, 4.0), "y_range": (-4.0, 4.0),
                 "x0": 2.0, "y0": 3.0, "step": 1e-4},
    "jacobian": {"components": (parse_expression("2x y", ("x", "y")), parse_expression("x^2 y", ("x", "y"))),
                 "variables": ("x", "y"), "x0": 1.0, "y0": 2.0, "z0": 0.5, "radius": 0.3,
                 **dict(zip(("p", "q", "r", "s", "t", "u"), (1.0, -1.0, 0.5, 2.0, -1.5, 0.5)))},
}


def with_function(slug: str, expr) -> dict:
    """The lesson's default settings with its function (every component, for the Jacobian) replaced."""
    if slug == "jacobian":
        return {**DEFAULTS[slug], "components": (expr, expr)}
    return {**DEFAULTS[slug], "f": expr}


def default_function(slug: str):
    return DEFAULTS[slug]["components"][0] if slug == "jacobian" else DEFAULTS[slug]["f"]


def code_sources(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("slug", sorted(DEFAULTS))
def test_valid_notebook_v4(slug):
    data = notebooks.to_bytes(notebooks.build(slug, DEFAULTS[slug]))
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert json.loads(data)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("slug", sorted(DEFAULTS))
def test_install_cell_pins_installed_versions(slug):
    nb = notebooks.build(slug, DEFAULTS[slug])
    install = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert install.metadata["tags"] == [notebooks.INSTALL_TAG]
    pins = dict(pin.split("==") for pin in install.source.removeprefix("%pip install ").split())
    imported = notebooks.imported_packages(nb.cells[3:])
    assert set(pins) == {notebooks.PACKAGES[name] for name in imported}
    assert {"numpy", "sympy", "matplotlib"} <= set(pins)
    for distribution, version in pins.items():
        assert version == metadata.version(distribution)


@pytest.mark.parametrize("slug", sorted(DEFAULTS))
def test_no_import_from_this_repository(slug):
    nb = notebooks.build(slug, DEFAULTS[slug])
    for source in code_sources(nb)[1:]:
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [(node.module or "").split(".")[0]]
            else:
                continue
            assert set(names) <= set(notebooks.PACKAGES), names
    text = "\n".join(code_sources(nb))
    assert "calc_core" not in text and "from ui" not in text and "import ui" not in text


@pytest.mark.parametrize("slug", sorted(DEFAULTS))
def test_the_lesson_point_comes_first(slug):
    nb = notebooks.build(slug, DEFAULTS[slug])
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert len(nb.cells[0].source) > 200


def _parsed_hostile() -> list:
    parsed = []
    for text in [*EXPRESSIONS, "pi", "e^x", "x^(1/3)", "sigmoid(x)", "2.5x", "abs(x)/x", "log(x, 2)", "x^x"]:
        try:
            parsed.append(parse_expression(text))
        except (ExpressionError, RecursionError, ValueError, TypeError):
            continue
    return parsed


def _without(source_cells: list[str], expr) -> list[str]:
    """The code cells with the expression's string literal replaced by a placeholder."""
    literal = repr(notebooks.canonical(expr))
    return [source.replace(literal, "F_TEXT") for source in source_cells]


@pytest.mark.parametrize("slug", sorted(DEFAULTS))
def test_hostile_expressions_appear_only_as_string_literals(slug):
    """Built for any function the parser accepts, the notebook differs from the default's by the string literal
    of the canonical text alone, and that literal reads back (``ast.literal_eval``) to exactly that text."""
    reference = _without(code_sources(notebooks.build(slug, with_function(slug, default_function(slug)))),
                         default_function(slug))
    tried = 0
    for expr in _parsed_hostile():
        try:
            nb = notebooks.build(slug, with_function(slug, expr))
        except ValueError:
            continue
        tried += 1
        sources = code_sources(nb)
        assert _without(sources, expr) == reference
        literals = [ast.literal_eval(node.value) for source in sources[1:] for node in ast.walk(ast.parse(source))
                    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in ("f_text", "components")]
        assert literals and all(value in (str(expr), [str(expr)] * 2) for value in literals)
    assert tried > 8


def test_text_is_refused_where_a_parsed_expression_belongs():
    with pytest.raises(TypeError):
        notebooks.canonical("__import__('os').system('id')")
    with pytest.raises(TypeError):
        notebooks.build("derivatives", with_function("derivatives", "x**2"))


def test_a_cell_importing_anything_else_is_refused():
    with pytest.raises(ValueError, match="os"):
        notebooks.notebook("t", "p", [notebooks.code("import os")])


def test_printed_numbers_read_back_exactly():
    source = notebooks.print_line("f'(x0)", "0.1 + 0.2")
    printed = []
    exec_globals = {"print": lambda *args: printed.append(" ".join(args))}
    exec(compile(source, "<cell>", "exec"), exec_globals)  # noqa: S102 - the builder's own source, not user text
    assert notebooks.printed_numbers(printed[0]) == {"f'(x0)": 0.1 + 0.2}


# --------------------------------------------------------------------------- the pages' buttons


def captured_downloads(monkeypatch) -> dict[str, object]:
    """The data callables of the download buttons a page run draws, by key (AppTest has no media server)."""
    captured: dict[str, object] = {}
    original = st.download_button

    def recording(label, data, *args, key=None, **kwargs):
        captured[key] = data
        return original(label, data, *args, key=key, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    return captured


def built(captured, key) -> nbformat.NotebookNode:
    return nbformat.reads(captured[key]().decode("utf-8"), as_version=4)


def test_derivatives_page_offers_its_notebook_for_the_shared_link(monkeypatch):
    from tests.app.conftest import run_page

    captured = captured_downloads(monkeypatch)
    at = run_page("derivatives", {"deriv_f": "sin(x)", "deriv_x0": "0.5", "deriv_dx": "0.01",
                                  "deriv_scheme": "central", "deriv_xmin": "-3"})
    assert not at.exception
    assert [b.label for b in at.download_button if b.key == "deriv_notebook"] == ["Notebook (.ipynb)"]
    source = "\n".join(code_sources(built(captured, "deriv_notebook")))
    for line in ("f_text = 'sin(x)'", "x_min, x_max = -3.0, 2.5", "x0 = 0.5", "dx = 0.01", "scheme = 'central'"):
        assert line in source


def test_derivatives_notebook_follows_x0_moved_in_the_fragment(monkeypatch):
    from tests.app.conftest import run_page

    captured = captured_downloads(monkeypatch)
    at = run_page("derivatives")
    first = captured["deriv_notebook"]
    assert "x0 = 1.0" in "\n".join(code_sources(nbformat.reads(first().decode(), as_version=4)))
    at.slider(key="deriv_x0").set_value(1.5).run()
    assert not at.exception
    # The button drawn before x0 moved reads x0 again from the session at the click.
    assert "x0 = 1.5" in "\n".join(code_sources(nbformat.reads(first().decode(), as_version=4)))


def test_unreadable_function_draws_no_notebook(monkeypatch):
    from tests.app.conftest import run_page

    at = run_page("derivatives", {"deriv_f": "x +"})
    assert not at.exception
    assert not [b for b in at.download_button if b.key == "deriv_notebook"]


def test_integrals_page_offers_its_notebook_for_the_shared_link(monkeypatch):
    from tests.app.conftest import run_page

    captured = captured_downloads(monkeypatch)
    at = run_page("integrals", {"integ_f": "sin(x)", "integ_a": "0", "integ_b": "2", "integ_rule": "midpoint",
                                "integ_n": "25", "integ_dx": "0.01", "integ_c": "1.5"})
    assert not at.exception
    assert [b.label for b in at.download_button if b.key == "integ_notebook"] == ["Notebook (.ipynb)"]
    source = "\n".join(code_sources(built(captured, "integ_notebook")))
    for line in ("f_text = 'sin(x)'", "a, b = 0.0, 2.0", "rule = 'midpoint'", "n = 25", "dx = 0.01", "C = 1.5"):
        assert line in source


def test_gradient_page_offers_its_notebook_for_the_shared_link(monkeypatch):
    from tests.app.conftest import run_page

    captured = captured_downloads(monkeypatch)
    at = run_page("gradient", {"grad_f": "sin(x)*cos(y)", "grad_x0": "1", "grad_y0": "-0.5", "grad_step": "0.01",
                               "grad_xmin": "-3", "grad_ymax": "2"})
    assert not at.exception
    assert [b.label for b in at.download_button if b.key == "grad_notebook"] == ["Notebook (.ipynb)"]
    source = "\n".join(code_sources(built(captured, "grad_notebook")))
    for line in ("f_text = 'sin(x)*cos(y)'", "x_min, x_max = -3.0, 4.0", "y_min, y_max = -4.0, 2.0",
                 "x0, y0 = 1.0, -0.5", "step = 0.01"):
        assert line in source


def test_jacobian_page_offers_its_notebook_for_the_shared_link(monkeypatch):
    from tests.app.conftest import run_page

    captured = captured_downloads(monkeypatch)
    at = run_page("jacobian", {"jac_var1": "r", "jac_var2": "theta", "jac_f1": "r cos(theta) + p",
                               "jac_f2": "r sin(theta)", "jac_x0": "2", "jac_y0": "0.5", "jac_radius": "0.1",
                               "jac_p": "1.5"})
    assert not at.exception
    assert [b.label for b in at.download_button if b.key == "jac_notebook"] == ["Notebook (.ipynb)"]
    source = "\n".join(code_sources(built(captured, "jac_notebook")))
    for line in ("variables = ['r', 'theta']", "components = ['p + r*cos(theta)', 'r*sin(theta)']",
                 "constants = {'p': 1.5}", "point = [2.0, 0.5]", "radius = 0.1"):
        assert line in source


def test_a_control_hidden_by_a_link_keeps_the_link_value_in_the_notebook(monkeypatch):
    from tests.app.conftest import run_page

    captured = captured_downloads(monkeypatch)
    at = run_page("derivatives", {"teacher": "1", "hide": "deriv_x0,deriv_scheme", "deriv_x0": "0.5",
                                  "deriv_scheme": "central"})
    assert not at.exception
    assert not [s for s in at.slider if s.key == "deriv_x0"]
    source = "\n".join(code_sources(built(captured, "deriv_notebook")))
    assert "x0 = 0.5" in source and "scheme = 'central'" in source


def test_values_read_at_the_click_are_checked_against_their_control():
    from ui.notebook import checked_value
    from ui.views.derivatives import CONTROLS

    x0, dx, scheme = CONTROLS["deriv_x0"], CONTROLS["deriv_dx"], CONTROLS["deriv_scheme"]
    assert checked_value(x0, 2.5, 1.0) == 2.5
    for bad in (float("nan"), float("inf"), 11.0, True, "2", None):
        assert checked_value(x0, bad, 1.0) == 1.0
    assert checked_value(dx, 1e-6, 1.0) == 1e-6 and checked_value(dx, 10.0, 1.0) == 1.0
    assert checked_value(scheme, "central", "forward") == "central"
    assert checked_value(scheme, "<script>", "forward") == "forward"


def test_a_notebook_that_cannot_be_built_is_a_notebook_that_says_so():
    from ui.notebook import notebook_bytes

    data = notebook_bytes("derivatives", {**DEFAULTS["derivatives"], "dx": -1.0})
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].source.startswith("# This notebook could not be built")
    assert "Traceback" not in data.decode("utf-8")


def test_derivatives_notebook_carries_what_the_page_found_at_x0(monkeypatch):
    from tests.app.conftest import run_page

    captured = captured_downloads(monkeypatch)
    at = run_page("derivatives", {"deriv_f": "1/x + abs(x - 1)", "deriv_x0": "1", "deriv_xmin": "-2"})
    assert not at.exception
    source = "\n".join(code_sources(built(captured, "deriv_notebook")))
    assert "poles = [0.0]" in source
    assert "problem_at_x0 = 'the slopes from the left and from the right do not agree (or are infinite)'" in source


def test_every_lesson_has_a_notebook_builder():
    from ui.lessons import LESSONS

    assert {lesson.url_path for lesson in LESSONS} == set(notebooks.NOTEBOOKS)
    for lesson in LESSONS:
        assert callable(notebooks.builder(lesson.url_path).build), lesson.url_path


@pytest.mark.parametrize("name", ["__init__", "derivatives", "integrals", "gradient", "jacobian"])
def test_examples_in_the_docstrings_run(name):
    import doctest
    import importlib

    module = notebooks if name == "__init__" else importlib.import_module(f"calc_core.notebooks.{name}")
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("page,prefix,hide", [
    ("derivatives", "deriv", "deriv_rules"),
    ("integrals", "integ", "integ_rules,integ_running"),
    ("gradient", "grad", "grad_gradient"),
    ("jacobian", "jac", "jac_matrix"),
])
def test_no_notebook_while_a_teacher_hides_part_of_the_page(page, prefix, hide):
    """A notebook repeats the whole view: with the step-by-step rules hidden it would give the task away."""
    from tests.app.conftest import as_read, run_page, shown_text

    at = run_page(page, {"teacher": "1", "hide": hide})
    assert not at.exception
    assert not [b for b in at.download_button if b.key == f"{prefix}_notebook"]
    from ui.notebook import HIDDEN_PART

    assert HIDDEN_PART in as_read(shown_text(at))
    at = run_page(page, {"teacher": "1", "lock": "all"})  # locking changes nothing a notebook would show
    assert [b for b in at.download_button if b.key == f"{prefix}_notebook"]
