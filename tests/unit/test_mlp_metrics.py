"""calc_core.mlp.metrics against scikit-learn: confusion matrices, ROC curves and their area."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as sk

from calc_core.data.datasets import make_dataset, split_dataset
from calc_core.mlp import MLP
from calc_core.mlp.metrics import auc, confusion_matrix, roc_curve


@pytest.fixture(scope="module")
def trained():
    X, y = make_dataset("moons", n_samples=300, noise=0.3, random_state=2)
    parts = split_dataset(X, y, test_size=0.3, random_state=2)
    model = MLP(hidden_layer_sizes=(4,), epochs=20).fit(parts.X_train, parts.y_train)
    return model, parts


def test_confusion_matrix_of_a_trained_network_is_scikit_learns(trained):
    model, parts = trained
    for X, y in ((parts.X_train, parts.y_train), (parts.X_test, parts.y_test)):
        predicted = model.predict(X)
        ours = confusion_matrix(y, predicted, 2)
        np.testing.assert_array_equal(ours, sk.confusion_matrix(y, predicted, labels=[0, 1]))
        assert ours.sum() == len(y)


def test_roc_curve_and_auc_of_a_trained_network_are_scikit_learns(trained):
    model, parts = trained
    score = model.predict_proba(parts.X_test)[:, 1]
    ours = roc_curve(parts.y_test, score)
    fpr, tpr, thresholds = sk.roc_curve(parts.y_test, score, drop_intermediate=False)
    np.testing.assert_allclose(ours.fpr, fpr, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.tpr, tpr, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours.thresholds[1:], thresholds[1:])
    assert ours.thresholds[0] == np.inf
    assert ours.auc == pytest.approx(sk.roc_auc_score(parts.y_test, score), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 6)), min_size=2, max_size=60))
def test_roc_auc_with_ties_matches_scikit_learn(pairs):
    y = np.array([p[0] for p in pairs])
    score = np.array([p[1] for p in pairs], dtype=float) / 6  # few distinct scores: many ties
    if len(set(y)) < 2:
        assert np.isnan(roc_curve(y, score).auc)
        return
    ours = roc_curve(y, score)
    fpr, tpr, _ = sk.roc_curve(y, score, drop_intermediate=False)
    np.testing.assert_allclose(ours.fpr, fpr, atol=1e-12)
    np.testing.assert_allclose(ours.tpr, tpr, atol=1e-12)
    assert ours.auc == pytest.approx(sk.roc_auc_score(y, score), abs=1e-12)


@pytest.mark.filterwarnings("ignore:A single label")
@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda k: st.tuples(
    st.just(k), st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), max_size=50))))
def test_confusion_matrix_of_any_labels_matches_scikit_learn(case):
    k, pairs = case
    y_true = np.array([p[0] for p in pairs], dtype=int)
    y_pred = np.array([p[1] for p in pairs], dtype=int)
    ours = confusion_matrix(y_true, y_pred, k)
    assert ours.shape == (k, k)
    if pairs:
        np.testing.assert_array_equal(ours, sk.confusion_matrix(y_true, y_pred, labels=list(range(k))))
    else:
        assert ours.sum() == 0


def test_auc_of_perfect_and_reversed_scores():
    y = np.array([0, 0, 1, 1])
    assert roc_curve(y, np.array([0.1, 0.2, 0.8, 0.9])).auc == 1.0
    assert roc_curve(y, np.array([0.9, 0.8, 0.2, 0.1])).auc == 0.0
    assert roc_curve(y, np.full(4, 0.5)).auc == 0.5
    assert auc([0, 1], [0, 1]) == 0.5


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        confusion_matrix([0, 1, 2], [0, 1, 1], 2)
    with pytest.raises(ValueError):
        confusion_matrix([0, 1], [0], 2)
    with pytest.raises(ValueError):
        roc_curve([0, 2], [0.1, 0.2])
    with pytest.raises(ValueError):
        roc_curve([0, 1], [0.1, np.nan])


def test_confusion_matrix_of_a_three_class_network_is_scikit_learns():
    X, y = make_dataset("blobs3", n_samples=300, random_state=1)
    parts = split_dataset(X, y, test_size=0.3, random_state=1)
    model = MLP(hidden_layer_sizes=(6,), task="multiclass", epochs=15).fit(parts.X_train, parts.y_train)
    predicted = np.argmax(model.predict_proba(parts.X_test), axis=1)  # as the page predicts
    np.testing.assert_array_equal(predicted, model.predict(parts.X_test))
    np.testing.assert_array_equal(confusion_matrix(parts.y_test, predicted, 3),
                                  sk.confusion_matrix(parts.y_test, predicted, labels=[0, 1, 2]))
