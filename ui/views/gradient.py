"""Lesson 3, the gradient: its prose, cached computations and one renderer per section.

Everything is keyed by the text of f and plain numbers. The formula for ∇f is
differentiated, printed and checked for size in the killable worker; when it is
too large (or the budget runs out) the arrows and numbers come from central
differences of f instead, with a note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from calc_core import gradients
from calc_core.expressions import to_function
from calc_core.gradients import (
    DirectionalScan,
    Function2D,
    GradientDirection,
    GradientFormula,
    LevelCurve,
    central_difference_gradient,
    gradient_at,
    gradient_direction,
    gradient_field,
    level_lines,
    sample_grid,
)
from calc_core.limits import SYMBOLIC_TIMEOUT
from ui import compute
from ui.charts import gradient as charts
from ui.charts.common import arrow_datasets
from ui.charts.show import accessible, show_chart
from ui.controls import Control, Controls, Kind, LessonText, TaskText, draw
from ui.errata import course_differs
from ui.errors import user_errors
from ui.expr_input import expression_control, remembered_function_box
from ui.expr_input import last_good_function as remembered_last_good
from ui.prose import Points, Prose, say
from ui.sections import Section, Sections, section

VARIABLES = ("x", "y")
PRESETS = ["x^2 + y^3", "x^2 + y^2", "x^2 - y^2", "sin(x)*cos(y)", "(1 - x)^2 + 100(y - x^2)^2",
           "exp(-(x^2 + y^2)/4)", "log(x*y)"]
SURFACE_N = 60
HEATMAP_N = 40
ARROWS_N = 15
LEVEL_N = 200
#: The scan table shows every 45th of the 3 600 directions: one row per 4.5°.
TABLE_EVERY = 45 * 10

CONTROLS = Controls(
    expression_control("grad_f", "f(x, y)", "x^2 + y^3"),
    Control("grad_xmin", "x from", Kind.NUMBER, -4.0, lo=-50.0, hi=50.0, step=0.5),
    Control("grad_xmax", "x to", Kind.NUMBER, 4.0, lo=-50.0, hi=50.0, step=0.5),
    Control("grad_ymin", "y from", Kind.NUMBER, -4.0, lo=-50.0, hi=50.0, step=0.5),
    Control("grad_ymax", "y to", Kind.NUMBER, 4.0, lo=-50.0, hi=50.0, step=0.5),
    Control("grad_x0", "Point x₀", Kind.SLIDER, 2.0, lo=-10.0, hi=10.0, step=0.1),
    Control("grad_y0", "Point y₀", Kind.SLIDER, 3.0, lo=-10.0, hi=10.0, step=0.1),
    Control("grad_surface", "Show the 3-D surface", Kind.TOGGLE, True),
    Control("grad_step", "Step s", Kind.LOG_SLIDER, 1e-4, lo=-8, hi=-1, step=4),
    Control("grad_table", "Show the scan as a table", Kind.TOGGLE, False),
)

# The parts of the page a teacher may hide: "The gradient at the point" gives the task's answer at (1, 1), the
# scan its estimate, and the course note ∇(x² + y²) as a formula.
SECTIONS = Sections(
    Section("grad_course_note", "Note: the course's quiver code"),
    Section("grad_gradient", "The gradient at the point"),
    Section("grad_scan", "Scanning every direction"),
)
POINT = ("grad_x0", "grad_y0")
WINDOW = ("grad_xmin", "grad_xmax", "grad_ymin", "grad_ymax")

SURFACE_CAPTION = Prose("The surface z = f(x, y) over the chosen window (extreme values clipped so the shape stays visible).",
                        Points("Moving the point does not redraw it.", POINT))
FIELD_ALT = ("Heatmap of f with gradient arrows, the level curve through the point, and the gradient at the "
             "point.")
FIELD_CAPTION = ("Level curve and gradient field. Shading: f (darker is larger). Small arrows: the direction of ∇f, coloured by |∇f|. "
                 "Dashed blue: the level curve f = f(x₀, y₀). Red: ∇f at the point, drawn at a fixed length; "
                 "it meets the level curve at a right angle.")
OUTSIDE_WINDOW = Prose("The point lies outside the plotted window.", Points("Widen the ranges to see it.", WINDOW))
PARTLY_UNDEFINED = ("f has no finite value on part of the window (a logarithm of a negative number, a division by "
                    "zero, or a number too large for floating point); those areas are left blank.")
COURSE_NOTE = ("The course's quiver code computes (2x, 2y), the field of x² + y², while its text says "
               "x² + y³. The arrows here are the true ∇f of the function above: for x² + y³ that is (2x, 3y²).")
NO_FORMULA = ("The formula for ∇f is too large to show here, so the arrows and numbers below come from central "
              "differences of f, accurate to about six digits.")
UNDEFINED_AT_POINT = "f or its gradient is undefined at this point, so there is no arrow and no level curve here."
SCAN_INTRO = ("Step a distance s from the point in each direction u = (cos θ, sin θ) and measure how fast f "
              "changes. The fastest direction is the gradient's, and the fastest rate is its length.")
SCAN_ALT = "Rate of change of f against the direction angle, with the maximum marked."
SCAN_UNDEFINED = "f is undefined at this point, so no direction has a rate of change."
BEARING_HELP = "The course steps by (sin θ, cos θ), so its angles run clockwise from +y."

TASK_ANSWER = (2.0, 2.0)
TEXT = LessonText(
    title="Gradient: the direction of steepest ascent",
    summary=Prose(
        "For f(x, y) the derivative is a vector, ∇f = (∂f/∂x, ∂f/∂y): it points where f grows fastest, its length "
        "is that rate, and it crosses the level curve through the point at a right angle.",
        Points("Move the point below and check.", POINT),
    ),
    task=TaskText(
        key="grad_task",
        prompt=Prose("What is the gradient of f(x, y) = x² + y² at (1, 1)? Type it as a vector, for example (3, -1).",
                     Points("Then set f to x^2 + y^2 and the point to (1, 1) to confirm it with the direction "
                            "scan.", ("grad_f", *POINT), ("grad_scan",))),
        hint="Differentiate in x while holding y fixed, then the other way round, and put in x = 1, y = 1.",
        solution=("∂f/∂x = 2x and ∂f/∂y = 2y, so ∇f(1, 1) = **(2, 2)**: length 2√2 ≈ 2.83, pointing at 45°. "
                  "The scan's largest rate comes out at 45.0° with a value near 2.83."),
        placeholder="(a, b)",
    ),
)


# --------------------------------------------------------------------------- cached adapters


@compute.shared
def formula(text: str) -> GradientFormula | None:
    """∇f differentiated and printed in the killable worker; None when its budget ran out."""
    result = compute.bounded(gradients.gradient_formula, compute.expression(text, VARIABLES), VARIABLES,
                             timeout=SYMBOLIC_TIMEOUT)
    return result.value if result.ok else None


@compute.shared
def gradient_functions(text: str) -> tuple[Function2D, Function2D]:
    """∂f/∂x and ∂f/∂y compiled once per function; central differences when there is no formula to compile."""
    found = formula(text)
    if found is None or found.components is None:
        return central_difference_gradient(compute.numeric_function(text, VARIABLES))
    gx, gy = (to_function(c, VARIABLES) for c in found.components)
    return gx, gy


@compute.cached
def surface_image(text: str, x_range: tuple[float, float], y_range: tuple[float, float]) -> bytes:
    """The 3-D surface as PNG bytes, drawn once per function and window."""
    return charts.surface_png(sample_grid(compute.numeric_function(text, VARIABLES), x_range, y_range, SURFACE_N))


@compute.shared
def field_background(text: str, x_range: tuple[float, float], y_range: tuple[float, float]) -> tuple[float, dict]:
    """The share of the window where f is defined, and the heatmap with arrows (independent of the point).

    Shared read-only and with its data already in Arrow form: every move of the point resends this
    chart, and neither copying nor converting it should cost anything then.
    """
    f = compute.numeric_function(text, VARIABLES)
    grid = sample_grid(f, x_range, y_range, HEATMAP_N)
    field = gradient_field(gradient_functions(text), x_range, y_range, ARROWS_N, f=f)
    return grid.defined_fraction, arrow_datasets(charts.field_background(grid, field, x_range, y_range))


@compute.shared
def level_grid(text: str, x_range: tuple[float, float], y_range: tuple[float, float]):
    """f on the fine grid the level curves are traced on; sampled once per function and window."""
    return sample_grid(compute.numeric_function(text, VARIABLES), x_range, y_range, LEVEL_N)


@compute.cached
def at_point(text: str, point: tuple[float, float], x_range: tuple[float, float],
             y_range: tuple[float, float]) -> tuple[GradientDirection, LevelCurve]:
    """∇f at the point (with its length and angles) and the level curve through the point."""
    f = compute.numeric_function(text, VARIABLES)
    direction = gradient_direction(gradient_at(gradient_functions(text), point, f=f))
    level = float(f(*point))
    return direction, LevelCurve(level, level_lines(level_grid(text, x_range, y_range), level))


@compute.cached
def scan(text: str, point: tuple[float, float], step: float) -> DirectionalScan:
    """Rates of change in 3 600 directions around the point."""
    return gradients.directional_scan(compute.numeric_function(text, VARIABLES), point, step=step)


# --------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class WindowView:
    """What depends on f and the window only (not on the point)."""

    text: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    formula: GradientFormula | None
    defined_fraction: float
    background: dict


@dataclass(frozen=True)
class PointView:
    """What the point (and the scan's step) adds."""

    point: tuple[float, float]
    direction: GradientDirection
    curve: LevelCurve
    scan: DirectionalScan | None


def window_view(text: str, x_range: tuple[float, float], y_range: tuple[float, float]) -> WindowView:
    """The part of the lesson that a move of the point leaves unchanged."""
    defined_fraction, background = field_background(text, x_range, y_range)
    return WindowView(text, x_range, y_range, formula(text), defined_fraction, background)


def point_view(window: WindowView, point: tuple[float, float], step: float | None = None) -> PointView:
    """∇f at the point, the level curve through it, and (given a step) the scan of every direction."""
    direction, curve = at_point(window.text, point, window.x_range, window.y_range)
    return PointView(point, direction, curve, scan(window.text, point, step) if step is not None else None)


# --------------------------------------------------------------------------- sections


def ranges() -> tuple[tuple[float, float], tuple[float, float]]:
    """The window's four boxes in one row; a range that is not from smaller to larger is marked under them and the
    pictures use that axis's default range."""
    columns = st.columns(4)
    chosen = []
    for axis, (low, high), boxes in (("x", ("grad_xmin", "grad_xmax"), columns[:2]),
                                     ("y", ("grad_ymin", "grad_ymax"), columns[2:])):
        low, high = CONTROLS[low], CONTROLS[high]
        lo, hi = draw(low, container=boxes[0]), draw(high, container=boxes[1])
        if lo < hi:
            chosen.append((lo, hi))
        else:
            st.error(f"The {axis} range must go from a smaller number to a larger one; the pictures use {axis} from "
                     f"{low.default:g} to {high.default:g} until it does.")
            chosen.append((low.default, high.default))
    return chosen[0], chosen[1]


def function_box() -> str | None:
    """The f(x, y) box with its examples; the text of f when it reads, else None (the message is under the box)."""
    return remembered_function_box(CONTROLS["grad_f"], PRESETS, VARIABLES)


def last_good_function() -> str | None:
    """The last f that read in this session, shown while the box holds one that does not."""
    return remembered_last_good(CONTROLS["grad_f"])


def point_sliders() -> tuple[float, float]:
    columns = st.columns(2)
    x0 = draw(CONTROLS["grad_x0"], container=columns[0])
    y0 = draw(CONTROLS["grad_y0"], container=columns[1])
    return x0, y0


def surface_alt(window: WindowView) -> str:
    """What a screen reader announces for the surface picture."""
    (x_lo, x_hi), (y_lo, y_hi) = window.x_range, window.y_range
    return (f"3-D surface of f(x, y) = {window.text} for x from {x_lo:g} to {x_hi:g} and y from {y_lo:g} to "
            f"{y_hi:g}; height and colour show the value of f.")


def render_pictures(window: WindowView, view: PointView) -> None:
    """The surface beside the heatmap with the field, the level curve and ∇f at the point."""
    left, right = st.columns(2)
    with left:
        picture = st.container()
        if draw(CONTROLS["grad_surface"]):
            with picture, user_errors(stop=False):
                st.image(surface_image(window.text, window.x_range, window.y_range), alt=surface_alt(window))
                st.caption(say(SURFACE_CAPTION))
    with right:
        chart = charts.field_view(window.background, view.curve, view.point, view.direction.gradient,
                                  window.x_range, window.y_range)
        show_chart(chart, FIELD_ALT, "grad_numbers_field", width="content")
        st.caption(FIELD_CAPTION)
    (x_lo, x_hi), (y_lo, y_hi), (x0, y0) = window.x_range, window.y_range, view.point
    if not (x_lo <= x0 <= x_hi and y_lo <= y0 <= y_hi):
        st.warning(say(OUTSIDE_WINDOW))
    if window.defined_fraction < 1:
        st.info(PARTLY_UNDEFINED)


@section(SECTIONS["grad_course_note"])
def render_course_note() -> None:
    """The course's quiver note, in the page's closed box of the course's errata."""
    course_differs(COURSE_NOTE)


@section(SECTIONS["grad_gradient"])
def render_gradient(window: WindowView, view: PointView) -> None:
    """∇f as a formula and its value at the point."""
    st.subheader("The gradient at the point")
    if window.formula is not None and window.formula.latex:
        st.latex(rf"\nabla f(x, y) = \left({window.formula.latex}\right)")
    else:
        st.info(NO_FORMULA)
    (x0, y0), d = view.point, view.direction
    if d.is_defined:
        gx, gy = d.gradient
        st.latex(rf"\nabla f({x0:g}, {y0:g}) = ({gx:.6g},\ {gy:.6g}),\qquad |\nabla f| = {d.norm:.6g}")
    else:
        st.warning(UNDEFINED_AT_POINT)


def step_slider() -> float:
    return draw(CONTROLS["grad_step"])


def render_scan(view: PointView) -> None:
    """The rate of change in every direction, its maximum, and the two angle conventions."""
    result, d = view.scan, view.direction
    st.vega_lite_chart(accessible(charts.scan_chart(result, d.norm, d.angle_deg)), width="stretch", alt=SCAN_ALT)
    if result.is_defined:
        columns = st.columns(3)
        columns[0].metric("Largest rate (scan)", f"{result.best_rate:.6g}",
                          help=f"|∇f| = {d.norm:.6g}" if d.is_defined else None)
        columns[1].metric("At θ (from +x)", f"{result.best_angle_deg:.1f}°",
                          help=f"The direction of ∇f is {d.angle_deg:.2f}°" if math.isfinite(d.angle_deg) else None)
        bearing = gradients.course_bearing_deg(result.best_angle_deg)
        columns[2].metric("The course's angle (from +y)", f"{bearing:.1f}°", help=BEARING_HELP)
        gx, gy = d.gradient
        exact = f"∇f = ({gx:.6g}, {gy:.6g})" if d.is_defined else "∇f is undefined here"
        ex, ey = result.gradient_estimate
        st.caption(f"Gradient estimate from the scan: ({ex:.6g}, {ey:.6g}), the largest rate times its direction; "
                   f"exact: {exact}. The scan's angles are counter-clockwise from +x; the course measures "
                   f"clockwise from +y, so it would report this direction as {bearing:.1f}°.")
    else:
        st.warning(SCAN_UNDEFINED)
    if draw(CONTROLS["grad_table"]):
        every = slice(None, None, TABLE_EVERY)
        st.dataframe(pd.DataFrame({"θ (degrees from +x)": result.angles_deg[every], "rate": result.rates[every]}),
                     hide_index=True)


@st.fragment
def render_point_sections(window: WindowView) -> None:
    """Everything the point drives; moving it reruns only this part of the page."""
    point = point_sliders()
    view = None
    with user_errors(stop=False):
        view = point_view(window, point)
    if view is None:
        return
    render_pictures(window, view)
    render_gradient(window, view)
    render_scan_section(window, point)


@section(SECTIONS["grad_scan"])
def render_scan_section(window: WindowView, point: tuple[float, float]) -> None:
    """The scan of every direction around the point, with its step, in a box the learner opens by choice (open when
    a link asks for the scan's table)."""
    opened = str(st.session_state.get("grad_table", st.query_params.get("grad_table", ""))).lower()
    with st.expander(SECTIONS["grad_scan"].label, icon=":material/explore:",
                     expanded=opened in ("true", "1", "yes", "on")):
        st.markdown(SCAN_INTRO)
        step = step_slider()
        view = None
        with user_errors(stop=False):
            view = point_view(window, point, step)
        if view is not None:
            render_scan(view)
