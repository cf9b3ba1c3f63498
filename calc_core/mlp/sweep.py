r"""How a trained network depends on one hyperparameter: a sweep over a grid of values.

For each value :math:`v` of the grid and each weight seed :math:`s`, a fresh
network is trained for the same number of epochs with every other setting
fixed, and its final training and test loss and accuracy are kept. The
spread over seeds shows how much of a difference between two values is
chance (the initial weights and the mini-batch order) rather than the
hyperparameter.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from calc_core.mlp import MAX_UNITS, MLP, TrainingDiverged, training_work

#: What a sweep can vary; "width" is the number of units of one hidden layer.
SWEEP_PARAMETERS = ("learning_rate", "l2", "width", "batch_size")
SWEEP_LABELS = {"learning_rate": "learning rate", "l2": "L2 strength λ", "width": "units in a hidden layer",
                "batch_size": "batch size"}
#: Parameters whose grid is spaced evenly on a log scale.
LOG_SCALE = ("learning_rate", "l2", "batch_size")
MAX_GRID = 15
MAX_SEEDS = 5


class SweepError(ValueError):
    """A sweep that cannot be run as asked."""


@dataclass(frozen=True)
class SweepRun:
    """The final metrics of one network of a sweep (``nan`` losses when training diverged)."""

    value: float
    seed: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    diverged: bool


@dataclass(frozen=True)
class SweepSummary:
    """Per grid value: mean, lowest and highest of a metric over the seeds (``nan`` where all diverged)."""

    values: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray


@dataclass(frozen=True)
class SweepResult:
    """The runs of a sweep, value by value, seed by seed.

    ``complete`` is False when the sweep stopped early (``callback`` or a
    budget); ``runs`` then holds the values finished so far.
    """

    parameter: str
    values: tuple
    seeds: tuple
    epochs: int
    runs: tuple[SweepRun, ...]
    complete: bool

    def summary(self, metric: str) -> SweepSummary:
        """Mean and range over seeds of ``metric`` (a field of :class:`SweepRun`) per finished value."""
        done = [v for v in self.values if any(r.value == v for r in self.runs)]
        rows = [np.array([getattr(r, metric) for r in self.runs if r.value == v], dtype=float) for v in done]

        def over_seeds(reduce):
            return np.array([reduce(row) if np.isfinite(row).any() else math.nan for row in rows])

        return SweepSummary(np.array(done, dtype=float), over_seeds(np.nanmean), over_seeds(np.nanmin),
                            over_seeds(np.nanmax))


def sweep_grid(parameter: str, low: float, high: float, n: int) -> tuple:
    """``n`` values from ``low`` to ``high``: log-spaced for rates, L2 and batch sizes, whole numbers where needed.

    Examples
    --------
    >>> sweep_grid("learning_rate", 0.001, 1.0, 4)
    (0.001, 0.01, 0.1, 1.0)
    >>> sweep_grid("width", 1, 9, 5)
    (1, 3, 5, 7, 9)
    >>> sweep_grid("batch_size", 8, 64, 4)
    (8, 16, 32, 64)
    """
    if parameter not in SWEEP_PARAMETERS:
        raise SweepError(f"Sweep one of {', '.join(SWEEP_PARAMETERS)}.")
    if not (isinstance(n, int) and 2 <= n <= MAX_GRID):
        raise SweepError(f"A sweep takes 2 to {MAX_GRID} values.")
    if not (math.isfinite(low) and math.isfinite(high) and 0 < low < high):
        raise SweepError("The range needs two positive numbers, the first smaller than the second.")
    if parameter in LOG_SCALE:
        grid = np.geomspace(low, high, n)
    else:
        grid = np.linspace(low, high, n)
    if parameter in ("width", "batch_size"):
        return tuple(dict.fromkeys(int(round(v)) for v in grid))
    return tuple(float(f"{v:.3g}") for v in grid)


def sweep_settings(settings: dict, parameter: str, value, layer: int = 1) -> dict:
    """``settings`` (MLP keyword arguments) with ``parameter`` set to ``value``.

    ``layer`` (from 1) is the hidden layer whose width a "width" sweep varies.
    """
    changed = dict(settings)
    if parameter == "width":
        sizes = list(settings.get("hidden_layer_sizes", ()))
        if not 1 <= layer <= len(sizes):
            raise SweepError("A width sweep needs a hidden layer: the network has none by that number.")
        if not 1 <= value <= MAX_UNITS:
            raise SweepError(f"Layer widths go from 1 to {MAX_UNITS} units.")
        sizes[layer - 1] = int(value)
        changed["hidden_layer_sizes"] = tuple(sizes)
    elif parameter in SWEEP_PARAMETERS:
        changed[parameter] = value
    else:
        raise SweepError(f"Sweep one of {', '.join(SWEEP_PARAMETERS)}.")
    return changed


def sweep_work(n_train: int, n_inputs: int, settings: dict, parameter: str, values: Sequence, seeds: Sequence,
               epochs: int, layer: int = 1, n_outputs: int = 1) -> int:
    """Work units of a sweep (see :func:`calc_core.mlp.training_work`), for comparing with a cap.

    ``n_outputs`` is the width of the output layer: 1, or K for K classes.
    """
    total = 0
    for value in values:
        s = sweep_settings(settings, parameter, value, layer)
        sizes = (n_inputs, *s.get("hidden_layer_sizes", ()), n_outputs)
        total += len(seeds) * training_work(n_train, sizes, s.get("batch_size"), epochs)
    return total


def sweep(X_train, y_train, X_test, y_test, settings: dict, parameter: str, values: Sequence, seeds: Sequence,
          epochs: int, layer: int = 1, callback: Callable[[int, int], bool] | None = None) -> SweepResult:
    """Train a fresh network per value and seed; their final metrics.

    Parameters
    ----------
    X_train, y_train : array_like
        Training data.
    X_test, y_test : array_like or None
        Held-out data; without it the test metrics are ``nan``.
    settings : dict
        :class:`~calc_core.mlp.MLP` keyword arguments shared by every run
        (``random_state`` and ``epochs`` are set per run).
    parameter : str
        One of :data:`SWEEP_PARAMETERS`.
    values, seeds : sequence
        The grid, and the weight seeds trained at every value.
    epochs : int
        Epochs per run.
    layer : int
        Hidden layer of a "width" sweep, from 1.
    callback : callable, optional
        ``callback(done, total)`` after each value; returning True stops the sweep.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> from calc_core.data.datasets import make_dataset
    >>> X, y = make_dataset("circles", n_samples=200)
    >>> result = sweep(X, y, None, None, {}, "learning_rate", (0.001, 0.05), (0, 1), 40)
    >>> [float(round(m, 2)) for m in result.summary("train_accuracy").mean]
    [0.55, 1.0]
    """
    if not seeds or len(seeds) > MAX_SEEDS:
        raise SweepError(f"Use 1 to {MAX_SEEDS} seeds.")
    values = tuple(values)
    checked = [sweep_settings(settings, parameter, value, layer) for value in values]
    has_test = X_test is not None and len(X_test) > 0
    runs = []
    for i, (value, run_settings) in enumerate(zip(values, checked, strict=True)):
        for seed in seeds:
            model = MLP(**{**run_settings, "random_state": int(seed), "epochs": int(epochs)})
            diverged = False
            try:
                model.fit(X_train, y_train, X_test=X_test if has_test else None, y_test=y_test if has_test else None,
                          every_epoch=False)
            except TrainingDiverged:
                diverged = True
            last = model.history_.record(-1)
            nan = math.nan
            runs.append(SweepRun(value, int(seed), nan if diverged else last.train_loss,
                                 nan if diverged else last.train_accuracy, nan if diverged else last.test_loss,
                                 nan if diverged else last.test_accuracy, diverged))
        if callback is not None and callback(i + 1, len(values)) and i + 1 < len(values):
            return SweepResult(parameter, values, tuple(seeds), int(epochs), tuple(runs), False)
    return SweepResult(parameter, values, tuple(seeds), int(epochs), tuple(runs), True)


def combine(parts: Sequence[SweepResult], values: Sequence) -> SweepResult:
    """One result from sweeps of parts of the grid ``values`` (same parameter, seeds and epochs).

    ``complete`` is True when every value of the grid was finished.
    """
    runs = tuple(r for part in parts for r in part.runs)
    first = parts[0]
    done = {r.value for r in runs}
    return SweepResult(first.parameter, tuple(values), first.seeds, first.epochs, runs,
                       all(v in done for v in values))
