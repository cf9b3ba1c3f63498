"""Two-dimensional toy datasets for the backpropagation lesson: two classes, three classes and regression.

Every generator returns ``X`` of shape ``(n_samples, 2)`` (float64) and
``y`` of shape ``(n_samples,)``: labels (int64, 0 and 1 for the two-class
sets of :data:`DATASET_NAMES`, 0 to 2 for :data:`MULTICLASS_DATASETS`) or
regression targets (float64, :data:`REGRESSION_DATASETS`). The same
``random_state`` always gives the same points. :data:`DATASET_TASKS` names
each set's problem, as :class:`calc_core.mlp.MLP` takes it (``task``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import make_circles, make_moons

DATASET_NAMES = ("circles", "moons", "xor", "gaussian", "spiral")
#: Three classes: three round blobs, and a spiral of three arms.
MULTICLASS_DATASETS = ("blobs3", "spiral3")
#: Regression targets: TensorFlow Playground's "plane" and "multi-Gaussian".
REGRESSION_DATASETS = ("plane", "multi-gaussian")
ALL_DATASETS = (*DATASET_NAMES, *MULTICLASS_DATASETS, *REGRESSION_DATASETS)
DATASET_TASKS = {**dict.fromkeys(DATASET_NAMES, "binary"), **dict.fromkeys(MULTICLASS_DATASETS, "multiclass"),
                 **dict.fromkeys(REGRESSION_DATASETS, "regression")}
MIN_SAMPLES = 4
MAX_SAMPLES = 100_000
MAX_NOISE = 1.0
MAX_TEST_SIZE = 0.9


class DatasetError(ValueError):
    """A dataset request that cannot be met (unknown name, bad size or noise)."""


@dataclass(frozen=True)
class DataSplit:
    """Training and test part of a labelled dataset.

    Attributes
    ----------
    X_train, y_train : ndarray
        Points ``(n_train, 2)`` and labels ``(n_train,)`` used to fit the model.
    X_test, y_test : ndarray
        Held-out points ``(n_test, 2)`` and labels ``(n_test,)``; empty when
        ``test_size`` is 0.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def make_dataset(name, n_samples=1000, noise=0.1, random_state=0):
    """Generate a point cloud in the plane with labels or regression targets.

    Parameters
    ----------
    name : str
        Shape of the data, one of :data:`ALL_DATASETS`: the two-class
        "circles", "moons", "xor", "gaussian", "spiral"; the three-class
        "blobs3", "spiral3"; the regression sets "plane", "multi-gaussian".
    n_samples : int, default 1000
        Number of points, between ``MIN_SAMPLES`` and ``MAX_SAMPLES``.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise added to each coordinate,
        between 0 and ``MAX_NOISE``.
    random_state : int, default 0
        Seed; the same seed gives the same points.

    Returns
    -------
    X : ndarray, shape (n_samples, 2), float64
    y : ndarray, shape (n_samples,)
        int64 class labels (0 and 1, or 0 to 2), or float64 targets for the
        regression sets.

    Raises
    ------
    DatasetError
        Unknown name, or size or noise out of range.

    Notes
    -----
    - ``circles``: scikit-learn's ``make_circles(factor=0.5)`` (the course's
      data): class 0 on the unit circle, class 1 on the circle of radius 0.5.
    - ``moons``: scikit-learn's ``make_moons``, two interleaved half circles.
    - ``xor``: points uniform in the square :math:`[-1, 1]^2`, labelled 1 when
      :math:`x_1 x_2 > 0` (first and third quadrant), then noise is added.
    - ``gaussian``: two round blobs centred at :math:`(-1, -1)` (class 0) and
      :math:`(1, 1)` (class 1) with standard deviation :math:`0.5 +` ``noise``.
    - ``spiral``: two arms :math:`r(\\cos\\theta, \\sin\\theta)` with
      :math:`r \\in [0.05, 1]`, :math:`\\theta = 3.5\\pi r + k\\pi` for class
      :math:`k`, then noise is added.

    - ``blobs3``: three round blobs of standard deviation :math:`0.3 +`
      ``noise`` centred at :math:`(\\cos\\phi_k, \\sin\\phi_k)` for
      :math:`\\phi_k = \\pi/2 + 2\\pi k/3`, class :math:`k`.
    - ``spiral3``: three arms as in ``spiral``, with
      :math:`\\theta = 3.5\\pi r + 2\\pi k/3` for class :math:`k`.
    - ``plane`` (TensorFlow Playground's regression "plane"): points uniform
      in :math:`[-1, 1]^2`, target :math:`0.6\\,(x_1 + x_2)` evaluated at the
      point moved by uniform noise of half-width ``noise`` in each coordinate
      (Playground's :math:`(x + y)/10` on :math:`[-6, 6]^2`, rescaled).
    - ``multi-gaussian`` (Playground's "multi-Gaussian"): points uniform in
      :math:`[-1, 1]^2`; six bumps at :math:`(\\pm 2/3, \\pm 5/12)` and
      :math:`(0, \\pm 5/12)` with signs alternating, each
      :math:`\\pm\\max(0, 1 - 3d)` at distance :math:`d`; the target is the
      bump of largest magnitude, evaluated at the noisy point as in ``plane``.

    Except in ``xor``, where the quadrant decides, and the regression sets,
    the classes are balanced (``n_samples // 2`` and the rest; thirds for
    three classes). The points come in random order, so any prefix is a fair
    sample.

    Examples
    --------
    >>> X, y = make_dataset("circles", n_samples=6, random_state=1)
    >>> X.shape, sorted(set(y.tolist()))
    ((6, 2), [0, 1])
    """
    _check_request(name, n_samples, noise, random_state)
    n_samples = int(n_samples)
    noise = float(noise)
    if name == "circles":
        X, y = make_circles(n_samples, factor=0.5, noise=noise, random_state=random_state)
    elif name == "moons":
        X, y = make_moons(n_samples, noise=noise, random_state=random_state)
    else:
        rng = np.random.default_rng(random_state)
        X, y = _GENERATORS[name](rng, n_samples, noise)
    y_dtype = np.float64 if DATASET_TASKS[name] == "regression" else np.int64
    return np.ascontiguousarray(X, dtype=np.float64), np.asarray(y, dtype=y_dtype)


def split_dataset(X, y, test_size=0.2, random_state=0):
    """Split labelled points into a training and a test part, class by class.

    Parameters
    ----------
    X : array_like, shape (n, 2)
    y : array_like, shape (n,)
    test_size : float, default 0.2
        Share of each class held out for testing, between 0 and
        ``MAX_TEST_SIZE``. With 0 the test part is empty.
    random_state : int, default 0
        Seed of the shuffle.

    Returns
    -------
    DataSplit

    Notes
    -----
    The split is stratified: a class with :math:`n_c` points gives
    :math:`\\operatorname{round}(n_c \\cdot \\text{test\\_size})` of them to the
    test part, but always keeps at least one for training. Regression targets
    (``y`` of a float dtype) are split at random as one group, with the same rule.
    Within each part the points keep their original order.

    Examples
    --------
    >>> X, y = make_dataset("moons", n_samples=10)
    >>> split = split_dataset(X, y, test_size=0.2)
    >>> len(split.y_train), len(split.y_test)
    (8, 2)
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
        raise DatasetError("X must be a table of points with one label in y per point.")
    if not 0.0 <= float(test_size) <= MAX_TEST_SIZE:
        raise DatasetError(f"The test share must lie between 0 and {MAX_TEST_SIZE}, got {test_size}.")
    rng = np.random.default_rng(random_state)
    is_test = np.zeros(len(y), dtype=bool)
    groups = [np.arange(len(y))] if y.dtype.kind == "f" else [np.flatnonzero(y == label) for label in np.unique(y)]
    for members in groups:
        n_test = min(round(len(members) * float(test_size)), len(members) - 1)
        is_test[rng.permutation(members)[:n_test]] = True
    return DataSplit(X[~is_test], y[~is_test], X[is_test], y[is_test])


def _check_request(name, n_samples, noise, random_state):
    if name not in ALL_DATASETS:
        raise DatasetError(f"Unknown dataset {name!r}; choose one of {', '.join(ALL_DATASETS)}.")
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise DatasetError(f"The number of samples must be a whole number, got {n_samples!r}.")
    if not MIN_SAMPLES <= n_samples <= MAX_SAMPLES:
        raise DatasetError(f"The number of samples must lie between {MIN_SAMPLES} and {MAX_SAMPLES}, got {n_samples}.")
    is_number = isinstance(noise, (int, float, np.integer, np.floating)) and not isinstance(noise, bool)
    if not (is_number and np.isfinite(noise) and 0.0 <= noise <= MAX_NOISE):
        raise DatasetError(f"The noise must lie between 0 and {MAX_NOISE}, got {noise}.")
    if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)) or random_state < 0:
        raise DatasetError(f"The seed must be a whole number ≥ 0, got {random_state!r}.")


def _balanced_labels(rng, n_samples):
    y = np.zeros(n_samples, dtype=np.int64)
    y[n_samples // 2 :] = 1
    return rng.permutation(y)


def _xor(rng, n_samples, noise):
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    return X + rng.normal(scale=noise, size=X.shape), y


def _gaussian(rng, n_samples, noise):
    y = _balanced_labels(rng, n_samples)
    centres = np.where(y[:, None] == 1, 1.0, -1.0)
    return centres + rng.normal(scale=0.5 + noise, size=(n_samples, 2)), y


def _spiral(rng, n_samples, noise):
    y = _balanced_labels(rng, n_samples)
    r = rng.uniform(0.05, 1.0, size=n_samples)
    theta = 3.5 * np.pi * r + np.pi * y
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    return X + rng.normal(scale=noise, size=X.shape), y


def _thirds(rng, n_samples):
    return rng.permutation(np.arange(n_samples, dtype=np.int64) * 3 // n_samples)


def _blobs3(rng, n_samples, noise):
    y = _thirds(rng, n_samples)
    phi = np.pi / 2 + 2 * np.pi * y / 3
    centres = np.column_stack([np.cos(phi), np.sin(phi)])
    return centres + rng.normal(scale=0.3 + noise, size=(n_samples, 2)), y


def _spiral3(rng, n_samples, noise):
    y = _thirds(rng, n_samples)
    r = rng.uniform(0.05, 1.0, size=n_samples)
    theta = 3.5 * np.pi * r + 2 * np.pi * y / 3
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    return X + rng.normal(scale=noise, size=X.shape), y


def _noisy_uniform(rng, n_samples, noise):
    """Points uniform in the square, and the same points moved by uniform noise (where the target is read)."""
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    return X, X + rng.uniform(-1.0, 1.0, size=X.shape) * noise


def _plane(rng, n_samples, noise):
    X, at = _noisy_uniform(rng, n_samples, noise)
    return X, 0.6 * (at[:, 0] + at[:, 1])


# Playground's six Gaussians on [-6, 6]^2 (x, y, sign), rescaled to [-1, 1]^2.
_BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def _multi_gaussian(rng, n_samples, noise):
    X, at = _noisy_uniform(rng, n_samples, noise)
    target = np.zeros(n_samples)
    for cx, cy, sign in _BUMPS:
        d = np.hypot(at[:, 0] - cx / 6, at[:, 1] - cy / 6)
        bump = sign * np.clip(1 - 3 * d, 0.0, 1.0)  # Playground: 1 at the centre, 0 from distance 2 (of 6) on
        target = np.where(np.abs(bump) > np.abs(target), bump, target)
    return X, target


_GENERATORS = {"xor": _xor, "gaussian": _gaussian, "spiral": _spiral, "blobs3": _blobs3, "spiral3": _spiral3,
               "plane": _plane, "multi-gaussian": _multi_gaussian}
