"""Lesson 5: a backpropagation playground — train a small network live and look inside its backward pass."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import streamlit as st

from calc_core import mlp as mlp_core
from calc_core.csvdata import MAX_BYTES, read_labelled_points
from calc_core.datasets import DATASET_NAMES, make_dataset, split_dataset
from calc_core.mlp import (
    ACTIVATIONS,
    DEFAULT_LEARNING_RATE,
    GRADIENT_CHECK_TOLERANCE,
    MAX_LAYERS,
    MAX_UNITS,
    MLP,
    OPTIMIZERS,
)
from calc_core.mlp_export import history_csv, numpy_script, weights_json
from calc_core.mlp_reference import sklearn_equivalent, timed_fit
from ui import training, widgets
from ui.charts import backprop as charts
from ui.code import show_code
from ui.errors import user_errors
from ui.layout import course_note, page_header
from ui.task import Verdict, task_box

PREFIX = "backprop"
CSV = "csv"
# Option labels double as URL values (?backprop_dataset=moons), so they stay short and readable.
DATASET_LABELS = {CSV: "upload CSV"}
ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear",
                     "leaky_relu": "leaky ReLU"}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "momentum", "adam": "Adam"}
# 1-2-5 steps per decade: a log scale whose stops include the default 0.05 and every tenth of a stop.
LEARNING_RATES = [m * 10.0**e for e in range(-4, 1) for m in (1, 2, 5) if m * 10.0**e <= 1.0]
L2_STRENGTHS = [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
BATCH_SIZES = ["full", 8, 16, 32, 64, 128, 256]
PACES = {"watch": 1, "steady": 5, "fast": None}
MAX_EPOCHS = 3000
METRIC_WIDTH = 160  # four in a row on a laptop, two on a phone
GRADIENT_CHECK_POINTS = 16
# Every parameter is checked in networks up to this size; larger ones check a fixed sample per layer.
GRADIENT_CHECK_FULL_PARAMETERS = 400
GRADIENT_CHECK_SAMPLE_PER_LAYER = 50
# Each checked parameter costs two forward passes, each about as long as the network is large, so the
# check runs by itself while checked × parameters stays under this (about 0.05 s) and on request above it.
GRADIENT_CHECK_AUTO_WORK = 300_000
CACHE = {"max_entries": 32, "ttl": 3600, "show_spinner": False}


class LayerSpecError(ValueError):
    """A hidden-layer description that cannot be used."""


def parse_layers(text: str) -> tuple[int, ...]:
    """``"4,3"`` → ``(4, 3)``; empty means no hidden layer. Bounded by the network's limits."""
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    if not parts:
        return ()
    bad = [p for p in parts if not (p.isascii() and p.isdigit()) or len(p) > 4]
    if bad:
        raise LayerSpecError(f"Hidden layers: “{bad[0][:20]}” is not a whole number. Type unit counts "
                             "separated by commas, such as 4,3.")
    sizes = tuple(int(p) for p in parts)
    if len(sizes) > MAX_LAYERS:
        raise LayerSpecError(f"Hidden layers: at most {MAX_LAYERS} layers, got {len(sizes)}.")
    if any(not 1 <= n <= MAX_UNITS for n in sizes):
        raise LayerSpecError(f"Hidden layers: each layer needs 1 to {MAX_UNITS} units, got {text.strip()[:40]}.")
    return sizes


@st.cache_data(**CACHE)
def load_points(source: tuple, _content: bytes | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The labelled points of a built-in dataset, or of an uploaded CSV (``source`` names it by digest)."""
    if source[0] == CSV:
        return read_labelled_points(_content)
    name, n_samples, noise, seed = source
    return make_dataset(name, n_samples=n_samples, noise=noise, random_state=seed)


@st.cache_data(**CACHE)
def load_split(source: tuple, test_share: float, seed: int, _content: bytes | None = None):
    X, y = load_points(source, _content)
    return split_dataset(X, y, test_size=test_share, random_state=seed)


@st.cache_data(**CACHE)
def plot_grid(source: tuple, _content: bytes | None = None) -> charts.BoundaryGrid:
    return charts.boundary_grid(load_points(source, _content)[0])


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def reference_run(source: tuple, test_share: float, data_seed: int, params: tuple, epochs: int,
                  _content: bytes | None = None) -> pd.DataFrame:
    """Train our network and scikit-learn's on the same split from scratch: accuracy and time of each."""
    split = load_split(source, test_share, data_seed, _content)
    settings = dict(params)
    rows = []
    for name, model in (("this page (numpy)", MLP(**settings, epochs=epochs)),
                        ("scikit-learn MLPClassifier",
                         sklearn_equivalent(**settings, n_train=len(split.y_train), epochs=epochs))):
        seconds, failure = timed_fit(model, split.X_train, split.y_train)
        rows.append({
            "model": name,
            "train accuracy": np.nan if failure else model.score(split.X_train, split.y_train),
            "test accuracy": np.nan if failure or not len(split.y_test) else model.score(split.X_test, split.y_test),
            "seconds": seconds,
        })
    return pd.DataFrame(rows)


def use_learning_rate(rate: float) -> None:
    st.session_state["backprop_lr"] = rate


def jacobian_checker(text: str) -> Verdict:
    """Accept the course's weight matrix (optionally transposed) as the layer Jacobian."""
    answer = re.sub(r"\s+", "", text).lower().removeprefix("self.")
    if re.fullmatch(r"(self\.)?w(\[l\])?(\.t)?|w_?l(\^t|ᵀ)?", answer):
        return Verdict(True, "Right: W[l] is the layer Jacobian. In `self.da[l-1] = self.dz[l] @ self.W[l].T` "
                             "the gradient is multiplied by it to move back one layer.")
    if "dsigmoid" in answer or "drelu" in answer or "func" in answer or "derivative" in answer:
        return Verdict(False, "That is the activation's local derivative: a diagonal Jacobian, applied element "
                              "by element. Which matrix carries the gradient from one layer to the previous?")
    return Verdict(False, "Not that one. Look at the line that computes `self.da[l-1]`.")


page_header(
    "Backpropagation playground",
    5,
    "A neural network is a chain of functions, so its gradient is a chain of Jacobians. Pick data and a "
    "network, press **Train**, and watch the decision boundary form; then look at one backward step in "
    "numbers and check the gradients against finite differences.",
)
course_note(
    "The course's code trains with a sigmoid derivative that is twice too large (2·σ(1−σ)) and sums the "
    "weight gradients over all samples while averaging the bias gradient, with a learning rate tuned to "
    "that; as printed it ends near 61 % accuracy. This page averages every gradient and uses the correct "
    "derivative; the *course's sigmoid derivative* switch below brings the bug back so you can see it fail."
)

with st.container(border=True):
    data_col, net_col, train_col = st.columns(3)
    with data_col:
        st.markdown("**Data**")
        dataset = widgets.select("Dataset", [*DATASET_NAMES, CSV], key="backprop_dataset",
                                 format_func=lambda v: DATASET_LABELS.get(v, v))
        uploaded = None
        if dataset == CSV:
            uploaded = st.file_uploader(
                "CSV with columns x1, x2, label", type=["csv"], key="backprop_csv",
                max_upload_size=max(1, MAX_BYTES // 1_000_000),
                help="A header row, then one point per row: two numbers and a label 0 or 1.")
        builtin = dataset != CSV
        n_samples = widgets.slider("Samples", "backprop_samples", 50, 5000, 1000, 50, disabled=not builtin)
        noise = widgets.slider("Noise", "backprop_noise", 0.0, 0.5, 0.1, 0.01, disabled=not builtin)
        train_share = widgets.slider("Training share", "backprop_train_share", 0.1, 1.0, 0.8, 0.05,
                                     help="The rest is held out as test data.")
        data_seed = widgets.number("Data seed", "backprop_data_seed", 0, 9999, 0, 1,
                                 help="Draws the points and the train/test split.")
    with net_col:
        st.markdown("**Network**")
        layer_text = widgets.text("Hidden layers", "backprop_layers", "4,3", max_chars=40,
                                  help=f"Units per hidden layer, separated by commas (up to {MAX_LAYERS} "
                                       f"layers of {MAX_UNITS}); empty for none.")
        activation = widgets.select("Activation", ACTIVATIONS, key="backprop_activation",
                                    format_func=lambda v: ACTIVATION_LABELS.get(v, v))
        weight_seed = widgets.number("Weight seed", "backprop_weight_seed", 0, 9999, 0, 1,
                                   help="Draws the initial weights and the mini-batch order.")
        course_bug = widgets.toggle("Course's sigmoid derivative 2·σ(1−σ)", "backprop_course_bug",
                                    help="Reproduce the course's bug in the backward pass.")
    with train_col:
        st.markdown("**Training**")
        optimizer = widgets.select("Optimizer", OPTIMIZERS, key="backprop_optimizer",
                                   index=OPTIMIZERS.index("adam"), format_func=lambda v: OPTIMIZER_LABELS.get(v, v))
        learning_rate = widgets.select_slider("Learning rate", LEARNING_RATES, "backprop_lr",
                                              DEFAULT_LEARNING_RATE, format_func=lambda v: f"{v:g}")
        batch_size = widgets.select("Batch size", BATCH_SIZES, key="backprop_batch")
        l2 = widgets.select_slider("L2 regularization λ", L2_STRENGTHS, "backprop_l2", 0.0,
                                   format_func=lambda v: f"{v:g}")
        target = widgets.number("Epochs", "backprop_epochs", 1, MAX_EPOCHS, 150, 10,
                              help="Train stops here; raise it to continue the same run.")
        pace = widgets.select("Pace", list(PACES), key="backprop_pace", index=1,
                              help="Epochs per screen update: watch 1, steady 5, fast as many as fit in a "
                                   "quarter of a second. The result does not depend on it.")

with user_errors():
    hidden = parse_layers(layer_text)
    content = None
    if dataset == CSV:
        if uploaded is None:
            st.info("Upload a CSV file to train on your own points, or pick a built-in dataset.")
            st.stop()
        content = uploaded.getvalue()
        source = (CSV, hashlib.sha256(content).hexdigest())
    else:
        source = (dataset, n_samples, noise, data_seed)
    test_share = round(1.0 - train_share, 2)
    split = load_split(source, test_share, data_seed, content)
    grid = plot_grid(source, content)

params = {
    "hidden_layer_sizes": hidden, "activation": activation, "learning_rate": learning_rate,
    "batch_size": None if batch_size == "full" else batch_size, "optimizer": optimizer, "l2": l2,
    "random_state": weight_seed, "course_sigmoid_bug": course_bug,
}
run_key = (source, test_share, data_seed, tuple(sorted(params.items())))
X_test = split.X_test if len(split.y_test) else None
y_test = split.y_test if len(split.y_test) else None


def start_model() -> MLP:
    return MLP(**params, epochs=0).train_epochs(split.X_train, split.y_train, 0, X_test=X_test, y_test=y_test)


with user_errors():
    run = training.current_run(PREFIX, run_key, start_model)
model: MLP = run.model


def train(n: int) -> None:
    model.train_epochs(split.X_train, split.y_train, n, X_test=X_test, y_test=y_test)


def epochs_done() -> int:
    return model.n_epochs_


def tick() -> None:
    training.train_for(run, train, epochs_done, target, max_epochs=PACES[pace])


st.subheader("Train")
if training.control_bar(PREFIX, run, model.n_epochs_, target, MAX_EPOCHS):
    training.step(run, train)
layer_names = ["input", *(f"hidden {i}" for i in range(1, len(hidden) + 1)), "output"]


def live_view() -> None:
    epoch = model.n_epochs_
    history = model.history_
    latest = history.record(-1)
    st.markdown(f"**Epoch {epoch}** of {target}" + (" · training…" if run.running else ""))
    st.progress(min(1.0, epoch / target))
    if run.failure:
        st.warning(run.failure, icon=":material/warning:")
    metrics = st.container(horizontal=True)
    metrics.metric("Training loss", f"{latest.train_loss:.4f}", width=METRIC_WIDTH)
    metrics.metric("Training accuracy", f"{latest.train_accuracy:.1%}", width=METRIC_WIDTH)
    metrics.metric("Test loss", "—" if np.isnan(latest.test_loss) else f"{latest.test_loss:.4f}",
                   width=METRIC_WIDTH)
    metrics.metric("Test accuracy", "—" if np.isnan(latest.test_accuracy) else f"{latest.test_accuracy:.1%}",
                   width=METRIC_WIDTH)
    boundary_col, network_col = st.columns(2)
    with boundary_col:
        probability = model.predict_proba(grid.points)[:, 1]
        st.altair_chart(
            charts.boundary_chart(grid, probability, split.X_train, split.y_train, split.X_test, split.y_test,
                                  title="Decision boundary"),
            width="content", alt="Heatmap of the predicted probability of class 1 with the data points.")
        st.caption("Shading: the network's probability of class 1 (blue) against class 0 (orange). "
                   "Filled points: training data; hollow diamonds: test data.")
    with network_col:
        st.altair_chart(charts.network_chart(model.coefs_, model.intercepts_, layer_names), width="stretch",
                        alt="The network: lines are weights, wider for larger magnitude, blue positive, "
                            "orange negative.")
        st.caption("Edges: weights (blue positive, orange negative, width ∝ size). Nodes: biases. "
                   f"Layers wider than {charts.MAX_DRAWN_UNITS} units show their first {charts.MAX_DRAWN_UNITS}.")
    loss_col, accuracy_col = st.columns(2)
    loss_frame = charts.history_frame(history.epoch, {"train": history.train_loss, "test": history.test_loss})
    accuracy_frame = charts.history_frame(history.epoch, {"train": history.train_accuracy,
                                                          "test": history.test_accuracy})
    loss_col.altair_chart(charts.curve_chart(loss_frame, "cross-entropy loss"), width="stretch",
                          alt="Training and test loss by epoch.")
    accuracy_col.altair_chart(charts.curve_chart(accuracy_frame, "accuracy", (0, 1), "bottom-right"), width="stretch",
                              alt="Training and test accuracy by epoch.")


training.live(run, live_view, tick)

if model.diverged_:
    smaller = [rate for rate in LEARNING_RATES if rate <= learning_rate / 10 * (1 + 1e-9)]
    if smaller:
        st.button(f"Use learning rate {smaller[-1]:g} and start again", key="backprop_use_smaller_lr",
                  icon=":material/south:", on_click=use_learning_rate, args=(smaller[-1],))

st.subheader("The calculus: backpropagation is a chain of Jacobian products")
st.markdown(
    "Each layer computes z = W a + b and then a = f(z). Going backwards, the chain rule multiplies the "
    "gradient by the layer Jacobian ∂z/∂a = W (transposed, because the gradient is a row), then by the "
    "activation's derivative f′(z), element by element (a diagonal Jacobian). Pick a training point and see "
    "every product with the network's current weights."
)
if run.running:
    st.caption("These numbers follow the weights when training pauses or finishes.")
sample = widgets.slider("Training point", "backprop_sample", 0, len(split.y_train) - 1, 0, 1,
                        help="Which training point to push through the network.")
with user_errors(stop=False):
    trace = model.backward_trace(split.X_train, split.y_train, sample)
    st.markdown(
        f"Epoch {model.n_epochs_}: point x = ({trace.x[0]:.3f}, {trace.x[1]:.3f}) with label y = {trace.y}, "
        f"prediction ŷ = {trace.probability:.4f}, loss {trace.loss:.4f}."
    )
    n_layers = len(hidden) + 1
    for backward_step in trace.steps:
        l = backward_step.layer
        label = "output layer" if l == n_layers else f"hidden layer {l}"
        with st.expander(f"Layer {l} ({label}): back from z{l}", expanded=l >= n_layers - 1):
            for line in charts.backward_step_latex(backward_step, n_layers, activation, course_bug):
                st.latex(line)
    if hidden and not np.any(model.coefs_[-1]):
        st.caption("The output weights start at zero, so no gradient reaches the hidden layers yet: every δ "
                   "below the output is 0. Press Step once to see the numbers flow back.")
    st.caption("Matrices larger than 6 × 6 are shown in part. The last line of each layer is the δ that the "
               "layer below starts from; in the course's code that is `self.dz[l-1]`.")

epoch = model.n_epochs_
layer_sizes = [(W.size, b.size) for W, b in zip(model.coefs_, model.intercepts_)]
n_parameters = sum(w + b for w, b in layer_sizes)
sample = None if n_parameters <= GRADIENT_CHECK_FULL_PARAMETERS else GRADIENT_CHECK_SAMPLE_PER_LAYER
n_checked = sum(w + b if sample is None else min(w, sample) + min(b, sample) for w, b in layer_sizes)
st.markdown("**Gradient check.** Backpropagation against central differences (J(θ + h) − J(θ − h)) / 2h, "
            + ("for every weight and bias" if sample is None else
               f"for {n_checked} of the {n_parameters} weights and biases (up to {sample} of each per layer, a "
               "fixed random choice)") + ", on the first training points.")
if (not run.has("gradient_check", epoch) and n_checked * n_parameters > GRADIENT_CHECK_AUTO_WORK
        and not st.button(f"Run the gradient check ({n_checked} parameters)", key="backprop_run_check")):
    st.caption("Larger networks are checked on request.")
else:
    with user_errors(stop=False):
        checks = run.memo("gradient_check", epoch, lambda: model.gradient_check_layers(
            split.X_train[:GRADIENT_CHECK_POINTS], split.y_train[:GRADIENT_CHECK_POINTS], max_per_layer=sample))
        frame = charts.gradient_check_frame(checks, layer_names, GRADIENT_CHECK_TOLERANCE)
        st.dataframe(frame, hide_index=True, width="stretch",
                     column_config={c: st.column_config.NumberColumn(format="%.2e") for c in frame.columns
                                    if c.startswith("max rel")})
        worst = max(c.max_relative_error for c in checks)
        if all(c.passed for c in checks):
            st.success(f"Backpropagation agrees with finite differences: worst relative error {worst:.1e}.")
        else:
            st.error(f"The gradient check fails: worst relative error {worst:.2f}.")
if course_bug:
    course_note(
        "With the course's derivative 2·σ(1−σ) the output's δ is 2(ŷ − y), so every gradient is twice the "
        "true one: the relative error |2g − g| / (|2g| + |g|) is exactly 1/3 (more in sigmoid hidden layers, "
        "where the factor compounds). Adam divides each step by the gradient's running size, so it hides a "
        "constant factor; with SGD or momentum the steps double. The course's code has a second problem: it "
        "sums the weight gradients over all 1 000 samples (`a.T @ dz`) but averages the bias gradient "
        "(`np.mean`), so weights and biases move on scales that differ by a factor of 1 000, and its "
        "learning rate 0.005 is tuned to that."
    )

st.subheader("Reference: scikit-learn")
st.markdown("The same data, architecture, optimizer, learning rate, batch size, L2 strength and number of "
            "epochs, trained by scikit-learn's `MLPClassifier` and by this page's numpy code from scratch.")
reference_key = (run_key, target)
if st.button("Run the reference comparison", key="backprop_reference", icon=":material/compare_arrows:"):
    st.session_state["backprop_reference_for"] = reference_key
if st.session_state.get("backprop_reference_for") == reference_key:
    with user_errors(stop=False), st.spinner("Training both networks…"):
        table = reference_run(source, test_share, data_seed, tuple(sorted(params.items())), target, content)
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            "train accuracy": st.column_config.NumberColumn(format="percent"),
            "test accuracy": st.column_config.NumberColumn(format="percent"),
            "seconds": st.column_config.NumberColumn(format="%.3f"),
        })
        notes = ["Times are for one full training run of each, on this server."]
        if activation == "leaky_relu":
            notes.append("scikit-learn has no leaky ReLU, so its network uses ReLU.")
        if not hidden:
            notes.append("scikit-learn needs a hidden layer, so its network has one unit more.")
        if table["train accuracy"].isna().any():
            notes.append("A model whose training diverged has no accuracy.")
        st.caption(" ".join(notes))

st.subheader("Export")
if run.running:
    st.caption("Pause to download the run.")
else:
    with user_errors(stop=False):
        exports = run.memo("exports", epoch, lambda: (
            history_csv(model), weights_json(model),
            numpy_script(model, split.X_train, split.y_train, split.X_test, split.y_test)))
        history_col, weights_col, script_col = st.columns(3)
        history_col.download_button("History (CSV)", exports[0], file_name="backprop_history.csv",
                                    mime="text/csv", key="backprop_download_history", icon=":material/table:",
                                    width="stretch", on_click="ignore")
        weights_col.download_button("Weights (JSON)", exports[1], file_name="backprop_weights.json",
                                    mime="application/json", key="backprop_download_weights",
                                    icon=":material/data_object:", width="stretch", on_click="ignore")
        script_col.download_button("Standalone script (numpy)", exports[2], file_name="backprop_run.py",
                                   mime="text/x-python", key="backprop_download_script", icon=":material/code:",
                                   width="stretch", on_click="ignore")
        st.caption(f"Epoch {epoch}. The script carries the data and settings and repeats these {epoch} "
                   "epochs with numpy alone, ending with the same weights.")

task_box(
    "backprop_task",
    "The course asks: in `backward()`, which is the Jacobian matrix? Name the array (as written in the "
    "course's code) that carries the gradient from layer l back to layer l − 1.",
    jacobian_checker,
    hint="Find the line that computes `self.da[l-1]`; it multiplies `self.dz[l]` by something.",
    solution_md=(
        "In `self.da[l-1] = self.dz[l] @ self.W[l].T` the factor is the weight matrix. The course stores "
        "a batch as rows, z = a W + b, so ∂z/∂a is `W[l].T` and the line is the product of the gradient with "
        "the layer Jacobian (lesson 4's ∂y/∂x = Wᵀ ∂y/∂z). The other factor of backpropagation, "
        "`func(self.z[l])` in `self.dz[l] = self.da[l] * func(self.z[l])`, is the activation's Jacobian: "
        "diagonal, so it is applied element by element. The expanders above show both products with numbers."
    ),
    placeholder="e.g. self.X[l]",
)
show_code("backprop_code", mlp_core._Network.forward, mlp_core._Network.backward)
