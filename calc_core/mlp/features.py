r"""Input features for a network on points of the plane, as in TensorFlow Playground.

A point :math:`(x_1, x_2)` can enter the network through chosen functions of
its coordinates instead of the coordinates alone:

.. math::

    \phi(x) = \big(x_1,\; x_2,\; x_1^2,\; x_2^2,\; x_1 x_2,\; \sin x_1,\; \sin x_2\big)
    \quad\text{(any non-empty subset, in this order).}

With :math:`x_1^2` and :math:`x_2^2` a network without hidden layers (logistic
regression) draws circles: :math:`w_1 x_1^2 + w_2 x_2^2 + b = 0` is an
ellipse. The map is applied before the first layer, so backpropagation, the
gradient check and the exported weights all see :math:`\phi(x)` as the input.
"""

from __future__ import annotations

import numpy as np

#: Every feature, in the order in which chosen features enter the network.
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
#: The coordinates alone: the network sees the plane as it is.
DEFAULT_FEATURES = ("x1", "x2")
#: How each feature is written in formulas (LaTeX).
FEATURE_TEX = {"x1": "x_1", "x2": "x_2", "x1^2": "x_1^2", "x2^2": "x_2^2", "x1*x2": r"x_1 x_2",
               "sin(x1)": r"\sin x_1", "sin(x2)": r"\sin x_2"}


class FeatureError(ValueError):
    """A choice of input features that cannot be used."""


def check_features(names):
    """The chosen features as a tuple in :data:`FEATURES` order; raises :class:`FeatureError`.

    Examples
    --------
    >>> check_features(["x2^2", "x1^2"])
    ('x1^2', 'x2^2')
    """
    if isinstance(names, str):
        names = (names,)
    try:
        chosen = set(names)
    except TypeError:
        raise FeatureError("Choose the input features by name, such as ('x1', 'x2').") from None
    unknown = sorted(str(name) for name in chosen if name not in FEATURES)
    if unknown:
        raise FeatureError(f"Unknown input feature “{unknown[0][:20]}”; choose from {', '.join(FEATURES)}.")
    if not chosen:
        raise FeatureError("Choose at least one input feature.")
    return tuple(name for name in FEATURES if name in chosen)


def feature_map(X, names):
    """The columns ``names`` of :math:`\\phi(x)` for points ``X`` of shape (n, 2); shape (n, len(names)).

    ``names`` must already be checked (:func:`check_features`); the result has
    the dtype of ``X``.

    Examples
    --------
    >>> feature_map(np.array([[2.0, 3.0]]), ("x1", "x1*x2", "x2^2"))
    array([[2., 6., 9.]])
    """
    x1, x2 = X[:, 0], X[:, 1]
    columns = {"x1": x1, "x2": x2, "x1^2": x1 * x1, "x2^2": x2 * x2, "x1*x2": x1 * x2,
               "sin(x1)": np.sin(x1), "sin(x2)": np.sin(x2)}
    return np.column_stack([columns[name] for name in names])
