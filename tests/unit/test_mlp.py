"""calc_core.mlp against central differences, an independent numpy backprop and scikit-learn."""

import copy
import dataclasses
import doctest
import importlib
import math
import pickle

import numpy as np
import pytest
from scipy.special import expit
from sklearn.metrics import accuracy_score, log_loss

from calc_core.data.datasets import make_dataset, split_dataset
from calc_core.limits import MAX_TRAINING_EPOCHS
from calc_core.mlp import (
    ACTIVATIONS,
    DEFAULT_LEARNING_RATE,
    GRADIENT_CHECK_TOLERANCE,
    LEAKY_RELU_SLOPE,
    MLP,
    OPTIMIZERS,
    BackwardTrace,
    LayerGradientCheck,
    MLPError,
    TrainingDiverged,
)

REFERENCE_RTOL = 1e-9  # float64 backprop against the float64 reference below
REFERENCE_ATOL = 1e-12
FLOAT32_RTOL = 1e-5  # float32 training state against float64 evaluations of the same weights
FLOAT32_ATOL = 1e-6
COURSE_ACCURACY = 0.97


@pytest.fixture(scope="module")
def circles():
    return make_dataset("circles")


@pytest.fixture(scope="module")
def small():
    """A dozen points: gradient checks cost two forward passes per parameter."""
    X, y = make_dataset("moons", n_samples=12, noise=0.2, random_state=3)
    return X, y


# An independent implementation: row vectors, explicit biases, derivatives from z (not from a).
def _f(name, z):
    return {
        "relu": lambda: np.maximum(z, 0),
        "leaky_relu": lambda: np.where(z > 0, z, LEAKY_RELU_SLOPE * z),
        "tanh": lambda: np.tanh(z),
        "sigmoid": lambda: expit(z),
        "linear": lambda: z,
    }[name]()


def _df(name, z):
    return {
        "relu": lambda: (z > 0).astype(float),
        "leaky_relu": lambda: np.where(z > 0, 1.0, LEAKY_RELU_SLOPE),
        "tanh": lambda: 1 - np.tanh(z) ** 2,
        "sigmoid": lambda: expit(z) * (1 - expit(z)),
        "linear": lambda: np.ones_like(z),
    }[name]()


def reference_forward(model, X):
    zs, acts = [], [X]
    for W, b in zip(model.coefs_, model.intercepts_, strict=True):
        zs.append(acts[-1] @ W + b)
        acts.append(_f(model.activation, zs[-1]))
    return zs, acts


def reference_gradients(model, X, y):
    zs, acts = reference_forward(model, X)
    delta = (expit(zs[-1][:, 0]) - y)[:, None] / len(X)
    grads = []
    for layer in range(len(zs) - 1, -1, -1):
        W = model.coefs_[layer]
        grads.append((acts[layer].T @ delta + model.l2 * W, delta.sum(axis=0)))
        if layer:
            delta = (delta @ W.T) * _df(model.activation, zs[layer - 1])
    return grads[::-1]


def test_gradients_match_an_independent_backprop(circles):
    X, y = circles[0][:50], circles[1][:50]
    for activation in ACTIVATIONS:
        model = MLP((5, 3), activation=activation, l2=0.01, epochs=20, random_state=4).fit(X, y)
        ours = model.gradients(X, y)
        for layer, (dW, db) in zip(ours, reference_gradients(model, X, y), strict=True):
            np.testing.assert_allclose(layer.dW, dW, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL, err_msg=activation)
            np.testing.assert_allclose(layer.db, db, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL, err_msg=activation)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_check_passes_for_every_activation_and_optimizer(small, activation, optimizer):
    X, y = small
    model = MLP((4, 3), activation=activation, optimizer=optimizer, learning_rate=0.05, l2=0.003, epochs=10)
    model.fit(X, y)
    assert model.gradient_check(X, y) < GRADIENT_CHECK_TOLERANCE


def test_gradient_check_with_mini_batches_and_float64(small):
    X, y = small
    model = MLP((3,), activation="tanh", batch_size=5, dtype="float64", epochs=10).fit(X, y)
    assert model.gradient_check(X, y) < GRADIENT_CHECK_TOLERANCE


def test_gradient_check_layers_reports_every_layer(small):
    X, y = small
    model = MLP((4, 3), epochs=5).fit(X, y)
    checks = model.gradient_check_layers(X, y)
    assert [c.layer for c in checks] == [1, 2, 3]
    assert [c.n_parameters for c in checks] == [4 * 3, 3 * 5, 1 * 4]
    assert [c.n_checked for c in checks] == [c.n_parameters for c in checks]
    assert all(isinstance(c, LayerGradientCheck) and c.passed for c in checks)
    assert max(c.max_relative_error for c in checks) == model.gradient_check(X, y)
    with pytest.raises(dataclasses.FrozenInstanceError):
        checks[0].passed = False


def test_gradient_check_of_a_sample_of_parameters(small):
    X, y = small
    model = MLP((16, 16), activation="tanh", epochs=5).fit(X, y)
    checks = model.gradient_check_layers(X, y, max_per_layer=5)
    assert [c.n_checked for c in checks] == [5 + 5, 5 + 5, 5 + 1]
    assert all(c.passed for c in checks)
    with pytest.raises(MLPError):
        model.gradient_check_layers(X, y, max_per_layer=0)


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_course_sigmoid_bug_fails_the_gradient_check(small, activation):
    X, y = small
    model = MLP((4, 3), activation=activation, course_sigmoid_bug=True, epochs=5).fit(X, y)
    # The output delta doubles (and each sigmoid layer doubles again): relative error >= (2-1)/(2+1).
    assert model.gradient_check(X, y) > 0.3
    assert not any(check.passed for check in model.gradient_check_layers(X, y))


def test_course_sigmoid_bug_doubles_the_gradient(small):
    X, y = small
    right = MLP((4, 3), epochs=0).fit(X, y)
    wrong = MLP((4, 3), epochs=0, course_sigmoid_bug=True).fit(X, y)
    for g_right, g_wrong in zip(right.gradients(X, y), wrong.gradients(X, y), strict=True):
        np.testing.assert_allclose(g_wrong.dW, 2 * g_right.dW, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL)


def test_adam_absorbs_the_course_bug_and_sgd_does_not(circles):
    X, y = circles
    for optimizer, learning_rate, changed in (("adam", 0.05, False), ("sgd", 0.5, True)):
        right = MLP(optimizer=optimizer, learning_rate=learning_rate, epochs=40).fit(X, y)
        wrong = MLP(optimizer=optimizer, learning_rate=learning_rate, epochs=40, course_sigmoid_bug=True).fit(X, y)
        difference = max(np.abs(a - b).max() for a, b in zip(right.coefs_, wrong.coefs_, strict=True))
        assert (difference > 0.1) == changed, (optimizer, difference)


def test_course_configuration_reaches_97_percent_for_every_seed(circles):
    X, y = circles
    for seed in range(20):
        model = MLP(random_state=seed).fit(X, y)
        assert model.hidden_layer_sizes == (4, 3) and model.optimizer == "adam" and model.epochs == 150
        assert model.learning_rate == DEFAULT_LEARNING_RATE
        assert model.score(X, y) >= COURSE_ACCURACY, f"weight seed {seed}"


def test_same_seeds_give_identical_weights(circles):
    X, y = circles
    for settings in ({}, {"batch_size": 64, "optimizer": "momentum", "learning_rate": 0.02, "activation": "tanh"}):
        a = MLP(epochs=30, random_state=7, **settings).fit(X, y)
        b = MLP(epochs=30, random_state=7, **settings).fit(X, y)
        c = MLP(epochs=30, random_state=8, **settings).fit(X, y)
        for Wa, Wb, Wc in zip(a.coefs_, b.coefs_, c.coefs_, strict=True):
            np.testing.assert_array_equal(Wa, Wb)
            assert not np.array_equal(Wa, Wc)


@pytest.mark.parametrize("batch_size", [None, 100])
def test_training_in_ticks_equals_one_run(circles, batch_size):
    X, y = circles
    whole = MLP(epochs=24, batch_size=batch_size).fit(X, y)
    ticks = MLP(epochs=0, batch_size=batch_size).fit(X, y)
    for n in (5, 0, 7, 12):
        ticks.train_epochs(X, y, n)
    ticks.partial_fit(X, y)
    assert ticks.n_epochs_ == 25
    whole.partial_fit(X, y)
    for Ww, Wt in zip(whole.coefs_ + whole.intercepts_, ticks.coefs_ + ticks.intercepts_, strict=True):
        np.testing.assert_array_equal(Ww, Wt)
    # Losses of several epochs are summed together, so their last bit may depend on the ticks.
    np.testing.assert_allclose(whole.history_.train_loss, ticks.history_.train_loss, rtol=FLOAT32_RTOL)
    np.testing.assert_array_equal(whole.history_.train_accuracy, ticks.history_.train_accuracy)


def test_fit_starts_afresh(circles):
    X, y = circles
    model = MLP(epochs=10).fit(X, y)
    first = model.coefs_
    model.fit(X, y)
    assert model.n_epochs_ == 10 and len(model.history_.epoch) == 11
    for a, b in zip(first, model.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_history_records_loss_and_accuracy_per_epoch(circles):
    X, y = circles
    split = split_dataset(X, y, test_size=0.25)
    model = MLP(epochs=12).fit(split.X_train, split.y_train, X_test=split.X_test, y_test=split.y_test)
    h = model.history_
    np.testing.assert_array_equal(h.epoch, np.arange(13))
    # The output layer starts at zero: the untrained network says 0.5 everywhere.
    assert h.train_loss[0] == pytest.approx(math.log(2), rel=FLOAT32_RTOL)
    last = h.record(-1)
    assert last.epoch == 12
    assert last.train_loss == pytest.approx(model.loss(split.X_train, split.y_train), rel=FLOAT32_RTOL)
    assert last.test_loss == pytest.approx(model.loss(split.X_test, split.y_test), rel=FLOAT32_RTOL)
    assert last.train_accuracy == model.score(split.X_train, split.y_train)
    assert last.test_accuracy == model.score(split.X_test, split.y_test)
    plain = MLP(epochs=3).fit(X, y).history_
    assert np.all(np.isnan(plain.test_loss)) and np.all(np.isnan(plain.test_accuracy))


def test_callback_sees_every_epoch_and_can_stop(circles):
    X, y = circles
    seen = []
    model = MLP(epochs=50).fit(X, y, callback=lambda record: seen.append(record) or record.epoch == 6)
    assert [r.epoch for r in seen] == list(range(7))
    assert model.n_epochs_ == 6
    np.testing.assert_equal(dataclasses.astuple(seen[-1]), dataclasses.astuple(model.history_.record(-1)))


def test_loss_and_probabilities_agree_with_sklearn_and_the_reference(circles):
    X, y = circles
    model = MLP((6,), activation="tanh", epochs=40).fit(X, y)
    z_ref = reference_forward(model, X)[0][-1][:, 0]
    p_ref = expit(z_ref)
    assert model.loss(X, y) == pytest.approx(log_loss(y, p_ref), rel=REFERENCE_RTOL)
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba[:, 1], p_ref, rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(model.decision_function(X), z_ref, rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL)
    assert model.score(X, y) == accuracy_score(y, model.predict(X))
    assert set(np.unique(model.predict(X))) <= {0, 1}


def test_loss_is_stable_for_confident_predictions():
    X = np.array([[1.0, 0.0], [-1.0, 0.0]])
    y = np.array([0, 1])
    model = MLP((), epochs=0).fit(X, y)
    model._net.W[1][0, 0] = 200.0  # logits +-200: sigmoid saturates, the cross-entropy is 200
    assert model.loss(X, y) == pytest.approx(200.0)
    assert model.objective(X, y) == pytest.approx(200.0)


def test_objective_adds_the_l2_penalty(circles):
    X, y = circles
    model = MLP(l2=0.1, epochs=5).fit(X, y)
    penalty = 0.05 * sum(float(np.sum(W**2)) for W in model.coefs_)
    assert model.objective(X, y) - model.loss(X, y) == pytest.approx(penalty, rel=1e-12)


def test_backward_trace_is_the_chain_rule(circles):
    X, y = circles
    model = MLP((4, 3), epochs=20).fit(X, y)
    trace = model.backward_trace(X, y, sample=5)
    assert isinstance(trace, BackwardTrace) and trace.sample == 5 and trace.y == y[5]
    assert [s.layer for s in trace.steps] == [3, 2, 1]
    output = trace.steps[0]
    assert output.delta[0] == pytest.approx(trace.probability - y[5])
    assert trace.loss == pytest.approx(log_loss([y[5]], [trace.probability], labels=[0, 1]))
    for step in trace.steps:
        np.testing.assert_allclose(step.jacobian, model.coefs_[step.layer - 1].T)
        np.testing.assert_allclose(step.jacobian_product, step.jacobian.T @ step.delta)
        np.testing.assert_allclose(step.weight_gradient, np.outer(step.delta, step.activation_input))
    for upper, lower in zip(trace.steps, trace.steps[1:]):
        np.testing.assert_allclose(upper.delta_previous, upper.jacobian_product * upper.local_derivative)
        np.testing.assert_allclose(upper.delta_previous, lower.delta)
    assert trace.steps[-1].local_derivative is None and trace.steps[-1].delta_previous is None
    np.testing.assert_allclose(trace.steps[-1].activation_input, X[5])


def test_backward_trace_averages_to_the_gradient(small):
    X, y = small
    model = MLP((3,), activation="sigmoid", epochs=5).fit(X, y)
    mean_dW = np.mean([model.backward_trace(X, y, i).steps[-1].weight_gradient for i in range(len(X))], axis=0)
    np.testing.assert_allclose(mean_dW.T, model.gradients(X, y)[0].dW, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL)


def test_divergence_stops_training_and_suggests_a_smaller_rate(circles):
    X, y = circles
    model = MLP(activation="linear", optimizer="momentum", learning_rate=1e4, epochs=100)
    with pytest.raises(TrainingDiverged) as info:
        model.fit(X, y)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.suggested_learning_rate == pytest.approx(1e3)
    assert "1000" in str(error) and "learning rate" in str(error)
    assert model.diverged_ and model.n_epochs_ == error.epoch < 100
    assert not math.isfinite(error.loss)
    assert np.all(np.isfinite(model.history_.train_loss))
    assert len(model.history_.epoch) == error.epoch
    with pytest.raises(TrainingDiverged):
        model.train_epochs(X, y, 1)


def test_models_survive_pickle_and_deepcopy(circles):
    X, y = circles
    model = MLP(epochs=10, batch_size=200).fit(X, y)
    for clone in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        np.testing.assert_array_equal(clone.predict_proba(X), model.predict_proba(X))
        clone.train_epochs(X, y, 3)
        assert not np.array_equal(clone.coefs_[0], model.coefs_[0])
    model.train_epochs(X, y, 3)
    np.testing.assert_array_equal(clone.coefs_[0], model.coefs_[0])


def test_logistic_regression_and_float64_training(circles):
    X, y = make_dataset("gaussian", n_samples=200)
    model = MLP((), dtype="float64", epochs=50).fit(X, y)
    assert model.score(X, y) > 0.9
    assert [W.shape for W in model.coefs_] == [(2, 1)]
    single = MLP((), dtype="float32", epochs=50).fit(X, y)
    np.testing.assert_allclose(single.coefs_[0], model.coefs_[0], rtol=1e-3)


@pytest.mark.parametrize(
    "settings",
    [
        {"hidden_layer_sizes": (4, 0)},
        {"hidden_layer_sizes": (65,)},
        {"hidden_layer_sizes": (2,) * 7},
        {"hidden_layer_sizes": "4,3"},
        {"activation": "softmax"},
        {"optimizer": "lbfgs"},
        {"learning_rate": 0},
        {"learning_rate": float("nan")},
        {"l2": -1},
        {"epochs": -1},
        {"epochs": 2.5},
        {"epochs": MAX_TRAINING_EPOCHS + 1},
        {"batch_size": 0},
        {"random_state": -3},
        {"dtype": "float16"},
    ],
)
def test_bad_hyperparameters_raise_readable_errors(circles, settings):
    with pytest.raises(MLPError):
        MLP(**settings).fit(*circles)


def test_fit_trains_as_many_epochs_as_a_run_on_the_page_and_no_more(circles):
    X, y = circles
    model = MLP((3,), epochs=MAX_TRAINING_EPOCHS).fit(X[:40], y[:40])
    assert model.n_epochs_ == MAX_TRAINING_EPOCHS and len(model.history_.epoch) == MAX_TRAINING_EPOCHS + 1
    with pytest.raises(MLPError, match=f"from 0 to {MAX_TRAINING_EPOCHS}"):
        MLP((3,), epochs=MAX_TRAINING_EPOCHS + 1).fit(X[:40], y[:40])


def test_bad_data_raises_readable_errors(circles):
    X, y = circles
    model = MLP(epochs=1)
    with pytest.raises(MLPError, match="0 or 1"):
        model.fit(X, y + 1)
    with pytest.raises(MLPError, match="NaN"):
        model.fit(np.where(np.arange(len(X))[:, None] == 3, np.nan, X), y)
    with pytest.raises(MLPError, match="one label per point"):
        model.fit(X, y[:-1])
    model.fit(X, y)
    with pytest.raises(MLPError, match="2 input features"):
        model.predict(np.ones((3, 3)))
    with pytest.raises(MLPError, match="sample index"):
        model.backward_trace(X, y, sample=len(X))
    with pytest.raises(MLPError, match="no weights"):
        MLP().predict(X)


@pytest.mark.parametrize("name", ["estimator", "calculus", "records", "layers", "work", "validation", "errors",
                                  "update_rules", "features", "sweep", "export", "reference", "answers"])
def test_docstring_examples_hold(name):
    module = importlib.import_module(f"calc_core.mlp.{name}")
    assert doctest.testmod(module).failed == 0, module.__name__


def test_the_package_exports_what_it_lists():
    package = importlib.import_module("calc_core.mlp")
    assert [name for name in package.__all__ if not hasattr(package, name)] == []
