"""calc_core.mlp.export: the exported CSV and JSON read back, and the numpy script repeats the run exactly."""

import ast
import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest

from calc_core.data.datasets import make_dataset, split_dataset
from calc_core.mlp import MLP
from calc_core.mlp.export import ExportError, history_csv, numpy_script, weights_json

SCRIPT_TIMEOUT_S = 120
CSV_RTOL = 1e-7  # history values are written with 8 significant digits


@pytest.fixture(scope="module")
def split():
    X, y = make_dataset("circles", n_samples=240, random_state=2)
    return split_dataset(X, y, test_size=0.25)


def run_script(source, tmp_path):
    path = tmp_path / "reproduce.py"
    path.write_text(source)
    weights = tmp_path / "weights.json"
    result = subprocess.run(
        [sys.executable, str(path), "--save-weights", str(weights)],
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT_S,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, json.loads(weights.read_text())


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"activation": "tanh", "optimizer": "momentum", "learning_rate": 0.05, "batch_size": 32, "l2": 0.01},
        {"activation": "sigmoid", "optimizer": "sgd", "learning_rate": 0.5, "course_sigmoid_bug": True},
        {"activation": "leaky_relu", "hidden_layer_sizes": (5,), "batch_size": 50, "dtype": "float64"},
    ],
)
def test_script_repeats_the_run_exactly(split, settings, tmp_path):
    model = MLP(epochs=0, **settings).fit(split.X_train, split.y_train)
    for _ in range(3):  # trained in ticks, as the page does
        model.train_epochs(split.X_train, split.y_train, 8, X_test=split.X_test, y_test=split.y_test)
    source = numpy_script(model, split.X_train, split.y_train, split.X_test, split.y_test)
    stdout, weights = run_script(source, tmp_path)
    for layer, W, b in zip(weights["layers"], model.coefs_, model.intercepts_, strict=True):
        np.testing.assert_array_equal(np.array(layer["W"]), W)
        np.testing.assert_array_equal(np.array(layer["b"]), b)
    assert f"training accuracy {model.score(split.X_train, split.y_train):.4f}" in stdout
    assert f"test accuracy {model.score(split.X_test, split.y_test):.4f}" in stdout


@pytest.mark.parametrize("features", [None, ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")])
def test_script_repeats_live_changes_and_input_features_exactly(split, features, tmp_path):
    model = MLP(epochs=0, features=features).fit(split.X_train, split.y_train)
    for changes in ({"learning_rate": 0.01, "batch_size": 16}, {"optimizer": "momentum", "l2": 0.001},
                    {"optimizer": "sgd"}, {"optimizer": "adam", "batch_size": None, "learning_rate": 0.02}):
        model.train_epochs(split.X_train, split.y_train, 4, X_test=split.X_test, y_test=split.y_test)
        model.tweak(**changes)
    model.train_epochs(split.X_train, split.y_train, 3)
    source = numpy_script(model, split.X_train, split.y_train, split.X_test, split.y_test)
    _, weights = run_script(source, tmp_path)
    for layer, W, b in zip(weights["layers"], model.coefs_, model.intercepts_, strict=True):
        np.testing.assert_array_equal(np.array(layer["W"]), W)
        np.testing.assert_array_equal(np.array(layer["b"]), b)
    document = json.loads(weights_json(model))
    assert document["layer_sizes"][0] == model.n_inputs_
    assert len(document["live_changes"]) == 8


def test_script_uses_numpy_and_the_standard_library_only(split):
    model = MLP(epochs=2).fit(split.X_train, split.y_train)
    tree = ast.parse(numpy_script(model, split.X_train, split.y_train))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"argparse", "base64", "json", "math", "numpy"}


def test_script_without_test_data(split, tmp_path):
    model = MLP(epochs=5).fit(split.X_train, split.y_train)
    stdout, _ = run_script(numpy_script(model, split.X_train, split.y_train), tmp_path)
    assert "after 5 epochs" in stdout and "test" not in stdout


def test_history_csv_reads_back(split):
    model = MLP(epochs=6).fit(split.X_train, split.y_train, X_test=split.X_test, y_test=split.y_test)
    rows = list(csv.DictReader(io.StringIO(history_csv(model))))
    assert [int(r["epoch"]) for r in rows] == list(range(7))
    for column in ("train_loss", "train_accuracy", "test_loss", "test_accuracy"):
        values = np.array([float(r[column]) for r in rows])
        np.testing.assert_allclose(values, getattr(model.history_, column), rtol=CSV_RTOL)
    no_test = list(csv.DictReader(io.StringIO(history_csv(MLP(epochs=1).fit(split.X_train, split.y_train)))))
    assert no_test[0]["test_loss"] == "" and no_test[0]["test_accuracy"] == ""


def test_weights_json_reads_back(split):
    model = MLP((4, 3), l2=0.01, epochs=4).fit(split.X_train, split.y_train)
    data = json.loads(weights_json(model))
    assert data["layer_sizes"] == [2, 4, 3, 1]
    assert data["epochs_trained"] == 4 and data["hyperparameters"]["l2"] == 0.01
    for layer, W, b in zip(data["layers"], model.coefs_, model.intercepts_, strict=True):
        np.testing.assert_array_equal(np.array(layer["W"]), W)
        np.testing.assert_array_equal(np.array(layer["b"]), b)
    # The stated convention computes the model's own probabilities.
    a = split.X_test
    for layer in data["layers"][:-1]:
        a = np.maximum(a @ np.array(layer["W"]) + np.array(layer["b"]), 0)
    z = a @ np.array(data["layers"][-1]["W"]) + np.array(data["layers"][-1]["b"])
    np.testing.assert_allclose(1 / (1 + np.exp(-z[:, 0])), model.predict_proba(split.X_test)[:, 1], rtol=1e-5)


def test_nothing_to_export_or_mismatched_data(split):
    with pytest.raises(ExportError, match="train the network first"):
        history_csv(MLP())
    with pytest.raises(ExportError):
        weights_json(MLP())
    model = MLP(epochs=1).fit(split.X_train, split.y_train)
    with pytest.raises(ExportError, match="features"):
        numpy_script(model, np.ones((5, 3)), np.zeros(5))
    with pytest.raises(ExportError, match="0 or 1"):
        numpy_script(model, split.X_train, split.y_train * 2)
