"""Lesson 6, optimization: its prose, cached computations and one renderer per section.

Everything is keyed by the text of f and plain numbers. f′, f″, ∇f and the
Hessian are differentiated in the killable worker and kept as formulas only while
they stay small (:mod:`calc_core.optimization.derivatives`); past that, or when
the budget runs out, they are central differences of f, with a note. The descent
controls rerun only their own section (``st.fragment``).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from calc_core.answers import Verdict
from calc_core.expressions import ExpressionError, expression_latex
from calc_core.gradients import sample_grid
from calc_core.optimization import (
    FUNCTION_PRESETS,
    OPTIMIZERS,
    SURFACE_PRESETS,
    CompiledDerivatives,
    ControlKind,
    CriticalPointAnalysis,
    Hyperparameter,
    OptimizationPath,
    Preset,
    Status,
    Surface,
    SurfaceAnalysis,
    analyze_critical_points,
    analyze_critical_points_2d,
    compile_derivatives,
    extremum_verdict,
    gradient_descent,
    hyperparameters,
    make_optimizer,
    make_surface,
    optimizer_class,
    run_optimizer,
)
from ui import compute, widgets
from ui.charts import optimization as charts
from ui.charts.show import show_chart
from ui.controls import Control, Controls, Kind, LessonText, TaskText, draw
from ui.errata import course_differs
from ui.errors import literal, user_errors
from ui.expr_input import expression_control, expression_input, typed_text
from ui.prose import Points, Prose, say
from ui.sections import Section, Sections, section

PARTS = ("One variable", "Two variables")
VARIABLES_1D = ("x",)
VARIABLES_2D = ("x", "y")
CURVE_N = 801
GRID_N = 48
# The page waits at most this long for sympy on a surface before the numeric search takes over.
EXACT_TIMEOUT_2D = 1.5
# An exact location longer than this is shown as a number only.
MAX_EXACT_CHARS = 30
NUMBER_FORMAT = "%.6g"
TASK_FUNCTION = "log(x)"
TASK_PRESET = "Course task: log(x)"

TEXT = LessonText(
    title="Optimization: where the slope is zero",
    summary=(
        "At a maximum or a minimum of a smooth function the slope is zero: the candidates solve f′(x) = 0. "
        "Gradient descent turns the same slope into an algorithm: step downhill, again and again."
    ),
    task=TaskText(
        key="opt_task",
        prompt=Prose("Consider f(x) = log x. Find f′(x) and the x where f′(x) = 0. Does log x have a **maximum**, "
                     "a **minimum**, **both** or **neither**? Answer in a word.",
                     Points("Then load the example “Course task: log(x)” above to see it.", ("opt_f",),
                            ("opt_critical",))),
        hint=("(log x)′ = 1/x. Can a fraction with numerator 1 ever be zero? And what is the sign of 1/x on the "
              "domain x > 0?"),
        solution=("f′(x) = 1/x. The equation 1/x = 0 has no solution, so log x has **no critical point**. On its "
                  "domain x > 0, f′(x) > 0: log increases all the way — towards −∞ as x → 0⁺ and without bound "
                  "(slowly) as x grows. So it has **neither** a maximum nor a minimum."),
        placeholder="maximum / minimum / both / neither",
    ),
)


def _window_end(key: str, label: str, default: float) -> Control:
    """One end of a view window: a box from −50 to 50 in steps of 0.5."""
    return Control(key, label, Kind.NUMBER, default, lo=-50.0, hi=50.0, step=0.5)


def _start(key: str, label: str, default: float) -> Control:
    """A start coordinate: a slider from −10 to 10 in steps of 0.05."""
    return Control(key, label, Kind.SLIDER, default, lo=-10.0, hi=10.0, step=0.05)


# Every control of the page but the optimizers' hyperparameters, which each optimizer declares
# (calc_core/optimization/optimizers.py). The optimizers to choose from are the registry's when the page runs.
CONTROLS = Controls(
    Control("opt_part", "Part", Kind.RADIO, PARTS[0], options=PARTS),
    # One variable
    expression_control("opt_f", "f(x)", "x^3 - 2x^2 + 1"),
    _window_end("opt_xmin", "x from", -1.0),
    _window_end("opt_xmax", "x to", 2.5),
    Control("opt_interval", "Only the open interval (x from, x to)", Kind.TOGGLE, False,
            help=("Off: f on its natural domain (points outside the view are still listed). "
                  "On: f restricted to the open interval shown.")),
    _start("opt_x0", "Start x₀", 2.0),
    Control("opt_lr", "Learning rate η", Kind.LOG_SLIDER, 0.1, lo=-3, hi=1, step=10),
    Control("opt_steps", "Steps", Kind.SLIDER, 30, lo=1, hi=200),
    Control("opt_momentum", "Momentum β", Kind.SLIDER, 0.0, lo=0.0, hi=0.99, step=0.01),
    # Two variables
    expression_control("opt2_f", "f(x, y)", "x^2 + 10y^2"),
    _window_end("opt2_xmin", "x from", -3.0),
    _window_end("opt2_xmax", "x to", 3.0),
    _window_end("opt2_ymin", "y from", -1.5),
    _window_end("opt2_ymax", "y to", 1.5),
    _start("opt2_x0", "Start x", -2.5),
    _start("opt2_y0", "Start y", 1.0),
    Control("opt2_steps", "Steps", Kind.SLIDER, 200, lo=10, hi=3000, step=10),
    Control("opt2_methods", "Optimizers", Kind.MULTISELECT, tuple(OPTIMIZERS), options=tuple(OPTIMIZERS)),
)
DEFAULT_SURFACE = CONTROLS["opt2_f"].default
# The parts of the page a teacher may hide: the critical points of log x are the task's answer.
SECTIONS = Sections(
    Section("opt_critical", "Critical points: f′, its curves and the table"),
    Section("opt_descent", "Gradient descent on f"),
    Section("opt2_hessian", "Critical points and the Hessian"),
)
WINDOW_1D = ("opt_xmin", "opt_xmax")
WINDOW_2D = ("opt2_xmin", "opt2_xmax", "opt2_ymin", "opt2_ymax")
WIDEN_1D = Points("Widen the range to see them.", WINDOW_1D)
START_OUTSIDE_2D = Prose("The start lies outside the plotted window.", Points("Widen the ranges to see it.", WINDOW_2D))
EXAMPLES_HELP = "Pick an example to load its function, a view and a starting point."
MARKERS_1D = ("▼ minimum, ▲ maximum, ◆ inflection (f′ = 0 without changing sign). Each critical point of f "
              "sits where f′ crosses or touches zero.")
GAPS_1D = ("f has no finite value on part of the view (a logarithm of a negative number, a division by zero, "
           "or a number too large for floating point); the curves have gaps there.")
NO_FORMULA_1D = "f′ is too long to write out here; the curves and points use central differences of f."
COURSE_NOTE = ("The course says f(x) = x³ − 2x² + 1 is “at its maximum or minimum” at x = 0 and x = 4/3. "
               "They are a local maximum and a local minimum: a cubic falls to −∞ and rises to +∞, so it has "
               "no overall highest or lowest value. (The plot it points to, in Lesson 01, is of x², not of "
               "this cubic.)")
DESCENT_INTRO = ("From x₀, repeat x ← x − η·f′(x) (with momentum β, the steps also carry on a share β of the "
                 "previous one). Small η creeps, large η overshoots.")
MARKERS_2D = ("Shading and thin lines: f (darker is larger). Coloured lines: each optimizer's path from the "
              "black start. ▼ minimum, ▲ maximum, ✚ saddle, ■ degenerate (Hessian test undecided).")
HESSIAN_INTRO = ("Where ∇f = 0, the Hessian H = [[f_xx, f_xy], [f_xy, f_yy]] decides: det H > 0 with f_xx > 0 is "
                 "a minimum, with f_xx < 0 a maximum; det H < 0 is a saddle; det H = 0 leaves the test undecided.")


F_ALT = "Graph of f with its critical points marked by kind."
DERIVATIVE_ALT = "Graph of f′ with the zero line; critical points sit where f′ meets it."
DESCENT_ALT = "Graph of f with the gradient-descent iterates walked along it."
CONTOUR_ALT = "Contour plot of f with each optimizer's path and the critical points marked."
LOSS_ALT = "f at each iterate against the iteration, per optimizer."


def example_values(preset: Preset, text_key: str, window_keys: tuple[str, ...],
                   start_keys: tuple[str, ...]) -> dict[str, object]:
    """The widget values an example fills in: its function, view and start."""
    return {text_key: preset.text, **dict(zip(window_keys, map(float, np.ravel(preset.window)))),
            **dict(zip(start_keys, map(float, preset.start)))}


# --------------------------------------------------------------------------- cached adapters


@compute.shared
def derivatives_1d(text: str) -> CompiledDerivatives:
    """f, f′ and f″ compiled once per function (formulas from the worker, or central differences)."""
    return compile_derivatives(compute.expression(text), VARIABLES_1D, owner=compute.session_id())


@compute.cached
def critical_1d(text: str, domain: tuple[float, float] | None,
                window: tuple[float, float]) -> CriticalPointAnalysis:
    """Classified critical points of f, exact under the time budget or numeric."""
    return analyze_critical_points(compute.expression(text), "x", domain, window, owner=compute.session_id(),
                                   derivatives=derivatives_1d(text))


@compute.cached
def derivative_latex(text: str) -> str:
    """f′ in LaTeX, or "" when there is no formula or it is too long to show."""
    formula = derivatives_1d(text).formulas.gradient
    if formula is None:
        return ""
    try:
        return expression_latex(formula[0])
    except ExpressionError:
        return ""


@compute.cached
def curves_1d(text: str, domain: tuple[float, float] | None, window: tuple[float, float]) -> tuple[bool, dict, dict]:
    """The charts of f and f′ with the critical points, and whether f has gaps in the view."""
    points = critical_1d(text, domain, window).points
    compiled = derivatives_1d(text)
    xs = np.linspace(window[0], window[1], CURVE_N)
    fs, dfs = compiled.value(xs), compiled.gradient[0](xs)
    return (bool(np.isnan(fs).any()), charts.function_spec(xs, fs, points, window),
            charts.derivative_spec(xs, dfs, points, window))


@compute.cached
def descent_1d(text: str, x0: float, learning_rate: float, steps: int, momentum: float) -> OptimizationPath:
    """Gradient descent on f from x0."""
    compiled = derivatives_1d(text)
    return gradient_descent(compiled.gradient[0], x0, learning_rate, steps, momentum, f=compiled.value)


@compute.shared
def surface(text: str) -> Surface:
    """f(x, y) with its gradient and Hessian compiled once per function (immutable, shared)."""
    return make_surface(compute.expression(text, VARIABLES_2D), VARIABLES_2D, owner=compute.session_id())


@compute.cached
def critical_2d(text: str, x_range: tuple[float, float], y_range: tuple[float, float]) -> SurfaceAnalysis:
    """Critical points of f(x, y), classified with the Hessian."""
    return analyze_critical_points_2d(compute.expression(text, VARIABLES_2D), VARIABLES_2D, (x_range, y_range),
                                      timeout=EXACT_TIMEOUT_2D, owner=compute.session_id(), surface=surface(text))


@compute.shared
def background_2d(text: str, x_range: tuple[float, float], y_range: tuple[float, float]) -> tuple[float, dict]:
    """The share of the window where f is defined, and the contour plot with critical points, without paths.

    Shared read-only (the chart views build new dicts around it): every optimizer slider move
    reuses it, and copying the heatmap's data on each move cost more than the rest of the rerun.
    """
    grid = sample_grid(surface(text).value, x_range, y_range, GRID_N)
    points = critical_2d(text, x_range, y_range).points
    return grid.defined_fraction, charts.contour_background(grid, x_range, y_range, points)


@compute.cached
def optimizer_path(text: str, name: str, settings: tuple[float, ...], start: tuple[float, float],
                   steps: int) -> OptimizationPath:
    """One optimizer's run; moving another optimizer's slider leaves this cached."""
    f = surface(text)
    return run_optimizer(f.gradient, start, make_optimizer(name, settings), steps, loss=f.loss)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class OneVariableView:
    """f's critical points and the two curves, for one view window."""

    text: str
    window: tuple[float, float]
    analysis: CriticalPointAnalysis
    derivative_latex: str
    has_gaps: bool
    f_spec: dict
    derivative_spec: dict


def one_variable_view(text: str, window: tuple[float, float], restrict: bool) -> OneVariableView:
    """Everything the function and its window decide (the descent is computed in its own section)."""
    domain = window if restrict else None
    analysis = critical_1d(text, domain, window)
    has_gaps, f_spec, derivative_spec = curves_1d(text, domain, window)
    return OneVariableView(text, window, analysis, derivative_latex(text), has_gaps, f_spec, derivative_spec)


@dataclass(frozen=True)
class SurfaceView:
    """The contour background and the Hessian-classified critical points for one window."""

    text: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    defined_fraction: float
    background: dict
    analysis: SurfaceAnalysis


def surface_view(text: str, x_range: tuple[float, float], y_range: tuple[float, float]) -> SurfaceView:
    """Everything the surface and its window decide (the paths are computed in their own section)."""
    defined_fraction, background = background_2d(text, x_range, y_range)
    return SurfaceView(text, x_range, y_range, defined_fraction, background, critical_2d(text, x_range, y_range))


def task_checker(text: str) -> Verdict:
    """The task's checker: the answer judged against the analysis of log x."""
    window = FUNCTION_PRESETS[TASK_PRESET].window
    return extremum_verdict(text, critical_1d(TASK_FUNCTION, None, window))


# --------------------------------------------------------------------------- one variable: sections


def window_range(axis: str, low: Control, high: Control, containers) -> tuple[float, float]:
    """Two declared ``NUMBER`` controls as the ends of a range. Ends in the wrong order are marked under the
    boxes, and the rest of the page goes on with the declared range."""
    lo, hi = draw(low, container=containers[0]), draw(high, container=containers[1])
    if lo < hi:
        return lo, hi
    containers[0].error(f"The {axis} range must go from a smaller number to a larger one; the page shows "
                        f"{low.default:g} to {high.default:g} meanwhile.")
    return low.default, high.default


def function_controls() -> tuple[tuple[float, float], bool]:
    """The view window and whether f is restricted to it, with the examples box beside them."""
    columns = st.columns([1, 1, 2])
    window = window_range("x", CONTROLS["opt_xmin"], CONTROLS["opt_xmax"], containers=columns[:2])
    restrict = draw(CONTROLS["opt_interval"], container=columns[2])
    return window, restrict


def function_example(name: str) -> dict[str, object]:
    """What the example ``name`` of part one fills in: f, the window and the start."""
    return example_values(FUNCTION_PRESETS[name], "opt_f", ("opt_xmin", "opt_xmax"), ("opt_x0",))


def function_examples() -> None:
    """The examples box of part one."""
    widgets.examples("opt_example", list(FUNCTION_PRESETS), function_example, guards=("opt_f",), help=EXAMPLES_HELP)


def expression_text(key: str, variables: tuple[str, ...] = VARIABLES_1D, container=st) -> str | None:
    """The declared expression box ``key``, echoed in LaTeX; its text.

    A text the page cannot read is marked under the box, and the rest of the page keeps the last function it
    could read in this session (None before there was one: each part then says what it needs).
    """
    box = CONTROLS[key]
    parsed = expression_input(box.label, key=box.key, default=box.default, variables=variables,
                              stop_on_error=False, container=container)
    remembered = f"{key}_last_read"
    if parsed is not None:
        text = typed_text(box.key, box.default)
        st.session_state[remembered] = text
        return text
    previous = st.session_state.get(remembered)
    if previous is not None:
        container.caption(f"The page still shows the last function it could read: {literal(previous)}")
    return previous


NEEDS_FUNCTION = "This part needs a function the page can read: correct the box above."


def show_status(label: str, status: Status, message: str) -> None:
    """An optimizer run's verdict: green when it converged, blue when it ran out of steps, yellow otherwise."""
    text = f"**{label}**: {message}" if label else message
    if status is Status.CONVERGED:
        st.success(text)
    elif status is Status.UNFINISHED:
        st.info(text)
    else:
        st.warning(text)


def _number_columns(*names: str) -> dict:
    return {name: st.column_config.NumberColumn(format=NUMBER_FORMAT) for name in names}


@section(SECTIONS["opt_critical"])
def render_critical_points(view: OneVariableView | None) -> None:
    """The two curves first; f′ and the table of critical points in a box the learner opens."""
    if view is None:
        st.caption(NEEDS_FUNCTION)
        return
    analysis = view.analysis
    left, right = st.columns(2)
    show_chart(view.f_spec, F_ALT, "opt_numbers_f", container=left)
    show_chart(view.derivative_spec, DERIVATIVE_ALT, "opt_numbers_df", container=right)
    st.caption(MARKERS_1D)
    if view.has_gaps:
        st.info(GAPS_1D)
    if not analysis.points and analysis.explanation is not None:
        st.info(f"**No critical point.** {analysis.explanation.message}")
    with st.expander(CRITICAL_TABLE, expanded=False):
        render_critical_table(view)


CRITICAL_TABLE = "f′ and the table of critical points"


def render_critical_table(view: OneVariableView) -> None:
    """f′ as a formula, the critical points with how each was decided, and the analysis's notes."""
    analysis = view.analysis
    if view.derivative_latex:
        st.latex(rf"f'(x) = {view.derivative_latex}")
    else:
        st.caption(NO_FORMULA_1D)
    if analysis.points:
        table = pd.DataFrame({
            "x": [p.x for p in analysis.points],
            "exact x": [str(p.exact) if p.exact is not None and len(str(p.exact)) <= MAX_EXACT_CHARS else ""
                        for p in analysis.points],
            "f(x)": [p.value for p in analysis.points],
            "kind": [p.kind for p in analysis.points],
            "decided by": [p.test for p in analysis.points],
            "found": [p.found_by for p in analysis.points],
        })
        st.dataframe(table, hide_index=True, column_config=_number_columns("x", "f(x)"))
        lo, hi = view.window
        outside = sum(not lo <= p.x <= hi for p in analysis.points)
        if outside:
            st.caption(f"{outside} of these lie outside the plotted view. {say(WIDEN_1D)}".strip())
    elif analysis.explanation is None:
        st.caption("No critical point.")
    for note in analysis.notes:
        st.caption(note)


def render_errata() -> None:
    """The course's wording about the cubic, in the page's errata box."""
    course_differs(COURSE_NOTE)


@section(SECTIONS["opt_descent"])
@st.fragment
def render_descent(view: OneVariableView | None) -> None:
    """Gradient descent on f; its sliders rerun only this section."""
    st.subheader("Gradient descent on f")
    st.markdown(DESCENT_INTRO)
    if view is None:
        st.caption(NEEDS_FUNCTION)
        return
    columns = st.columns(4)
    x0 = draw(CONTROLS["opt_x0"], container=columns[0])
    learning_rate = draw(CONTROLS["opt_lr"], container=columns[1])
    steps = draw(CONTROLS["opt_steps"], container=columns[2])
    momentum = draw(CONTROLS["opt_momentum"], container=columns[3])
    path = None
    with user_errors(stop=False):
        path = descent_1d(view.text, x0, learning_rate, steps, momentum)
    if path is None:
        return
    show_status("", path.status, path.message)
    left, right = st.columns([3, 2])
    show_chart(charts.with_path(view.f_spec, path), DESCENT_ALT, "opt_numbers_descent", container=left)
    left.caption("Black dot: the start. Orange: the iterates, joined in order.")
    if not view.window[0] <= x0 <= view.window[1]:
        left.caption("The start lies outside the plotted view.")
    iterates = pd.DataFrame({"step": np.arange(len(path.points)), "x": path.points[:, 0], "f(x)": path.losses,
                             "f′(x)": path.gradients[:, 0]})
    right.dataframe(iterates, hide_index=True, height=360, column_config=_number_columns("x", "f(x)", "f′(x)"))


# --------------------------------------------------------------------------- two variables: sections


SURFACE_WINDOW_KEYS = ("opt2_xmin", "opt2_xmax", "opt2_ymin", "opt2_ymax")


def surface_example(name: str) -> dict[str, object]:
    """What the example ``name`` of part two fills in: f, the window and the start."""
    return example_values(SURFACE_PRESETS[name], "opt2_f", SURFACE_WINDOW_KEYS, ("opt2_x0", "opt2_y0"))


def surface_examples() -> None:
    """The examples box of part two."""
    widgets.examples("opt2_example", list(SURFACE_PRESETS), surface_example, guards=("opt2_f",), help=EXAMPLES_HELP)


def surface_ranges() -> tuple[tuple[float, float], tuple[float, float]]:
    """The window's four boxes in one row."""
    columns = st.columns(4)
    x_range = window_range("x", CONTROLS["opt2_xmin"], CONTROLS["opt2_xmax"], containers=columns[:2])
    y_range = window_range("y", CONTROLS["opt2_ymin"], CONTROLS["opt2_ymax"], containers=columns[2:])
    return x_range, y_range


def control_key(optimizer: type, control: Hyperparameter) -> str:
    """A hyperparameter's widget and URL key: ``opt2_<optimizer key>_<suffix>`` (as in shared links)."""
    return f"opt2_{optimizer.key}_{control.suffix}"


# How each kind of declared hyperparameter is drawn.
CONTROL_KINDS = {ControlKind.LOG: Kind.LOG_SLIDER, ControlKind.LINEAR: Kind.SLIDER, ControlKind.CHOICE: Kind.SELECT_SLIDER}


def optimizer_controls(optimizer: type) -> tuple[Control, ...]:
    """An optimizer's declared hyperparameters as the page's controls, in declaration order."""
    return tuple(
        Control(control_key(optimizer, h), h.label, CONTROL_KINDS[h.kind], h.default,
                lo=h.range[0] if h.range else None, hi=h.range[1] if h.range else None,
                step=h.per_decade if h.kind is ControlKind.LOG else h.step, options=h.options, help=h.help)
        for h in hyperparameters(optimizer))


def control_labels() -> dict[str, str]:
    """Key -> label of every control the page may draw: its table, and each registered optimizer's settings."""
    labels = CONTROLS.labels()
    for optimizer in OPTIMIZERS.values():
        labels.update({c.key: f"{optimizer.name}: {c.label}" for c in optimizer_controls(optimizer)})
    return labels


def optimizer_settings(name: str, column) -> tuple[float, ...]:
    """One optimizer's hyperparameter controls, drawn from its declaration; their values in declaration order."""
    optimizer = optimizer_class(name)
    column.markdown(f"**{optimizer.name}**", help=f"**{optimizer.label}**\n\n{inspect.cleandoc(optimizer.__doc__)}")
    return tuple(draw(control, container=column) for control in optimizer_controls(optimizer))


def shown_code() -> tuple:
    """What "Show the code" shows: the analysis, the descent, and every registered optimizer's class."""
    return (analyze_critical_points, gradient_descent, run_optimizer, *OPTIMIZERS.values())


@st.fragment
def render_paths(view: SurfaceView | None) -> None:
    """The contour plot with the paths first, then the start, the optimizers and their settings; these controls
    rerun only this section."""
    if view is None:
        st.caption(NEEDS_FUNCTION)
        return
    chart_area = st.container()
    columns = st.columns(3)
    start = (draw(CONTROLS["opt2_x0"], container=columns[0]), draw(CONTROLS["opt2_y0"], container=columns[1]))
    steps = draw(CONTROLS["opt2_steps"], container=columns[2])
    registered = tuple(OPTIMIZERS)  # the registry when the page runs, so an optimizer registered later is offered
    chosen = draw(CONTROLS["opt2_methods"], options=registered, default=registered)
    settings = {}
    if chosen:
        for name, column in zip(chosen, st.columns(len(chosen))):
            settings[name] = optimizer_settings(name, column)
    paths = []
    with user_errors(stop=False):
        paths = [(name, optimizer_path(view.text, name, settings[name], start, steps)) for name in chosen]
    show_chart(charts.contour_view(view.background, paths, start), CONTOUR_ALT, "opt_numbers_contour",
               width="content", container=chart_area)
    chart_area.caption(MARKERS_2D)
    if paths:
        show_chart(charts.loss_spec(paths), LOSS_ALT, "opt_numbers_loss")
    (x_lo, x_hi), (y_lo, y_hi) = view.x_range, view.y_range
    if not (x_lo <= start[0] <= x_hi and y_lo <= start[1] <= y_hi):
        st.warning(say(START_OUTSIDE_2D))
    if view.defined_fraction < 1:
        st.info("f is undefined on part of the window; those areas are left blank.")
    if paths:
        render_path_summary(paths, settings)


def render_path_summary(paths: list[tuple[str, OptimizationPath]], settings: dict[str, tuple[float, ...]]) -> None:
    """Where each optimizer ended, and why it stopped when it did not converge."""
    summary = pd.DataFrame({
        "optimizer": [name for name, _ in paths],
        "settings": [", ".join(f"{v:g}" for v in settings[name]) for name, _ in paths],
        "steps": [path.steps for _, path in paths],
        "final x": [path.points[-1, 0] for _, path in paths],
        "final y": [path.points[-1, 1] for _, path in paths],
        "final f": [path.losses[-1] for _, path in paths],
        "status": [path.status.words for _, path in paths],
    })
    st.dataframe(summary, hide_index=True, column_config=_number_columns("final x", "final y", "final f"))
    for name, path in paths:
        if path.status is not Status.CONVERGED:
            show_status(name, path.status, path.message)


@section(SECTIONS["opt2_hessian"])
def render_hessian(view: SurfaceView | None) -> None:
    """The critical points in the window, each with its Hessian verdict, in a box the learner opens."""
    if view is None:
        return
    with st.expander(SECTIONS["opt2_hessian"].label):
        render_hessian_table(view)


def render_hessian_table(view: SurfaceView) -> None:
    """The Hessian test and the table of critical points."""
    st.markdown(HESSIAN_INTRO)
    points = view.analysis.points
    if points:
        st.dataframe(pd.DataFrame({
            "x": [p.x for p in points],
            "y": [p.y for p in points],
            "f": [p.value for p in points],
            "kind": [p.kind for p in points],
            "det H": [p.determinant for p in points],
            "eigenvalues of H": [f"{p.eigenvalues[0]:.4g}, {p.eigenvalues[1]:.4g}" for p in points],
            "found": [p.found_by for p in points],
            "note": [p.note for p in points],
        }), hide_index=True, column_config=_number_columns("x", "y", "f", "det H"))
    else:
        st.info("No point with ∇f = 0 was found in this window.")
    for note in view.analysis.notes:
        st.caption(note)
