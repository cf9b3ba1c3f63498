"""Checks on what a network is given: numbers, whole numbers, points and their labels."""

from __future__ import annotations

import math

import numpy as np

from calc_core.mlp.errors import MLPError

__all__ = ["MAX_CLASSES", "TASKS", "check_data", "check_points", "is_number", "is_whole"]

#: The problems a network solves: two classes (sigmoid output, cross-entropy), three or more classes
#: (softmax output, cross-entropy) and regression (linear output, squared error).
TASKS = ("binary", "multiclass", "regression")
MAX_CLASSES = 10


def is_number(value):
    """True for a finite int or float (numpy's included), not a bool."""
    return (
        isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def is_whole(value):
    """True for an int (numpy's included), not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_points(X, n_features=None, what=""):
    """``X`` as a float64 table of finite numbers, one row per point.

    Parameters
    ----------
    X : array_like, shape (n, d)
        The points; ``n`` must be at least 1.
    n_features : int, optional
        The number of columns ``d`` the network expects.
    what : str
        A word naming the points in messages, with a trailing space (``"test "``).

    Returns
    -------
    ndarray of float64, shape (n, d)

    Raises
    ------
    MLPError
        Not numbers, not a non-empty table, NaN or infinite values, or the wrong number of columns.
    """
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise MLPError(f"The {what}points must be numbers.") from None
    if X.ndim != 2 or len(X) == 0:
        raise MLPError(f"The {what}points must form a non-empty table, one row per point.")
    if not np.all(np.isfinite(X)):
        raise MLPError(f"The {what}points contain NaN or infinite values.")
    if n_features is not None and X.shape[1] != n_features:
        raise MLPError(f"The network expects {n_features} input features, got {X.shape[1]}.")
    return X


def check_data(X, y, what="", task="binary"):
    """Points as in :func:`check_points` and their labels (int64) or regression targets (float64).

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
        One label per point: 0 or 1 (``task="binary"``), a class number from 0
        to ``MAX_CLASSES - 1`` (``"multiclass"``), or a finite number
        (``"regression"``).
    what : str
        A word naming the data in messages, with a trailing space (``"test "``).
    task : {"binary", "multiclass", "regression"}

    Returns
    -------
    X : ndarray of float64, shape (n, d)
    y : ndarray of int64 (float64 for regression), shape (n,)

    Raises
    ------
    MLPError
        Bad points, no labels, not one label per point, or labels the task cannot take.
    """
    X = check_points(X, what=what)
    if y is None:
        raise MLPError(f"The {what}points need labels.")
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(X):
        raise MLPError(f"Give exactly one {what}label per point ({len(X)} points, {y.size} labels).")
    if task == "regression":
        try:
            y = y.astype(np.float64)
        except (TypeError, ValueError):
            raise MLPError(f"The {what}targets must be numbers.") from None
        if not np.all(np.isfinite(y)):
            raise MLPError(f"The {what}targets contain NaN or infinite values.")
        return X, y
    if task == "multiclass":
        if y.dtype.kind not in "iuf" or not np.all((y >= 0) & (y < MAX_CLASSES) & (y == np.round(y))):
            raise MLPError(f"The {what}labels must be class numbers from 0 to {MAX_CLASSES - 1}.")
        return X, y.astype(np.int64)
    if not np.all((y == 0) | (y == 1)):
        raise MLPError(f"The {what}labels must be 0 or 1.")
    return X, y.astype(np.int64)
