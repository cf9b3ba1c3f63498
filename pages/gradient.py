"""Lesson 3: the gradient of f(x, y), seen as a surface, a vector field and a scan of every direction."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
import sympy

from calc_core.expressions import to_function
from calc_core.gradients import (
    course_bearing_deg,
    directional_scan,
    gradient,
    gradient_at,
    gradient_field,
    level_curve,
    sample_grid,
)
from ui import widgets
from ui.charts import gradient as charts
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import compiled, expression_input
from ui.layout import course_note, page_header
from ui.task import task_box, vector_checker

VARIABLES = ("x", "y")
PRESETS = ["x^2 + y^3", "x^2 + y^2", "x^2 - y^2", "sin(x)*cos(y)", "(1 - x)^2 + 100(y - x^2)^2",
           "exp(-(x^2 + y^2)/4)", "log(x*y)"]
RANGE_LIMIT = 50.0
SURFACE_N = 60
HEATMAP_N = 40
ARROWS_N = 15
LEVEL_N = 200
CACHE = {"max_entries": 64, "ttl": 3600, "show_spinner": False}


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def gradient_functions(key: str, _expr) -> list:
    """∂f/∂x and ∂f/∂y, differentiated and compiled once per function (not on every point move)."""
    return [to_function(g, VARIABLES) for g in gradient(_expr, VARIABLES)]


@st.cache_data(**CACHE)
def gradient_latex(key: str, _expr) -> str:
    """∇f in LaTeX, differentiated once per function."""
    return ",\\ ".join(sympy.latex(g) for g in gradient(_expr, VARIABLES))


@st.cache_data(**CACHE)
def surface_image(key: str, x_range: tuple[float, float], y_range: tuple[float, float], _expr) -> bytes:
    """The 3-D surface as PNG bytes; keyed by the expression's canonical form and the window only."""
    grid = sample_grid(compiled(key, _expr, VARIABLES), x_range, y_range, SURFACE_N)
    return charts.surface_png(grid)


@st.cache_data(**CACHE)
def field_data(key: str, x_range: tuple[float, float], y_range: tuple[float, float], _expr):
    """The share of the window where f is defined, and the point-independent part of the field view."""
    f = compiled(key, _expr, VARIABLES)
    grid = sample_grid(f, x_range, y_range, HEATMAP_N)
    field = gradient_field(gradient_functions(key, _expr), x_range, y_range, ARROWS_N, f=f)
    return grid.defined_fraction, charts.field_background(grid, field, x_range, y_range)


@st.cache_data(**CACHE)
def point_data(key: str, point: tuple[float, float], x_range: tuple[float, float], y_range: tuple[float, float],
               _expr):
    """∇f at the point and the level curve through it."""
    f = compiled(key, _expr, VARIABLES)
    grad = gradient_at(gradient_functions(key, _expr), point, f=f)
    return grad, level_curve(f, point, x_range, y_range, LEVEL_N)


@st.cache_data(**CACHE)
def scan_data(key: str, point: tuple[float, float], step: float, _expr):
    """Rates of change in 3 600 directions around the point."""
    return directional_scan(compiled(key, _expr, VARIABLES), point, step=step)


page_header(
    "Gradient: the direction of steepest ascent",
    3,
    "For a function of two variables the derivative becomes a vector, ∇f = (∂f/∂x, ∂f/∂y). It points where f "
    "grows fastest, its length is that fastest rate, and it crosses the level curve through the point at a "
    "right angle. Type a function, move the point, and check all three.",
)

expr = expression_input("f(x, y)", key="grad_f", default="x^2 + y^3", variables=VARIABLES, presets=PRESETS)
key = sympy.srepr(expr)

columns = st.columns(4)
x_lo = widgets.number("x from", "grad_xmin", -RANGE_LIMIT, RANGE_LIMIT, -4.0, 0.5, container=columns[0])
x_hi = widgets.number("x to", "grad_xmax", -RANGE_LIMIT, RANGE_LIMIT, 4.0, 0.5, container=columns[1])
y_lo = widgets.number("y from", "grad_ymin", -RANGE_LIMIT, RANGE_LIMIT, -4.0, 0.5, container=columns[2])
y_hi = widgets.number("y to", "grad_ymax", -RANGE_LIMIT, RANGE_LIMIT, 4.0, 0.5, container=columns[3])
if not (x_lo < x_hi and y_lo < y_hi):
    st.error("Each range must go from a smaller number to a larger one.")
    st.stop()
x_range, y_range = (x_lo, x_hi), (y_lo, y_hi)

columns = st.columns(2)
x0 = widgets.slider("Point x₀", "grad_x0", -10.0, 10.0, 2.0, 0.1, container=columns[0])
y0 = widgets.slider("Point y₀", "grad_y0", -10.0, 10.0, 3.0, 0.1, container=columns[1])
point = (x0, y0)

with user_errors():
    defined_fraction, background = field_data(key, x_range, y_range, expr)
    grad, curve = point_data(key, point, x_range, y_range, expr)

gx, gy = grad
grad_defined = math.isfinite(gx) and math.isfinite(gy)
grad_norm = math.hypot(gx, gy) if grad_defined else math.nan
grad_angle = math.degrees(math.atan2(gy, gx)) % 360 if grad_defined and grad_norm > 0 else math.nan

left, right = st.columns(2)
with left:
    st.subheader("The surface")
    if widgets.toggle("Show the 3-D surface", "grad_surface", value=True):
        with user_errors(stop=False):
            st.image(surface_image(key, x_range, y_range, expr))
        st.caption("z = f(x, y) over the chosen window (extreme values clipped so the shape stays visible). "
                   "Moving the point does not redraw it.")
with right:
    st.subheader("Level curve and gradient field")
    view = charts.field_view(background, curve, point, grad, x_range, y_range)
    st.vega_lite_chart(view, width="content",
                    alt="Heatmap of f with gradient arrows, the level curve through the point, and the "
                        "gradient at the point.")
    st.caption("Shading: f (darker is larger). Small arrows: the direction of ∇f, coloured by |∇f|. "
               "Dashed blue: the level curve f = f(x₀, y₀). Red: ∇f at the point, drawn at a fixed length; "
               "it meets the level curve at a right angle.")
if not (x_lo <= x0 <= x_hi and y_lo <= y0 <= y_hi):
    st.warning("The point lies outside the plotted window; widen the ranges to see it.")
if defined_fraction < 1:
    st.info("f has no finite value on part of the window (a logarithm of a negative number, a division by "
            "zero, or a number too large for floating point); those areas are left blank.")
course_note("The course's quiver code computes (2x, 2y), the field of x² + y², while its text says "
            "x² + y³. The arrows here are the true ∇f of the function above: for x² + y³ that is (2x, 3y²).")

st.subheader("The gradient at the point")
st.latex(rf"\nabla f(x, y) = \left({gradient_latex(key, expr)}\right)")
if grad_defined:
    st.latex(rf"\nabla f({x0:g}, {y0:g}) = ({gx:.6g},\ {gy:.6g}),\qquad |\nabla f| = {grad_norm:.6g}")
else:
    st.warning("f or its gradient is undefined at this point, so there is no arrow and no level curve here.")

st.subheader("Scanning every direction")
st.markdown("Step a distance s from the point in each direction u = (cos θ, sin θ) and measure how fast f "
            "changes. The fastest direction is the gradient's, and the fastest rate is its length.")
step = widgets.log_slider("Step s", "grad_step", exponents=(-8, -1), value=1e-4)
with user_errors():
    scan = scan_data(key, point, step, expr)
st.vega_lite_chart(charts.scan_chart(scan, grad_norm, grad_angle), width="stretch",
                   alt="Rate of change of f against the direction angle, with the maximum marked.")
if scan.is_defined:
    columns = st.columns(3)
    columns[0].metric("Largest rate (scan)", f"{scan.best_rate:.6g}",
                      help=f"|∇f| = {grad_norm:.6g}" if grad_defined else None)
    columns[1].metric("At θ (from +x)", f"{scan.best_angle_deg:.1f}°",
                      help=f"The direction of ∇f is {grad_angle:.2f}°" if math.isfinite(grad_angle) else None)
    columns[2].metric("The course's angle (from +y)", f"{course_bearing_deg(scan.best_angle_deg):.1f}°",
                      help="The course steps by (sin θ, cos θ), so its angles run clockwise from +y.")
    estimate = scan.gradient_estimate
    exact = f"∇f = ({gx:.6g}, {gy:.6g})" if grad_defined else "∇f is undefined here"
    st.caption(f"Gradient estimate from the scan: ({estimate[0]:.6g}, {estimate[1]:.6g}), the largest rate times "
               f"its direction; exact: {exact}. The scan's angles are counter-clockwise from +x; the course "
               f"measures clockwise from +y, so it would report this direction as "
               f"{course_bearing_deg(scan.best_angle_deg):.1f}°.")
else:
    st.warning("f is undefined at this point, so no direction has a rate of change.")
if widgets.toggle("Show the scan as a table", "grad_table"):
    every = slice(None, None, 450)
    st.dataframe(pd.DataFrame({"θ (degrees from +x)": scan.angles_deg[every], "rate": scan.rates[every]}),
                 hide_index=True)

task_box(
    "grad_task",
    "What is the gradient of f(x, y) = x² + y² at (1, 1)? Type it as a vector, for example (3, -1). Then set "
    "f to x^2 + y^2 and the point to (1, 1) above to confirm it with the direction scan.",
    vector_checker((2.0, 2.0)),
    hint="Differentiate in x while holding y fixed, then the other way round, and put in x = 1, y = 1.",
    solution_md="∂f/∂x = 2x and ∂f/∂y = 2y, so ∇f(1, 1) = **(2, 2)**: length 2√2 ≈ 2.83, pointing at 45°. "
                "The scan's largest rate comes out at 45.0° with a value near 2.83.",
    placeholder="(a, b)",
)

show_code("grad_code", gradient, directional_scan)
