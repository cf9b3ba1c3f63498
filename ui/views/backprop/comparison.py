"""Comparing runs: this page's network against scikit-learn's, and the session's pinned runs side by side."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from calc_core.limits import MAX_PINNED_RUNS, REFERENCE_MAX_WORK, REFERENCE_TIMEOUT
from calc_core.mlp import training_work
from calc_core.mlp.reference import compare_with_sklearn
from ui import compute
from ui.charts import backprop as charts
from ui.charts.show import show_chart
from ui.sections import section
from ui.views.backprop import problems
from ui.views.backprop.current import CurrentView
from ui.views.backprop.settings import CSV, FEATURE_LABELS, OPTIMIZER_LABELS, SECTIONS
from ui.views.backprop.state import BackpropView, PinnedRun, Stored, page_state

MAX_PINNED = MAX_PINNED_RUNS

# ------------------------------------------------------------------ the reference comparison


def _reference_epochs(view: BackpropView) -> int:
    """Epochs the comparison trains: the Epochs setting, or fewer to stay within its work bound."""
    epoch_work = training_work(len(view.split.y_train), view.layer_sizes, view.live["batch_size"], 1)
    return max(1, min(view.controls.target, REFERENCE_MAX_WORK // epoch_work))


def _reference_key(view: BackpropView) -> tuple:
    return view.run.key, tuple(sorted(view.live.items())), _reference_epochs(view)


def _reference_result(view: BackpropView):
    """The stored comparison if it was made with the current settings, else None."""
    return page_state().stored_reference(_reference_key(view))


@section(SECTIONS["backprop_reference"])
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
        page_state().reference = Stored(_reference_key(view), outcome)
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
    score = problems.score_name(view)  # accuracy, or R² for regression
    score_format = "percent" if score == "accuracy" else "%.3f"
    table = pd.DataFrame({"model": [r.model for r in rows], f"train {score}": [r.train_accuracy for r in rows],
                          f"test {score}": [r.test_accuracy for r in rows], "seconds": [r.seconds for r in rows]})
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        f"train {score}": st.column_config.NumberColumn(format=score_format),
        f"test {score}": st.column_config.NumberColumn(format=score_format),
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
    if table[f"train {score}"].isna().any():
        notes.append(f"A model whose training diverged has no {score}.")
    st.caption(" ".join(notes))


# ------------------------------------------------------------------ pinned runs


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
                "features": ", ".join(FEATURE_LABELS.get(f, f) for f in view.features),
                "optimizer": OPTIMIZER_LABELS[model.optimizer], "learning rate": f"{model.learning_rate:g}",
                "L2": f"{model.l2:g}", "batch": "full" if model.batch_size is None else str(model.batch_size),
                "weight seed": c.weight_seed, "live changes": len(model.changes_)}
    score = problems.score_name(view)  # accuracy, or R² for regression
    final = {"epochs": model.n_epochs_, "train loss": latest.train_loss, f"train {score}": latest.train_accuracy,
             "test loss": latest.test_loss, f"test {score}": latest.test_accuracy}
    label = pin_label(settings, model.n_epochs_)
    return PinnedRun(label, settings, curves, final)


def pin_label(settings: dict, epochs: int) -> str:
    """A pinned run's whole label: data, network, features, training settings, seed and epochs."""
    return (f"{settings['data']} · {settings['layers']} {settings['activation']} · {settings['features']} · "
            f"{settings['optimizer']} lr {settings['learning rate']}, L2 {settings['L2']}, batch {settings['batch']} · "
            f"seed {settings['weight seed']} · epoch {epochs}")


#: The pinned-runs table: the run, its final metrics first, then its settings.
FINAL_COLUMNS = ("epochs", "test accuracy", "test loss", "train accuracy", "train loss")


def pinned_table(pinned: list[PinnedRun]) -> pd.DataFrame:
    """One row per pinned run: its label, its final metrics, then its settings."""
    rows = [{"run": p.label, **{name: p.final.get(name) for name in FINAL_COLUMNS},
             **{k: v for k, v in p.final.items() if k not in FINAL_COLUMNS}, **p.settings} for p in pinned]
    return pd.DataFrame(rows)


def _pin_current(current: CurrentView) -> None:
    pinned = page_state().pinned
    if len(pinned) < MAX_PINNED:
        run = pin(current.view)
        labels = {p.label for p in pinned}
        n = 2
        label = run.label
        while label in labels:
            label, n = f"{run.label} ({n})", n + 1
        pinned.append(PinnedRun(label, run.settings, run.curves, run.final))


def _unpin(label: str) -> None:
    state = page_state()
    state.pinned = [p for p in state.pinned if p.label != label]


def _clear_pins() -> None:
    page_state().pinned = []


@section(SECTIONS["backprop_compare"])
def render_compare(current: CurrentView) -> None:
    """Pinned runs of this session side by side: overlaid curves and a table of settings and final metrics."""
    view = current.view
    st.subheader("Compare runs")
    pinned = page_state().pinned
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
    scores = " or ".join(dict.fromkeys("R²" if "train R²" in p.final else "accuracy" for p in pinned))
    show_chart(charts.compare_chart(charts.compare_frame(pinned, "accuracy"), scores, (0, 1)),
               f"{scores.capitalize()} curves of the pinned runs.", "backprop_numbers_pinned_accuracy",
               container=accuracy_col)
    st.caption("Solid: training data; dashed: test data.")
    table = pinned_table(pinned)
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "run": st.column_config.TextColumn(width="large"),
        **{name: st.column_config.NumberColumn(format="percent") for name in ("train accuracy", "test accuracy")},
        **{name: st.column_config.NumberColumn(format="%.3f") for name in ("train R²", "test R²")},
        **{name: st.column_config.NumberColumn(format="%.4f") for name in ("train loss", "test loss")}})
    unpin = st.container(horizontal=True)
    for i, p in enumerate(pinned):
        unpin.button(f"Unpin {p.label}", key=f"backprop_unpin_{i}", icon=":material/close:", on_click=_unpin,
                     args=(p.label,))
