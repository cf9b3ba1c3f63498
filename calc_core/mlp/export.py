"""Export a training run: history as CSV, weights as JSON, and a numpy-only script that repeats it.

The script carries the hyperparameters, the training (and test) points and
the same forward and backward passes as :mod:`calc_core.mlp`, written out
plainly. Run with the same numpy on the same machine it ends with exactly the
weights of the exported model.
"""

from __future__ import annotations

import base64
import csv
import inspect
import io
import json
import math
import textwrap
from string import Template

import numpy as np

from calc_core import mlp as _mlp
from calc_core.mlp import readable_passes
from calc_core.mlp.features import check_features, feature_map
from calc_core.mlp.update_rules import UPDATE_RULES


class ExportError(ValueError):
    """The run cannot be exported (no trained network, or data that does not match it)."""


def history_csv(model):
    """The per-epoch history of ``model`` as CSV text.

    Columns: ``epoch, train_loss, train_accuracy, test_loss, test_accuracy``
    (``train_r2`` and ``test_r2`` for a regression network); test cells are
    empty for epochs trained without test data.

    Examples
    --------
    >>> from calc_core.data.datasets import make_dataset
    >>> X, y = make_dataset("moons", n_samples=50)
    >>> text = history_csv(_mlp.MLP(epochs=2).fit(X, y))
    >>> text.splitlines()[0]
    'epoch,train_loss,train_accuracy,test_loss,test_accuracy'
    >>> len(text.splitlines())
    4
    """
    history = _history(model)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    score = "r2" if model.get_params()["task"] == "regression" else "accuracy"
    writer.writerow(["epoch", "train_loss", f"train_{score}", "test_loss", f"test_{score}"])
    for i, epoch in enumerate(history.epoch):
        values = (history.train_loss[i], history.train_accuracy[i], history.test_loss[i], history.test_accuracy[i])
        writer.writerow([int(epoch), *("" if math.isnan(v) else f"{v:.8g}" for v in values)])
    return out.getvalue()


def weights_json(model):
    """The trained network as JSON text: architecture, hyperparameters and every weight.

    Notes
    -----
    ``layers[l]["W"]`` has ``n_in`` rows and ``n_out`` columns and
    ``layers[l]["b"]`` ``n_out`` entries, so that a layer computes
    :math:`z = a W + b` for a row vector :math:`a`; hidden layers apply the
    activation, the output unit the sigmoid, and class 1 is predicted where
    :math:`\\sigma(z) > 0.5`.

    Examples
    --------
    >>> from calc_core.data.datasets import make_dataset
    >>> X, y = make_dataset("moons", n_samples=50)
    >>> data = json.loads(weights_json(_mlp.MLP(hidden_layer_sizes=(3,), epochs=1).fit(X, y)))
    >>> data["layer_sizes"], data["input_features"], len(data["layers"][0]["W"]), len(data["layers"][0]["W"][0])
    ([2, 3, 1], ['column 1', 'column 2'], 2, 3)
    """
    _history(model)
    params = model.get_params()
    task = params["task"]
    document = {
        "model": "multilayer perceptron, " + _MODEL_TEXT[task],
        "task": task,
        "layer_sizes": [model.n_inputs_, *params["hidden_layer_sizes"], model.n_outputs_],
        "input_features": list(params["features"] or (f"column {i + 1}" for i in range(model.n_features_in_))),
        "hidden_activation": params["activation"],
        "convention": "z = a @ W + b for a row vector a; " + _CONVENTION[task],
        "epochs_trained": model.n_epochs_,
        "hyperparameters": params,
        "live_changes": [{"after_epoch": c.epoch, "setting": c.name, "value": c.new} for c in model.changes_],
        "layers": [{"W": W.tolist(), "b": b.tolist()} for W, b in zip(model.coefs_, model.intercepts_, strict=True)],
    }
    return json.dumps(document, indent=1)


_MODEL_TEXT = {"binary": "sigmoid output, binary cross-entropy",
               "multiclass": "softmax output, cross-entropy",
               "regression": "linear output, squared error"}
_CONVENTION = {"binary": "class 1 where sigmoid(z_out) > 0.5",
               "multiclass": "the class of the largest z_out (softmax(z_out) are the probabilities)",
               "regression": "the prediction is z_out"}
_SCRIPT_TEXT = {
    "binary": ("a sigmoid output unit, binary\ncross-entropy", "accuracy"),
    "multiclass": ("{K} softmax output units,\ncross-entropy with one-hot targets", "accuracy"),
    "regression": ("a linear output unit,\nhalf the squared error", "R^2"),
}


def numpy_script(model, X, y, X_test=None, y_test=None):
    """A standalone Python script (numpy only) that repeats the training run of ``model``.

    Parameters
    ----------
    model : MLP
        A trained model; the script trains ``model.n_epochs_`` epochs.
    X, y : array_like
        The training data the model was trained on (embedded in the script).
    X_test, y_test : array_like, optional
        Test data, embedded to report the test accuracy.

    Returns
    -------
    str
        Python source. ``python script.py`` prints the final loss and
        accuracy (R² for regression); ``--save-weights FILE`` also writes the
        weights in the format of :func:`weights_json` (``layers`` only).

    Notes
    -----
    The points are stored in the script as base64 text of their float64
    binary values, so any data (including an uploaded CSV) is reproduced bit
    for bit; the script computes the input features from them as the model
    does. Live changes of the training settings (``model.changes_``) are
    replayed at the epochs where they were made. The passes are those of :mod:`calc_core.mlp`
    written for readability, with the same floating-point operations in the
    same order, so the final weights agree exactly when numpy and the BLAS
    library are the same.

    Examples
    --------
    >>> from calc_core.data.datasets import make_dataset
    >>> X, y = make_dataset("xor", n_samples=40)
    >>> source = numpy_script(_mlp.MLP(epochs=3).fit(X, y), X, y)
    >>> compile(source, "reproduce.py", "exec") is not None
    True
    """
    _history(model)
    params = model.get_params()
    dtype = np.dtype(params["dtype"])
    task = params["task"]
    X, y = _data(model, X, y, "training")
    test = "None"
    if X_test is not None and len(X_test):
        X_test, y_test = _data(model, X_test, y_test, "test")
        test = _encode(X_test, y_test, task)
    output_text, score_name = _SCRIPT_TEXT[task]
    start = _starting_settings(model)
    batch = start["batch_size"]
    optimizer_text = {"sgd": "plain gradient descent", "momentum": "momentum", "adam": "Adam"}[start["optimizer"]]
    features = params["features"]
    changes = "".join(f"    ({c.epoch}, {c.name!r}, {c.new!r}),\n" for c in model.changes_ if c.epoch < model.n_epochs_)
    return _SCRIPT.substitute(
        N_FEATURES=model.n_features_in_,
        FEATURES="None" if features is None else repr(check_features(features)),
        FEATURE_TEXT="the points' coordinates" if features is None else ", ".join(check_features(features)),
        FEATURE_MAP=inspect.getsource(feature_map).rstrip(),
        NETWORK="\n\n\n".join(inspect.getsource(f).rstrip() for f in (
            readable_passes.activate, readable_passes.activation_derivative, readable_passes.forward,
            readable_passes.softmax, readable_passes.output_delta, readable_passes.backward)),
        SIZES=" -> ".join(str(n) for n in (model.n_inputs_, *params["hidden_layer_sizes"], model.n_outputs_)),
        TASK=task,
        N_OUTPUTS=model.n_outputs_,
        OUTPUT_TEXT=output_text.format(K=model.n_outputs_),
        SCORE=score_name,
        LABEL_TEXT="targets (little-endian float64)" if task == "regression" else "labels (one byte each)",
        HIDDEN=repr(tuple(params["hidden_layer_sizes"])),
        ACTIVATION=params["activation"],
        OPTIMIZER=start["optimizer"],
        OPTIMIZER_TEXT=optimizer_text,
        LR=repr(float(start["learning_rate"])),
        EPOCHS=model.n_epochs_,
        BATCH=repr(batch),
        BATCH_TEXT="full batch" if batch is None or batch >= len(X) else f"mini-batches of {batch}",
        CHANGES="[\n" + changes + "]" if changes else "[]",
        CHANGE_TEXT=" (then the live changes in CHANGES)" if changes else "",
        L2=repr(float(start["l2"])),
        SEED=repr(params["random_state"]),
        BUG=repr(bool(params["course_sigmoid_bug"])),
        DTYPE=dtype.name,
        SLOPE=repr(_mlp.LEAKY_RELU_SLOPE),
        UPDATE_RULES="\n\n\n".join(inspect.getsource(rule).rstrip() for rule in UPDATE_RULES.values()),
        RULE_TABLE=", ".join(f'"{name}": {rule.__name__}' for name, rule in UPDATE_RULES.items()),
        MOMENTUM=repr(_mlp.MOMENTUM),
        BETA1=repr(_mlp.ADAM_BETA1),
        BETA2=repr(_mlp.ADAM_BETA2),
        EPSILON=repr(_mlp.ADAM_EPSILON),
        GAIN=repr(_mlp.INIT_GAIN[params["activation"]]),
        INIT_BIAS=repr(_mlp.INIT_BIAS.get(params["activation"], (0.0, 0.0))),
        N_TRAIN=len(X),
        TRAIN=_encode(X, y, task),
        TEST=test,
    )


def _starting_settings(model):
    """The live settings at epoch 0: each one's value before its first change."""
    start = {name: getattr(model, name) for name in _mlp.LIVE_SETTINGS}
    for change in reversed(model.changes_):
        start[change.name] = change.old
    return start


def _history(model):
    history = getattr(model, "history_", None)
    if history is None:
        raise ExportError("There is no training run to export yet: train the network first.")
    return history


def _data(model, X, y, what):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != model.n_features_in_ or y.shape != (len(X),):
        raise ExportError(f"The {what} data does not match the network ({model.n_features_in_} features per point).")
    task = model.get_params()["task"]
    if task == "regression":
        if not np.all(np.isfinite(y.astype(np.float64))):
            raise ExportError(f"The {what} targets must be finite numbers.")
        return X, y
    if task == "multiclass":
        if not np.all((y >= 0) & (y < model.n_outputs_) & (y == np.round(y))):
            raise ExportError(f"The {what} labels must be class numbers from 0 to {model.n_outputs_ - 1}.")
        return X, y
    if not np.all((y == 0) | (y == 1)):
        raise ExportError(f"The {what} labels must be 0 or 1.")
    return X, y


def _encode(X, y, task="binary"):
    """Python source of a (points, labels) pair of base64 strings, wrapped to short lines.

    Labels are one byte each; regression targets little-endian float64.
    """
    points = base64.b64encode(np.ascontiguousarray(X, dtype="<f8").tobytes()).decode()
    label_type = "<f8" if task == "regression" else np.uint8
    labels = base64.b64encode(np.ascontiguousarray(y, dtype=label_type).tobytes()).decode()

    def wrapped(text):
        lines = textwrap.wrap(text, 88) or [""]
        return "(\n" + "".join(f'        "{line}"\n' for line in lines) + "    )"

    return f"(\n    {wrapped(points)},\n    {wrapped(labels)},\n)"


_SCRIPT = Template('''"""Repeat a training run of the backpropagation lesson, with numpy alone.

Network $SIZES: $ACTIVATION hidden units, $OUTPUT_TEXT averaged over each batch (+ L2 = $L2 on the weights).
Inputs: $FEATURE_TEXT.
Optimizer: $OPTIMIZER_TEXT, learning rate $LR, $BATCH_TEXT, $EPOCHS epochs, weight seed $SEED$CHANGE_TEXT.

    python this_script.py                           # train, print loss and $SCORE
    python this_script.py --save-weights out.json   # ... and save the final weights

Layout: a layer's weights and bias form one block [W b] of shape (n_out, n_in + 1);
activations are stored one column per point, with a last row of ones that
multiplies the bias column.
"""

import argparse
import base64
import json
import math

import numpy as np

N_FEATURES = $N_FEATURES
TASK = "$TASK"  # binary: sigmoid output; multiclass: softmax output; regression: linear output
N_OUTPUTS = $N_OUTPUTS
FEATURES = $FEATURES  # None: the network sees the points' coordinates as they are
HIDDEN_LAYERS = $HIDDEN
ACTIVATION = "$ACTIVATION"
OPTIMIZER = "$OPTIMIZER"
LEARNING_RATE = $LR
EPOCHS = $EPOCHS
BATCH_SIZE = $BATCH  # None: every step uses all training points
L2 = $L2
SEED = $SEED
COURSE_SIGMOID_BUG = $BUG  # True: the course's sigmoid derivative 2 s (1 - s), twice the true one
DTYPE = np.$DTYPE
LEAKY_RELU_SLOPE = $SLOPE
MOMENTUM = $MOMENTUM
ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON = $BETA1, $BETA2, $EPSILON
INIT_GAIN = $GAIN
INIT_BIAS = $INIT_BIAS  # (first hidden layer, deeper hidden layers)
# Live changes made during the run: (epochs trained before the change, setting, new value).
CHANGES = $CHANGES

# $N_TRAIN training points (coordinates as little-endian float64) and their $LABEL_TEXT, base64.
TRAIN = $TRAIN
TEST = $TEST


$FEATURE_MAP


def decode(data):
    """The network's inputs (the chosen features of the points) and the labels."""
    points, labels = data
    X = np.frombuffer(base64.b64decode(points), dtype="<f8").reshape(-1, N_FEATURES)
    y = np.frombuffer(base64.b64decode(labels), dtype="<f8" if TASK == "regression" else np.uint8)
    if FEATURES is not None:
        X = feature_map(X, FEATURES)
    return X.astype(DTYPE), y.astype(DTYPE)


def initial_params(rng, n_features):
    """Orthogonal hidden weights times the activation's gain, fixed hidden biases, a zero output layer."""
    sizes = (n_features, *HIDDEN_LAYERS, N_OUTPUTS)
    params = []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), 1):
        block = np.zeros((n_out, n_in + 1))
        if l < len(sizes) - 1:
            q, r = np.linalg.qr(rng.normal(size=(max(n_out, n_in), min(n_out, n_in))))
            q *= np.sign(np.diag(r))
            block[:, :-1] = INIT_GAIN * (q if n_out >= n_in else q.T)
            block[:, -1] = INIT_BIAS[0] if l == 1 else INIT_BIAS[1]
        params.append(block.astype(DTYPE))
    return params


$NETWORK


$UPDATE_RULES


UPDATE_RULES = {$RULE_TABLE}


def flat_view(blocks):
    """All blocks in one vector, and the blocks again as views into it (an update rule moves the vector)."""
    theta = np.concatenate([block.ravel() for block in blocks])
    views, start = [], 0
    for block in blocks:
        views.append(theta[start : start + block.size].reshape(block.shape))
        start += block.size
    return theta, views


def loss_and_accuracy(params, X, y):
    """The mean loss and the accuracy (R^2 for regression)."""
    z = forward(params, X, ACTIVATION)[1].astype(np.float64)
    if TASK == "regression":
        y = y.astype(np.float64)
        sse = np.sum((z - y) ** 2)
        sst = np.sum((y - y.mean()) ** 2)
        return float(0.5 * sse / len(y)), float(1 - sse / sst if sst > 0 else float(sse == 0))
    if TASK == "multiclass":
        top = z.max(axis=0)
        labels = y.astype(np.int64)
        own = z[labels, np.arange(len(labels))]
        loss = np.mean(np.log(np.sum(np.exp(z - top), axis=0)) + top - own)  # cross-entropy of the softmax
        return float(loss), float(np.mean(np.argmax(z, axis=0) == labels))
    loss = np.mean(np.logaddexp(0, z) - y * z)  # cross-entropy from the logits, never overflows
    return float(loss), float(np.mean((z > 0) == (y == 1)))


def train():
    X, y = decode(TRAIN)
    rng = np.random.default_rng(SEED)
    theta, params = flat_view(initial_params(rng, X.shape[1]))
    settings = {"learning_rate": LEARNING_RATE, "l2": L2, "batch_size": BATCH_SIZE, "optimizer": OPTIMIZER}
    rule = OPTIMIZER
    optimizer = UPDATE_RULES[rule](theta.size, DTYPE, LEARNING_RATE)
    for epoch in range(1, EPOCHS + 1):
        settings.update((name, value) for done, name, value in CHANGES if done == epoch - 1)
        if settings["optimizer"] != rule:  # a new rule starts with fresh state
            rule = settings["optimizer"]
            optimizer = UPDATE_RULES[rule](theta.size, DTYPE, settings["learning_rate"])
        optimizer.lr = settings["learning_rate"]
        batch_size = settings["batch_size"]
        if batch_size is None or batch_size >= len(X):
            batches = [(X, y)]
        else:
            order = rng.permutation(len(X))  # a fresh shuffle every epoch
            batches = [(X[idx], y[idx]) for idx in np.split(order, range(batch_size, len(X), batch_size))]
        for Xb, yb in batches:
            inputs, z = forward(params, Xb, ACTIVATION)
            grads = backward(params, inputs, z, yb, ACTIVATION, settings["l2"], COURSE_SIGMOID_BUG, TASK)
            optimizer.step(theta, np.concatenate([g.ravel() for g in grads]))
        loss = loss_and_accuracy(params, X, y)[0]
        if not math.isfinite(loss):
            print(f"epoch {epoch}: the loss is {loss}, training diverged; try a smaller learning rate")
            break
    return params


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save-weights", metavar="FILE", help="write the final weights as JSON")
    args = parser.parse_args()
    params = train()
    loss, accuracy = loss_and_accuracy(params, *decode(TRAIN))
    score = "R^2" if TASK == "regression" else "accuracy"
    print(f"after {EPOCHS} epochs: training loss {loss:.6f}, training {score} {accuracy:.4f}")
    if TEST is not None:
        loss, accuracy = loss_and_accuracy(params, *decode(TEST))
        print(f"test loss {loss:.6f}, test {score} {accuracy:.4f}")
    if args.save_weights:
        layers = [
            {"W": block[:, :-1].T.astype(float).tolist(), "b": block[:, -1].astype(float).tolist()}
            for block in params
        ]
        with open(args.save_weights, "w") as f:
            json.dump({"layers": layers}, f)


if __name__ == "__main__":
    main()
''')
