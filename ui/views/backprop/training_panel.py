"""The training panel: the live training settings, Train / Pause / Step / Reset, and what redraws while training.

The panel is a fragment: moving a training setting (learning rate, L2, ...) reruns it alone. The whole
page runs instead when the run itself changed (Train, Pause, Step, Reset, a smaller learning rate) or
when the change alters what a section below displays (:meth:`CurrentView.outdated`); both are known
before anything is drawn.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from calc_core.mlp import SettingChange
from calc_core.mlp.early_stopping import EarlyStopping, train_watching
from ui import training, widgets
from ui.charts import backprop as charts
from ui.charts.show import show_chart
from ui.controls import draw
from ui.errors import user_errors
from ui.sections import shown
from ui.views.backprop import problems
from ui.views.backprop.current import CurrentView
from ui.views.backprop.data import Upload
from ui.views.backprop.inspection import render_gradient_check
from ui.views.backprop.metrics import render_metrics
from ui.views.backprop.sessions import replay_pending
from ui.views.backprop.settings import (
    CONTROLS,
    FEATURE_LABELS,
    LEARNING_RATES,
    MAX_EPOCHS,
    OPTIMIZER_LABELS,
    PREFIX,
    SECTIONS,
)
from ui.views.backprop.state import BackpropView, Settings, Setup
from ui.views.backprop.text import LIVE_NOTE, RUN_GROUPS, SETTING_LABELS
from ui.views.backprop.view import backprop_view, tick_epochs

METRIC_WIDTH = 160  # four in a row on a laptop, two on a phone


def training_settings(setup: Setup) -> Settings:
    """The panel's own controls (they change the running network), with the page's :class:`Setup`."""
    with st.container(border=True):
        st.markdown("**Training settings** (changes apply live)")
        left, middle, right = st.columns(3)
        with left:
            optimizer = draw(CONTROLS["backprop_optimizer"])
            batch_size = draw(CONTROLS["backprop_batch"])
        with middle:
            learning_rate = draw(CONTROLS["backprop_lr"])
            l2 = draw(CONTROLS["backprop_l2"])
        with right:
            target = draw(CONTROLS["backprop_epochs"])
            pace = draw(CONTROLS["backprop_pace"])
            patience = draw(CONTROLS["backprop_patience"])
    return Settings(**vars(setup), optimizer=optimizer, learning_rate=learning_rate, batch_size=batch_size,
                    l2=l2, target=target, pace=pace, patience=int(patience))


@st.fragment
def render_training_panel(current: CurrentView, setup: Setup, upload: Upload | None) -> None:
    """The training settings, the Train section and the gradient check, as one fragment (see the module)."""
    whole_page = current.view is None
    # Train, Pause, Step, Reset or a smaller learning rate acted in its callback: every section must follow.
    if training.control_clicked(PREFIX) and not whole_page:
        st.rerun(scope="app")
    # The experiment first: Train and the live pictures, then the settings that steer them.
    live_area = st.container()
    settings = training_settings(setup)
    st.caption(LIVE_NOTE)
    view = None
    with user_errors(stop=False):
        view = backprop_view(settings, upload)
    current.view = view
    if view is None:
        live_area.caption(NEEDS_SETTINGS)
        return
    replay_pending(view)  # a session file just loaded: its run, trained again
    if not whole_page and current.outdated():
        st.rerun(scope="app")
    with live_area:
        render_training(view)
    if shown(SECTIONS["backprop_check"]):
        with st.expander(SECTIONS["backprop_check"].label):
            render_gradient_check(view)


NEEDS_SETTINGS = ("Training needs data and a network the page can use: the message below names the setting to "
                  "change. The sections further down wait for it too.")


def render_training(view: BackpropView) -> None:
    """Train / Pause / Step / Reset, then the live part: metrics, boundary, network, curves with live changes."""
    run, target = view.run, view.controls.target
    if run.started_by and view.model.n_epochs_ == 0:
        reasons = " and ".join(RUN_GROUPS[g] for g in run.started_by)
        st.info(f"New run from epoch 0: you changed {reasons}.", icon=":material/restart_alt:")
    training.control_bar(PREFIX, run, view.model.n_epochs_, target, MAX_EPOCHS, train_function(view),
                         lambda: view.model.n_epochs_)
    render_continue(view)

    def tick() -> None:
        training.train_for(run, train_function(view), lambda: view.model.n_epochs_, target, max_epochs=tick_epochs(view))

    training.live(run, lambda: live_view(view), tick)
    if view.model.diverged_:
        rate = view.live["learning_rate"]
        smaller = [r for r in LEARNING_RATES if r <= rate / 10 or math.isclose(r, rate / 10)]
        if smaller:
            st.button(f"Use learning rate {smaller[-1]:g} and start again", key="backprop_use_smaller_lr",
                      icon=":material/south:", on_click=_use_learning_rate, args=(smaller[-1],))


def render_continue(view: BackpropView) -> None:
    """At the Epochs setting, a button that raises it (by as many epochs again) and trains on in the same run."""
    run, epoch, target = view.run, view.model.n_epochs_, view.controls.target
    if run.running or run.failure is not None or epoch < target:
        return
    if epoch >= MAX_EPOCHS:
        st.caption(f"This run has trained {MAX_EPOCHS} epochs, the most a run may train here.")
        return
    new_target = min(MAX_EPOCHS, epoch + target)
    st.button(f"Continue training to epoch {new_target}", key="backprop_continue", icon=":material/fast_forward:",
              on_click=_continue, args=(new_target,),
              help="Raise Epochs and train on from these weights, in the same run (nothing starts again).")


def _continue(new_target: int) -> None:
    widgets.set_value(CONTROLS["backprop_epochs"].key, new_target)
    training.resume(PREFIX)


EARLY_STOPPING = "early_stopping"  # the run's EarlyStopping, in ``run.extra``


def early_stopping(view: BackpropView) -> EarlyStopping | None:
    """The run's early stopping with the current patience (None when it is off or there is no test data)."""
    patience = view.controls.patience
    if not patience or not len(view.split.y_test):
        return None
    watch = view.run.extra.get(EARLY_STOPPING)
    if watch is None:
        watch = view.run.extra[EARLY_STOPPING] = EarlyStopping(patience)
    watch.patience = patience
    return watch


def train_function(view: BackpropView):
    """``train(n)`` for the run: plain epochs, or epochs watched by early stopping (which may stop the run and
    put back the network of the best epoch)."""
    if early_stopping(view) is None:
        return view.train

    def train(n: int) -> None:
        run, watch = view.run, early_stopping(view)
        X_test, y_test = view.test_data
        watch.stopped_at = None
        model = train_watching(run.model, view.split.X_train, view.split.y_train, n, X_test, y_test, watch)
        if model is not run.model:
            run.model = model
            run.running = False
    return train


def render_early_stopping(view: BackpropView) -> None:
    """What early stopping did: the epoch it stopped at and the epoch whose weights the run went back to."""
    patience = view.controls.patience
    if patience and not len(view.split.y_test):
        st.caption("Early stopping watches the test loss: with a training share of 1 there is none, so it is off.")
        return
    watch = view.run.extra.get(EARLY_STOPPING)
    if not patience or watch is None or watch.best_epoch is None:
        return
    if watch.stopped_at is not None:
        st.info(f"Early stopping at epoch {watch.stopped_at}: the test loss ({watch.stopped_loss:.4f}) had not gone "
                f"below {watch.best_loss:.4f} for {patience} epochs. The network is back at **epoch "
                f"{watch.best_epoch}**, the epoch of the lowest test loss: its weights are the ones shown, pinned and "
                "exported. Training on repeats the same epochs and stops here again; raise the patience, or set it "
                "to 0, to train past it.", icon=":material/front_hand:")
    else:
        st.caption(f"Early stopping (patience {patience}): lowest test loss so far {watch.best_loss:.4f}, at epoch "
                   f"{watch.best_epoch}.")


def _use_learning_rate(rate: float) -> None:
    widgets.set_value(CONTROLS["backprop_lr"].key, rate)
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
    render_early_stopping(view)
    split = view.split
    boundary_col, network_col = st.columns(2)
    # The pictures and the history depend on the epoch alone (a live tweak keeps the weights): built once per epoch.
    pair = list(view.pair)  # the columns drawn (an upload with more features: the others at their median)
    task = problems.task_of(view)
    if task == "binary":
        boundary = run.memo("boundary_chart", epoch, lambda: charts.boundary_chart(
            view.grid, model.predict_proba(view.grid.points)[:, 1], split.X_train[:, pair], split.y_train,
            split.X_test[:, pair], split.y_test, title="Decision boundary", axes=view.axis_titles), view.pair)
    else:  # three classes or regression: a colour per class, or the predicted number
        boundary = run.memo("boundary_chart", epoch, lambda: problems.map_chart(view), view.pair)
    network = run.memo("network_chart", epoch, lambda: charts.network_chart(
        model.coefs_, model.intercepts_, view.layer_names, [FEATURE_LABELS.get(f, f) for f in view.features]))
    with boundary_col:
        show_chart(boundary, problems.ALT_TEXT.get(
                   task, "Heatmap of the predicted probability of class 1 with the data points."),
                   "backprop_numbers_boundary", width="content")
        st.caption(problems.CAPTIONS.get(task, "Shading: the network's probability of class 1 (blue) against class 0 "
                                               "(orange). Filled points: training data; hollow diamonds: test data."))
    with network_col:
        show_chart(network,
                   "The network: lines are weights, wider for larger magnitude, blue positive, orange negative.",
                   "backprop_numbers_network")
        st.caption("Edges: weights (blue positive, orange negative, width ∝ size). Nodes: biases. "
                   f"Layers wider than {charts.MAX_DRAWN_UNITS} units show their first {charts.MAX_DRAWN_UNITS}.")
    metrics = st.container(horizontal=True)
    metrics.metric("Training loss", f"{latest.train_loss:.4f}", width=METRIC_WIDTH)
    score = problems.score_name(view)
    metrics.metric(f"Training {score}", problems.score_text(view, latest.train_accuracy), width=METRIC_WIDTH)
    metrics.metric("Test loss", "—" if np.isnan(latest.test_loss) else f"{latest.test_loss:.4f}", width=METRIC_WIDTH)
    metrics.metric(f"Test {score}", problems.score_text(view, latest.test_accuracy), width=METRIC_WIDTH)
    changes = charts.change_frame(model.changes_, describe_change)
    axis_end = max(target, epoch)
    loss_frame = run.memo("loss_frame", epoch, lambda: charts.history_frame(
        history.epoch, {"train": history.train_loss, "test": history.test_loss}))
    accuracy_frame = run.memo("accuracy_frame", epoch, lambda: charts.history_frame(
        history.epoch, {"train": history.train_accuracy, "test": history.test_accuracy}))
    top_loss = max(1.0, float(np.nanmax(loss_frame["value"])) if len(loss_frame) else 1.0)
    loss_col, accuracy_col = st.columns(2)
    show_chart(charts.curve_chart(loss_frame, problems.loss_name(view), (0, top_loss), epochs=axis_end,
                                  changes=changes),
               "Training and test loss by epoch, with live changes marked.", "backprop_numbers_loss", loss_frame,
               container=loss_col)
    show_chart(charts.curve_chart(accuracy_frame, score, problems.score_domain(view, accuracy_frame["value"]),
                                  "bottom-right", epochs=axis_end, changes=changes),
               f"Training and test {score} by epoch, with live changes marked.", "backprop_numbers_accuracy",
               accuracy_frame, container=accuracy_col)
    if model.changes_:
        st.caption("Dashed lines: live changes, in force from the next epoch. " + "; ".join(
            f"after epoch {c.epoch}: {SETTING_LABELS[c.name]} {_setting_text(c.name, c.old)} → "
            f"{_setting_text(c.name, c.new)}" for c in model.changes_[-6:])
            + (". A new optimizer starts with fresh state: no velocity or moment estimates carry over from the "
               "previous one." if any(c.name == "optimizer" for c in model.changes_) else "."))
    problems.render_problem_details(view)
    render_metrics(view)


def describe_change(change: SettingChange) -> str:
    """Short text of one live change, as on the curves: "lr 0.01", "Adam", "batch 32"."""
    if change.name == "optimizer":
        return OPTIMIZER_LABELS.get(change.new, str(change.new))
    if change.name == "batch_size":
        return "full batch" if change.new is None else f"batch {change.new}"
    return f"{'lr' if change.name == 'learning_rate' else 'L2'} {change.new:g}"


def _setting_text(name: str, value) -> str:
    if name == "optimizer":
        return OPTIMIZER_LABELS.get(value, str(value))
    if name == "batch_size":
        return "full" if value is None else str(value)
    return f"{value:g}"
