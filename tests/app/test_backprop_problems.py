"""Regression and three classes on the backpropagation page, under AppTest: the right network trains, the metrics
and pictures follow the problem, and the gradient check, the reference, pins, the sweep and the script cover it."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from calc_core.mlp.export import numpy_script
from tests.app.conftest import run_page, shown_text
from ui.views.backprop import sweep
from ui.views.backprop.view import load_split

PAGE = "backprop"
RUN = "backprop_run"
STATE = "backprop_state"
SCRIPT_TIMEOUT_S = 120  # 20 epochs on 160 points; generous for a loaded machine
SMALL = {"backprop_samples": "200", "backprop_epochs": "20", "backprop_pace": "fast"}


def model(at):
    return at.session_state[RUN].model


def click(at, key: str):
    at.button(key=key).click()
    return at.run()


def chart_specs(at) -> list[str]:
    return [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("vega_lite_chart")]


def metric(at, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return found[0]


def trained(dataset: str, **query):
    at = run_page(PAGE, {**SMALL, "backprop_dataset": dataset, **query})
    assert not at.exception
    click(at, "backprop_train")
    while at.button(key="backprop_train").disabled and model(at).n_epochs_ < 20:  # one tick per rerun
        at.run()
    assert not at.exception, at.exception
    return at


def test_a_regression_dataset_trains_a_regression_network_and_shows_r2_and_residuals():
    at = trained("plane")
    net = model(at)
    assert net.get_params()["task"] == "regression" and net.n_outputs_ == 1 and net.n_epochs_ == 20
    split = load_split("plane", 200, 0.1, 0, 0.2, None)
    r2 = net.score(split.X_train, split.y_train)
    assert metric(at, "Training R²") == f"{net.history_.train_accuracy[-1]:.3f}"
    assert net.history_.train_accuracy[-1] == pytest.approx(r2, abs=1e-5)
    assert metric(at, "Test R²") == f"{net.history_.test_accuracy[-1]:.3f}"
    specs = " ".join(chart_specs(at))
    assert "target − prediction" in specs and "squared error / 2" in specs
    text = shown_text(at)
    assert "Residuals: target − prediction" in text
    assert "Backpropagation agrees with finite differences" in text
    assert "Confusion matrix" not in " ".join(e.label for e in at.expander)
    assert "target y = " in text, "the backward step names the target"


@pytest.mark.parametrize("dataset", ["blobs3", "spiral3"])
def test_a_three_class_dataset_trains_a_softmax_network_with_accuracy_per_class(dataset):
    at = trained(dataset)
    net = model(at)
    assert net.get_params()["task"] == "multiclass" and net.n_outputs_ == 3
    assert [W.shape[1] for W in net.coefs_][-1] == 3
    assert metric(at, "Training accuracy").endswith("%")
    table = next(d.value for d in at.dataframe if "training accuracy" in d.value.columns)
    assert list(table["class"]) == ["0", "1", "2"]
    split = load_split(dataset, 200, 0.1, 0, 0.2, None)
    predicted = net.predict(split.X_train)
    for k in range(3):
        assert table["training accuracy"][k] == pytest.approx(np.mean(predicted[split.y_train == k] == k))
        assert table["training points"][k] == int(np.sum(split.y_train == k))
    assert "Backpropagation agrees with finite differences" in shown_text(at)
    assert "class probabilities ŷ = (" in shown_text(at)
    assert any("softmax" in formula.value for formula in at.latex), "the backward step starts from softmax − one-hot"
    decision_map = next(s for s in chart_specs(at) if "Decision map" in s)
    for color in ("#e8710a", "#1a73e8", "#188038"):  # a colour per class
        assert color in decision_map


def test_the_course_dataset_still_trains_the_two_class_network():
    at = run_page(PAGE, SMALL)
    params = model(at).get_params()
    assert params["task"] == "binary" and model(at).n_outputs_ == 1
    assert "Training accuracy" in [m.label for m in at.metric]


@pytest.mark.parametrize("dataset", ["multi-gaussian", "blobs3"])
def test_the_script_repeats_the_pages_run(dataset, tmp_path):
    at = trained(dataset, backprop_batch="32")
    net = model(at)
    split = load_split(dataset, 200, 0.1, 0, 0.2, None)
    source = numpy_script(net, split.X_train, split.y_train, split.X_test, split.y_test)
    path, weights = tmp_path / "run.py", tmp_path / "weights.json"
    path.write_text(source)
    result = subprocess.run([sys.executable, str(path), "--save-weights", str(weights)], capture_output=True,
                            text=True, timeout=SCRIPT_TIMEOUT_S, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for layer, W, b in zip(json.loads(weights.read_text())["layers"], net.coefs_, net.intercepts_, strict=True):
        np.testing.assert_array_equal(np.array(layer["W"]), W)
        np.testing.assert_array_equal(np.array(layer["b"]), b)


def test_the_reference_is_mlpregressor_for_regression():
    at = run_page(PAGE, {**SMALL, "backprop_dataset": "plane"})
    click(at, "backprop_reference")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "model" in d.value.columns)
    assert list(table["model"]) == ["this page (numpy)", "scikit-learn MLPRegressor"]
    assert table["train R²"].between(-1, 1).all() and "train accuracy" not in table.columns


def test_a_pinned_regression_run_keeps_its_r2(monkeypatch):
    monkeypatch.setattr(sweep, "SWEEP_TIMEOUT", 120.0)  # the test sets the budget: a loaded machine finishes too
    at = trained("plane", backprop_sweep_points="2", backprop_sweep_seeds="1",
                 backprop_sweep_learning_rate_from="0.01", backprop_sweep_learning_rate_to="0.1")
    click(at, "backprop_pin")
    assert not at.exception
    final = at.session_state[STATE].pinned[0].final
    assert final["train R²"] == pytest.approx(model(at).history_.train_accuracy[-1]) and "train accuracy" not in final
    table = next(d.value for d in at.dataframe if "run" in d.value.columns)
    assert table["test R²"].notna().all()
    click(at, "backprop_sweep_run")
    assert not at.exception
    assert "final test R²" in " ".join(chart_specs(at))


def test_pins_and_a_sweep_cover_three_classes(monkeypatch):
    monkeypatch.setattr(sweep, "SWEEP_TIMEOUT", 120.0)  # the test sets the budget: a loaded machine finishes too
    at = trained("blobs3", backprop_sweep_points="2", backprop_sweep_seeds="1",
                 backprop_sweep_learning_rate_from="0.01", backprop_sweep_learning_rate_to="0.1")
    click(at, "backprop_pin")
    assert not at.exception
    pinned = at.session_state[STATE].pinned
    assert len(pinned) == 1 and pinned[0].settings["data"] == "blobs3"
    assert pinned[0].final["train accuracy"] == pytest.approx(model(at).history_.train_accuracy[-1])
    click(at, "backprop_sweep_run")
    assert not at.exception
    result = at.session_state[STATE].sweep.value
    assert result.complete and len(result.runs) == 2
    assert all(0 <= r.train_accuracy <= 1 for r in result.runs)


def _upload(content: bytes):
    at = run_page(PAGE, {**SMALL, "backprop_dataset": "upload CSV"})
    at.file_uploader(key="backprop_csv").set_value(("data.csv", content, "text/csv")).run()
    assert not at.exception and not at.error
    click(at, "backprop_train")
    while at.button(key="backprop_train").disabled and model(at).n_epochs_ < 20:
        at.run()
    assert not at.exception, at.exception
    return at


def test_uploaded_text_labels_train_three_named_classes():
    rng = np.random.default_rng(0)
    species = ("setosa", "versicolor", "virginica")
    content = b"sepal,petal,species\n" + b"".join(
        f"{5 + i % 3 + rng.normal() / 5:.2f},{1 + 2 * (i % 3) + rng.normal() / 5:.2f},{species[i % 3]}\n".encode()
        for i in range(90))
    at = _upload(content)
    assert model(at).get_params()["task"] == "multiclass" and model(at).n_outputs_ == 3
    table = next(d.value for d in at.dataframe if "training accuracy" in d.value.columns)
    assert list(table["class"]) == list(species)
    assert any("virginica" in s for s in chart_specs(at) if "Decision map" in s)


def test_uploaded_numeric_targets_train_a_regression():
    content = b"rooms,area,price\n" + b"".join(f"{i % 5 + 1},{(40 + i) / 40:.3f},{(i % 5) * 0.3 + i / 40:.3f}\n".encode()
                                                for i in range(60))
    at = _upload(content)
    assert model(at).get_params()["task"] == "regression"
    assert "Training R²" in [m.label for m in at.metric]
    assert "target − prediction" in " ".join(chart_specs(at))


@pytest.mark.parametrize("activation, passes", [("relu", True), ("sigmoid", False)])
def test_the_courses_derivative_touches_only_sigmoid_hidden_layers_of_a_regression(activation, passes):
    at = run_page(PAGE, {**SMALL, "backprop_dataset": "plane", "backprop_course_bug": "true",
                         "backprop_activation": activation})
    at = click(at, "backprop_step")  # at epoch 0 the output weights are zero, and so is every hidden gradient
    assert not at.exception and model(at).n_epochs_ == 1
    text = shown_text(at)
    assert "this network's output is not one" in text
    assert ("Backpropagation agrees with finite differences" in text) == passes


@pytest.mark.parametrize("dataset", ["plane", "spiral3"])
def test_a_saved_session_of_a_new_problem_loads_back_bit_for_bit(dataset):
    from ui.views.backprop import sessions

    at = run_page(PAGE, {**SMALL, "backprop_dataset": dataset, "backprop_epochs": "6"})
    for _ in range(3):
        click(at, "backprop_step")
    click(at, "backprop_pin")
    assert not at.exception
    before = model(at)
    run = at.session_state[RUN]
    document = sessions.session_document(before, run.extra, at.session_state[STATE],
                                         sessions.control_values(at.session_state))
    fresh = run_page(PAGE)
    fresh.file_uploader(key="backprop_session_file").set_value(
        ("session.json", json.dumps(document).encode(), "application/json"))
    fresh.run()
    assert not fresh.exception and not fresh.error
    after = model(fresh)
    assert after.get_params()["task"] == before.get_params()["task"] and after.n_epochs_ == 3
    for ours, theirs in zip(after.coefs_ + after.intercepts_, before.coefs_ + before.intercepts_, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(after.history_.train_accuracy, before.history_.train_accuracy)
    assert [p.final for p in fresh.session_state[STATE].pinned] == [p.final for p in at.session_state[STATE].pinned]
