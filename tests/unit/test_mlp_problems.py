"""Three classes and regression: the passes against finite differences, the trainer against the readable passes
and the exported script, and the results against scikit-learn's MLPClassifier and MLPRegressor."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from sklearn.metrics import log_loss, mean_squared_error, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor

from calc_core.data.datasets import (
    ALL_DATASETS,
    DATASET_NAMES,
    DATASET_TASKS,
    MULTICLASS_DATASETS,
    REGRESSION_DATASETS,
    make_dataset,
    split_dataset,
)
from calc_core.mlp import GRADIENT_CHECK_TOLERANCE, MLP, MLPError
from calc_core.mlp import readable_passes as rp
from calc_core.mlp.export import numpy_script, weights_json
from calc_core.mlp.reference import compare_with_sklearn, sklearn_equivalent

SCRIPT_TIMEOUT_S = 120  # a few dozen epochs on 240 points; generous for a loaded machine
# Trained to the end, our network and scikit-learn's differ in their initial weights; the final scores agree within:
ACCURACY_AGREEMENT = 0.06  # three blobs, 150 epochs of Adam: both near 0.9
R2_AGREEMENT = 0.05  # the plane, 200 epochs of Adam: both near 0.99
# Given the same weights, the two libraries' outputs agree up to float64 rounding:
SAME_WEIGHTS_RTOL = 1e-9


@pytest.fixture(scope="module")
def three():
    X, y = make_dataset("blobs3", n_samples=240, noise=0.1, random_state=3)
    return split_dataset(X, y, test_size=0.25)


@pytest.fixture(scope="module")
def plane():
    X, y = make_dataset("plane", n_samples=240, noise=0.1, random_state=3)
    return split_dataset(X, y, test_size=0.25)


# --- Datasets ------------------------------------------------------------------------------------------------------


def test_the_registry_names_every_set_and_its_problem():
    assert DATASET_NAMES == ("circles", "moons", "xor", "gaussian", "spiral")  # the two-class sets, as before
    assert set(MULTICLASS_DATASETS) == {"blobs3", "spiral3"}
    assert set(REGRESSION_DATASETS) == {"plane", "multi-gaussian"}
    assert set(DATASET_TASKS) == set(ALL_DATASETS)


@pytest.mark.parametrize("name", MULTICLASS_DATASETS)
def test_three_class_sets_are_balanced_and_repeatable(name):
    X, y = make_dataset(name, n_samples=301, noise=0.1, random_state=4)
    assert X.shape == (301, 2) and y.dtype == np.int64 and np.all(np.isfinite(X))
    assert sorted(np.bincount(y).tolist()) == [100, 100, 101]
    np.testing.assert_array_equal(X, make_dataset(name, n_samples=301, noise=0.1, random_state=4)[0])


def test_the_plane_is_playgrounds_plane_rescaled():
    X, t = make_dataset("plane", n_samples=500, noise=0.0, random_state=1)
    assert t.dtype == np.float64 and np.all(np.abs(X) <= 1)
    np.testing.assert_allclose(t, 0.6 * (X[:, 0] + X[:, 1]), rtol=0, atol=1e-15)


def test_multi_gaussian_has_six_alternating_bumps():
    X, t = make_dataset("multi-gaussian", n_samples=4000, noise=0.0, random_state=1)
    assert t.dtype == np.float64 and -1 <= t.min() < -0.8 and 0.8 < t.max() <= 1
    centres = np.array([(-4, 2.5), (0, 2.5), (4, 2.5), (-4, -2.5), (0, -2.5), (4, -2.5)]) / 6
    signs = [1, -1, 1, -1, 1, -1]
    for (cx, cy), sign in zip(centres, signs, strict=True):
        near = np.hypot(X[:, 0] - cx, X[:, 1] - cy) < 0.05
        assert near.any() and np.all(np.sign(t[near]) == sign)
    far = np.min(np.hypot(X[:, :1] - centres[:, 0], X[:, 1:] - centres[:, 1]), axis=1) > 1 / 3
    assert np.all(t[far] == 0)


def test_regression_targets_are_split_at_random(plane):
    assert len(plane.y_test) == 60 and plane.y_train.dtype == np.float64


# --- The calculus --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["multiclass", "regression"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu"])
def test_backpropagation_agrees_with_central_differences(three, plane, task, activation):
    data = three if task == "multiclass" else plane
    model = MLP((5, 4), activation=activation, epochs=20, l2=0.01, task=task).fit(data.X_train, data.y_train)
    checks = model.gradient_check_layers(data.X_train[:16], data.y_train[:16])
    assert all(c.passed for c in checks), checks
    assert max(c.max_relative_error for c in checks) < GRADIENT_CHECK_TOLERANCE


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_no_hidden_layer_is_softmax_or_linear_regression(three, plane, task):
    data = three if task == "multiclass" else plane
    model = MLP((), epochs=5, task=task).fit(data.X_train, data.y_train)
    assert model.gradient_check(data.X_train[:16], data.y_train[:16]) < GRADIENT_CHECK_TOLERANCE
    assert [W.shape for W in model.coefs_] == [(2, 3 if task == "multiclass" else 1)]


def test_the_output_delta_is_softmax_minus_one_hot_over_m():
    z = np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 1.0, 0.5, -1.0], [2.0, 0.0, -0.5, 0.0]])
    y = np.array([2, 1, 0, 0])
    p = np.exp(z) / np.exp(z).sum(axis=0)
    onehot = np.eye(3)[:, y]
    np.testing.assert_allclose(rp.output_delta(z, y, "multiclass"), (p - onehot) / 4, rtol=1e-12, atol=1e-17)
    t = np.array([0.5, -1.0, 2.0, 0.0])
    np.testing.assert_array_equal(rp.output_delta(z[0], t, "regression"), (z[0] - t) / 4)


def test_a_multiclass_trace_starts_from_softmax_minus_one_hot(three):
    model = MLP((4,), epochs=10, task="multiclass").fit(three.X_train, three.y_train)
    trace = model.backward_trace(three.X_train, three.y_train, 5)
    p = model.predict_proba(three.X_train[5:6])[0]
    np.testing.assert_allclose(trace.outputs, p, rtol=1e-6)
    np.testing.assert_allclose(trace.steps[0].delta, p - np.eye(3)[three.y_train[5]], rtol=1e-6, atol=1e-7)
    assert trace.probability == pytest.approx(p[three.y_train[5]], rel=1e-6)
    # One sample's weight gradient is the gradient of its own loss (no L2 here).
    grads = model.gradients(three.X_train[5:6], three.y_train[5:6])
    np.testing.assert_allclose(trace.steps[0].weight_gradient, grads[-1].dW.T, rtol=1e-9, atol=1e-12)


def test_a_regression_trace_starts_from_the_residual(plane):
    model = MLP((4,), epochs=10, task="regression").fit(plane.X_train, plane.y_train)
    trace = model.backward_trace(plane.X_train, plane.y_train, 3)
    prediction = model.predict(plane.X_train[3:4])[0]
    assert trace.probability == pytest.approx(prediction, rel=1e-6) and trace.y == plane.y_train[3]
    assert trace.steps[0].delta[0] == pytest.approx(prediction - plane.y_train[3], rel=1e-5, abs=1e-6)
    assert trace.loss == pytest.approx(0.5 * (prediction - plane.y_train[3]) ** 2, rel=1e-5)


# --- Training: the fast passes against the readable ones -----------------------------------------------------------


@pytest.mark.parametrize("task", ["multiclass", "regression"])
@pytest.mark.parametrize("batch_size", [None, 32])
def test_the_trainer_gives_the_weights_of_the_readable_passes(three, plane, task, batch_size):
    from calc_core.mlp.update_rules import UPDATE_RULES

    data = three if task == "multiclass" else plane
    model = MLP((5, 3), activation="tanh", epochs=12, batch_size=batch_size, optimizer="momentum",
                learning_rate=0.05, l2=0.001, dtype="float64", task=task, random_state=2)
    model.fit(data.X_train, data.y_train)
    # The same run by hand, on the readable passes (float64).
    from calc_core.mlp.buffered_passes import initial_weights

    rng = np.random.default_rng(2)
    sizes = (2, 5, 3, 3 if task == "multiclass" else 1)
    blocks = initial_weights(rng, sizes, "tanh")
    theta = np.concatenate([b.ravel() for b in blocks])
    views, start = [], 0
    for b in blocks:
        views.append(theta[start : start + b.size].reshape(b.shape))
        start += b.size
    rule = UPDATE_RULES["momentum"](theta.size, np.float64, 0.05)
    X, y = data.X_train, data.y_train
    for _ in range(12):
        batches = [(X, y)] if batch_size is None else [
            (X[i], y[i]) for i in np.split(rng.permutation(len(X)), range(batch_size, len(X), batch_size))]
        for Xb, yb in batches:
            inputs, z = rp.forward(views, Xb, "tanh")
            grads = rp.backward(views, inputs, z, yb, "tanh", 0.001, False, task)
            rule.step(theta, np.concatenate([g.ravel() for g in grads]))
    for W, b, block in zip(model.coefs_, model.intercepts_, views, strict=True):
        np.testing.assert_array_equal(W, block[:, :-1].T)
        np.testing.assert_array_equal(b, block[:, -1])


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_history_holds_the_loss_and_the_score(three, plane, task):
    data = three if task == "multiclass" else plane
    model = MLP((8,), epochs=40, task=task).fit(data.X_train, data.y_train, X_test=data.X_test, y_test=data.y_test)
    last = model.history_.record(-1)
    assert last.train_loss == pytest.approx(model.loss(data.X_train, data.y_train), rel=1e-5)
    assert last.test_loss == pytest.approx(model.loss(data.X_test, data.y_test), rel=1e-5)
    assert last.train_accuracy == pytest.approx(model.score(data.X_train, data.y_train), abs=1e-5)
    assert last.test_accuracy == pytest.approx(model.score(data.X_test, data.y_test), abs=1e-5)
    # Epoch 0: the zero output layer predicts uniform probabilities, or 0.
    first = model.history_.record(0)
    if task == "multiclass":
        assert first.train_loss == pytest.approx(math.log(3), rel=1e-6)
    else:
        assert first.train_loss == pytest.approx(0.5 * np.mean(data.y_train**2), rel=1e-5)


def test_the_losses_are_scikit_learns(three, plane):
    model = MLP((6,), epochs=30, task="multiclass").fit(three.X_train, three.y_train)
    p = model.predict_proba(three.X_train)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-12)
    assert model.loss(three.X_train, three.y_train) == pytest.approx(log_loss(three.y_train, p), rel=1e-5)
    reg = MLP((6,), epochs=30, task="regression").fit(plane.X_train, plane.y_train)
    prediction = reg.predict(plane.X_train)
    assert reg.loss(plane.X_train, plane.y_train) == pytest.approx(
        0.5 * mean_squared_error(plane.y_train, prediction), rel=1e-6)  # predict runs in float32
    assert reg.score(plane.X_train, plane.y_train) == pytest.approx(r2_score(plane.y_train, prediction), rel=1e-12)


def test_labels_the_problem_cannot_take_are_refused(three, plane):
    with pytest.raises(MLPError, match="class numbers"):
        MLP(task="multiclass", epochs=1).fit(three.X_train, three.y_train + 0.5)
    with pytest.raises(MLPError, match="targets"):
        MLP(task="regression", epochs=1).fit(plane.X_train, np.where(plane.y_train > 0, np.nan, 0))
    with pytest.raises(MLPError, match="Unknown task"):
        MLP(task="ranking").fit(three.X_train, three.y_train)
    model = MLP(task="multiclass", epochs=1).fit(three.X_train, three.y_train)
    with pytest.raises(MLPError, match="3 classes"):
        model.train_epochs(three.X_train, np.full(len(three.y_train), 3), 1)
    with pytest.raises(MLPError, match="numbers, not class probabilities"):
        MLP(task="regression", epochs=1).fit(plane.X_train, plane.y_train).predict_proba(plane.X_train)


# --- scikit-learn ----------------------------------------------------------------------------------------------------


def _with_our_weights(estimator, model, X, y):
    """A fitted scikit-learn estimator carrying ``model``'s weights (one epoch sets up its attributes)."""
    estimator.set_params(max_iter=1)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.fit(X, y)
    estimator.coefs_ = [W.copy() for W in model.coefs_]
    estimator.intercepts_ = [b.copy() for b in model.intercepts_]
    return estimator


def test_same_weights_same_outputs_as_scikit_learn(three, plane):
    model = MLP((6, 4), activation="tanh", epochs=25, task="multiclass", dtype="float64").fit(three.X_train,
                                                                                              three.y_train)
    theirs = _with_our_weights(MLPClassifier(hidden_layer_sizes=(6, 4), activation="tanh"), model, three.X_train, three.y_train)
    np.testing.assert_allclose(theirs.predict_proba(three.X_test), model.predict_proba(three.X_test),
                               rtol=SAME_WEIGHTS_RTOL, atol=1e-15)
    reg = MLP((6, 4), activation="relu", epochs=25, task="regression", dtype="float64").fit(plane.X_train,
                                                                                            plane.y_train)
    theirs = _with_our_weights(MLPRegressor(hidden_layer_sizes=(6, 4)), reg, plane.X_train, plane.y_train)
    np.testing.assert_allclose(theirs.predict(plane.X_test), reg.predict(plane.X_test), rtol=SAME_WEIGHTS_RTOL,
                               atol=1e-15)


def test_the_reference_is_mlpregressor_for_regression():
    settings = dict(hidden_layer_sizes=(4,), activation="relu", optimizer="adam", learning_rate=0.01, l2=0.0,
                    batch_size=None, random_state=0, n_train=100, epochs=10)
    assert isinstance(sklearn_equivalent(**settings, task="regression"), MLPRegressor)
    assert isinstance(sklearn_equivalent(**settings, task="multiclass"), MLPClassifier)


def test_three_blobs_agree_with_mlpclassifier(three):
    settings = {"hidden_layer_sizes": (8,), "learning_rate": 0.02, "task": "multiclass"}
    ours, theirs = compare_with_sklearn(three.X_train, three.y_train, three.X_test, three.y_test, settings, 150)
    assert theirs.model == "scikit-learn MLPClassifier" and ours.failure is None and theirs.failure is None
    assert ours.train_accuracy > 0.85 and theirs.train_accuracy > 0.85
    assert abs(ours.train_accuracy - theirs.train_accuracy) <= ACCURACY_AGREEMENT
    assert abs(ours.test_accuracy - theirs.test_accuracy) <= ACCURACY_AGREEMENT


def test_the_plane_agrees_with_mlpregressor(plane):
    settings = {"hidden_layer_sizes": (8,), "learning_rate": 0.02, "task": "regression"}
    ours, theirs = compare_with_sklearn(plane.X_train, plane.y_train, plane.X_test, plane.y_test, settings, 200)
    assert theirs.model == "scikit-learn MLPRegressor" and ours.failure is None and theirs.failure is None
    assert ours.train_accuracy > 0.95 and theirs.train_accuracy > 0.95  # R²
    assert abs(ours.train_accuracy - theirs.train_accuracy) <= R2_AGREEMENT
    assert abs(ours.test_accuracy - theirs.test_accuracy) <= R2_AGREEMENT


# --- Export ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_the_script_repeats_the_run_exactly(three, plane, task, tmp_path):
    data = three if task == "multiclass" else plane
    model = MLP((6, 3), epochs=0, batch_size=32, task=task).fit(data.X_train, data.y_train)
    for _ in range(3):  # trained in ticks, as the page does, with a live change
        model.train_epochs(data.X_train, data.y_train, 6, X_test=data.X_test, y_test=data.y_test)
        model.tweak(learning_rate=model.learning_rate / 2)
    source = numpy_script(model, data.X_train, data.y_train, data.X_test, data.y_test)
    path, weights = tmp_path / "reproduce.py", tmp_path / "weights.json"
    path.write_text(source)
    result = subprocess.run([sys.executable, str(path), "--save-weights", str(weights)], capture_output=True,
                            text=True, timeout=SCRIPT_TIMEOUT_S, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for layer, W, b in zip(json.loads(weights.read_text())["layers"], model.coefs_, model.intercepts_, strict=True):
        np.testing.assert_array_equal(np.array(layer["W"]), W)
        np.testing.assert_array_equal(np.array(layer["b"]), b)
    score = "R^2" if task == "regression" else "accuracy"
    assert f"training {score} {model.score(data.X_train, data.y_train):.4f}" in result.stdout
    assert f"test {score} {model.score(data.X_test, data.y_test):.4f}" in result.stdout
    document = json.loads(weights_json(model))
    assert document["task"] == task and document["layer_sizes"][-1] == (3 if task == "multiclass" else 1)


def test_a_sweep_counts_the_work_of_every_output_unit():
    from calc_core.mlp import training_work
    from calc_core.mlp.sweep import sweep_work

    settings = {"hidden_layer_sizes": (4, 3), "task": "multiclass"}
    three = sweep_work(800, 2, settings, "learning_rate", (0.01, 0.1), (0, 1), 150, n_outputs=3)
    assert three == 4 * training_work(800, (2, 4, 3, 3), None, 150)
    assert three > sweep_work(800, 2, settings, "learning_rate", (0.01, 0.1), (0, 1), 150)


def test_a_regression_history_names_r2(plane):
    from calc_core.mlp.export import history_csv

    model = MLP((4,), epochs=3, task="regression").fit(plane.X_train, plane.y_train)
    lines = history_csv(model).splitlines()
    assert lines[0] == "epoch,train_loss,train_r2,test_loss,test_r2" and len(lines) == 5
    assert float(lines[-1].split(",")[2]) == pytest.approx(model.history_.train_accuracy[-1], rel=1e-6)
