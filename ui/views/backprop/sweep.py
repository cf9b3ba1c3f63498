"""Sweeping one hyperparameter: a fresh network per value and seed, in the killable worker, under a budget."""

from __future__ import annotations

import math
import time

import numpy as np
import streamlit as st

from calc_core.limits import SWEEP_MAX_WORK, SWEEP_TIMEOUT
from calc_core.mlp.sweep import LOG_SCALE, SWEEP_LABELS, combine, sweep, sweep_grid, sweep_work
from ui import compute, widgets
from ui.charts import backprop as charts
from ui.charts.show import show_chart
from ui.controls import draw
from ui.errors import user_errors
from ui.prose import Points, Prose, say
from ui.sections import section
from ui.views.backprop import problems
from ui.views.backprop.current import CurrentView
from ui.views.backprop.settings import BATCH_SIZES, CONTROLS, L2_STRENGTHS, LEARNING_RATES, SECTIONS, sweep_range_keys
from ui.views.backprop.state import BackpropView, Stored, page_state

NO_LAYER_TO_WIDEN = Prose("The network has no hidden layer to widen.",
                          Points("Add one under Hidden layers.", ("backprop_layers",)))


def _sweep_controls(view: BackpropView):
    """The sweep's widgets: parameter, range, number of values, seeds (and the layer of a width sweep)."""
    parameter = draw(CONTROLS["backprop_sweep_param"])
    low_col, high_col, points_col, seeds_col = st.columns(4)
    layer = 1
    if parameter == "width":
        if not view.hidden:
            st.info(say(NO_LAYER_TO_WIDEN))
            return None
        layer = draw(CONTROLS["backprop_sweep_layer"], hi=len(view.hidden), container=low_col)
        low = draw(CONTROLS["backprop_sweep_width_from"], container=high_col)
        high = draw(CONTROLS["backprop_sweep_width_to"], container=points_col)
    else:
        from_key, to_key = sweep_range_keys(parameter)
        low = draw(CONTROLS[from_key], container=low_col)
        high = draw(CONTROLS[to_key], container=high_col)
    n_points = draw(CONTROLS["backprop_sweep_points"], container=seeds_col if parameter == "width" else points_col)
    n_seeds = draw(CONTROLS["backprop_sweep_seeds"], container=seeds_col)
    return parameter, float(low), float(high), n_points, n_seeds, layer


@section(SECTIONS["backprop_sweep"])
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
                              v.controls.target, layer, v.model.n_outputs_)

        def key_of(v: BackpropView) -> tuple:
            return v.run.key, tuple(sorted(v.live.items())), parameter, values, seeds, v.controls.target, layer

        def shown(v: BackpropView) -> tuple:
            return v.controls.target, work_of(v), page_state().has_sweep(key_of(v))

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
        state = page_state()
        if clicked and not too_big:
            state.sweep = Stored(key, run_sweep(view, parameter, values, seeds, layer))
        if state.has_sweep(key):
            show_sweep(state.sweep.value, parameter, view, layer)


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
    score = problems.score_name(view)  # accuracy, or R² for regression
    show_chart(charts.sweep_chart(accuracy, f"final {metric} {score}", label, log_x, current,
                                  (0, 1) if score == "accuracy" else None),
               f"Final {metric} {score} against the {label}, with the spread over seeds.",
               "backprop_numbers_sweep_accuracy", accuracy, container=accuracy_col)
    diverged = sum(r.diverged for r in result.runs)
    st.caption("Points: mean over seeds; bars: lowest to highest seed; dashed line: the current setting."
               + (f" {diverged} run(s) diverged and are left out." if diverged else "")
               + ("" if len(view.split.y_test) else " With no test data the training metrics are shown."))
    render_use_best(loss, parameter, view, layer, metric)


# The settings a sweep can set, with the stops their controls offer (a width is any whole number of units).
_STOPS = {"learning_rate": ("backprop_lr", LEARNING_RATES), "l2": ("backprop_l2", L2_STRENGTHS),
          "batch_size": ("backprop_batch", [b for b in BATCH_SIZES if b != "full"])}


def best_value(loss) -> float | None:
    """The swept value with the lowest mean final loss over seeds (None when every value diverged)."""
    means = np.asarray(loss.mean, dtype=float)
    if not np.isfinite(means).any():
        return None
    return loss.values[int(np.nanargmin(means))]


def setting_for(parameter: str, value) -> tuple[str, object, bool]:
    """The control a swept ``value`` sets, the value it takes and whether that is the swept value itself.

    The learning rate, L2 strength and batch size take the control's nearest stop (on a log scale).
    """
    if parameter == "width":
        return "backprop_layers", int(value), True
    key, stops = _STOPS[parameter]
    nearest = min((s for s in stops if s > 0), key=lambda s: abs(math.log(s) - math.log(value))) if value > 0 \
        else stops[0]
    exact = math.isclose(float(nearest), float(value), rel_tol=1e-9)
    return key, nearest, exact


def render_use_best(loss, parameter: str, view: BackpropView, layer: int, metric: str) -> None:
    """A button that sets the control of the swept setting to the value with the lowest final loss."""
    best = best_value(loss)
    if best is None:
        return
    key, value, exact = setting_for(parameter, best)
    label = SWEEP_LABELS[parameter]
    if parameter == "width":
        sizes = list(view.hidden)
        sizes[layer - 1] = value
        text = ",".join(map(str, sizes))
        button = f"Use {value} units in layer {layer}"
        args = (key, text)
    else:
        button = f"Use {label} {value:g}"
        args = (key, value)
    note = (f"Lowest mean final {metric} loss: {label} {best:g}"
            + ("." if exact else f"; the control's nearest stop is {value:g}."))
    st.caption(note)
    if st.button(button, key="backprop_sweep_use_best", icon=":material/check:", on_click=_use, args=args,
                 help="Set the control to this value (a network setting starts a new run; a training setting "
                      "applies live)."):
        st.rerun(scope="app")  # the control is outside this fragment


def _use(key: str, value) -> None:
    widgets.set_value(key, value)

