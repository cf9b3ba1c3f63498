"""The backpropagation lesson's Streamlit side: its data adapters, the training run, one renderer per section.

The page reads the data and network widgets into :class:`Setup` and renders
the training panel (:func:`render_training_panel`), a fragment that holds the
training settings, builds the :class:`BackpropView` and draws the training and
the gradient check; the sections below read the panel's latest view from a
:class:`CurrentView`. The session's training run lives in ``st.session_state``
(see :mod:`ui.training`); the learning rate, L2 strength, batch size and
optimizer change the running model (:meth:`MLP.tweak`), every other setting
starts a new run.
"""

from __future__ import annotations

import functools
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from calc_core.data.csv_points import read_labelled_points
from calc_core.data.datasets import make_dataset, split_dataset
from calc_core.limits import (
    GRADIENT_CHECK_MAX_WORK,
    GRADIENT_CHECK_TIMEOUT,
    LARGE_TRAINING_TICK_WORK,
    MAX_PINNED_RUNS,
    MAX_TRAINING_EPOCHS,
    REFERENCE_MAX_WORK,
    REFERENCE_TIMEOUT,
    SWEEP_MAX_WORK,
    SWEEP_TIMEOUT,
    TRAINING_TICK_WORK,
)
from calc_core.mlp import (
    DEFAULT_LEARNING_RATE,
    GRADIENT_CHECK_TOLERANCE,
    MLP,
    OPTIMIZERS,
    SettingChange,
    gradient_check_count,
    gradient_check_sample,
    parameter_count,
    parse_layers,
    training_work,
)
from calc_core.mlp.export import history_csv, numpy_script, weights_json
from calc_core.mlp.features import DEFAULT_FEATURES, FEATURE_TEX, check_features
from calc_core.mlp.reference import compare_with_sklearn
from calc_core.mlp.sweep import (
    LOG_SCALE,
    MAX_GRID,
    MAX_SEEDS,
    SWEEP_LABELS,
    SWEEP_PARAMETERS,
    combine,
    sweep,
    sweep_grid,
    sweep_work,
)
from ui import compute, training, widgets
from ui.charts import backprop as charts
from ui.charts.show import show_chart
from ui.errors import user_errors
from ui.layout import course_note

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
MAX_EPOCHS = MAX_TRAINING_EPOCHS
METRIC_WIDTH = 160  # four in a row on a laptop, two on a phone
GRADIENT_CHECK_POINTS = 16
# Checked parameters x parameters up to which the check runs by itself (about 0.05 s); above it, on request.
GRADIENT_CHECK_AUTO_WORK = 300_000
# Up to this work the check runs in the page's own process: at most about 16 ms (six hidden layers of two units
# on seven inputs), less than a round trip to the worker costs the server (about 20 ms); the default network's
# check (work 961) takes 5-9 ms.
GRADIENT_CHECK_INLINE_WORK = 3_000
# Feature toggles: URL keys without punctuation (?backprop_feature_x1_sq=true).
FEATURE_KEYS = {"x1": "backprop_feature_x1", "x2": "backprop_feature_x2", "x1^2": "backprop_feature_x1_sq",
                "x2^2": "backprop_feature_x2_sq", "x1*x2": "backprop_feature_x1x2",
                "sin(x1)": "backprop_feature_sin_x1", "sin(x2)": "backprop_feature_sin_x2"}
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂", "sin(x1)": "sin x₁",
                  "sin(x2)": "sin x₂"}
MAX_PINNED = MAX_PINNED_RUNS
# Settings groups: a change in one starts a new run, and the page names the group.
RUN_GROUPS = {"data": "the data (dataset, samples, noise, data seed or file)", "split": "the train/test split",
              "network": "the network (layers, activation, input features or the course's derivative)",
              "seeds": "the weight seed"}
SETTING_LABELS = {"learning_rate": "learning rate", "l2": "L2", "batch_size": "batch size", "optimizer": "optimizer"}
SWEEP_RANGES = {"learning_rate": (LEARNING_RATES, 1e-3, 1.0), "l2": (L2_STRENGTHS[1:], 1e-5, 1e-1),
                "batch_size": (BATCH_SIZES[1:], 8, 256)}
SWEEP_DEFAULT_POINTS = 9
SWEEP_DEFAULT_SEEDS = 3

INTRO = ("A neural network is a chain of functions, so its gradient is a chain of Jacobians. Pick data and a "
         "network, press **Train**, watch the decision boundary form and check the gradients against finite "
         "differences; then look at one backward step in numbers.")
COURSE_NOTE = (
    "The course's code trains with a sigmoid derivative that is twice too large (2·σ(1−σ)) and sums the "
    "weight gradients over all samples while averaging the bias gradient, with a learning rate tuned to "
    "that; as printed it ends near 61 % accuracy. This page averages every gradient and uses the correct "
    "derivative; the *course's sigmoid derivative* switch below brings the bug back so you can see it fail.")
LIVE_NOTE = ("Learning rate, L2, batch size and optimizer change the running network at its next step, keeping "
             "its weights; any other setting starts a new run at epoch 0. The URL holds the current settings, so "
             "a shared link trains them from epoch 0 (without the changes made along the way).")
CALCULUS = (
    "Each layer computes z = W a + b and then a = f(z). Going backwards, the chain rule multiplies the "
    "gradient by the layer Jacobian ∂z/∂a = W (transposed, because the gradient is a row), then by the "
    "activation's derivative f′(z), element by element (a diagonal Jacobian). Pick a training point and see "
    "every product with the network's current weights.")
ZERO_OUTPUT_NOTE = (
    "The output weights start at zero, so the untrained network predicts ½ everywhere and no gradient reaches "
    "the hidden layers yet: every δ below the output is 0 at epoch 0. Press Step once to see the numbers flow "
    "back.")
COURSE_BUG_NOTE = (
    "With the course's derivative 2·σ(1−σ) the output's δ is 2(ŷ − y), so every gradient is twice the "
    "true one: the relative error |2g − g| / (|2g| + |g|) is exactly 1/3 (more in sigmoid hidden layers, "
    "where the factor compounds). Adam divides each step by the gradient's running size, so it hides a "
    "constant factor; with SGD or momentum the steps double. The course's code has a second problem: it "
    "sums the weight gradients over all 1 000 samples (`a.T @ dz`) but averages the bias gradient "
    "(`np.mean`), so weights and biases move on scales that differ by a factor of 1 000, and its "
    "learning rate 0.005 is tuned to that.")
TASK_QUESTION = ("The course asks: in `backward()`, which is the Jacobian matrix? Name the array (as written in the "
                 "course's code) that carries the gradient from layer l back to layer l − 1.")
TASK_HINT = "Find the line that computes `self.da[l-1]`; it multiplies `self.dz[l]` by something."
TASK_SOLUTION = (
    "In `self.da[l-1] = self.dz[l] @ self.W[l].T` the factor is the weight matrix. The course stores "
    "a batch as rows, z = a W + b, so ∂z/∂a is `W[l].T` and the line is the product of the gradient with "
    "the layer Jacobian (lesson 4's ∂y/∂x = Wᵀ ∂y/∂z). The other factor of backpropagation, "
    "`func(self.z[l])` in `self.dz[l] = self.da[l] * func(self.z[l])`, is the activation's Jacobian: "
    "diagonal, so it is applied element by element. The expanders above show both products with numbers.")


@dataclass(frozen=True)
class Setup:
    """The data and network settings: widgets outside the training panel, read on a whole-page run."""

    dataset: str
    n_samples: int
    noise: float
    train_share: float
    data_seed: int
    layer_text: str
    activation: str
    weight_seed: int
    course_bug: bool
    features: tuple[str, ...]


@dataclass(frozen=True)
class Controls(Setup):
    """Every setting of the page: the :class:`Setup` and the training panel's own widgets."""

    optimizer: str
    learning_rate: float
    batch_size: int | str
    l2: float
    target: int
    pace: str


@dataclass(frozen=True)
class Split:
    """Training and test points (the test part may be empty)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


@dataclass
class BackpropView:
    """Everything the sections draw: the data, the session's run and the settings behind it."""

    controls: Controls
    split: Split
    grid: charts.BoundaryGrid
    run: training.TrainingRun
    hidden: tuple[int, ...]
    features: tuple[str, ...]
    network: dict
    live: dict

    @property
    def model(self) -> MLP:
        return self.run.model

    @property
    def test_data(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        has_test = len(self.split.y_test) > 0
        return (self.split.X_test, self.split.y_test) if has_test else (None, None)

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (len(self.features), *self.hidden, 1)

    @property
    def layer_names(self) -> list[str]:
        return ["input", *(f"hidden {i}" for i in range(1, len(self.hidden) + 1)), "output"]

    @property
    def settings(self) -> dict:
        """MLP keyword arguments of the current settings (without ``epochs``)."""
        return {**self.network, **self.live}

    def train(self, n: int) -> None:
        X_test, y_test = self.test_data
        self.model.train_epochs(self.split.X_train, self.split.y_train, n, X_test=X_test, y_test=y_test)


class CurrentView:
    """The latest :class:`BackpropView` of the training panel, for the sections outside it.

    The panel is a fragment: moving a training setting reruns it alone. The sections below are given this
    holder instead of a view and read :attr:`view` when they draw or act (a pin, a sweep, a download), so
    they act on the current settings. What they display from the settings they record with :meth:`shows`;
    when a change in the panel alters any of it, :meth:`outdated` says so and the panel runs the whole page.
    """

    def __init__(self) -> None:
        self.view: BackpropView | None = None
        self._shown: dict[str, tuple[Callable, object]] = {}

    def shows(self, name: str, derive: Callable[[BackpropView], object]):
        """``derive(view)``, recorded under ``name`` as what a section displays; returns it."""
        value = derive(self.view)
        self._shown[name] = (derive, value)
        return value

    def outdated(self) -> bool:
        """Whether a section would now display something else than it did."""
        return any(derive(self.view) != value for derive, value in self._shown.values())


# ------------------------------------------------------------------ data


@compute.cached(max_entries=32)
def load_points(dataset: str, n_samples: int, noise: float, data_seed: int, content: bytes | None):
    """The labelled points of a built-in dataset, or of an uploaded CSV file's bytes."""
    if dataset == CSV:
        return read_labelled_points(content)
    return make_dataset(dataset, n_samples=n_samples, noise=noise, random_state=data_seed)


@compute.cached(max_entries=32)
def load_split(dataset: str, n_samples: int, noise: float, data_seed: int, test_share: float,
               content: bytes | None) -> Split:
    X, y = load_points(dataset, n_samples, noise, data_seed, content)
    parts = split_dataset(X, y, test_size=test_share, random_state=data_seed)
    return Split(parts.X_train, parts.y_train, parts.X_test, parts.y_test)


@compute.cached(max_entries=32)
def plot_grid(dataset: str, n_samples: int, noise: float, data_seed: int, content: bytes | None):
    return charts.boundary_grid(load_points(dataset, n_samples, noise, data_seed, content)[0])


# ------------------------------------------------------------------ the view

def selected_features() -> tuple[str, ...]:
    """The feature toggles, in a wrapping row (URL-bound, like every control)."""
    row = st.container(horizontal=True)
    return tuple(name for name, key in FEATURE_KEYS.items()
                 if widgets.toggle(FEATURE_LABELS[name], key, value=name in DEFAULT_FEATURES, container=row))


def backprop_view(controls: Controls, content: bytes | None) -> BackpropView:
    """The data, the session's run for these settings (live settings applied) and what the sections need.

    Raises ``ValueError`` subclasses with a learner's words for unusable settings.
    """
    hidden = parse_layers(controls.layer_text)
    features = check_features(controls.features)
    c = controls
    test_share = round(1.0 - c.train_share, 2)
    split = load_split(c.dataset, c.n_samples, c.noise, c.data_seed, test_share, content)
    grid = plot_grid(c.dataset, c.n_samples, c.noise, c.data_seed, content)
    network = {"hidden_layer_sizes": hidden, "activation": c.activation, "random_state": c.weight_seed,
               "course_sigmoid_bug": c.course_bug, "features": features}
    live = {"learning_rate": c.learning_rate, "l2": c.l2, "optimizer": c.optimizer,
            "batch_size": None if c.batch_size == "full" else c.batch_size}
    data = (c.dataset, hashlib.sha256(content).hexdigest()) if content is not None else \
        (c.dataset, c.n_samples, c.noise, c.data_seed)
    groups = {"data": data, "split": (test_share, c.data_seed),
              "network": (hidden, c.activation, features, c.course_bug), "seeds": (c.weight_seed,)}
    view = BackpropView(c, split, grid, None, hidden, features, network, live)

    def start() -> MLP:
        X_test, y_test = view.test_data
        model = MLP(**view.settings, epochs=0).train_epochs(split.X_train, split.y_train, 0, X_test=X_test,
                                                             y_test=y_test)
        model.release_buffers()  # built again by the first tick; a page that is only looked at holds none
        return model

    view.run = training.current_run(PREFIX, groups, start, release=MLP.release_buffers)
    apply_live_settings(view.run, live, start)
    view.run.large = tick_work(view) >= LARGE_TRAINING_TICK_WORK
    return view


def apply_live_settings(run: training.TrainingRun, live: dict, start) -> None:
    """Give the running model the live settings; before its first step that is simply a fresh model."""
    model = run.model
    changed = {name: value for name, value in live.items() if getattr(model, name) != value}
    if not changed:
        return
    if model.n_epochs_ == 0:
        run.model = start()
        run.failure = None
    else:
        model.tweak(**changed)


def describe_change(change: SettingChange) -> str:
    """Short text of one live change, as on the curves: "lr 0.01", "Adam", "batch 32"."""
    if change.name == "optimizer":
        return OPTIMIZER_LABELS.get(change.new, str(change.new))
    if change.name == "batch_size":
        return "full batch" if change.new is None else f"batch {change.new}"
    return f"{'lr' if change.name == 'learning_rate' else 'L2'} {change.new:g}"


def _epoch_work(view: BackpropView) -> int:
    return training_work(len(view.split.y_train), view.layer_sizes, view.live["batch_size"], 1)


def tick_epochs(view: BackpropView) -> int:
    """Epochs one fragment tick may train: the pace, capped so one tick's work stays under the limit."""
    cap = max(1, TRAINING_TICK_WORK // _epoch_work(view))
    pace = PACES[view.controls.pace]
    return cap if pace is None else min(pace, cap)


def tick_work(view: BackpropView) -> int:
    """Work units one fragment tick may do (its epochs; the tick also stops after a quarter of a second)."""
    return tick_epochs(view) * _epoch_work(view)


# ------------------------------------------------------------------ sections


@st.fragment
def render_training_panel(current: CurrentView, setup: Setup, content: bytes | None) -> None:
    """The training settings, the Train section and the gradient check, as one fragment.

    Moving a training setting (learning rate, L2, ...) reruns this part alone. The whole page runs instead
    when the run itself changed (Train, Pause, Step, Reset, a smaller learning rate) or when the change
    alters what a section below displays (:meth:`CurrentView.outdated`); both are known before anything
    is drawn.
    """
    whole_page = current.view is None
    # Train, Pause, Step, Reset or a smaller learning rate acted in its callback: every section must follow.
    if training.control_clicked(PREFIX) and not whole_page:
        st.rerun(scope="app")
    st.subheader("Train")
    st.caption(LIVE_NOTE)
    with st.container(border=True):
        st.markdown("**Training settings** (changes apply live)")
        left, middle, right = st.columns(3)
        with left:
            optimizer = widgets.select("Optimizer", OPTIMIZERS, key="backprop_optimizer",
                                       index=OPTIMIZERS.index("adam"),
                                       format_func=lambda v: OPTIMIZER_LABELS.get(v, v))
            batch_size = widgets.select("Batch size", BATCH_SIZES, key="backprop_batch")
        with middle:
            learning_rate = widgets.select_slider("Learning rate", LEARNING_RATES, "backprop_lr",
                                                  DEFAULT_LEARNING_RATE, format_func=lambda v: f"{v:g}")
            l2 = widgets.select_slider("L2 regularization λ", L2_STRENGTHS, "backprop_l2", 0.0,
                                       format_func=lambda v: f"{v:g}")
        with right:
            target = widgets.number("Epochs", "backprop_epochs", 1, MAX_EPOCHS, 150, 10,
                                    help="Train stops here; raise it to continue the same run.")
            pace = widgets.select("Pace", list(PACES), key="backprop_pace", index=1,
                                  help="Epochs per screen update: watch 1, steady 5, fast as many as fit in a "
                                       "quarter of a second. The result does not depend on it.")
    controls = Controls(**vars(setup), optimizer=optimizer, learning_rate=learning_rate, batch_size=batch_size,
                        l2=l2, target=target, pace=pace)
    with user_errors():
        view = backprop_view(controls, content)
    current.view = view
    if not whole_page and current.outdated():
        st.rerun(scope="app")
    render_training(view)
    render_gradient_check(view)


def render_training(view: BackpropView) -> None:
    """Train / Pause / Step / Reset, then the live part: metrics, boundary, network, curves with live changes."""
    run, target = view.run, view.controls.target
    if run.started_by and view.model.n_epochs_ == 0:
        reasons = " and ".join(RUN_GROUPS[g] for g in run.started_by)
        st.info(f"New run from epoch 0: you changed {reasons}.", icon=":material/restart_alt:")
    training.control_bar(PREFIX, run, view.model.n_epochs_, target, MAX_EPOCHS, view.train,
                         lambda: view.model.n_epochs_)

    def tick() -> None:
        training.train_for(run, view.train, lambda: view.model.n_epochs_, target, max_epochs=tick_epochs(view))

    training.live(run, lambda: live_view(view), tick)
    if view.model.diverged_:
        rate = view.live["learning_rate"]
        smaller = [r for r in LEARNING_RATES if r <= rate / 10 or math.isclose(r, rate / 10)]
        if smaller:
            st.button(f"Use learning rate {smaller[-1]:g} and start again", key="backprop_use_smaller_lr",
                      icon=":material/south:", on_click=_use_learning_rate, args=(smaller[-1],))


def _use_learning_rate(rate: float) -> None:
    widgets.set_value("backprop_lr", rate)
    training.reset(PREFIX)


def live_view(view: BackpropView) -> None:
    """The part of the page that redraws while training runs."""
    model, run, target = view.model, view.run, view.controls.target
    epoch, history = model.n_epochs_, model.history_
    latest = history.record(-1)
    state = " · waiting for a training slot…" if run.running and run.waiting else " · training…"
    st.markdown(f"**Epoch {epoch}** of {target}" + (state if run.running else ""))
    st.progress(min(1.0, epoch / target))
    if run.running and run.waiting:
        st.caption(training.waiting_note(run))
    if run.failure:
        st.warning(run.failure, icon=":material/warning:")
    metrics = st.container(horizontal=True)
    metrics.metric("Training loss", f"{latest.train_loss:.4f}", width=METRIC_WIDTH)
    metrics.metric("Training accuracy", f"{latest.train_accuracy:.1%}", width=METRIC_WIDTH)
    metrics.metric("Test loss", "—" if np.isnan(latest.test_loss) else f"{latest.test_loss:.4f}", width=METRIC_WIDTH)
    metrics.metric("Test accuracy", "—" if np.isnan(latest.test_accuracy) else f"{latest.test_accuracy:.1%}",
                   width=METRIC_WIDTH)
    split = view.split
    boundary_col, network_col = st.columns(2)
    # The pictures and the history depend on the epoch alone (a live tweak keeps the weights): built once per epoch.
    boundary = run.memo("boundary_chart", epoch, lambda: charts.boundary_chart(
        view.grid, model.predict_proba(view.grid.points)[:, 1], split.X_train, split.y_train, split.X_test,
        split.y_test, title="Decision boundary"))
    network = run.memo("network_chart", epoch, lambda: charts.network_chart(
        model.coefs_, model.intercepts_, view.layer_names, [FEATURE_LABELS[f] for f in view.features]))
    with boundary_col:
        show_chart(boundary,
                   "Heatmap of the predicted probability of class 1 with the data points.", "backprop_numbers_boundary",
                   width="content")
        st.caption("Shading: the network's probability of class 1 (blue) against class 0 (orange). "
                   "Filled points: training data; hollow diamonds: test data.")
    with network_col:
        show_chart(network,
                   "The network: lines are weights, wider for larger magnitude, blue positive, orange negative.",
                   "backprop_numbers_network")
        st.caption("Edges: weights (blue positive, orange negative, width ∝ size). Nodes: biases. "
                   f"Layers wider than {charts.MAX_DRAWN_UNITS} units show their first {charts.MAX_DRAWN_UNITS}.")
    changes = charts.change_frame(model.changes_, describe_change)
    axis_end = max(target, epoch)
    loss_frame = run.memo("loss_frame", epoch, lambda: charts.history_frame(
        history.epoch, {"train": history.train_loss, "test": history.test_loss}))
    accuracy_frame = run.memo("accuracy_frame", epoch, lambda: charts.history_frame(
        history.epoch, {"train": history.train_accuracy, "test": history.test_accuracy}))
    top_loss = max(1.0, float(np.nanmax(loss_frame["value"])) if len(loss_frame) else 1.0)
    loss_col, accuracy_col = st.columns(2)
    show_chart(charts.curve_chart(loss_frame, "cross-entropy loss", (0, top_loss), epochs=axis_end, changes=changes),
               "Training and test loss by epoch, with live changes marked.", "backprop_numbers_loss", loss_frame,
               container=loss_col)
    show_chart(charts.curve_chart(accuracy_frame, "accuracy", (0, 1), "bottom-right", epochs=axis_end,
                                  changes=changes),
               "Training and test accuracy by epoch, with live changes marked.", "backprop_numbers_accuracy",
               accuracy_frame, container=accuracy_col)
    if model.changes_:
        st.caption("Dashed lines: live changes, in force from the next epoch. " + "; ".join(
            f"after epoch {c.epoch}: {SETTING_LABELS[c.name]} {_setting_text(c.name, c.old)} → "
            f"{_setting_text(c.name, c.new)}" for c in model.changes_[-6:])
            + (". A new optimizer starts with fresh state: no velocity or moment estimates carry over from the "
               "previous one." if any(c.name == "optimizer" for c in model.changes_) else "."))


def _setting_text(name: str, value) -> str:
    if name == "optimizer":
        return OPTIMIZER_LABELS.get(value, str(value))
    if name == "batch_size":
        return "full" if value is None else str(value)
    return f"{value:g}"


@st.fragment
def render_backward_step(current: CurrentView) -> None:
    """One training point pushed through the network and back, every Jacobian product in numbers.

    A fragment: moving the training point reruns only this section, with the run's current weights.
    """
    view = current.view
    st.subheader("The calculus: backpropagation is a chain of Jacobian products")
    st.markdown(CALCULUS)
    model, split = view.model, view.split
    if view.run.running:
        st.caption("These numbers follow the weights when training pauses or finishes.")
    sample = widgets.slider("Training point", "backprop_sample", 0, len(split.y_train) - 1, 0, 1,
                            help="Which training point to push through the network.")
    with user_errors(stop=False):
        trace = model.backward_trace(split.X_train, split.y_train, sample)
        inputs = ""
        if view.features != DEFAULT_FEATURES:
            first = trace.steps[-1].activation_input
            inputs = " Inputs: " + ", ".join(f"{FEATURE_LABELS[f]} = {v:.3f}" for f, v in zip(view.features, first))
        st.markdown(f"Epoch {model.n_epochs_}: point x = ({trace.x[0]:.3f}, {trace.x[1]:.3f}) with label "
                    f"y = {trace.y}, prediction ŷ = {trace.probability:.4f}, loss {trace.loss:.4f}.{inputs}")
        if view.features != DEFAULT_FEATURES:
            st.latex(r"a_0 = \big(" + ",\\ ".join(FEATURE_TEX[f] for f in view.features) + r"\big)")
        n_layers = len(view.hidden) + 1
        if view.hidden and not np.any(model.coefs_[-1]):
            st.caption(ZERO_OUTPUT_NOTE)
        for step in trace.steps:
            l = step.layer
            label = "output layer" if l == n_layers else f"hidden layer {l}"
            with st.expander(f"Layer {l} ({label}): back from z{l}", expanded=l >= n_layers - 1):
                # One display per layer, a line per product: one element to send instead of up to seven.
                lines = charts.backward_step_latex(step, n_layers, view.controls.activation, view.controls.course_bug)
                st.latex(r"\begin{gathered}" + r" \\[1.2em] ".join(lines) + r"\end{gathered}")
        st.caption("Matrices larger than 6 × 6 are shown in part. The last line of each layer is the δ that the "
                   "layer below starts from; in the course's code that is `self.dz[l-1]`.")


def _gradient_check(model, X, y, sample, work: int):
    """The check's extended-precision products, in the killable worker unless they are small; None when its
    budget ran out."""
    check = functools.partial(model.gradient_check_layers, max_per_layer=sample)
    if work <= GRADIENT_CHECK_INLINE_WORK:
        return check(X, y)
    outcome = compute.bounded(check, X, y, timeout=GRADIENT_CHECK_TIMEOUT)
    return outcome.value if outcome.ok else None


def render_gradient_check(view: BackpropView) -> None:
    """Backpropagation against central differences; large networks check a bounded sample, on request."""
    model, run, epoch = view.model, view.run, view.model.n_epochs_
    sizes = view.layer_sizes
    n_parameters = parameter_count(sizes)
    sample = gradient_check_sample(sizes, GRADIENT_CHECK_POINTS, GRADIENT_CHECK_MAX_WORK)
    n_checked = gradient_check_count(sizes, sample)
    st.markdown("**Gradient check.** Backpropagation against central differences (J(θ + h) − J(θ − h)) / 2h, "
                + ("for every weight and bias" if sample is None else
                   f"for {n_checked} of the {n_parameters} weights and biases (up to {sample} of each per layer, "
                   "a fixed random choice, as many as a bounded check affords)")
                + f", on the first {GRADIENT_CHECK_POINTS} training points.")
    # The checked objective includes the L2 term, which a live change alters without a new epoch.
    l2 = (model.l2,)
    if (not run.has("gradient_check", epoch, l2) and n_checked * n_parameters > GRADIENT_CHECK_AUTO_WORK
            and not st.button(f"Run the gradient check ({n_checked} parameters)", key="backprop_run_check")):
        st.caption("Larger networks are checked on request.")
    else:
        with user_errors(stop=False):
            split = view.split
            checks = run.memo("gradient_check", epoch, lambda: _gradient_check(
                model, split.X_train[:GRADIENT_CHECK_POINTS], split.y_train[:GRADIENT_CHECK_POINTS], sample,
                n_checked * n_parameters), l2)
            if checks is None:
                run.forget("gradient_check", epoch, l2)  # a stopped check may be asked for again
                st.warning("The gradient check did not finish within its time budget and was stopped; try a smaller "
                           "network, or check again when the server is less busy.")
                return
            frame = charts.gradient_check_frame(checks, view.layer_names, GRADIENT_CHECK_TOLERANCE)
            st.dataframe(frame, hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(format="%.2e") for c in frame.columns
                                        if c.startswith("max rel")})
            worst = max(c.max_relative_error for c in checks)
            if all(c.passed for c in checks):
                st.success(f"Backpropagation agrees with finite differences: worst relative error {worst:.1e}.")
            else:
                st.error(f"The gradient check fails: worst relative error {worst:.2f}.")
    if view.controls.course_bug:
        course_note(COURSE_BUG_NOTE)


def _reference_epochs(view: BackpropView) -> int:
    """Epochs the comparison trains: the Epochs setting, or fewer to stay within its work bound."""
    epoch_work = training_work(len(view.split.y_train), view.layer_sizes, view.live["batch_size"], 1)
    return max(1, min(view.controls.target, REFERENCE_MAX_WORK // epoch_work))


def _reference_key(view: BackpropView) -> tuple:
    return view.run.key, tuple(sorted(view.live.items())), _reference_epochs(view)


def _reference_result(view: BackpropView):
    """The stored comparison if it was made with the current settings, else None."""
    stored = st.session_state.get("backprop_reference_result")
    return stored[1] if stored and stored[0] == _reference_key(view) else None


def render_reference(current: CurrentView) -> None:
    """Our network and scikit-learn's, trained from scratch in the killable worker under a budget."""
    view = current.view
    st.subheader("Reference: scikit-learn")
    target = view.controls.target
    epochs = _reference_epochs(view)
    st.markdown("The same data, architecture, input features, optimizer, learning rate, batch size, L2 strength and "
                "number of epochs, trained by scikit-learn's `MLPClassifier` and by this page's numpy code from "
                "scratch with the current settings (live changes made during your run are not replayed).")
    if st.button("Run the reference comparison", key="backprop_reference", icon=":material/compare_arrows:"):
        X_test, y_test = view.test_data
        with st.spinner("Training both networks…"):
            outcome = compute.bounded(compare_with_sklearn, view.split.X_train, view.split.y_train, X_test, y_test,
                                      view.settings, epochs, timeout=REFERENCE_TIMEOUT)
        st.session_state["backprop_reference_result"] = (_reference_key(view), outcome)
    current.shows("reference", lambda v: (_reference_epochs(v), v.controls.target, _reference_result(v) is None))
    outcome = _reference_result(view)
    if outcome is None:
        if epochs < target:
            st.caption(f"This network trains {epochs} of the {target} epochs here: a comparison is bounded to about "
                       "a second of training on this shared server.")
        return
    if not outcome.ok:
        st.warning("The comparison did not finish within its time budget on this shared server"
                   + (" (it failed)" if outcome.error else "")
                   + ". Try fewer samples, a smaller network, a larger batch or fewer epochs.",
                   icon=":material/timer_off:")
        return
    rows = outcome.value
    table = pd.DataFrame({"model": [r.model for r in rows], "train accuracy": [r.train_accuracy for r in rows],
                          "test accuracy": [r.test_accuracy for r in rows], "seconds": [r.seconds for r in rows]})
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "train accuracy": st.column_config.NumberColumn(format="percent"),
        "test accuracy": st.column_config.NumberColumn(format="percent"),
        "seconds": st.column_config.NumberColumn(format="%.3f"),
    })
    notes = [f"Times are for one full training run of each ({epochs} epochs), in a worker process on this server."]
    if epochs < target:
        notes.append(f"Both trained {epochs} of the {target} epochs: a comparison is bounded to about a second of "
                     "training on this shared server.")
    if view.controls.activation == "leaky_relu":
        notes.append("scikit-learn has no leaky ReLU, so its network uses ReLU.")
    if not view.hidden:
        notes.append("scikit-learn needs a hidden layer, so its network has one unit more.")
    if table["train accuracy"].isna().any():
        notes.append("A model whose training diverged has no accuracy.")
    st.caption(" ".join(notes))


# ------------------------------------------------------------------ compare runs


@dataclass(frozen=True)
class PinnedRun:
    """A finished or paused run kept for comparison: its settings, thinned curves and final metrics."""

    label: str
    settings: dict
    curves: dict
    final: dict


def pin(view: BackpropView) -> PinnedRun:
    """The current run as a :class:`PinnedRun` (at most ``charts.CURVE_POINTS`` epochs of each curve)."""
    model, c = view.model, view.controls
    history = model.history_
    keep = np.unique(np.r_[np.linspace(0, len(history.epoch) - 1, charts.CURVE_POINTS).astype(int)])
    curves = {name: np.asarray(getattr(history, name))[keep].copy()
              for name in ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")}
    latest = history.record(-1)
    settings = {"data": c.dataset if c.dataset != CSV else "CSV file", "samples": len(view.split.y_train),
                "layers": "-".join(map(str, view.hidden)) or "none", "activation": c.activation,
                "features": ", ".join(FEATURE_LABELS[f] for f in view.features),
                "optimizer": OPTIMIZER_LABELS[model.optimizer], "learning rate": f"{model.learning_rate:g}",
                "L2": f"{model.l2:g}", "batch": "full" if model.batch_size is None else str(model.batch_size),
                "weight seed": c.weight_seed, "live changes": len(model.changes_)}
    final = {"epochs": model.n_epochs_, "train loss": latest.train_loss, "train accuracy": latest.train_accuracy,
             "test loss": latest.test_loss, "test accuracy": latest.test_accuracy}
    label = (f"{settings['layers']} {settings['activation']}, {settings['optimizer']} lr {settings['learning rate']}"
             f", epoch {model.n_epochs_}")
    return PinnedRun(label, settings, curves, final)


def _pin_current(current: CurrentView) -> None:
    pinned = st.session_state.setdefault("backprop_pinned", [])
    if len(pinned) < MAX_PINNED:
        run = pin(current.view)
        labels = {p.label for p in pinned}
        n = 2
        label = run.label
        while label in labels:
            label, n = f"{run.label} ({n})", n + 1
        pinned.append(PinnedRun(label, run.settings, run.curves, run.final))


def _unpin(label: str) -> None:
    st.session_state["backprop_pinned"] = [p for p in st.session_state.get("backprop_pinned", []) if p.label != label]


def _clear_pins() -> None:
    st.session_state["backprop_pinned"] = []


def render_compare(current: CurrentView) -> None:
    """Pinned runs of this session side by side: overlaid curves and a table of settings and final metrics."""
    view = current.view
    st.subheader("Compare runs")
    pinned = st.session_state.get("backprop_pinned", [])
    row = st.container(horizontal=True)
    row.button("Pin this run", key="backprop_pin", icon=":material/push_pin:", on_click=_pin_current, args=(current,),
               disabled=len(pinned) >= MAX_PINNED or view.run.running,
               help=f"Keep this run's curves and results for comparison (up to {MAX_PINNED}).")
    row.button("Clear pinned runs", key="backprop_clear_pins", icon=":material/delete_sweep:", on_click=_clear_pins,
               disabled=not pinned)
    st.caption(f"Pinned runs stay in this browser session only (up to {MAX_PINNED}); they are not part of the link."
               + (" Pause to pin the run." if view.run.running else ""))
    if not pinned:
        return
    loss_col, accuracy_col = st.columns(2)
    show_chart(charts.compare_chart(charts.compare_frame(pinned, "loss"), "cross-entropy loss"),
               "Loss curves of the pinned runs.", "backprop_numbers_pinned_loss", container=loss_col)
    show_chart(charts.compare_chart(charts.compare_frame(pinned, "accuracy"), "accuracy", (0, 1)),
               "Accuracy curves of the pinned runs.", "backprop_numbers_pinned_accuracy", container=accuracy_col)
    st.caption("Solid: training data; dashed: test data.")
    table = pd.DataFrame([{"run": p.label, **p.settings, **p.final} for p in pinned])
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        name: st.column_config.NumberColumn(format="percent") for name in ("train accuracy", "test accuracy")})
    unpin = st.container(horizontal=True)
    for i, p in enumerate(pinned):
        unpin.button(f"Unpin {p.label}", key=f"backprop_unpin_{i}", icon=":material/close:", on_click=_unpin,
                     args=(p.label,))


# ------------------------------------------------------------------ sweep


def _sweep_controls(view: BackpropView):
    """The sweep's widgets: parameter, range, number of values, seeds (and the layer of a width sweep)."""
    parameter = widgets.select("Hyperparameter", SWEEP_PARAMETERS, key="backprop_sweep_param",
                               format_func=lambda p: SWEEP_LABELS[p])
    low_col, high_col, points_col, seeds_col = st.columns(4)
    layer = 1
    if parameter == "width":
        if not view.hidden:
            st.info("The network has no hidden layer to widen: add one under Hidden layers.")
            return None
        layer = widgets.slider("Layer", "backprop_sweep_layer", 1, len(view.hidden), 1, 1, container=low_col)
        low, high = widgets.slider("Units from", "backprop_sweep_width_from", 1, 64, 1, 1, container=high_col), \
            widgets.slider("to", "backprop_sweep_width_to", 1, 64, 16, 1, container=points_col)
    else:
        options, low, high = SWEEP_RANGES[parameter]
        def text(v):
            return f"{v:g}"
        low = widgets.select_slider("From", options, f"backprop_sweep_{parameter}_from", low, format_func=text,
                                    container=low_col)
        high = widgets.select_slider("To", options, f"backprop_sweep_{parameter}_to", high, format_func=text,
                                     container=high_col)
    n_points = widgets.slider("Values", "backprop_sweep_points", 2, MAX_GRID, SWEEP_DEFAULT_POINTS, 1,
                              container=seeds_col if parameter == "width" else points_col)
    n_seeds = widgets.slider("Seeds per value", "backprop_sweep_seeds", 1, MAX_SEEDS, SWEEP_DEFAULT_SEEDS, 1,
                             container=seeds_col)
    return parameter, float(low), float(high), n_points, n_seeds, layer


@st.fragment
def render_sweep(current: CurrentView) -> None:
    """Final test loss and accuracy against one hyperparameter, a fresh network per value and seed.

    A fragment: its controls set up the sweep only, so moving them reruns this section alone.
    """
    view = current.view
    st.subheader("Sweep a hyperparameter")
    target = view.controls.target
    st.markdown(f"Train a fresh network for each value and seed, {target} epochs each (the Epochs setting), with "
                "every other setting as above, and see where the final test loss and accuracy are best. The bars "
                "span the seeds: differences within them are chance.")
    controls = _sweep_controls(view)
    if controls is None:
        return
    parameter, low, high, n_points, n_seeds, layer = controls
    with user_errors(stop=False):
        values = sweep_grid(parameter, min(low, high), max(low, high), n_points) if low != high else (low,)
        if parameter in ("width", "batch_size"):
            values = tuple(int(v) for v in values)
        seeds = tuple(range(view.controls.weight_seed, view.controls.weight_seed + n_seeds))

        def work_of(v: BackpropView) -> float:
            return sweep_work(len(v.split.y_train), len(v.features), v.settings, parameter, values, seeds,
                              v.controls.target, layer)

        def key_of(v: BackpropView) -> tuple:
            return v.run.key, tuple(sorted(v.live.items())), parameter, values, seeds, v.controls.target, layer

        def shown(v: BackpropView) -> tuple:
            stored = st.session_state.get("backprop_sweep_result")
            return v.controls.target, work_of(v), bool(stored) and stored[0] == key_of(v)

        _, work, _ = current.shows("sweep", shown)
        key = key_of(view)
        st.caption(f"{len(values)} values × {len(seeds)} seeds × {target} epochs = {len(values) * len(seeds)} "
                   f"networks; {work / SWEEP_MAX_WORK:.0%} of the work one sweep may do on this shared server "
                   f"(about {SWEEP_MAX_WORK / 1e9:g} s of training, in a worker process that stops after "
                   f"{SWEEP_TIMEOUT:g} s).")
        too_big = work > SWEEP_MAX_WORK
        if too_big:
            st.warning("This sweep is larger than one sweep may be here: use fewer values, seeds, epochs or samples, "
                       "or a smaller network or a larger batch.", icon=":material/block:")
        # The button is disabled over the cap, but a crafted client can still send the click: check again.
        clicked = st.button("Run the sweep", key="backprop_sweep_run", icon=":material/query_stats:", disabled=too_big)
        if clicked and not too_big:
            st.session_state["backprop_sweep_result"] = (key, run_sweep(view, parameter, values, seeds, layer))
        stored = st.session_state.get("backprop_sweep_result")
        if stored and stored[0] == key:
            show_sweep(stored[1], parameter, view, layer)


def run_sweep(view: BackpropView, parameter: str, values: tuple, seeds: tuple, layer: int):
    """The sweep value by value in the killable worker, with a progress bar; partial when the budget runs out."""
    X_test, y_test = view.test_data
    parts, start = [], time.monotonic()
    progress = st.progress(0.0, text="Sweeping…")
    for i, value in enumerate(values):
        left = SWEEP_TIMEOUT - (time.monotonic() - start)
        if left <= 0:
            break
        outcome = compute.bounded(sweep, view.split.X_train, view.split.y_train, X_test, y_test, view.settings,
                                  parameter, (value,), seeds, view.controls.target, layer, timeout=left)
        if not outcome.ok:
            break
        parts.append(outcome.value)
        progress.progress((i + 1) / len(values), text=f"Sweeping… {i + 1} of {len(values)} values")
    progress.empty()
    return combine(parts, values) if parts else None


def show_sweep(result, parameter: str, view: BackpropView, layer: int) -> None:
    if result is None or not result.complete:
        st.warning("The sweep ran out of its time budget on this shared server"
                   + (": the chart shows the values finished in time." if result else " before a value finished.")
                   + " Fewer values, seeds or epochs finish sooner.", icon=":material/timer_off:")
    if result is None:
        return
    current = {"learning_rate": view.live["learning_rate"], "l2": view.live["l2"],
               "batch_size": view.live["batch_size"] or len(view.split.y_train),
               "width": view.hidden[layer - 1] if view.hidden else None}[parameter]
    label = SWEEP_LABELS[parameter] + (f" (layer {layer})" if parameter == "width" else "")
    log_x = parameter in LOG_SCALE
    metric = "test" if len(view.split.y_test) else "train"
    loss_col, accuracy_col = st.columns(2)
    loss, accuracy = result.summary(f"{metric}_loss"), result.summary(f"{metric}_accuracy")
    show_chart(charts.sweep_chart(loss, f"final {metric} loss", label, log_x, current),
               f"Final {metric} loss against the {label}, with the spread over seeds.", "backprop_numbers_sweep_loss",
               loss, container=loss_col)
    show_chart(charts.sweep_chart(accuracy, f"final {metric} accuracy", label, log_x, current, (0, 1)),
               f"Final {metric} accuracy against the {label}, with the spread over seeds.",
               "backprop_numbers_sweep_accuracy", accuracy, container=accuracy_col)
    diverged = sum(r.diverged for r in result.runs)
    st.caption("Points: mean over seeds; bars: lowest to highest seed; dashed line: the current setting."
               + (f" {diverged} run(s) diverged and are left out." if diverged else "")
               + ("" if len(view.split.y_test) else " With no test data the training metrics are shown."))


# ------------------------------------------------------------------ export and task


def render_export(current: CurrentView) -> None:
    """History, weights and a numpy script that repeats the run (features and live changes included)."""
    view = current.view
    st.subheader("Export")
    if view.run.running:
        st.caption("Pause to download the run.")
        return
    epoch = view.model.n_epochs_
    builders = {"history": lambda v: history_csv(v.model), "weights": lambda v: weights_json(v.model),
                "script": lambda v: numpy_script(v.model, v.split.X_train, v.split.y_train, v.split.X_test,
                                                 v.split.y_test)}

    def deferred(kind: str) -> Callable[[], str]:
        # Built on the click, in Streamlit's download thread, from the panel's latest view (a live change there
        # may not have rerun this section), once per epoch and settings: a page view does not pay for it.
        def build() -> str:
            v = current.view
            # A live change alters the settings and the list of changes without a new epoch.
            version = (len(v.model.changes_), tuple(sorted(v.live.items(), key=str)))
            return v.run.memo(f"export_{kind}", v.model.n_epochs_, lambda: builders[kind](v), version)
        return build

    with user_errors(stop=False):
        history_col, weights_col, script_col = st.columns(3)
        history_col.download_button("History (CSV)", deferred("history"), file_name="backprop_history.csv",
                                    mime="text/csv", key="backprop_download_history", icon=":material/table:",
                                    width="stretch", on_click="ignore")
        weights_col.download_button("Weights (JSON)", deferred("weights"), file_name="backprop_weights.json",
                                    mime="application/json", key="backprop_download_weights",
                                    icon=":material/data_object:", width="stretch", on_click="ignore")
        script_col.download_button("Standalone script (numpy)", deferred("script"), file_name="backprop_run.py",
                                   mime="text/x-python", key="backprop_download_script", icon=":material/code:",
                                   width="stretch", on_click="ignore")
        st.caption(f"Epoch {epoch}. The script carries the data, the input features and the settings, with every "
                   f"live change at its epoch, and repeats these {epoch} epochs with numpy alone, ending with the "
                   "same weights.")
