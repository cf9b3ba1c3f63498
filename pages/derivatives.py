"""Lesson 1: the derivative as a rate of change, and by the rules."""

from __future__ import annotations

import math

import streamlit as st
import sympy

from calc_core.budget import run_with_budget
from calc_core.differentiation import (
    SCHEME_FORMULAS,
    SCHEMES,
    DifferentiationError,
    derivative,
    derivative_curves,
    derivative_steps,
    domain_report,
    finite_difference,
    step_size_study,
    tangent_secant,
)
from calc_core.expressions import parse_expression, to_function
from ui import widgets
from ui.charts import derivatives as charts
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import expression_input
from ui.layout import page_header
from ui.task import symbolic_checker, task_box

PRESETS = ["x^2", "x^3 - 2x^2 + 1", "sin(x)", "exp(-x^2)", "abs(x)", "1/x", "log(x)", "sqrt(x)", "sigmoid(x)",
           "x^x"]
TASK_TEXT = "x^3 - 2x^2 + 1"
RANGE_LIMIT = 100.0
X0_LIMIT = 10.0
SAMPLES = 801
CACHE = {"max_entries": 64, "ttl": 3600, "show_spinner": False}
WHAT_WENT_WRONG = {
    "pole": "f is unbounded there (a vertical asymptote)",
    "hole": "f itself is undefined there",
    "corner": "the slopes from the left and from the right do not agree (or are infinite)",
    "undefined": "f has no real value there",
}


@st.cache_data(**CACHE)
def slope_expr(key: str, _expr):
    """f′ by the rules (differentiated once per function)."""
    return derivative(_expr)


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def compiled(key: str, _expr):
    """f and f′ as vectorised numpy functions; shared read-only, as compiling a long f′ is slow."""
    return to_function(_expr), to_function(slope_expr(key, _expr))


@st.cache_data(**CACHE)
def trouble_spots(key: str, span: tuple[float, float], _expr):
    """Poles, holes, corners and undefined stretches over the plot range and every x0 the slider allows."""
    return domain_report(_expr, "x", *span, slope=slope_expr(key, _expr))


@st.cache_data(**CACHE)
def curves(key: str, x_range: tuple[float, float], breaks: tuple[float, ...], _expr):
    """f and f' on the plot range (independent of x0 and δx)."""
    return derivative_curves(_expr, "x", *x_range, SAMPLES, breaks, slope=slope_expr(key, _expr))


@st.cache_data(**CACHE)
def rate_of_change(key: str, x_range: tuple[float, float], breaks: tuple[float, ...], poles: tuple[float, ...],
                   dx: float, scheme: str, _expr):
    """The finite-difference curve on the same points as f' (blank where a secant would jump a pole)."""
    xs = curves(key, x_range, breaks, _expr).x
    f, _ = compiled(key, _expr)
    return xs, finite_difference(f, xs, dx, scheme, poles=poles)


@st.cache_data(**CACHE)
def function_chart_base(key: str, x_range: tuple[float, float], breaks: tuple[float, ...], secant_name: str,
                        _expr) -> dict:
    """The f(x) chart without the x0-dependent lines and points."""
    sampled = curves(key, x_range, breaks, _expr)
    return charts.function_base(sampled.x, sampled.f, x_range, secant_name)


@st.cache_data(**CACHE)
def derivative_chart_template(key: str, x_range: tuple[float, float], breaks: tuple[float, ...], rate_name: str,
                              _expr) -> dict:
    """The f'(x) chart's axes and layers, fitted to f'."""
    return charts.derivative_template(curves(key, x_range, breaks, _expr).slope, x_range, rate_name)


@st.cache_data(**CACHE)
def error_study(key: str, x0: float, slope: float, _expr):
    """Forward and central error against the step size at x0."""
    f, _ = compiled(key, _expr)
    return step_size_study(f, x0, slope)


@st.cache_data(**CACHE)
def error_chart_template() -> dict:
    """The error-versus-step chart, without data."""
    return charts.step_error_template()


@st.cache_data(**CACHE)
def working(key: str, _expr):
    """The rules applied step by step (under the time budget), or the reason there are none to show."""
    result = run_with_budget(derivative_steps, _expr, "x")
    if result.ok:
        return result.value, ""
    if result.timed_out:
        return (), "Working this derivative out step by step took too long and was stopped; f′ is shown above."
    prefix = f"{DifferentiationError.__name__}: "
    if result.error.startswith(prefix):
        return (), result.error.removeprefix(prefix)
    return (), "The step-by-step working is not available for this function; f′ is shown above."


@st.cache_data(**CACHE)
def derivative_latex(key: str, _expr) -> str:
    """f′ by the rules, as LaTeX."""
    return sympy.latex(slope_expr(key, _expr))


page_header(
    "Derivatives: the slope, as a limit and by the rules",
    1,
    "The derivative f′(x) is the rate at which f changes at x: the slope of the secant "
    "(f(x + δx) − f(x)) / δx as the step δx shrinks to zero. The rules of differentiation give the same "
    "function in one go. Type a function, move the point x₀ and shrink δx, and watch the secant turn into "
    "the tangent — until the step is so small that rounding errors take over.",
)

expr = expression_input("f(x) =", key="deriv_f", default="x^2", presets=PRESETS)
key = sympy.srepr(expr)

columns = st.columns([1, 1, 2, 2, 2])
x_lo = widgets.number("x from", "deriv_xmin", -RANGE_LIMIT, RANGE_LIMIT, -5.0, 0.5, container=columns[0])
x_hi = widgets.number("x to", "deriv_xmax", -RANGE_LIMIT, RANGE_LIMIT, 5.0, 0.5, container=columns[1])
x0 = widgets.slider("Point x₀", "deriv_x0", -X0_LIMIT, X0_LIMIT, 1.0, 0.05, container=columns[2])
dx = widgets.log_slider("Step δx", "deriv_dx", exponents=(-12, 0), value=1.0, per_decade=2, container=columns[3],
                        help="The step of the rate of change. Try 1, then 0.01, then 1e-12.")
scheme = widgets.radio("Difference", SCHEMES, "deriv_scheme", container=columns[4],
                       help="Which two points the secant goes through: x₀ and x₀ + δx (forward), x₀ − δx and "
                            "x₀ (backward), or x₀ − δx and x₀ + δx (central).")
if not x_lo < x_hi:
    st.error("The x range must go from a smaller number to a larger one.")
    st.stop()
x_range = (x_lo, x_hi)
span = (min(x_lo, -X0_LIMIT), max(x_hi, X0_LIMIT))

secant_name = f"secant ({scheme})"
rate_name = f"rate {SCHEME_FORMULAS[scheme]}"
with user_errors():
    report = trouble_spots(key, span, expr)
    sampled = curves(key, x_range, report.breaks, expr)
    f, df = compiled(key, expr)
    problem_at_x0 = report.status_at(x0)
    slope = math.nan if problem_at_x0 else float(df(x0))
    ts = tangent_secant(f, x0, slope, dx, scheme)
    function_chart = charts.function_view(function_chart_base(key, x_range, report.breaks, secant_name, expr), ts,
                                          x_range, secant_name)
    rate_xs, rates = rate_of_change(key, x_range, report.breaks, report.poles, dx, scheme, expr)
    derivative_chart = charts.derivative_view(
        derivative_chart_template(key, x_range, report.breaks, rate_name, expr), rate_xs, sampled.slope, rates,
        rate_name, ts)

left, right = st.columns(2)
with left:
    st.vega_lite_chart(function_chart, width="stretch",
                       alt="f with the tangent line at x0 and the secant through two nearby points.")
    st.caption(f"Blue: f. Orange: the tangent at x₀, with slope f′(x₀) by the rules. Red dashed: the secant "
               f"through the two points the {scheme} difference uses, δx = {dx:g} apart; its slope is the rate of "
               "change. Shrink δx and the secant turns into the tangent.")
with right:
    st.vega_lite_chart(derivative_chart, width="stretch",
                       alt="The derivative by the rules overlaid with the rate of change for the chosen step.")
    st.caption(f"Blue: f′ by the rules. Red dashed: the rate of change {SCHEME_FORMULAS[scheme]} at every x, with "
               f"δx = {dx:g}. The course's figure is this chart for f(x) = x² with a forward step of 0.0001; "
               "there the two curves coincide.")

too_large = problem_at_x0 == "overflow"
columns = st.columns(4)
columns[0].metric("f(x₀)", f"{ts.y0:.6g}" if math.isfinite(ts.y0) else "too large" if too_large else "undefined")
columns[1].metric("f′(x₀) by the rules", f"{slope:.10g}" if math.isfinite(slope)
                  else "too large" if too_large else "does not exist")
columns[2].metric(f"Rate of change ({scheme})", f"{ts.secant_slope:.10g}" if math.isfinite(ts.secant_slope)
                  else "undefined")
columns[3].metric("|rate − f′(x₀)|", f"{ts.gap:.3e}" if math.isfinite(ts.gap) else "—")

if problem_at_x0 == "overflow":
    st.warning(f"At x₀ = {x0:g}, f is larger than any number a computer can store, so neither f′(x₀) nor a finite "
               "difference can be computed there.")
elif problem_at_x0:
    st.warning(f"At x₀ = {x0:g}, f′ does not exist: {WHAT_WENT_WRONG[problem_at_x0]}. No tangent is drawn. "
               "A finite difference still returns a number — it cannot tell that the limit fails.")
notes = []
for lo, hi in report.undefined_intervals:
    if lo < x_hi and hi > x_lo:
        notes.append(f"f has no real value for x between {max(lo, x_lo):g} and {min(hi, x_hi):g}: that stretch is "
                     "left blank.")
for lo, hi in report.overflow_intervals:
    if lo < x_hi and hi > x_lo:
        notes.append(f"For x between {max(lo, x_lo):g} and {min(hi, x_hi):g}, f is larger than any number a computer "
                     "can store (about 1.8·10³⁰⁸): that stretch is left blank.")
for point in report.poles:
    if x_lo <= point <= x_hi:
        notes.append(f"At x = {point:g}, f is unbounded (a vertical asymptote): neither f nor f′ exists there, and "
                     "the rate of change is left blank wherever its secant would jump across it.")
for point in report.holes:
    if x_lo <= point <= x_hi:
        notes.append(f"At x = {point:g}, the formula for f is undefined (a single missing point), so f′ is too.")
for point in report.corners:
    if x_lo <= point <= x_hi:
        notes.append(f"At x = {point:g}, f is not differentiable: the slopes from the left and the right differ "
                     "or are infinite (a corner or a vertical tangent). The blue curve has a gap there.")
if notes:
    st.info("\n".join(f"- {note}" for note in notes))
if not x_lo <= x0 <= x_hi:
    st.warning("x₀ lies outside the plotted range; widen the range to see it.")

st.subheader("By the rules, step by step")
st.latex(rf"f'(x) = {derivative_latex(key, expr)}")
steps, why_not = working(key, expr)
if why_not:
    st.info(why_not)
else:
    show_working = widgets.toggle("Show the whole expression after each step", "deriv_working",
                                  help="Each step rewrites one d/dx; this shows everything written out so far.")
    for number, step in enumerate(steps, start=1):
        st.markdown(f"**{number}. {step.rule.capitalize()} rule.** {step.explanation}")
        st.latex(rf"{step.target} = {step.result}")
        if show_working:
            st.latex(rf"\Rightarrow\ {step.after}")
    st.caption("Each step applies one rule to the first derivative not yet worked out, reading left to right; "
               "the last line is f′(x).")

st.subheader("How small should δx be?")
if math.isfinite(slope):
    with user_errors(stop=False):
        study = error_study(key, x0, slope, expr)
        st.vega_lite_chart(charts.step_error_view(error_chart_template(), study, dx), width="stretch",
                           alt="Log-log plot of the finite-difference error against the step size.")
        if study.exact_forward:
            behaviour = ("f is a straight line here, so both differences are exact up to round-off: their error "
                         "only grows as h shrinks, like 1/h.")
        elif study.exact_central:
            behaviour = (
                "For large h the forward error is truncation, falling like h (slope 1 on these axes). The central "
                "difference has no truncation error at all for this f — it is exact for every quadratic, whose "
                "third derivative is 0 — so its error is round-off only. For tiny h, f(x₀ + h) − f(x₀) cancels "
                "almost all digits and round-off grows like 1/h. "
                f"The best forward step is h ≈ {study.best_h_forward:.1e} (error {study.best_error_forward:.1e}), "
                f"near the rule of thumb √ε ≈ {study.theory_h_forward:.0e}. Try sin(x) to see central differences "
                "fall like h²."
            )
        else:
            behaviour = (
                "For large h the error is truncation: it falls like h for forward and h² for central differences "
                "(slopes 1 and 2 on these axes). For tiny h, f(x₀ + h) − f(x₀) cancels almost all digits and "
                "round-off error grows like 1/h. The diamonds mark the best steps: "
                f"h ≈ {study.best_h_forward:.1e} for forward (error {study.best_error_forward:.1e}) and "
                f"h ≈ {study.best_h_central:.1e} for central (error {study.best_error_central:.1e}), close to the "
                f"rules of thumb √ε ≈ {study.theory_h_forward:.0e} and ∛ε ≈ {study.theory_h_central:.0e}."
            )
        st.caption(f"At x₀ = {x0:g}: {behaviour} The dashed line is your δx; gaps mean the error was exactly 0.")
else:
    st.info("There is no exact f′(x₀) to compare with at this point; move x₀ to see the error study.")

task_f = parse_expression(TASK_TEXT)
task_box(
    "deriv_task",
    "The course's task: find the derivative of f(x) = x³ − 2x² + 1 using the rules of differentiation. Type "
    "f′(x) below. Then choose the example x^3 - 2x^2 + 1 above and compare your answer with the rate of change.",
    symbolic_checker(derivative(task_f)),
    hint="Work term by term (sum rule). For xⁿ the power rule gives n·xⁿ⁻¹; a constant factor such as 2 stays in "
         "front; a constant term has derivative 0.",
    solution_md="f′(x) = 3x² − 4x: the power rule turns x³ into 3x² and x² into 2x (times −2 gives −4x), and the "
                "constant 1 disappears. f′ is zero at x = 0 and x = 4/3, where f has its local maximum and "
                "minimum — on the right-hand chart, that is where the curve crosses zero.",
    placeholder="e.g. 3x^2 - 4x",
)

show_code("deriv_code", derivative, finite_difference, step_size_study)
