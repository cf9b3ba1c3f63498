"""calc_core.mlp.sweep: every run of a sweep is the direct fit of its settings; grids, summaries, stops and caps."""

import math

import numpy as np
import pytest

from calc_core.data.datasets import make_dataset, split_dataset
from calc_core.mlp import MLP, training_work
from calc_core.mlp.sweep import (
    SweepError,
    combine,
    sweep,
    sweep_grid,
    sweep_settings,
    sweep_work,
)

SETTINGS = {"hidden_layer_sizes": (4, 3), "activation": "relu", "optimizer": "adam"}


@pytest.fixture(scope="module")
def split():
    X, y = make_dataset("circles", n_samples=300, random_state=5)
    return split_dataset(X, y, test_size=0.25, random_state=5)


def direct(split, settings, seed, epochs):
    model = MLP(**settings, random_state=seed, epochs=epochs)
    return model.fit(split.X_train, split.y_train, X_test=split.X_test, y_test=split.y_test).history_.record(-1)


@pytest.mark.parametrize("parameter, values", [("learning_rate", (0.005, 0.05)), ("l2", (0.0, 0.01)),
                                               ("width", (2, 6)), ("batch_size", (16, 64))])
def test_every_run_is_the_direct_fit_of_its_settings(split, parameter, values):
    result = sweep(split.X_train, split.y_train, split.X_test, split.y_test, SETTINGS, parameter, values, (0, 3), 12,
                   layer=2)
    assert result.complete and len(result.runs) == 4
    for run in result.runs:
        expected = direct(split, sweep_settings(SETTINGS, parameter, run.value, layer=2), run.seed, 12)
        assert (run.train_loss, run.train_accuracy, run.test_loss, run.test_accuracy) == (
            expected.train_loss, expected.train_accuracy, expected.test_loss, expected.test_accuracy)
    if parameter == "width":
        assert sweep_settings(SETTINGS, "width", 6, layer=2)["hidden_layer_sizes"] == (4, 6)


def test_summary_is_the_mean_and_range_over_seeds(split):
    result = sweep(split.X_train, split.y_train, split.X_test, split.y_test, SETTINGS, "learning_rate",
                   (0.01, 0.1), (0, 1, 2), 10)
    summary = result.summary("test_accuracy")
    for i, value in enumerate((0.01, 0.1)):
        scores = [r.test_accuracy for r in result.runs if r.value == value]
        assert summary.values[i] == value
        assert summary.mean[i] == pytest.approx(np.mean(scores))
        assert (summary.low[i], summary.high[i]) == (min(scores), max(scores))


def test_diverged_runs_count_as_missing(split):
    settings = {"activation": "linear", "optimizer": "momentum"}
    result = sweep(split.X_train, split.y_train, None, None, settings, "learning_rate", (0.01, 1e4), (0,), 60)
    ok, blown = result.runs
    assert not ok.diverged and math.isfinite(ok.train_loss)
    assert blown.diverged and math.isnan(blown.train_loss) and math.isnan(ok.test_loss)
    assert math.isnan(result.summary("train_loss").mean[1])


def test_a_callback_can_stop_a_sweep_and_parts_combine(split):
    seen = []
    grid = (0.01, 0.02, 0.05)
    first = sweep(split.X_train, split.y_train, None, None, SETTINGS, "learning_rate", grid, (0,), 3,
                  callback=lambda done, total: seen.append((done, total)) or done == 1)
    assert seen == [(1, 3)] and not first.complete and {r.value for r in first.runs} == {0.01}
    assert list(first.summary("train_loss").values) == [0.01]
    rest = sweep(split.X_train, split.y_train, None, None, SETTINGS, "learning_rate", grid[1:], (0,), 3)
    whole = combine([first, rest], grid)
    assert whole.complete and [r.value for r in whole.runs] == list(grid)
    assert not combine([first], grid).complete


def test_grids():
    assert sweep_grid("learning_rate", 1e-3, 1.0, 7) == (0.001, 0.00316, 0.01, 0.0316, 0.1, 0.316, 1.0)
    assert sweep_grid("width", 1, 64, 3) == (1, 32, 64)
    assert sweep_grid("width", 1, 3, 9) == (1, 2, 3)  # whole numbers, no repeats
    assert sweep_grid("l2", 1e-4, 1e-2, 3) == (1e-4, 1e-3, 1e-2)


@pytest.mark.parametrize("call, words", [
    (lambda: sweep_grid("momentum", 1, 2, 3), "Sweep one of"),
    (lambda: sweep_grid("learning_rate", 1.0, 0.1, 3), "first smaller"),
    (lambda: sweep_grid("learning_rate", 0.1, 1.0, 100), "2 to"),
    (lambda: sweep_settings({"hidden_layer_sizes": ()}, "width", 3), "needs a hidden layer"),
    (lambda: sweep_settings({"hidden_layer_sizes": (3,)}, "width", 500), "1 to 64"),
])
def test_bad_sweeps_are_refused_in_words(call, words):
    with pytest.raises(SweepError, match=words):
        call()


def test_work_adds_up_the_runs():
    values, seeds = (2, 8), (0, 1, 2)
    expected = sum(3 * training_work(600, (2, 4, w, 1), 32, 150) for w in values)
    settings = {**SETTINGS, "batch_size": 32}
    assert sweep_work(600, 2, settings, "width", values, seeds, 150, layer=2) == expected
