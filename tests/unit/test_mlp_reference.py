"""The scikit-learn twin matches our network's set-up and learns the same task."""

import numpy as np

from calc_core.datasets import make_dataset
from calc_core.mlp import MLP
from calc_core.mlp_reference import sklearn_equivalent, timed_fit

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
