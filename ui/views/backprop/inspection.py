"""Looking inside the network: one backward step in numbers, and backpropagation against finite differences."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from calc_core.limits import GRADIENT_CHECK_MAX_WORK, GRADIENT_CHECK_TIMEOUT
from calc_core.mlp import GRADIENT_CHECK_TOLERANCE, gradient_check_count, gradient_check_sample, parameter_count
from calc_core.mlp.features import DEFAULT_FEATURES, FEATURE_TEX
from ui import compute, latex
from ui.controls import draw
from ui.errors import literal, user_errors
from ui.layout import course_note
from ui.prose import say
from ui.sections import section
from ui.views.backprop.current import CurrentView
from ui.views.backprop.settings import CONTROLS, FEATURE_LABELS, SECTIONS
from ui.views.backprop.state import BackpropView
from ui.views.backprop.text import CALCULUS, COURSE_BUG_NOTE, ZERO_OUTPUT_NOTE

GRADIENT_CHECK_POINTS = 16
# Checked parameters x parameters up to which the check runs by itself (about 0.05 s); above it, on request.
GRADIENT_CHECK_AUTO_WORK = 300_000
# Up to this work the check runs in the page's own process: at most about 16 ms (six hidden layers of two units
# on seven inputs), less than a round trip to the worker costs the server (about 20 ms); the default network's
# check (work 961) takes 5-9 ms.
GRADIENT_CHECK_INLINE_WORK = 3_000
# The course's derivative belongs to the sigmoid; a softmax or linear output unit does not use it.
OTHER_OUTPUT_BUG_NOTE = ("The course's derivative 2·σ(1−σ) belongs to the sigmoid, and this network's output is not one "
                         "(softmax for three classes, linear for regression): its δ is right, and only sigmoid hidden "
                         "layers take the doubled derivative, which the gradient check then catches.")
MAX_SHOWN = 6  # rows and columns of a matrix shown in the backward step; dots stand for the rest
ACTIVATION_TEX = {"relu": r"\operatorname{ReLU}", "leaky_relu": r"\operatorname{LReLU}", "tanh": r"\tanh",
                  "sigmoid": r"\sigma", "linear": r"\operatorname{id}"}


def _matrix(M: np.ndarray) -> str:
    return latex.matrix(M, max_rows=MAX_SHOWN, max_cols=MAX_SHOWN, undefined=r"\text{nan}")


def backward_step_latex(step, n_layers: int, activation: str, course_bug: bool = False,
                        task: str = "binary") -> list[str]:
    """The equations of one backward step, with the current numbers.

    ``step`` is a :class:`calc_core.mlp.BackwardStep`; ``n_layers`` counts the
    weight layers (the output layer is number ``n_layers``); ``activation`` is
    the hidden layers' activation name. With ``course_bug`` the output δ is the
    course's 2(ŷ − y), which is not ∂J/∂z. For three or more classes (``task="multiclass"``) the output δ is
    softmax(z) − onehot(y), one entry per class; for regression it is ŷ − y with ŷ = z.
    """
    f = ACTIVATION_TEX.get(activation, r"f")
    l = step.layer
    delta = rf"\delta_{{{l}}}"
    # One matrix per display: a line of several matrices is wider than a phone and would need a
    # scrollable box, which a keyboard cannot reach.
    lines = []
    if l == n_layers:
        if task == "multiclass":
            lines.append(rf"{delta} = \frac{{\partial J}}{{\partial z_{{{l}}}}} = "
                         rf"\operatorname{{softmax}}(z_{{{l}}}) - \operatorname{{onehot}}(y)")
        elif course_bug and task == "binary":
            lines.append(rf"{delta} = 2(\hat y - y) \neq \frac{{\partial J}}{{\partial z_{{{l}}}}}")
        else:
            lines.append(rf"{delta} = \frac{{\partial J}}{{\partial z_{{{l}}}}} = \hat y - y")
        lines.append(rf"{delta} = {_matrix(step.delta)}")
    lines += [
        rf"a_{{{l - 1}}}^\top = {_matrix(step.activation_input[None, :])}",
        rf"\frac{{\partial J}}{{\partial W_{{{l}}}}} = {delta}\, a_{{{l - 1}}}^\top",
        rf"\partial J / \partial W_{{{l}}} = {_matrix(step.weight_gradient)}",
    ]
    if step.local_derivative is None:
        return lines
    lines += [
        rf"W_{{{l}}}^\top = {_matrix(step.jacobian.T)}",
        rf"\frac{{\partial J}}{{\partial a_{{{l - 1}}}}} = W_{{{l}}}^\top {delta} = {_matrix(step.jacobian_product)}",
        rf"{f}'(z_{{{l - 1}}}) = {_matrix(step.local_derivative)}",
        rf"\delta_{{{l - 1}}} = W_{{{l}}}^\top {delta} \odot {f}'(z_{{{l - 1}}}) = {_matrix(step.delta_previous)}",
    ]
    return lines


def gradient_check_frame(checks, layer_names: Sequence[str], tolerance: float) -> pd.DataFrame:
    """One row per layer: parameters checked, worst relative errors (weights, biases) and pass/fail."""
    return pd.DataFrame({
        "layer": [f"{c.layer}: {layer_names[c.layer - 1]} → {layer_names[c.layer]}" for c in checks],
        "checked": [f"{c.n_checked} of {c.n_parameters}" for c in checks],
        "max rel. error (weights)": [c.weight_error for c in checks],
        "max rel. error (biases)": [c.bias_error for c in checks],
        "max rel. error": [c.max_relative_error for c in checks],
        f"≤ {tolerance:g}": ["pass" if c.passed else "FAIL" for c in checks],
    })


@section(SECTIONS["backprop_calculus"])
@st.fragment
def render_backward_step(current: CurrentView) -> None:
    """One training point pushed through the network and back, every Jacobian product in numbers.

    A fragment: moving the training point reruns only this section, with the run's current weights.
    """
    view = current.view
    st.subheader("The calculus: backpropagation is a chain of Jacobian products")
    st.markdown(say(CALCULUS))
    model, split = view.model, view.split
    if view.run.running:
        st.caption("These numbers follow the weights when training pauses or finishes.")
    sample = draw(CONTROLS["backprop_sample"], hi=len(split.y_train) - 1)
    with user_errors(stop=False):
        trace = model.backward_trace(split.X_train, split.y_train, sample)
        inputs = ""
        if view.features != DEFAULT_FEATURES:
            first = trace.steps[-1].activation_input
            inputs = " Inputs: " + ", ".join(f"{literal(FEATURE_LABELS.get(f, f))} = {v:.3f}"
                                             for f, v in zip(view.features, first))
        task = view.network.get("task", "binary")
        if task == "multiclass":
            said = (f"class y = {trace.y}, class probabilities ŷ = ("
                    + ", ".join(f"{p:.4f}" for p in trace.outputs) + ")")
        elif task == "regression":
            said = f"target y = {trace.y:.4f}, prediction ŷ = {trace.probability:.4f}"
        else:
            said = f"label y = {trace.y}, prediction ŷ = {trace.probability:.4f}"
        st.markdown(f"Epoch {model.n_epochs_}: point x = ({trace.x[0]:.3f}, {trace.x[1]:.3f}) with {said}, "
                    f"loss {trace.loss:.4f}.{inputs}")
        if view.features != DEFAULT_FEATURES and set(view.features) <= set(FEATURE_TEX):
            st.latex(r"a_0 = \big(" + ",\\ ".join(FEATURE_TEX[f] for f in view.features) + r"\big)")
        n_layers = len(view.hidden) + 1
        if view.hidden and not np.any(model.coefs_[-1]):
            st.caption(ZERO_OUTPUT_NOTE)
        for step in trace.steps:
            l = step.layer
            label = "output layer" if l == n_layers else f"hidden layer {l}"
            with st.expander(f"Layer {l} ({label}): back from z{l}", expanded=l >= n_layers - 1):
                # One display per layer, a line per product: one element to send instead of up to seven.
                lines = backward_step_latex(step, n_layers, view.controls.activation, view.controls.course_bug,
                                            view.network.get("task", "binary"))
                st.latex(r"\begin{gathered}" + r" \\[1.2em] ".join(lines) + r"\end{gathered}")
        st.caption(f"Matrices larger than {MAX_SHOWN} × {MAX_SHOWN} are shown in part. The last line of each layer is the δ that the "
                   "layer below starts from; in the course's code that is `self.dz[l-1]`.")


def _gradient_check(model, X, y, sample, work: int):
    """The check's extended-precision products, in the killable worker unless they are small; None when its
    budget ran out."""
    check = functools.partial(model.gradient_check_layers, max_per_layer=sample)
    if work <= GRADIENT_CHECK_INLINE_WORK:
        return check(X, y)
    outcome = compute.bounded(check, X, y, timeout=GRADIENT_CHECK_TIMEOUT)
    return outcome.value if outcome.ok else None


@section(SECTIONS["backprop_check"])
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
            frame = gradient_check_frame(checks, view.layer_names, GRADIENT_CHECK_TOLERANCE)
            st.dataframe(frame, hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(format="%.2e") for c in frame.columns
                                        if c.startswith("max rel")})
            worst = max(c.max_relative_error for c in checks)
            if all(c.passed for c in checks):
                st.success(f"Backpropagation agrees with finite differences: worst relative error {worst:.1e}.")
            else:
                st.error(f"The gradient check fails: worst relative error {worst:.2f}.")
    if view.controls.course_bug:
        course_note(COURSE_BUG_NOTE if view.network.get("task", "binary") == "binary" else OTHER_OUTPUT_BUG_NOTE)
