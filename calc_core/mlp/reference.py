"""scikit-learn's ``MLPClassifier`` (``MLPRegressor`` for regression) set up to match :class:`calc_core.mlp.MLP`."""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from calc_core.mlp import MLP
from calc_core.mlp.features import check_features, feature_map

# scikit-learn has no leaky ReLU; plain ReLU is its nearest stand-in.
SKLEARN_ACTIVATIONS = {"relu": "relu", "leaky_relu": "relu", "tanh": "tanh", "sigmoid": "logistic",
                       "linear": "identity"}


def sklearn_equivalent(hidden_layer_sizes, activation: str, optimizer: str, learning_rate: float, l2: float,
                       batch_size: int | None, random_state: int, n_train: int, epochs: int,
                       course_sigmoid_bug: bool = False, features=None,
                       task: str = "binary") -> MLPClassifier | MLPRegressor:
    """An ``MLPClassifier`` (``MLPRegressor`` for ``task="regression"``) set up as our ``MLP``.

    Notes
    -----
    scikit-learn needs a hidden layer (one unit stands in for none). Its L2 term is
    ``alpha / (2 · batch) · ‖W‖²``, so ``alpha = λ · batch`` is our penalty λ/2 ‖W‖².
    Early stopping is off, so it makes exactly ``epochs`` passes. ``course_sigmoid_bug``
    has no counterpart there (scikit-learn's gradients are right) and is ignored;
    ``features`` is applied to the data before it reaches scikit-learn (see
    :func:`compare_with_sklearn`). For two classes ``MLPClassifier`` has one logistic
    output unit, for three or more a softmax layer, as ours; ``MLPRegressor`` has one
    identity output unit and minimises half the mean squared error, as ours does.

    Examples
    --------
    >>> sklearn_equivalent((4, 3), "relu", "adam", 0.05, 0.0, None, 0, 800, 150).max_iter
    150
    """
    batch = min(batch_size or n_train, n_train)
    estimator = MLPRegressor if task == "regression" else MLPClassifier
    return estimator(
        hidden_layer_sizes=tuple(hidden_layer_sizes) or (1,),
        activation=SKLEARN_ACTIVATIONS[activation],
        solver="adam" if optimizer == "adam" else "sgd",
        momentum=0.9 if optimizer == "momentum" else 0.0,
        nesterovs_momentum=False,
        learning_rate_init=learning_rate,
        alpha=l2 * batch,
        batch_size=batch,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        random_state=random_state,
    )


def timed_fit(model, X: np.ndarray, y: np.ndarray) -> tuple[float, str | None]:
    """Fit ``model``; return (seconds, None) or (seconds, the reason it failed)."""
    start = time.perf_counter()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
    except ValueError as exc:
        return time.perf_counter() - start, str(exc)
    return time.perf_counter() - start, None


@dataclass(frozen=True)
class ReferenceRow:
    """One model of the comparison: accuracy, R² for regression (``nan`` if its training failed), and time."""

    model: str
    train_accuracy: float
    test_accuracy: float
    seconds: float
    failure: str | None


def compare_with_sklearn(X_train, y_train, X_test, y_test, settings: dict, epochs: int) -> tuple[ReferenceRow, ...]:
    """Train our network and scikit-learn's on the same data from scratch for ``epochs`` epochs.

    ``settings`` are :class:`~calc_core.mlp.MLP` keyword arguments (without
    ``epochs``). Module-level and picklable, so that a page can run it in the
    killable worker.
    """
    settings = {**MLP().get_params(), **settings}
    settings.pop("epochs")
    features = settings.pop("features")
    sk_settings = {k: v for k, v in settings.items() if k != "dtype"}
    settings["features"] = features
    has_test = X_test is not None and len(X_test) > 0
    ours = MLP(**settings, epochs=epochs)
    theirs = sklearn_equivalent(**sk_settings, n_train=len(y_train), epochs=epochs)
    rows = []
    for name, model, inputs in (("this page (numpy)", ours, lambda X: X),
                                (f"scikit-learn {type(theirs).__name__}", theirs,
                                 lambda X: X if features is None else feature_map(X, check_features(features)))):
        seconds, failure = timed_fit(model, inputs(X_train), y_train)
        rows.append(ReferenceRow(
            name,
            math.nan if failure else float(model.score(inputs(X_train), y_train)),
            math.nan if failure or not has_test else float(model.score(inputs(X_test), y_test)),
            seconds, failure))
    return tuple(rows)
