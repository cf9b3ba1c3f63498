"""Lesson 6: where the slope is zero — critical points, their kinds, and gradient descent in one and two variables."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st
import sympy

from calc_core.expressions import parse_expression, to_function
from calc_core.gradients import sample_grid
from calc_core.optimization import (
    FUNCTION_PRESETS,
    SURFACE_PRESETS,
    Adam,
    GradientDescent,
    Momentum,
    Nesterov,
    RMSProp,
    analyze_critical_points,
    analyze_critical_points_2d,
    descent_path,
    gradient_descent,
    make_surface,
    run_optimizer,
)
from ui import widgets
from ui.charts import optimization as charts
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import expression_input
from ui.layout import course_note, page_header
from ui.task import Verdict, task_box
from ui.teacher import teacher_settings

CACHE = {"max_entries": 64, "ttl": 3600, "show_spinner": False}
CURVE_N = 801
GRID_N = 48
RANGE_LIMIT = 50.0
START_LIMIT = 10.0
# The page waits at most this long for sympy on a surface before the numeric search takes over.
EXACT_TIMEOUT_2D = 1.5
PARTS = ("One variable", "Two variables")
OPTIMIZERS = {"GD": GradientDescent, "Momentum": Momentum, "Nesterov": Nesterov, "RMSProp": RMSProp, "Adam": Adam}
STATUS_WORDS = {"converged": "converged", "oscillating": "oscillating", "diverged": "diverged",
                "left_domain": "left the domain", "unfinished": "not finished"}


@st.cache_data(**CACHE)
def critical_1d(key: str, domain: tuple[float, float] | None, window: tuple[float, float], _expr):
    """Classified critical points of f, exact under the time budget or numeric."""
    return analyze_critical_points(_expr, "x", domain, window)


@st.cache_data(**CACHE)
def charts_1d(key: str, domain: tuple[float, float] | None, window: tuple[float, float], _expr):
    """The plots of f and f' with the critical points, and whether f has gaps in the window."""
    analysis = critical_1d(key, domain, window, _expr)
    xs = np.linspace(window[0], window[1], CURVE_N)
    fs, dfs = to_function(_expr)(xs), to_function(analysis.derivative)(xs)
    return (bool(np.isnan(fs).any()), charts.function_spec(xs, fs, analysis.points, window),
            charts.derivative_spec(xs, dfs, analysis.points, window))


@st.cache_data(**CACHE)
def descent_1d(key: str, x0: float, learning_rate: float, steps: int, momentum: float, _expr):
    """Gradient descent on f from x0."""
    return descent_path(_expr, x0, learning_rate, steps, momentum)


@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def compiled_surface(key: str, _expr):
    """f(x, y) with its gradient and Hessian compiled once per function (immutable, shared)."""
    return make_surface(_expr)


@st.cache_data(**CACHE)
def critical_2d(key: str, x_range: tuple[float, float], y_range: tuple[float, float], _expr):
    """Critical points of f(x, y), classified with the Hessian."""
    return analyze_critical_points_2d(_expr, ("x", "y"), (x_range, y_range), timeout=EXACT_TIMEOUT_2D)


@st.cache_data(**CACHE)
def background_2d(key: str, x_range: tuple[float, float], y_range: tuple[float, float], _expr):
    """The share of the window where f is defined, and the contour plot with critical points, without paths."""
    grid = sample_grid(compiled_surface(key, _expr).value, x_range, y_range, GRID_N)
    points = critical_2d(key, x_range, y_range, _expr).points
    return grid.defined_fraction, charts.contour_background(grid, x_range, y_range, points)


@st.cache_data(**CACHE)
def optimizer_path(key: str, name: str, settings: tuple[float, ...], start: tuple[float, float], steps: int,
                   _expr):
    """One optimizer's run; moving another optimizer's slider leaves this cached."""
    surface = compiled_surface(key, _expr)
    return run_optimizer(surface.gradient, start, OPTIMIZERS[name](*settings), steps, loss=surface.loss)


def apply_example(chooser: str, presets, text_key: str, window_keys: tuple[str, ...], start_keys: tuple[str, ...]):
    """Copy an example's function, view and start into the bound widgets (and so into the URL)."""
    name = st.session_state.get(chooser)
    if name not in presets:
        return
    preset = presets[name]
    values = {text_key: preset.text, **dict(zip(window_keys, map(float, np.ravel(preset.window)))),
              **dict(zip(start_keys, map(float, preset.start)))}
    settings = teacher_settings()
    for key, value in values.items():
        # A control the teacher hid or locked keeps the value the link gave it.
        if not (settings.is_hidden(key) or settings.is_locked(key)):
            st.session_state[key] = value


def example_chooser(chooser: str, presets, text_key: str, window_keys: tuple[str, ...],
                    start_keys: tuple[str, ...]) -> None:
    """An "Examples" box (not part of the URL: it only fills the bound controls)."""
    settings = teacher_settings()
    if settings.is_hidden(text_key) or settings.is_locked(text_key):
        return
    st.selectbox("Examples", ["Custom…", *presets], key=chooser, on_change=apply_example,
                 args=(chooser, presets, text_key, window_keys, start_keys),
                 help="Pick an example to load its function, a view and a starting point.")


def show_status(label: str, status: str, message: str) -> None:
    """An optimizer run's verdict: green when it converged, blue when it ran out of steps, yellow otherwise."""
    text = f"**{label}**: {message}" if label else message
    if status == "converged":
        st.success(text)
    elif status == "unfinished":
        st.info(text)
    else:
        st.warning(text)


def extremum_checker(expected) -> Callable[[str], Verdict]:
    """Check a one-word verdict (maximum, minimum, both, neither) against the analysis of log x."""
    has_max = any(p.kind == "maximum" for p in expected.points)
    has_min = any(p.kind == "minimum" for p in expected.points)

    def check(text: str) -> Verdict:
        words = set(re.findall(r"[a-z]+", text.lower()))
        says_none = bool(words & {"neither", "none", "no", "nothing", "nor"})
        says_both = "both" in words
        says_max = bool(words & {"max", "maximum", "maxima", "highest"})
        says_min = bool(words & {"min", "minimum", "minima", "lowest"})
        if not (says_none or says_both or says_max or says_min):
            raise ValueError("Answer in words: maximum, minimum, both or neither.")
        if says_none and not (has_max or has_min):
            return Verdict(True, "Right. " + expected.explanation.message)
        if says_both or (says_max and says_min and not says_none):
            return Verdict(False, "Not both: f′(x) = 1/x is never zero, so there is no critical point at all.")
        if says_max:
            return Verdict(False, "No maximum: f′(x) = 1/x > 0 for every x > 0, so log keeps rising — any "
                                  "x you pick is beaten by a larger one.")
        return Verdict(False, "No minimum: as x → 0⁺, log x falls below every number, so no x gives the lowest "
                              "value.")

    return check


page_header(
    "Optimization: where the slope is zero",
    6,
    "At a maximum or a minimum of a smooth function the rate of change is zero, so the candidates solve "
    "f′(x) = 0. Whether a candidate is a minimum, a maximum or neither is read from higher derivatives. "
    "Gradient descent turns the same derivative into an algorithm: step downhill, again and again.",
)

part = widgets.radio("Part", PARTS, key="opt_part")

if part == PARTS[0]:
    st.subheader("Critical points of f(x)")
    example_chooser("opt_example", FUNCTION_PRESETS, "opt_f", ("opt_xmin", "opt_xmax"), ("opt_x0",))
    expr = expression_input("f(x)", key="opt_f", default="x^3 - 2x^2 + 1")
    key = sympy.srepr(expr)
    columns = st.columns([1, 1, 2])
    x_lo = widgets.number("x from", "opt_xmin", -RANGE_LIMIT, RANGE_LIMIT, -1.0, 0.5, container=columns[0])
    x_hi = widgets.number("x to", "opt_xmax", -RANGE_LIMIT, RANGE_LIMIT, 2.5, 0.5, container=columns[1])
    restrict = widgets.toggle("Only the open interval (x from, x to)", "opt_interval", container=columns[2],
                              help="Off: f on its natural domain (points outside the view are still listed). "
                                   "On: f restricted to the open interval shown.")
    if not x_lo < x_hi:
        st.error("The range must go from a smaller number to a larger one.")
        st.stop()
    window = (x_lo, x_hi)
    domain = window if restrict else None
    with user_errors():
        analysis = critical_1d(key, domain, window, expr)
        has_gaps, f_spec, derivative_spec = charts_1d(key, domain, window, expr)

    st.latex(rf"f'(x) = {sympy.latex(analysis.derivative)}")
    left, right = st.columns(2)
    left.vega_lite_chart(f_spec, width="stretch", alt="Graph of f with its critical points marked by kind.")
    right.vega_lite_chart(derivative_spec, width="stretch",
                          alt="Graph of f′ with the zero line; critical points sit where f′ meets it.")
    st.caption("▼ minimum, ▲ maximum, ◆ inflection (f′ = 0 without changing sign). Each critical point of f "
               "sits where f′ crosses or touches zero.")
    if has_gaps:
        st.info("f has no finite value on part of the view (a logarithm of a negative number, a division by zero, "
                "or a number too large for floating point); the curves have gaps there.")

    if analysis.points:
        table = pd.DataFrame({
            "x": [p.x for p in analysis.points],
            "exact x": [str(p.exact) if p.exact is not None and len(str(p.exact)) <= 30 else "" for p in
                        analysis.points],
            "f(x)": [p.value for p in analysis.points],
            "kind": [p.kind for p in analysis.points],
            "decided by": [p.test for p in analysis.points],
            "found": [p.found_by for p in analysis.points],
        })
        st.dataframe(table, hide_index=True, column_config={"x": st.column_config.NumberColumn(format="%.6g"),
                                                            "f(x)": st.column_config.NumberColumn(format="%.6g")})
        outside = sum(not x_lo <= p.x <= x_hi for p in analysis.points)
        if outside:
            st.caption(f"{outside} of these lie outside the plotted view; widen the range to see them.")
    elif analysis.explanation is not None:
        st.info(f"**No critical point.** {analysis.explanation.message}")
    for note in analysis.notes:
        st.caption(note)
    course_note("The course says f(x) = x³ − 2x² + 1 is “at its maximum or minimum” at x = 0 and x = 4/3. "
                "They are a local maximum and a local minimum: a cubic falls to −∞ and rises to +∞, so it has "
                "no overall highest or lowest value. (The plot it points to, in Lesson 01, is of x², not of "
                "this cubic.)")

    task_expr = parse_expression("log(x)")
    task_analysis = critical_1d(sympy.srepr(task_expr), None, FUNCTION_PRESETS["Course task: log(x)"].window,
                                task_expr)
    task_box(
        "opt_task",
        "Consider f(x) = log x. Find f′(x) and the x where f′(x) = 0. Does log x have a **maximum**, a "
        "**minimum**, **both** or **neither**? Answer in a word, then load the example “Course task: log(x)” "
        "above to see it.",
        extremum_checker(task_analysis),
        hint="(log x)′ = 1/x. Can a fraction with numerator 1 ever be zero? And what is the sign of 1/x on the "
             "domain x > 0?",
        solution_md="f′(x) = 1/x. The equation 1/x = 0 has no solution, so log x has **no critical point**. On "
                    "its domain x > 0, f′(x) > 0: log increases all the way — towards −∞ as x → 0⁺ and without "
                    "bound (slowly) as x grows. So it has **neither** a maximum nor a minimum.",
        placeholder="maximum / minimum / both / neither",
    )

    st.subheader("Gradient descent on f")
    st.markdown("From x₀, repeat x ← x − η·f′(x) (with momentum β, the steps also carry on a share β of the "
                "previous one). Small η creeps, large η overshoots.")
    columns = st.columns(4)
    x0 = widgets.slider("Start x₀", "opt_x0", -START_LIMIT, START_LIMIT, 2.0, 0.05, container=columns[0])
    learning_rate = widgets.log_slider("Learning rate η", "opt_lr", exponents=(-3, 1), value=0.1, per_decade=10,
                                       container=columns[1])
    steps = widgets.slider("Steps", "opt_steps", 1, 200, 30, container=columns[2])
    momentum = widgets.slider("Momentum β", "opt_momentum", 0.0, 0.99, 0.0, 0.01, container=columns[3])
    try:
        path = descent_1d(key, x0, learning_rate, steps, momentum, expr)
    except ValueError as exc:
        st.error(str(exc))
    else:
        show_status("", path.status, path.message)
        left, right = st.columns([3, 2])
        left.vega_lite_chart(charts.with_path(f_spec, path), width="stretch",
                             alt="Graph of f with the gradient-descent iterates walked along it.")
        left.caption("Black dot: the start. Orange: the iterates, joined in order.")
        if not x_lo <= x0 <= x_hi:
            left.caption("The start lies outside the plotted view.")
        iterates = pd.DataFrame({"step": np.arange(len(path.points)), "x": path.points[:, 0], "f(x)": path.losses,
                                 "f′(x)": path.gradients[:, 0]})
        right.dataframe(iterates, hide_index=True, height=360,
                        column_config={c: st.column_config.NumberColumn(format="%.6g") for c in ("x", "f(x)",
                                                                                                   "f′(x)")})

else:
    st.subheader("Descent on a surface f(x, y)")
    window_keys = ("opt2_xmin", "opt2_xmax", "opt2_ymin", "opt2_ymax")
    example_chooser("opt2_example", SURFACE_PRESETS, "opt2_f", window_keys, ("opt2_x0", "opt2_y0"))
    expr = expression_input("f(x, y)", key="opt2_f", default="x^2 + 10y^2", variables=("x", "y"))
    key = sympy.srepr(expr)
    columns = st.columns(4)
    defaults = (-3.0, 3.0, -1.5, 1.5)
    labels = ("x from", "x to", "y from", "y to")
    bounds = [widgets.number(label, name, -RANGE_LIMIT, RANGE_LIMIT, value, 0.5, container=column)
              for label, name, value, column in zip(labels, window_keys, defaults, columns)]
    if not (bounds[0] < bounds[1] and bounds[2] < bounds[3]):
        st.error("Each range must go from a smaller number to a larger one.")
        st.stop()
    x_range, y_range = (bounds[0], bounds[1]), (bounds[2], bounds[3])

    columns = st.columns(3)
    start = (widgets.slider("Start x", "opt2_x0", -START_LIMIT, START_LIMIT, -2.5, 0.05, container=columns[0]),
             widgets.slider("Start y", "opt2_y0", -START_LIMIT, START_LIMIT, 1.0, 0.05, container=columns[1]))
    steps = widgets.slider("Steps", "opt2_steps", 10, 3000, 200, 10, container=columns[2])
    chosen = widgets.multiselect("Optimizers", list(OPTIMIZERS), key="opt2_methods", default=list(OPTIMIZERS))

    settings: dict[str, tuple[float, ...]] = {}
    if chosen:
        columns = st.columns(len(chosen))
        for name, column in zip(chosen, columns):
            column.markdown(f"**{name}**")
            if name == "GD":
                settings[name] = (widgets.log_slider("η", "opt2_gd_lr", (-4, 0), 0.05, per_decade=10,
                                                     container=column),)
            elif name in ("Momentum", "Nesterov"):
                prefix = "opt2_mom" if name == "Momentum" else "opt2_nag"
                settings[name] = (widgets.log_slider("η", f"{prefix}_lr", (-4, 0), 0.02, per_decade=10,
                                                     container=column),
                                  widgets.slider("β", f"{prefix}_beta", 0.0, 0.99, 0.9, 0.01, container=column))
            elif name == "RMSProp":
                settings[name] = (widgets.log_slider("η", "opt2_rms_lr", (-4, 0), 0.02, per_decade=10,
                                                     container=column),
                                  widgets.slider("decay ρ", "opt2_rms_rho", 0.0, 0.99, 0.9, 0.01, container=column))
            else:
                settings[name] = (widgets.log_slider("η", "opt2_adam_lr", (-4, 0), 0.1, per_decade=10,
                                                     container=column),
                                  widgets.slider("β₁", "opt2_adam_b1", 0.0, 0.99, 0.9, 0.01, container=column),
                                  widgets.select_slider("β₂", [0.9, 0.99, 0.999, 0.9999], "opt2_adam_b2", 0.999,
                                                        container=column))

    with user_errors():
        defined_fraction, background = background_2d(key, x_range, y_range, expr)
        surface_analysis = critical_2d(key, x_range, y_range, expr)
    paths = []
    try:
        for name in chosen:
            paths.append((name, optimizer_path(key, name, settings[name], start, steps, expr)))
    except ValueError as exc:
        st.error(str(exc))
        paths = []

    st.vega_lite_chart(charts.contour_view(background, paths, start), width="content",
                       alt="Contour plot of f with each optimizer's path and the critical points marked.")
    st.caption("Shading and thin lines: f (darker is larger). Coloured lines: each optimizer's path from the "
               "black start. ▼ minimum, ▲ maximum, ✚ saddle, ■ degenerate (Hessian test undecided).")
    if paths:
        st.vega_lite_chart(charts.loss_spec(paths), width="stretch",
                           alt="f at each iterate against the iteration, per optimizer.")
    if not (x_range[0] <= start[0] <= x_range[1] and y_range[0] <= start[1] <= y_range[1]):
        st.warning("The start lies outside the plotted window; widen the ranges to see it.")
    if defined_fraction < 1:
        st.info("f is undefined on part of the window; those areas are left blank.")

    if paths:
        summary = pd.DataFrame({
            "optimizer": [name for name, _ in paths],
            "settings": [", ".join(f"{v:g}" for v in settings[name]) for name, _ in paths],
            "steps": [path.steps for _, path in paths],
            "final x": [path.points[-1, 0] for _, path in paths],
            "final y": [path.points[-1, 1] for _, path in paths],
            "final f": [path.losses[-1] for _, path in paths],
            "status": [STATUS_WORDS[path.status] for _, path in paths],
        })
        st.dataframe(summary, hide_index=True,
                     column_config={c: st.column_config.NumberColumn(format="%.6g") for c in ("final x", "final y",
                                                                                              "final f")})
        for name, path in paths:
            if path.status != "converged":
                show_status(name, path.status, path.message)

    st.subheader("Critical points and the Hessian")
    st.markdown("Where ∇f = 0, the Hessian H = [[f_xx, f_xy], [f_xy, f_yy]] decides: det H > 0 with f_xx > 0 is a "
                "minimum, with f_xx < 0 a maximum; det H < 0 is a saddle; det H = 0 leaves the test undecided.")
    if surface_analysis.points:
        st.dataframe(pd.DataFrame({
            "x": [p.x for p in surface_analysis.points],
            "y": [p.y for p in surface_analysis.points],
            "f": [p.value for p in surface_analysis.points],
            "kind": [p.kind for p in surface_analysis.points],
            "det H": [p.determinant for p in surface_analysis.points],
            "eigenvalues of H": [f"{p.eigenvalues[0]:.4g}, {p.eigenvalues[1]:.4g}" for p in surface_analysis.points],
            "found": [p.found_by for p in surface_analysis.points],
            "note": [p.note for p in surface_analysis.points],
        }), hide_index=True, column_config={c: st.column_config.NumberColumn(format="%.6g") for c in
                                            ("x", "y", "f", "det H")})
    else:
        st.info("No point with ∇f = 0 was found in this window.")
    for note in surface_analysis.notes:
        st.caption(note)

show_code("opt_code", gradient_descent, run_optimizer, Momentum, Adam)
