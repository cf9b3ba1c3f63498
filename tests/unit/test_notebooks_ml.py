"""The optimization, SVM and backpropagation notebooks, built (never run) here: valid nbformat v4 with the pinned
install cell first, nothing imported from this repository, the learner's function only as a string literal and
their points only as numbers; every registered optimizer written out; and each page's download, built at the
click from the settings the page shows then (fragments included).

They are run, and their numbers compared with the page's, in tests/notebooks/test_execute_ml.py.
"""

from __future__ import annotations

import ast
from importlib import metadata

import nbformat
import pytest
import streamlit as st

from calc_core import notebooks
from calc_core.data.datasets import make_dataset, split_dataset
from calc_core.expressions import parse_expression
from calc_core.mlp import MLP
from calc_core.notebooks import backprop as backprop_notebook
from calc_core.notebooks import optimization as opt_notebook
from calc_core.notebooks import svm as svm_notebook
from calc_core.optimization import OPTIMIZERS, hyperparameters
from tests.app.conftest import run_page
from tests.hostile import EXPRESSIONS
from ui.controls import Control, Kind
from ui.notebook import checked_value

ONE_VARIABLE = {"function": "x^3 - 2x^2 + 1", "window": (-1.0, 2.5), "restrict": False, "opt_x0": 2.0,
                "opt_lr": 0.1, "opt_steps": 30, "opt_momentum": 0.0}
TWO_VARIABLES = {"function": "x^2 + 10y^2", "x_range": (-3.0, 3.0), "y_range": (-1.5, 1.5), "opt2_x0": -2.5,
                 "opt2_y0": 1.0, "opt2_steps": 200, "opt2_methods": list(OPTIMIZERS)}
SVM = {"svm_points": "0,0,-1;1,2,1;2,1,1", "svm_soft": True, "svm_C": 1.0}


@pytest.fixture(scope="module")
def backprop_run():
    X, y = make_dataset("moons", n_samples=120, random_state=1)
    split = split_dataset(X, y, test_size=0.25)
    model = MLP(epochs=0).fit(split.X_train, split.y_train)
    model.train_epochs(split.X_train, split.y_train, 5, X_test=split.X_test, y_test=split.y_test)
    return backprop_notebook.BackpropRun(model, split.X_train, split.y_train, split.X_test, split.y_test, 5)


def all_notebooks(backprop_run) -> dict:
    return {"optimization, one variable": opt_notebook.build(ONE_VARIABLE),
            "optimization, two variables": opt_notebook.build(TWO_VARIABLES),
            "svm": svm_notebook.build(SVM), "backprop": backprop_notebook.build(backprop_run)}


def code_sources(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def test_valid_v4_notebooks_with_the_installed_versions_pinned_first(backprop_run):
    for name, nb in all_notebooks(backprop_run).items():
        read = nbformat.reads(notebooks.to_bytes(nb).decode("utf-8"), as_version=4)
        nbformat.validate(read)
        assert read.nbformat == 4, name
        assert read.cells[0].cell_type == "markdown" and len(read.cells[0].source) > 200, name
        install = next(cell for cell in read.cells if cell.cell_type == "code")
        assert install.metadata["tags"] == [notebooks.INSTALL_TAG], name
        pins = dict(pin.split("==") for pin in install.source.removeprefix("%pip install ").split())
        assert {"numpy", "matplotlib"} <= set(pins), name
        for distribution, version in pins.items():
            assert version == metadata.version(distribution), name
    assert "scikit-learn" in all_notebooks(backprop_run)["svm"].cells[2].source
    assert "scikit-learn" in all_notebooks(backprop_run)["backprop"].cells[2].source


def test_cells_are_python_importing_nothing_from_this_repository(backprop_run):
    allowed = set(notebooks.PACKAGES) | notebooks.STANDARD_MODULES
    for name, nb in all_notebooks(backprop_run).items():
        for source in code_sources(nb)[1:]:
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    modules = {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom):
                    modules = {(node.module or "").split(".")[0]}
                else:
                    continue
                assert modules <= allowed, (name, modules)
        text = "\n".join(code_sources(nb))
        assert "calc_core" not in text and "import ui" not in text and "from ui" not in text, name


def test_the_backprop_notebook_carries_the_pages_script_without_its_command_line(backprop_run):
    sources = code_sources(backprop_notebook.build(backprop_run))
    assert "def train():" in sources[1] and "def forward(" in sources[1] and "def backward(" in sources[1]
    assert "argparse" not in "\n".join(sources[2:]) and "def main(" not in "\n".join(sources)
    assert "EPOCHS = 5" in sources[1]
    assert "MLPClassifier(" in sources[-1] and "max_iter=5" in sources[-1]


def test_every_registered_optimizer_is_written_out_with_its_settings():
    source = "\n".join(code_sources(opt_notebook.build(TWO_VARIABLES)))
    for optimizer in OPTIMIZERS.values():
        assert optimizer.name in opt_notebook._RULES, optimizer.name
        for h in hyperparameters(optimizer):
            assert f"'{h.field}': {h.default!r}" in source, (optimizer.name, h.field)
    settings = {**TWO_VARIABLES, "opt2_methods": ["Adam"], "opt2_adam_lr": 0.01, "opt2_adam_b2": 0.9}
    source = "\n".join(code_sources(opt_notebook.build(settings)))
    assert "'learning_rate': 0.01" in source and "'beta2': 0.9" in source and "def gd_step" not in source


def function_literal(nb) -> str:
    """The value of the ``FUNCTION = '...'`` assignment, the one place the function enters the notebook."""
    for source in code_sources(nb)[1:]:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "FUNCTION":
                assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                return node.value.value
    raise AssertionError("no FUNCTION assignment")


@pytest.mark.parametrize("settings, variables", [(ONE_VARIABLE, ("x",)), (TWO_VARIABLES, ("x", "y"))],
                         ids=["one variable", "two variables"])
def test_hostile_functions_are_refused_or_only_a_string_literal(settings, variables):
    """Text the page's parser refuses never reaches a notebook; text it accepts enters as our parser's canonical
    text in one string literal, and the notebook is otherwise the default's."""
    default = opt_notebook.build(settings)
    reference = [s.replace(repr(function_literal(default)), "F") for s in code_sources(default)]
    built = 0
    for text in [*EXPRESSIONS, "pi", "e^x", "abs(x)/x", "x^x", "sigmoid(x)", "x y" if "y" in variables else "2x"]:
        try:
            nb = opt_notebook.build({**settings, "function": text})
        except (ValueError, RecursionError):
            continue
        built += 1
        literal = function_literal(nb)
        assert literal == notebooks.canonical(parse_expression(text, variables))
        assert [s.replace(repr(literal), "F") for s in code_sources(nb)] == reference
    assert built >= 5


@pytest.mark.parametrize("points", ["__import__('os').system('id'),0,1", "1,2,3", "0,0,1;1,1,1;" * 201,
                                    "<script>alert(1)</script>", "1e999,0,1;0,0,-1"])
def test_unreadable_points_are_refused(points):
    with pytest.raises(ValueError):
        svm_notebook.build({**SVM, "svm_points": points})


def test_svm_points_enter_as_numbers():
    source = "\n".join(code_sources(svm_notebook.build({**SVM, "svm_points": "0, 0, -1; 1.5,2,+1;2,1,1"})))
    assert "POINTS = np.array([\n    [0.0, 0.0],\n    [1.5, 2.0],\n    [2.0, 1.0],\n])" in source
    assert "CLASSES = np.array([-1, 1, 1])" in source


def test_a_fragment_control_read_at_the_click_is_checked_by_kind():
    methods = Control("m", "Optimizers", Kind.MULTISELECT, ("GD",), options=("GD", "Adam"))
    assert checked_value(methods, ["Adam", "GD"], ("GD",)) == ("Adam", "GD")
    assert checked_value(methods, ["Adam", "os"], ("GD",)) == ("GD",)
    assert checked_value(methods, "Adam", ("GD",)) == ("GD",)
    points = Control("p", "Points", Kind.TEXT, "0,0,1", max_chars=10)
    assert checked_value(points, "1,1,-1", "0,0,1") == "1,1,-1"
    assert checked_value(points, "1" * 11, "0,0,1") == "0,0,1"
    assert checked_value(points, 3, "0,0,1") == "0,0,1"


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


def built_source(captured, key) -> str:
    nb = nbformat.reads(captured[key]().decode("utf-8"), as_version=4)
    assert nb.cells[0].source.startswith("# ") and "could not be built" not in nb.cells[0].source
    return "\n".join(code_sources(nb))


def test_optimization_page_offers_the_notebook_of_a_shared_link_and_follows_the_descent(monkeypatch):
    captured = captured_downloads(monkeypatch)
    at = run_page("optimization", {"opt_f": "x^4 - 3x^2 + x", "opt_xmin": "-2", "opt_x0": "1.5", "opt_lr": "0.01"})
    assert not at.exception
    assert [b.label for b in at.download_button if b.key == "opt_notebook"] == ["Notebook (.ipynb)"]
    button = captured["opt_notebook"]
    source = built_source(captured, "opt_notebook")
    for line in ("FUNCTION = 'x**4 - 3*x**2 + x'", "WINDOW = (-2.0, 2.5)", "X0 = 1.5", "LEARNING_RATE = 0.01",
                 "STEPS = 30"):
        assert line in source, line
    at.slider(key="opt_steps").set_value(80).run()
    assert not at.exception
    # The button drawn before the descent's fragment reran reads the steps again at the click.
    assert "STEPS = 80" in "\n".join(code_sources(nbformat.reads(button().decode("utf-8"), as_version=4)))


def test_optimization_surface_notebook_has_the_chosen_optimizers(monkeypatch):
    captured = captured_downloads(monkeypatch)
    at = run_page("optimization", {"opt_part": "Two variables", "opt2_methods": ["GD", "Adam"],
                                   "opt2_adam_lr": "0.01", "opt2_steps": "50"})
    assert not at.exception
    source = built_source(captured, "opt_notebook")
    assert "FUNCTION = 'x**2 + 10*y**2'" in source and "STEPS = 50" in source
    assert "'Adam': (adam_step, {'learning_rate': 0.01" in source and "'GD': (gd_step" in source
    assert "momentum_step" not in source


def test_an_unreadable_function_draws_no_optimization_notebook():
    at = run_page("optimization", {"opt_f": "x +"})
    assert not at.exception
    assert not [b for b in at.download_button if b.key == "opt_notebook"]


def test_svm_page_offers_the_notebook_of_its_points(monkeypatch):
    captured = captured_downloads(monkeypatch)
    at = run_page("svm", {"svm_points": "0,0,-1;1,2,1;2,1,1;3,3,1", "svm_soft": "true", "svm_C": "10"})
    assert not at.exception
    assert [b.label for b in at.download_button if b.key == "svm_notebook"] == ["Notebook (.ipynb)"]
    source = built_source(captured, "svm_notebook")
    assert "[3.0, 3.0]" in source and "SOFT = True" in source and "C = 10.0" in source


def test_backprop_page_offers_the_notebook_of_its_run_at_the_click(monkeypatch):
    captured = captured_downloads(monkeypatch)
    at = run_page("backprop", {"backprop_samples": "200", "backprop_layers": "3", "backprop_weight_seed": "2"})
    assert not at.exception
    assert [b.label for b in at.download_button if b.key == "backprop_notebook"] == ["Notebook (.ipynb)"]
    for _ in range(3):
        at.button(key="backprop_step").click().run()
    assert not at.exception
    source = built_source(captured, "backprop_notebook")
    assert "EPOCHS = 3" in source and "HIDDEN_LAYERS = (3,)" in source and "SEED = 2" in source


def test_a_control_a_teacher_hid_reaches_the_notebook_with_the_links_value(monkeypatch):
    captured = captured_downloads(monkeypatch)
    at = run_page("svm", {"teacher": "1", "hide": "svm_points,svm_C", "svm_points": "0,0,-1;1,2,1;2,1,1;3,3,1",
                          "svm_soft": "true", "svm_C": "10"})
    assert not at.exception
    source = built_source(captured, "svm_notebook")
    assert "[3.0, 3.0]" in source and "C = 10.0" in source


def test_optimizers_a_teacher_hid_reach_the_notebook_with_the_links_choice(monkeypatch):
    captured = captured_downloads(monkeypatch)
    at = run_page("optimization", {"teacher": "1", "hide": "opt2_methods", "opt_part": "Two variables",
                                   "opt2_methods": ["Nesterov", "RMSProp"]})
    assert not at.exception
    source = built_source(captured, "opt_notebook")
    assert "'Nesterov': (nesterov_step" in source and "'RMSProp': (rmsprop_step" in source
    assert "gd_step" not in source
