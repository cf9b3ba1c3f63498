"""calc_core.data.datasets against scikit-learn's generators and the defining geometry of each shape."""

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_moons

from calc_core.data.datasets import DATASET_NAMES, DatasetError, DataSplit, make_dataset, split_dataset

RADIUS_ATOL = 1e-12  # noise-free circles lie on their circles up to rounding


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_every_dataset_has_points_labels_and_a_seed(name):
    X, y = make_dataset(name, n_samples=101, noise=0.1, random_state=5)
    assert X.shape == (101, 2) and X.dtype == np.float64 and np.all(np.isfinite(X))
    assert y.shape == (101,) and y.dtype == np.int64 and set(np.unique(y)) == {0, 1}
    again = make_dataset(name, n_samples=101, noise=0.1, random_state=5)
    np.testing.assert_array_equal(X, again[0])
    np.testing.assert_array_equal(y, again[1])
    assert not np.array_equal(X, make_dataset(name, n_samples=101, noise=0.1, random_state=6)[0])


@pytest.mark.parametrize("name", ["circles", "moons", "gaussian", "spiral"])
def test_classes_are_balanced(name):
    y = make_dataset(name, n_samples=101)[1]
    assert sorted(np.bincount(y)) == [50, 51]


def test_circles_are_the_courses_make_circles():
    X, y = make_dataset("circles", n_samples=1000, noise=0.1, random_state=0)
    X_ref, y_ref = make_circles(n_samples=1000, factor=0.5, noise=0.1, random_state=0)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
    X, y = make_dataset("circles", noise=0.0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0, atol=RADIUS_ATOL)
    np.testing.assert_allclose(radius[y == 1], 0.5, atol=RADIUS_ATOL)


def test_moons_are_sklearns():
    X, y = make_dataset("moons", n_samples=300, noise=0.2, random_state=3)
    X_ref, y_ref = make_moons(n_samples=300, noise=0.2, random_state=3)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_noise_free_shapes():
    X, y = make_dataset("xor", n_samples=500, noise=0.0)
    assert np.all(np.abs(X) <= 1)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(int))
    X, y = make_dataset("spiral", n_samples=500, noise=0.0)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.min() >= 0.05 - 1e-12 and radius.max() <= 1 + 1e-12
    # The two arms are the same curve turned by half a turn.
    angle = np.arctan2(X[:, 1], X[:, 0])
    expected = 3.5 * np.pi * radius + np.pi * y
    np.testing.assert_allclose(np.cos(angle - expected), 1.0, atol=1e-9)


def test_gaussian_blobs_sit_at_their_centres():
    X, y = make_dataset("gaussian", n_samples=4000, noise=0.1)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [1, 1], atol=0.05)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-1, -1], atol=0.05)
    np.testing.assert_allclose(X[y == 1].std(axis=0), [0.6, 0.6], rtol=0.06)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "blobs"},
        {"name": "circles", "n_samples": 3},
        {"name": "circles", "n_samples": 10**6},
        {"name": "circles", "n_samples": 10.5},
        {"name": "circles", "n_samples": True},
        {"name": "circles", "noise": -0.1},
        {"name": "circles", "noise": float("nan")},
        {"name": "circles", "noise": 5},
        {"name": "circles", "random_state": -1},
        {"name": "circles", "random_state": 1.5},
    ],
)
def test_bad_requests_raise_readable_errors(kwargs):
    with pytest.raises(DatasetError):
        make_dataset(**kwargs)


def test_split_is_stratified_disjoint_and_seeded():
    X, y = make_dataset("moons", n_samples=101)
    split = split_dataset(X, y, test_size=0.2, random_state=4)
    assert isinstance(split, DataSplit)
    assert len(split.y_test) == round(50 * 0.2) + round(51 * 0.2)
    assert len(split.y_train) + len(split.y_test) == 101
    for label in (0, 1):
        assert abs(np.mean(split.y_test == label) - np.mean(y == label)) < 0.05
    together = np.vstack([split.X_train, split.X_test])
    assert sorted(map(tuple, together)) == sorted(map(tuple, X))
    again = split_dataset(X, y, test_size=0.2, random_state=4)
    np.testing.assert_array_equal(split.X_test, again.X_test)
    assert not np.array_equal(split.X_test, split_dataset(X, y, test_size=0.2, random_state=5).X_test)


def test_split_edge_cases():
    X, y = make_dataset("xor", n_samples=20)
    empty = split_dataset(X, y, test_size=0)
    assert len(empty.y_test) == 0 and empty.X_test.shape == (0, 2) and len(empty.y_train) == 20
    tiny = split_dataset(X[:4], np.array([0, 1, 1, 1]), test_size=0.9)
    assert 0 in tiny.y_train and 1 in tiny.y_train
    with pytest.raises(DatasetError):
        split_dataset(X, y, test_size=0.95)
    with pytest.raises(DatasetError):
        split_dataset(X, y[:-1])
