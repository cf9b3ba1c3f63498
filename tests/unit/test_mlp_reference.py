"""The scikit-learn twin matches our network's set-up and learns the same task."""

import numpy as np

from calc_core.data.datasets import make_dataset
from calc_core.mlp import MLP
from calc_core.mlp.reference import compare_with_sklearn, sklearn_equivalent, timed_fit

ACCURACY_GAP = 0.05


def test_twin_mirrors_the_settings():
    twin = sklearn_equivalent((8, 4), "sigmoid", "momentum", 0.1, 0.01, 50, 3, 800, 40)
    assert twin.hidden_layer_sizes == (8, 4) and twin.activation == "logistic"
    assert twin.solver == "sgd" and twin.momentum == 0.9 and twin.batch_size == 50
    assert np.isclose(twin.alpha, 0.5) and twin.max_iter == 40 and twin.random_state == 3


def test_both_reach_similar_accuracy_on_moons():
    X, y = make_dataset("moons", n_samples=400, noise=0.1, random_state=0)
    ours = MLP((16,), activation="tanh", epochs=300, random_state=0).fit(X, y)
    twin = sklearn_equivalent((16,), "tanh", "adam", 0.05, 0.0, None, 0, len(y), 300)
    seconds, failure = timed_fit(twin, X, y)
    assert failure is None and seconds > 0
    assert abs(ours.score(X, y) - twin.score(X, y)) < ACCURACY_GAP


def test_the_comparison_feeds_both_models_the_same_features():
    X, y = make_dataset("circles", n_samples=300, random_state=1)
    settings = {"hidden_layer_sizes": (), "activation": "relu", "optimizer": "adam", "learning_rate": 0.05,
                "l2": 0.0, "batch_size": None, "random_state": 0, "features": ("x1^2", "x2^2")}
    ours, theirs = compare_with_sklearn(X[:200], y[:200], X[200:], y[200:], settings, 200)
    assert ours.failure is None and theirs.failure is None
    direct = MLP(**settings, epochs=200).fit(X[:200], y[:200])
    assert ours.train_accuracy == direct.score(X[:200], y[:200])
    assert ours.test_accuracy == direct.score(X[200:], y[200:])
    # Squares make circles linearly separable for both; on the raw points neither could pass 70 %.
    assert min(ours.test_accuracy, theirs.test_accuracy) > 0.9
    assert abs(ours.train_accuracy - theirs.train_accuracy) < ACCURACY_GAP


def test_a_comparison_without_test_data_has_no_test_accuracy():
    X, y = make_dataset("moons", n_samples=60)
    rows = compare_with_sklearn(X, y, X[:0], y[:0], {"hidden_layer_sizes": (3,)}, 5)
    assert all(np.isnan(row.test_accuracy) and row.train_accuracy > 0 for row in rows)
