"""The backpropagation lesson as a notebook: the page's training run repeated exactly, its curves, its decision
boundary, and scikit-learn's network trained on the same data as the page's reference does.

The training is the page's standalone script (:func:`calc_core.mlp.export.numpy_script`): the data, the
settings with every live change at its epoch, and the same forward and backward passes, so the notebook ends
with exactly the page's weights (on the same numpy and BLAS). Its command-line ``main`` is left out; the
notebook's own cells train, record the curves and draw.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from calc_core.limits import REFERENCE_MAX_WORK
from calc_core.mlp.export import numpy_script
from calc_core.mlp.reference import sklearn_equivalent
from calc_core.mlp.work import training_work
from calc_core.notebooks import code, markdown, notebook

TITLE = "Backpropagation: a small network trained by hand"
POINT = """
A network is a chain of functions, so the derivative of its loss with respect to any weight is a product of
local derivatives, collected from the output back to the input: backpropagation is the chain rule, evaluated
right to left, once per batch. Gradient descent (or momentum, or Adam) then moves every weight against its
gradient. The cells below repeat the page's run with numpy alone, with the same data, settings and floating
point operations, so they end with the same weights, and compare it with scikit-learn's own network
(`MLPClassifier`, or `MLPRegressor` for regression).
"""
_MAIN = "\n\ndef main():"  # where the script's command-line part begins


class NotebookError(ValueError):
    """The run cannot be written as a notebook now (no run yet, or still training)."""


@dataclass(frozen=True)
class BackpropRun:
    """A trained run and its data: what the notebook repeats."""

    model: object  # a trained calc_core.mlp.MLP
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray | None
    y_test: np.ndarray | None
    reference_epochs: int  # epochs the page's scikit-learn reference trains


def settings_of(settings: Mapping) -> BackpropRun:
    """The run the page shows at the click: ``settings["current"]`` is the page's holder of its latest view."""
    view = settings["current"].view
    if view is None:
        raise NotebookError("There is no training run to write as a notebook yet.")
    if view.run.running:
        raise NotebookError("Pause the training to download its notebook.")
    model = copy.deepcopy(view.model)
    split = view.split
    has_test = len(split.y_test) > 0
    epoch_work = training_work(len(split.y_train), view.layer_sizes, view.live["batch_size"], 1)
    return BackpropRun(model, split.X_train, split.y_train, split.X_test if has_test else None,
                       split.y_test if has_test else None,
                       max(1, min(view.controls.target, REFERENCE_MAX_WORK // epoch_work)))


def reference_estimator(run: BackpropRun):
    """scikit-learn's network set up as the page's reference comparison sets it up, for the current settings."""
    params = dict(run.model.get_params())
    for name in ("epochs", "features", "dtype"):
        params.pop(name, None)
    return sklearn_equivalent(**params, n_train=len(run.y_train), epochs=run.reference_epochs)


def _constructor(estimator) -> str:
    """``MLPClassifier(...)`` with the settings that differ from scikit-learn's defaults."""
    defaults = type(estimator)().get_params()
    given = {k: v for k, v in estimator.get_params().items() if defaults.get(k) != v or k == "random_state"}
    arguments = ",\n    ".join(f"{k}={v!r}" for k, v in sorted(given.items()))
    return f"{type(estimator).__name__}(\n    {arguments},\n)"


def score_name(task: str) -> str:
    """What the run's second number measures: R² for regression, else the accuracy."""
    return "R^2" if task == "regression" else "accuracy"


def build(settings: Mapping | BackpropRun):
    """The notebook of the page's run."""
    run = settings_of(settings) if isinstance(settings, Mapping) else settings
    script = numpy_script(run.model, run.X_train, run.y_train, run.X_test, run.y_test)
    if _MAIN not in script:
        raise NotebookError("The exported script has no main function to leave out.")
    definitions = script[:script.index(_MAIN)].rstrip()
    task = run.model.get_params().get("task", "binary")
    estimator = reference_estimator(run)
    n_features = run.X_train.shape[1]
    return notebook(TITLE, POINT, [
        markdown("## The run\n\nThe page's data (as base64 text, bit for bit), its settings with each live change "
                 "at its epoch, and the network's forward and backward passes. Nothing runs yet: this cell only "
                 "defines."),
        code(definitions),
        markdown("## Train, recording the curves\n\n`train()` measures the training loss with "
                 "`loss_and_accuracy` after every epoch. The cell wraps that function so that each measurement "
                 "is also recorded, with the test data's beside it: the curves the page draws."),
        code(_TRAIN.replace("LABEL_DTYPE", '"<f8"' if task == "regression" else "np.uint8")
             .replace("SCORE_NAME", repr(score_name(task)))),
        code(_CURVES),
        markdown("## The decision boundary\n\n" + (
            "The network's prediction over the plane of the two input coordinates, with the training points."
            if n_features == 2 else
            f"The network's prediction over the plane of the first two of the data's {n_features} columns, the "
            "others held at their training median, with the training points seen from that plane.")),
        code(_BOUNDARY.replace("TASK_NAME", repr(task))),
        markdown(f"## Reference: scikit-learn\n\nscikit-learn's network with the same architecture and training "
                 f"set-up, trained from scratch for {run.reference_epochs} epochs as the page's reference "
                 f"comparison does (its weights start differently, so the numbers are close, not equal)."),
        code(f"from sklearn.neural_network import {type(estimator).__name__}\n\n"
             f"reference = {_constructor(estimator)}\n" + _REFERENCE),
    ])


_TRAIN = """
import base64

measure = loss_and_accuracy  # the script's own measurement
SCORE = SCORE_NAME  # what the second number measures
curves = []  # per epoch: training loss and accuracy, test loss and accuracy


def raw(data):
    \"\"\"The points and labels as stored (before the input features and the network's number type).\"\"\"
    points, labels = data
    X = np.frombuffer(base64.b64decode(points), dtype="<f8").reshape(-1, N_FEATURES)
    return X, np.frombuffer(base64.b64decode(labels), dtype=LABEL_DTYPE)


test_data = decode(TEST) if TEST is not None else None


def loss_and_accuracy(params, X, y):
    values = measure(params, X, y)
    tested = measure(params, *test_data) if test_data is not None else (math.nan, math.nan)
    curves.append((*values, *tested))
    return values


params = train()
loss_and_accuracy = measure
curves = np.array(curves).reshape(-1, 4)
train_loss, train_accuracy = loss_and_accuracy(params, *decode(TRAIN))
print("epochs =", EPOCHS)
print("final training loss =", repr(train_loss))
print(f"final training {SCORE} =", repr(train_accuracy))
if test_data is not None:
    test_loss, test_accuracy = loss_and_accuracy(params, *test_data)
    print("final test loss =", repr(test_loss))
    print(f"final test {SCORE} =", repr(test_accuracy))
print("sum of the weights =", repr(float(sum(block.astype(np.float64).sum() for block in params))))
"""

_CURVES = """
import matplotlib.pyplot as plt

epochs = np.arange(1, len(curves) + 1)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.plot(epochs, curves[:, 0], label="training")
right.plot(epochs, curves[:, 1], label="training")
if test_data is not None:
    left.plot(epochs, curves[:, 2], label="test")
    right.plot(epochs, curves[:, 3], label="test")
left.set(title="Loss", xlabel="epoch")
right.set(title="Accuracy (R² for regression)", xlabel="epoch")
left.legend()
right.legend()
plt.show()
"""

_BOUNDARY = """
TASK_KIND = TASK_NAME
points, labels = raw(TRAIN)
lo, hi = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
pad = 0.1 * (hi - lo)
gx, gy = np.meshgrid(np.linspace(lo[0] - pad[0], hi[0] + pad[0], 200), np.linspace(lo[1] - pad[1], hi[1] + pad[1], 200))
grid = np.tile(np.median(points, axis=0), (gx.size, 1))  # every other column at its median
grid[:, 0], grid[:, 1] = gx.ravel(), gy.ravel()
inputs = grid if FEATURES is None else feature_map(grid, FEATURES)
z = forward(params, inputs.astype(DTYPE), ACTIVATION)[1].astype(np.float64)
if TASK_KIND == "multiclass":
    surface = np.argmax(z, axis=0)
elif TASK_KIND == "regression":
    surface = z.reshape(-1)
else:
    surface = (z.reshape(-1) > 0).astype(float)
fig, ax = plt.subplots(figsize=(6, 6))
levels = 20 if TASK_KIND == "regression" else np.arange(-0.5, max(2, N_OUTPUTS))  # one band per class
ax.contourf(gx, gy, surface.reshape(gx.shape), levels=levels, cmap="coolwarm", alpha=0.4)
ax.scatter(points[:, 0], points[:, 1], c=labels, cmap="coolwarm", s=8, edgecolors="none")
ax.set(xlabel="column 1", ylabel="column 2", title="Decision boundary after training")
plt.show()
"""


_REFERENCE = """
import warnings

X_raw, y_raw = raw(TRAIN)
features_of = (lambda X: X) if FEATURES is None else (lambda X: feature_map(X, FEATURES))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # it stops at max_iter on purpose: the same number of epochs as the page
    reference.fit(features_of(X_raw), y_raw)
print("scikit-learn training score =", repr(float(reference.score(features_of(X_raw), y_raw))))
if TEST is not None:
    X_test_raw, y_test_raw = raw(TEST)
    print("scikit-learn test score =", repr(float(reference.score(features_of(X_test_raw), y_test_raw))))
"""
