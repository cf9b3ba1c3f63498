"""Live changes of training settings (MLP.tweak): the weights stay, the next step follows the new settings."""

import pickle

import numpy as np
import pytest

from calc_core.data.datasets import make_dataset
from calc_core.mlp import ADAM_BETA1, ADAM_BETA2, MLP, MLPError, SettingChange

FLOAT32_RTOL = 1e-5  # a float32 step against the same step computed from float64 gradients
FLOAT32_ATOL = 1e-6


@pytest.fixture(scope="module")
def moons():
    return make_dataset("moons", n_samples=120, noise=0.2, random_state=4)


def flat(model):
    return np.concatenate([np.concatenate([W.ravel(), b]) for W, b in zip(model.coefs_, model.intercepts_)])


def flat_gradient(model, X, y):
    return np.concatenate([np.concatenate([g.dW.ravel(), g.db]) for g in model.gradients(X, y)])


def test_a_tweak_keeps_the_weights_and_is_recorded(moons):
    X, y = moons
    model = MLP(epochs=10).fit(X, y)
    before = flat(model)
    model.tweak(learning_rate=0.01, l2=0.001, batch_size=16, optimizer="sgd")
    np.testing.assert_array_equal(flat(model), before)
    assert model.n_epochs_ == 10
    assert model.changes_ == [SettingChange(10, "learning_rate", 0.05, 0.01), SettingChange(10, "l2", 0.0, 0.001),
                              SettingChange(10, "batch_size", None, 16), SettingChange(10, "optimizer", "adam", "sgd")]
    assert pickle.loads(pickle.dumps(model)).changes_ == model.changes_


def test_the_next_sgd_step_uses_the_new_rate_and_l2(moons):
    X, y = moons
    model = MLP(optimizer="sgd", learning_rate=0.5, epochs=5).fit(X, y)
    model.tweak(learning_rate=0.02, l2=0.01)
    theta, g = flat(model), flat_gradient(model, X, y)  # gradients() includes the new L2 term
    model.train_epochs(X, y, 1)
    np.testing.assert_allclose(flat(model), theta - 0.02 * g, rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL)


def test_a_new_optimizer_starts_with_fresh_state(moons):
    X, y = moons
    model = MLP(optimizer="adam", epochs=20).fit(X, y)
    model.tweak(optimizer="momentum", learning_rate=0.1)
    theta, g = flat(model), flat_gradient(model, X, y)
    model.train_epochs(X, y, 1)
    # Zero velocity: the first momentum step is a plain gradient step.
    np.testing.assert_allclose(flat(model), theta - 0.1 * g, rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL)
    model.tweak(optimizer="adam", learning_rate=0.01)
    theta, g = flat(model), flat_gradient(model, X, y)
    model.train_epochs(X, y, 1)
    # Zero moments and t = 1: m = (1 - b1) g, v = (1 - b2) g^2, step = lr sqrt(1 - b2) / (1 - b1) m / sqrt(v).
    moved = np.abs(g) > 1e-4
    expected = theta - 0.01 * np.sign(g)
    assert ADAM_BETA1 < 1 and ADAM_BETA2 < 1
    np.testing.assert_allclose(flat(model)[moved], expected[moved], rtol=1e-4, atol=1e-5)


def test_switching_back_before_a_step_keeps_the_state(moons):
    X, y = moons
    straight = MLP(epochs=8).fit(X, y)
    switched = MLP(epochs=4).fit(X, y)
    switched.tweak(optimizer="sgd").tweak(optimizer="adam")
    switched.train_epochs(X, y, 4)
    np.testing.assert_array_equal(flat(switched), flat(straight))


def test_a_batch_size_change_applies_to_the_next_epoch(moons):
    X, y = moons
    model = MLP(epochs=3).fit(X, y).tweak(batch_size=30)
    reference = MLP(epochs=3).fit(X, y)
    reference.batch_size = 30
    model.train_epochs(X, y, 2)
    reference.train_epochs(X, y, 2)
    np.testing.assert_array_equal(flat(model), flat(reference))


@pytest.mark.parametrize("changes, words", [({"hidden_layer_sizes": (2,)}, "cannot change during a run"),
                                            ({"learning_rate": -1.0}, "learning rate"),
                                            ({"optimizer": "rmsprop"}, "Unknown optimizer")])
def test_bad_tweaks_are_refused_and_change_nothing(moons, changes, words):
    X, y = moons
    model = MLP(epochs=2).fit(X, y)
    with pytest.raises(MLPError, match=words):
        model.tweak(**changes)
    assert model.get_params() == MLP(epochs=2).get_params()
    assert model.changes_ == []


def test_validation_leaves_hyperparameters_as_given(moons):
    X, y = moons
    model = MLP(hidden_layer_sizes=[3], epochs=1).fit(X, y)
    assert model.hidden_layer_sizes == [3]
    assert model.coefs_[0].shape == (2, 3)


def test_recording_only_the_last_epoch_trains_the_same_network(moons):
    X, y = moons
    full = MLP(epochs=40, batch_size=32).fit(X, y, X_test=X[:30], y_test=y[:30])
    brief = MLP(epochs=40, batch_size=32).fit(X, y, X_test=X[:30], y_test=y[:30], every_epoch=False)
    np.testing.assert_array_equal(flat(brief), flat(full))
    assert list(brief.history_.epoch) == [0, 40]
    assert brief.history_.record(-1) == full.history_.record(-1)
