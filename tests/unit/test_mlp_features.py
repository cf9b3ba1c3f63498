"""calc_core.mlp.features: the feature map against direct formulas, and networks that use it against direct fits."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from calc_core.data.datasets import make_dataset
from calc_core.mlp import GRADIENT_CHECK_TOLERANCE, MLP
from calc_core.mlp.features import DEFAULT_FEATURES, FEATURES, FeatureError, check_features, feature_map

CIRCLE_FEATURES = ("x1^2", "x2^2")
LINEAR_CIRCLES_MAX = 0.7  # a straight line cannot separate concentric circles
QUADRATIC_CIRCLES_MIN = 0.95
SKLEARN_AGREEMENT = 0.02  # accuracy of our logistic regression against scikit-learn's on the same features


@pytest.fixture(scope="module")
def circles():
    return make_dataset("circles", n_samples=400, random_state=1)


def test_every_feature_is_its_formula():
    X = np.array([[0.5, -2.0], [3.0, 0.25], [-1.5, 1.0]])
    x1, x2 = X[:, 0], X[:, 1]
    expected = np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)])
    np.testing.assert_array_equal(feature_map(X, FEATURES), expected)
    np.testing.assert_array_equal(feature_map(X, DEFAULT_FEATURES), X)


def test_features_come_in_a_fixed_order_without_repeats():
    assert check_features(["sin(x2)", "x1", "x1"]) == ("x1", "sin(x2)")
    assert check_features("x1*x2") == ("x1*x2",)


@pytest.mark.parametrize("names, words", [((), "at least one"), (("x3",), "Unknown input feature"),
                                          (("x1", "<b>" * 30), "Unknown input feature"), (5, "by name")])
def test_bad_choices_are_refused_in_words(names, words):
    with pytest.raises(FeatureError, match=words):
        check_features(names)


def test_a_network_with_features_is_the_network_on_the_mapped_points(circles):
    X, y = circles
    features = ("x1", "x1*x2", "sin(x2)")
    mapped = MLP(hidden_layer_sizes=(5,), epochs=30, features=features).fit(X, y)
    direct = MLP(hidden_layer_sizes=(5,), epochs=30).fit(feature_map(X, features), y)
    for ours, theirs in zip(mapped.coefs_, direct.coefs_, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(mapped.predict_proba(X), direct.predict_proba(feature_map(X, features)))
    assert mapped.n_features_in_ == 2 and mapped.n_inputs_ == 3 and mapped.coefs_[0].shape == (3, 5)


def test_squares_let_logistic_regression_separate_circles_like_scikit_learn(circles):
    X, y = circles
    linear = MLP(hidden_layer_sizes=(), epochs=300).fit(X, y).score(X, y)
    quadratic = MLP(hidden_layer_sizes=(), epochs=300, features=CIRCLE_FEATURES).fit(X, y).score(X, y)
    reference = LogisticRegression(C=1e6).fit(feature_map(X, CIRCLE_FEATURES), y).score(
        feature_map(X, CIRCLE_FEATURES), y)
    assert linear < LINEAR_CIRCLES_MAX
    assert quadratic > QUADRATIC_CIRCLES_MIN
    assert abs(quadratic - reference) <= SKLEARN_AGREEMENT


def test_gradient_check_and_backward_trace_follow_the_features(circles):
    X, y = circles
    features = ("x1", "x2", "x1^2", "sin(x1)")
    model = MLP(hidden_layer_sizes=(3,), epochs=5, features=features, activation="tanh").fit(X, y)
    assert model.gradient_check(X[:12], y[:12]) < GRADIENT_CHECK_TOLERANCE
    trace = model.backward_trace(X, y, 7)
    np.testing.assert_array_equal(trace.x, X[7])
    np.testing.assert_allclose(trace.steps[-1].activation_input, feature_map(X[7:8], features)[0])


def test_features_need_points_of_the_plane():
    X3 = np.zeros((4, 3))
    with pytest.raises(ValueError, match="2 columns"):
        MLP(features=DEFAULT_FEATURES, epochs=1).fit(X3, np.array([0, 1, 0, 1]))
