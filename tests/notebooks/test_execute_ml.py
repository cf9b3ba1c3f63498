"""The optimization, SVM and backpropagation notebooks run in a real kernel and print the page's numbers.

Each case is a page view (its defaults, or the settings of a shared link or an example), written as the
settings the page hands to the download. The notebook runs without its install cell (tests/notebooks/kernel.py);
what it prints is compared with what the page computes for the same settings, through the same calc_core
calls the page makes. The backpropagation notebook repeats the page's run bit for bit: the sum of its
weights is compared exactly, its accuracies too.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from calc_core.data.datasets import make_dataset, split_dataset
from calc_core.expressions import parse_expression
from calc_core.mlp import MLP
from calc_core.mlp.reference import compare_with_sklearn
from calc_core.notebooks import backprop as backprop_notebook
from calc_core.notebooks import optimization as opt_notebook
from calc_core.notebooks import svm as svm_notebook
from calc_core.optimization import (
    analyze_critical_points,
    analyze_critical_points_2d,
    compile_derivatives,
    gradient_descent,
    make_optimizer,
    make_surface,
    run_optimizer,
)
from calc_core.svm import fit_hard_margin, fit_soft_margin, format_points_text, parse_points_text, random_points
from tests.notebooks.kernel import execute

LOCATION_TOL = 1e-6  # critical points: |x_notebook - x_page| <= LOCATION_TOL * (1 + |x|)
PATH_RTOL = 1e-7  # descent paths: the same steps in the same order, up to the last bits of f′
PATH_ATOL = 1e-12
SVM_RTOL = 1e-5  # two solvers (SLSQP and NNLS; libsvm and an interior-point method) on the same problem
LOSS_RTOL = 1e-6  # the page's loss comes from float32 logits, the notebook's from float64

ALL_OPTIMIZERS = {"GD": (0.05,), "Momentum": (0.02, 0.9), "Nesterov": (0.02, 0.9), "RMSProp": (0.02, 0.9),
                  "Adam": (0.1, 0.9, 0.999)}


def _optimizer_settings(chosen: dict[str, tuple[float, ...]]) -> dict:
    from calc_core.optimization import OPTIMIZERS, hyperparameters
    values = {"opt2_methods": list(chosen)}
    for name, settings in chosen.items():
        optimizer = OPTIMIZERS[name]
        values.update({f"opt2_{optimizer.key}_{h.suffix}": v for h, v in zip(hyperparameters(optimizer), settings)})
    return values


# --------------------------------------------------------------------------- optimization, one variable

ONE_VARIABLE = {
    "defaults": {"function": "x^3 - 2x^2 + 1", "window": (-1.0, 2.5), "restrict": False, "opt_x0": 2.0,
                 "opt_lr": 0.1, "opt_steps": 30, "opt_momentum": 0.0},
    "double well with momentum": {"function": "x^4 - 3x^2 + x", "window": (-2.2, 2.2), "restrict": False,
                                  "opt_x0": 2.0, "opt_lr": 0.02, "opt_steps": 120, "opt_momentum": 0.5},
    "sine on the open view": {"function": "sin(x)", "window": (-7.0, 7.0), "restrict": True, "opt_x0": 1.0,
                              "opt_lr": 0.5, "opt_steps": 60, "opt_momentum": 0.0},
    "a corner, abs(x)": {"function": "abs(x)", "window": (-1.0, 1.0), "restrict": False, "opt_x0": 0.55,
                         "opt_lr": 0.1, "opt_steps": 30, "opt_momentum": 0.0},
    "quartic, decided by the fourth derivative": {"function": "x^4", "window": (-1.5, 1.5), "restrict": False,
                                                  "opt_x0": 1.0, "opt_lr": 0.1, "opt_steps": 50,
                                                  "opt_momentum": 0.9},
    "log leaves its domain": {"function": "log(x)", "window": (0.05, 5.0), "restrict": False, "opt_x0": 1.0,
                              "opt_lr": 2.0, "opt_steps": 30, "opt_momentum": 0.0},
}


def _critical_points(numbers: dict[str, float], text: str, variables: str) -> list[tuple]:
    points = []
    i = 1
    while f"x of critical point {i}" in numbers:
        points.append(tuple(numbers[f"{v} of critical point {i}"] for v in variables))
        i += 1
    return points


def _kinds(text: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("critical point ")]


@pytest.mark.parametrize("case", list(ONE_VARIABLE))
def test_one_variable_notebook_prints_the_pages_critical_points_and_descent(case):
    settings = ONE_VARIABLE[case]
    numbers, text = execute(opt_notebook.build(settings))
    expr = parse_expression(settings["function"])
    compiled = compile_derivatives(expr, ("x",))
    lo, hi = settings["window"]
    analysis = analyze_critical_points(expr, "x", settings["window"] if settings["restrict"] else None,
                                       settings["window"], derivatives=compiled)
    page = [(p.x, p.kind) for p in analysis.points if lo <= p.x <= hi]
    ours = [(x, kind) for (x,), kind in zip(_critical_points(numbers, text, "x"), _kinds(text)) if lo <= x <= hi]
    assert [kind for _, kind in ours] == [kind for _, kind in page]
    for (x_nb, _), (x_page, _) in zip(ours, page):
        assert abs(x_nb - x_page) <= LOCATION_TOL * (1 + abs(x_page))
    path = gradient_descent(compiled.gradient[0], settings["opt_x0"], settings["opt_lr"], settings["opt_steps"],
                            settings["opt_momentum"], f=compiled.value)
    assert numbers["steps taken"] == path.steps
    assert numbers["final x"] == pytest.approx(path.points[-1, 0], rel=PATH_RTOL, abs=PATH_ATOL)
    assert numbers["final f(x)"] == pytest.approx(path.losses[-1], rel=PATH_RTOL, abs=PATH_ATOL)


# --------------------------------------------------------------------------- optimization, two variables

TWO_VARIABLES = {
    "defaults": {"function": "x^2 + 10y^2", "x_range": (-3.0, 3.0), "y_range": (-1.5, 1.5), "opt2_x0": -2.5,
                 "opt2_y0": 1.0, "opt2_steps": 200, **_optimizer_settings(ALL_OPTIMIZERS)},
    "Himmelblau": {"function": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "x_range": (-5.0, 5.0), "y_range": (-5.0, 5.0),
                   "opt2_x0": 0.0, "opt2_y0": 0.0, "opt2_steps": 300,
                   **_optimizer_settings({"GD": (0.01,), "Adam": (0.1, 0.9, 0.99)})},
    "Rosenbrock": {"function": "(1 - x)^2 + 100(y - x^2)^2", "x_range": (-2.0, 2.0), "y_range": (-1.0, 3.0),
                   "opt2_x0": -1.5, "opt2_y0": 2.5, "opt2_steps": 500,
                   **_optimizer_settings({"Momentum": (0.001, 0.9), "RMSProp": (0.01, 0.9)})},
}


@pytest.mark.parametrize("case", list(TWO_VARIABLES))
def test_two_variable_notebook_prints_the_pages_critical_points_and_paths(case):
    settings = TWO_VARIABLES[case]
    numbers, text = execute(opt_notebook.build(settings))
    expr = parse_expression(settings["function"], ("x", "y"))
    surface = make_surface(expr, ("x", "y"))
    window = (settings["x_range"], settings["y_range"])
    analysis = analyze_critical_points_2d(expr, ("x", "y"), window, timeout=1.5, surface=surface)
    (x_lo, x_hi), (y_lo, y_hi) = window
    page = sorted((p.x, p.y, p.kind) for p in analysis.points if x_lo <= p.x <= x_hi and y_lo <= p.y <= y_hi)
    ours = sorted((x, y, kind) for (x, y), kind in zip(_critical_points(numbers, text, "xy"), _kinds(text)))
    assert len(ours) == len(page)
    for (x_nb, y_nb, kind_nb), (x_page, y_page, kind_page) in zip(ours, page):
        assert kind_nb == kind_page
        assert abs(x_nb - x_page) <= LOCATION_TOL * (1 + abs(x_page))
        assert abs(y_nb - y_page) <= LOCATION_TOL * (1 + abs(y_page))
    start = (settings["opt2_x0"], settings["opt2_y0"])
    for name in settings["opt2_methods"]:
        chosen = opt_notebook.settings_of(settings)
        values = dict(chosen.optimizers)[name]
        path = run_optimizer(surface.gradient, start, make_optimizer(name, values), settings["opt2_steps"],
                             loss=surface.loss)
        assert numbers[f"{name} steps"] == path.steps, name
        for label, page_value in (("final x", path.points[-1, 0]), ("final y", path.points[-1, 1]),
                                  ("final f", path.losses[-1])):
            assert numbers[f"{name} {label}"] == pytest.approx(page_value, rel=PATH_RTOL, abs=PATH_ATOL), (name, label)


# --------------------------------------------------------------------------- SVM

COURSE_POINTS = "0,0,-1;1,2,1;2,1,1"
SVM_CASES = {
    "course's three points": {"svm_points": COURSE_POINTS, "svm_soft": False, "svm_C": 1.0},
    "course task's six points": {"svm_points": COURSE_POINTS + ";-1,-1,-1;-3,-1,-1;3,3,1", "svm_soft": False,
                                 "svm_C": 1.0},
    "random separable with a soft margin": {
        "svm_points": format_points_text(*random_points(24, separable=True, seed=3)), "svm_soft": True, "svm_C": 1.0},
    "not separable": {"svm_points": format_points_text(*random_points(24, separable=False, seed=3)),
                      "svm_soft": False, "svm_C": 10.0},
}


def _close(value: float, expected: float, scale: float) -> bool:
    return abs(value - expected) <= SVM_RTOL * max(1.0, scale)


@pytest.mark.parametrize("case", list(SVM_CASES))
def test_svm_notebook_prints_the_pages_line_margin_and_multipliers(case):
    settings = SVM_CASES[case]
    numbers, text = execute(svm_notebook.build(settings))
    X, y = parse_points_text(settings["svm_points"])
    hard = fit_hard_margin(X, y)
    if hard.separable:
        a, b, c = hard.abc
        scale = max(abs(a), abs(b), abs(c))
        for name, expected in (("a", a), ("b", b), ("c", c), ("scikit-learn a", a), ("scikit-learn b", b),
                               ("scikit-learn c", c)):
            assert _close(numbers[name], expected, scale), name
        assert numbers["margin"] == pytest.approx(hard.margin, rel=SVM_RTOL)
        assert numbers["a^2 + b^2"] == pytest.approx(hard.objective, rel=SVM_RTOL)
        largest = float(hard.multipliers.max())
        for i, lam in enumerate(hard.multipliers, 1):
            assert _close(numbers[f"lambda {i}"], lam, largest), i
        assert f"points {', '.join(map(str, hard.support_numbers))}" in text
    else:
        assert "No straight line separates the two classes" in text
        assert "a" not in numbers
    if settings["svm_soft"] or not hard.separable:
        soft = fit_soft_margin(X, y, settings["svm_C"])
        a, b, c = soft.abc
        scale = max(abs(a), abs(b), abs(c))
        for name, expected in (("soft a", a), ("soft b", b), ("soft c", c)):
            assert _close(numbers[name], expected, scale), name
        assert _close(numbers["hinge loss"], soft.hinge_loss, soft.hinge_loss)
        for i, lam in enumerate(soft.multipliers, 1):
            assert _close(numbers[f"soft lambda {i}"], lam, settings["svm_C"]), i
    else:
        assert "soft a" not in numbers


# --------------------------------------------------------------------------- backpropagation


def _course_run():
    """The page's defaults: 1 000 circles, 80 % for training, hidden (4, 3) ReLU, Adam, 150 epochs in ticks."""
    X, y = make_dataset("circles", n_samples=1000, noise=0.1, random_state=0)
    split = split_dataset(X, y, test_size=0.2, random_state=0)
    model = MLP(epochs=0).fit(split.X_train, split.y_train)
    for _ in range(30):
        model.train_epochs(split.X_train, split.y_train, 5, X_test=split.X_test, y_test=split.y_test)
    return backprop_notebook.BackpropRun(model, split.X_train, split.y_train, split.X_test, split.y_test, 150)


def _tweaked_run():
    """Moons with extra input features, tanh and mini-batches, and live changes of the optimizer and rate."""
    X, y = make_dataset("moons", n_samples=300, noise=0.2, random_state=4)
    split = split_dataset(X, y, test_size=0.25, random_state=4)
    model = MLP(hidden_layer_sizes=(6,), activation="tanh", optimizer="momentum", learning_rate=0.05, batch_size=32,
                features=("x1", "x2", "x1^2", "x1*x2"), random_state=7, epochs=0).fit(split.X_train, split.y_train)
    model.train_epochs(split.X_train, split.y_train, 20, X_test=split.X_test, y_test=split.y_test)
    model.tweak(optimizer="adam", learning_rate=0.02)
    model.train_epochs(split.X_train, split.y_train, 25, X_test=split.X_test, y_test=split.y_test)
    return backprop_notebook.BackpropRun(model, split.X_train, split.y_train, split.X_test, split.y_test, 45)


def _task_run(dataset: str, task: str):
    """Three classes or a regression on a generated set, with a small hidden layer."""
    X, y = make_dataset(dataset, n_samples=300, noise=0.1, random_state=0)
    split = split_dataset(X, y, test_size=0.2, random_state=0)
    model = MLP(hidden_layer_sizes=(6,), task=task, epochs=0).fit(split.X_train, split.y_train)
    model.train_epochs(split.X_train, split.y_train, 40, X_test=split.X_test, y_test=split.y_test)
    return backprop_notebook.BackpropRun(model, split.X_train, split.y_train, split.X_test, split.y_test, 40)


def _three_column_run():
    """Points with a third column (as an uploaded table may have): the picture holds it at its median."""
    X, y = make_dataset("moons", n_samples=200, noise=0.1, random_state=5)
    X = np.column_stack([X, np.random.default_rng(5).normal(size=len(X))])
    split = split_dataset(X, y, test_size=0.2, random_state=5)
    model = MLP(hidden_layer_sizes=(5,), epochs=0).fit(split.X_train, split.y_train)
    model.train_epochs(split.X_train, split.y_train, 30, X_test=split.X_test, y_test=split.y_test)
    return backprop_notebook.BackpropRun(model, split.X_train, split.y_train, split.X_test, split.y_test, 30)


RUNS = {"three columns": _three_column_run, "course": _course_run, "tweaked": _tweaked_run, "three classes": lambda: _task_run("blobs3", "multiclass"),
        "regression": lambda: _task_run("plane", "regression")}


@pytest.mark.parametrize("case", list(RUNS))
def test_backprop_notebook_repeats_the_pages_run_exactly(case):
    run = RUNS[case]()
    numbers, _ = execute(backprop_notebook.build(run))
    model = run.model
    blocks = [np.hstack([W.T, b[:, None]]) for W, b in zip(model.coefs_, model.intercepts_, strict=True)]
    assert numbers["sum of the weights"] == float(sum(block.astype(np.float64).sum() for block in blocks))
    final = model.history_.record(-1)
    assert numbers["epochs"] == model.n_epochs_
    score = backprop_notebook.score_name(model.get_params()["task"])
    for part, page in (("training", final.train_accuracy), ("test", final.test_accuracy)):
        if score == "accuracy":  # a count over the same predictions
            assert numbers[f"final {part} accuracy"] == page
        else:  # R², a ratio of sums computed in another order
            assert numbers[f"final {part} {score}"] == pytest.approx(page, rel=LOSS_RTOL)
    assert numbers["final training loss"] == pytest.approx(final.train_loss, rel=LOSS_RTOL)
    assert numbers["final test loss"] == pytest.approx(final.test_loss, rel=LOSS_RTOL)
    settings = {k: v for k, v in model.get_params().items() if k != "epochs"}
    ours, theirs = compare_with_sklearn(run.X_train, run.y_train, run.X_test, run.y_test, settings,
                                        run.reference_epochs)
    assert not math.isnan(theirs.train_accuracy)
    assert numbers["scikit-learn training score"] == theirs.train_accuracy
    assert numbers["scikit-learn test score"] == theirs.test_accuracy
