"""Lesson 2: the integral as a sum of thin strips, and as the reverse of differentiation."""

from __future__ import annotations

import math

import streamlit as st
import sympy

from calc_core.budget import run_with_budget
from calc_core.differentiation import domain_report, sample_curve
from calc_core.expressions import parse_expression
from calc_core.integration import (
    RULES,
    antiderivative,
    antiderivative_curve,
    antiderivative_report,
    convergence_study,
    definite_integral,
    interval_report,
    quad_integral,
    riemann_panels,
    riemann_sum,
    running_integral,
)
from ui import widgets
from ui.charts import integrals as charts
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import compiled, expression_input
from ui.layout import course_note, page_header
from ui.task import antiderivative_checker, task_box

PRESETS = ["2x", "3x^2 - 4x", "x", "sin(x)", "exp(-x^2)", "1/x", "sin(x)/x", "sqrt(x)", "x exp(x)", "1/(1 + x^2)"]
TASK_TEXT = "3x^2 - 4x"
RANGE_LIMIT = 100.0
SAMPLES = 801
CACHE = {"max_entries": 64, "ttl": 3600, "show_spinner": False}
SUM_NAME = "running sum"
EXACT_NAME = "F(x) − F(a)"
RULE_WORDS = {
    "left": "each strip's height is f at its left edge",
    "right": "each strip's height is f at its right edge",
    "midpoint": "each strip's height is f at its middle",
    "trapezoid": "each strip's top is the straight line between f at its two edges",
}


@st.cache_data(**CACHE)
def symbolic(key: str, _expr):
    """Antiderivative, elementary or not, and the steps — under the time budget."""
    return run_with_budget(antiderivative_report, _expr, "x")


@st.cache_data(**CACHE)
def exact_value(key: str, interval: tuple[float, float], _expr):
    """The exact definite integral from sympy, under the time budget."""
    return run_with_budget(definite_integral, _expr, "x", *interval)


@st.cache_data(**CACHE)
def trouble_spots(key: str, interval: tuple[float, float], _expr):
    """Poles, holes and undefined stretches in [a, b]."""
    return domain_report(_expr, "x", *interval)


@st.cache_data(**CACHE)
def interval_kind(key: str, interval: tuple[float, float], _expr):
    """Is the integral over [a, b] proper, improper or undefined?"""
    return interval_report(_expr, "x", *interval)


@st.cache_data(**CACHE)
def quad_value(key: str, interval: tuple[float, float], points: tuple[float, ...], _expr):
    """scipy's adaptive quadrature, split at the given trouble spots."""
    return quad_integral(compiled(key, _expr), *interval, points=points)


@st.cache_data(**CACHE)
def riemann_chart_base(key: str, interval: tuple[float, float], breaks: tuple[float, ...], _expr) -> dict:
    """The f(x) chart over [a, b], without strips."""
    xs, ys = sample_curve(compiled(key, _expr), *interval, SAMPLES, breaks)
    return charts.riemann_base(xs, ys, interval)


@st.cache_data(**CACHE)
def strips(key: str, interval: tuple[float, float], n: int, rule: str, _expr):
    """The n strips of one Riemann sum."""
    return riemann_panels(compiled(key, _expr), *interval, n, rule)


@st.cache_data(**CACHE)
def convergence_chart_base(key: str, interval: tuple[float, float], reference: float, _expr):
    """Errors of all four rules against n, and the fitted orders."""
    study = convergence_study(compiled(key, _expr), *interval, reference)
    return charts.convergence_base(study), study.orders


@st.cache_data(**CACHE)
def running(key: str, interval: tuple[float, float], dx: float, rule: str, _expr):
    """The running sum of f·δx from a."""
    return running_integral(compiled(key, _expr), *interval, dx, rule)


@st.cache_data(**CACHE)
def antiderivative_values(key: str, interval: tuple[float, float], breaks: tuple[float, ...], _F):
    """F and F(x) − F(a) on [a, b], or None if F cannot be evaluated there."""
    return antiderivative_curve(_F, "x", *interval, SAMPLES, breaks)


@st.cache_data(**CACHE)
def running_chart_template(interval: tuple[float, float]) -> dict:
    """Axes and layers of the running-sum chart."""
    return charts.running_template(interval, SUM_NAME, EXACT_NAME)


@st.cache_data(**CACHE)
def family_chart_template(interval: tuple[float, float]) -> dict:
    """Axes and layers of the F + C chart."""
    return charts.family_template(interval)


@st.cache_data(**CACHE)
def family_data(curve_key: str, _xs, _F):
    """The faint family F + k for one antiderivative curve (keyed by what the curve is)."""
    return charts.family_frame(_xs, _F)


def number_text(value: float) -> str:
    return f"{value:.10g}" if math.isfinite(value) else "undefined"


page_header(
    "Integrals: area as a running sum",
    2,
    "Cut the area under f into thin strips of width δx and add them up: that sum tends to the integral as δx "
    "shrinks. Keep adding from a fixed start and the running total becomes a function whose derivative is f — "
    "an antiderivative — which is why integration undoes differentiation. Type a function, pick an interval "
    "and a rule, and compare the sums with the exact answer.",
)

expr = expression_input("f(x) =", key="integ_f", default="2x", presets=PRESETS)
key = sympy.srepr(expr)

columns = st.columns(2)
a = widgets.number("a (start)", "integ_a", -RANGE_LIMIT, RANGE_LIMIT, -1.0, 0.5, container=columns[0])
b = widgets.number("b (end)", "integ_b", -RANGE_LIMIT, RANGE_LIMIT, 3.0, 0.5, container=columns[1])
if not a < b:
    st.error("The interval [a, b] needs a < b.")
    st.stop()
interval = (a, b)

with user_errors():
    spots = trouble_spots(key, interval, expr)
    kind = interval_kind(key, interval, expr)
    exact = exact_value(key, interval, expr)
    quad = quad_value(key, interval, spots.breaks, expr)

exact_ok = exact.ok and exact.value.status == "finite"
if exact_ok:
    reference = exact.value.value
elif quad.converged and kind.sum_is_meaningful:
    reference = quad.value
else:
    reference = math.nan

st.subheader("Strips under the curve: Riemann sums")
columns = st.columns([3, 2])
rule = widgets.radio("Rule", RULES, "integ_rule", container=columns[0],
                     help="Where each strip takes its height.")
n = widgets.slider("Number of strips n", "integ_n", 1, 200, 10, container=columns[1])
with user_errors():
    panels = strips(key, interval, n, rule, expr)
    riemann_chart = charts.riemann_view(riemann_chart_base(key, interval, spots.breaks, expr), panels)
st.vega_lite_chart(riemann_chart, width="stretch",
                   alt="The area under f split into strips whose heights follow the chosen rule.")
st.caption(f"{n} strips of width δx = (b − a)/n = {panels.width:.4g}; {RULE_WORDS[rule]}. Blue strips count as "
           "positive area, red ones (below the x-axis) as negative. Red dots: where f was sampled.")

if kind.message:
    (st.info if kind.sum_is_meaningful else st.warning)(kind.message)

columns = st.columns(4)
sum_label = f"Riemann sum ({rule}, n = {n})" if kind.sum_is_meaningful else "Riemann sum (not the integral)"
columns[0].metric(sum_label, number_text(panels.area))
status = exact.value.status if exact.ok else None
no_limit = status in ("infinite", "no value")
if exact.timed_out:
    shown = "took too long"
elif status == "finite":
    shown = number_text(exact.value.value)
elif no_limit and kind.kind == "improper":
    shown = "infinite" if status == "infinite" else "does not exist"
else:
    shown = {"complex": "not defined", "unknown": "no closed form"}.get(status, "not available")
columns[1].metric("Exact (sympy)", shown)
if kind.sum_is_meaningful:
    columns[2].metric("scipy.integrate.quad", number_text(quad.value) if quad.converged else "did not converge",
                      help=f"quad's error estimate: {quad.error_estimate:.1e}" if quad.converged else quad.message)
    error = abs(panels.area - reference)
    columns[3].metric("|sum − integral|", f"{error:.3e}" if math.isfinite(error) else "—")
if exact_ok:
    approx = "" if exact.value.exact.is_Integer else rf" \approx {exact.value.value:.10g}"
    st.latex(rf"\int_{{{a:g}}}^{{{b:g}}} {sympy.latex(expr)}\,dx = {sympy.latex(exact.value.exact)}{approx}")
elif no_limit and kind.kind == "improper":
    how = "it is infinite" if status == "infinite" else "the two sides of the pole do not add up to any value"
    st.warning(f"sympy confirms it: the integral over this interval does not exist ({how}), so there is nothing "
               "for the sums to approach.")
elif no_limit and kind.sum_is_meaningful:
    numeric = ("scipy's quad gives it above" if quad.converged
               else "quad could not pin it down either, but the Riemann sums still approach it as n grows")
    st.info("sympy's formula for this integral breaks down inside [a, b], so it gives no exact value. f is bounded "
            f"here, so the integral exists: {numeric}.")
elif exact.timed_out:
    st.info("sympy's exact integral took longer than the time budget and was stopped; scipy's quad gives the "
            "numeric value above.")
if kind.kind == "improper" and exact_ok:
    st.info(f"This improper integral does converge — to {exact.value.value:.10g} — as a limit. The Riemann sums "
            "above still sample f at or next to the pole, so they do not approach it reliably.")

st.subheader("How fast the sums converge")
if kind.sum_is_meaningful and math.isfinite(reference):
    with user_errors(stop=False):
        base, orders = convergence_chart_base(key, interval, reference, expr)
        st.vega_lite_chart(charts.convergence_view(base, n), width="stretch",
                           alt="Log-log plot of the error of each rule against the number of strips.")
        fitted = ", ".join(f"{r} {orders[r]:.2f}" if orders[r] is not None else f"{r} exact" for r in RULES)
        faster = orders["left"] is not None and orders["left"] > 1.5
        st.caption(
            "Error against n on log-log axes. Left and right sums are first-order — doubling n halves the error "
            "(slope −1) — while midpoint and trapezoid are second-order: doubling n quarters it (slope −2). "
            f"Fitted slopes here: {fitted}. \"Exact\" means the rule has no error beyond rounding for this f "
            "(midpoint and trapezoid are exact for straight lines). Gaps mean an error of exactly 0."
            + (" Here f(a) = f(b): the first-order parts of the left and right errors, δx·(f(b) − f(a))/2, "
               "vanish, so they converge as fast as the midpoint rule." if faster else "")
        )
elif kind.kind == "improper" and exact_ok:
    st.info("The integral is improper: f is unbounded in [a, b], and Riemann sums of an unbounded function are not "
            "guaranteed to approach the integral, so there is no convergence plot.")
elif kind.kind == "overflow":
    st.info("f is too large to compute on part of [a, b], so there are no sums to compare.")
else:
    st.info("There is no finite integral over this interval to converge to.")

st.subheader("The running sum is an antiderivative")
columns = st.columns(2)
dx = widgets.log_slider("Strip width δx for the running sum", "integ_dx", exponents=(-3, 0), value=0.1,
                        container=columns[0], help="The course uses δx = 0.1.")
c = widgets.slider("Constant C", "integ_c", -20.0, 20.0, 0.0, 0.5, container=columns[1],
                   help="Shift the antiderivative up or down: every F(x) + C has the same derivative f(x).")
dx_used = min(dx, b - a)
if dx_used < dx:
    st.caption(f"δx = {dx:g} is wider than [a, b]; using one strip of width {dx_used:g}.")

symbolic_result = symbolic(key, expr)
report = symbolic_result.value if symbolic_result.ok else None
F = report.antiderivative if report is not None else None
F_curve = antiderivative_values(sympy.srepr(F), interval, spots.breaks, F) if F is not None else None

if kind.sum_is_meaningful:
    with user_errors(stop=False):
        xs, values = running(key, interval, dx_used, rule, expr)
        exact_curve = None
        if F_curve is not None and math.isfinite(F_curve.F_at_a):
            exact_curve = (F_curve.x, F_curve.area)
        left, right = st.columns(2)
        with left:
            st.vega_lite_chart(charts.running_view(running_chart_template(interval), xs, values, SUM_NAME,
                                                   exact_curve, EXACT_NAME),
                               width="stretch", alt="The running sum of f times delta x from a, with F(x) minus F(a).")
            st.caption(
                f"Red: the total of the strips from a up to x (the {rule} rule, δx = {dx_used:g}). Dashed: "
                "F(x) − F(a) from the antiderivative. They agree, and the agreement improves as δx shrinks: the "
                "area from a to x is an antiderivative of f. It starts at 0 at x = a, unlike the course's "
                "cumsum, whose value at x already includes the strip to the right of x."
            )
        with right:
            if F_curve is not None:
                family_xs, family_F = F_curve.x, F_curve.F
                curve_key = f"F:{sympy.srepr(F)}:{interval}:{spots.breaks}"
            else:
                family_xs, family_F = xs, values
                curve_key = f"sum:{key}:{interval}:{dx_used}:{rule}"
            family = family_data(curve_key, family_xs, family_F)
            st.vega_lite_chart(charts.family_view(family_chart_template(interval), family, family_xs, family_F, c),
                               width="stretch",
                               alt="Several vertically shifted copies of one antiderivative, one highlighted.")
            hint = (f" With C = {-F_curve.F_at_a:.4g} = −F(a), the bold curve lies on the running sum."
                    if F_curve is not None and math.isfinite(F_curve.F_at_a) else "")
            st.caption(
                f"Bold: {'F(x)' if F_curve is not None else 'the running sum'} + C with C = {c:g}; grey: other "
                "values of C. They are the same curve shifted up or down, so at every x they have the same slope "
                f"f(x) — the integral fixes an antiderivative only up to a constant.{hint}"
            )
else:
    st.info({"improper": "Across a pole the running sum is not an area; move [a, b] away from it to see it.",
             "undefined": "Where f has no real value the running sum is not an area; move [a, b] into f's domain.",
             "overflow": "Where f overflows the running sum cannot be computed; shrink [a, b] to see it."}[kind.kind])

course_note("The course's text says the antiderivative of f(x) = x is x². It means f(x) = 2x, the function in "
            "its code: the derivative of x² is 2x. An antiderivative of x is x²/2 (plus any constant C).")

st.subheader("The antiderivative, by the rules")
if symbolic_result.timed_out:
    st.warning("Symbolic integration took longer than the time budget and was stopped. Everything above is "
               "numeric and does not need a formula.")
elif report is None:
    st.info("sympy could not integrate this function; the numeric results above do not need a formula.")
else:
    if F is not None:
        st.latex(rf"\int {sympy.latex(expr)}\,dx = {sympy.latex(F)} + C")
    if report.kind == "special":
        why = ("it is proved (by the Risch algorithm) that no antiderivative built from elementary functions exists"
               if report.proved_nonelementary else "sympy found none built from elementary functions")
        st.info(f"No elementary antiderivative: {why}. sympy writes one with "
                f"{' and '.join(report.special_functions)}, a function defined as exactly such an integral. The "
                "Riemann sums, quad and the running sum work just the same.")
    elif report.kind == "none":
        why = (" — it is proved (by the Risch algorithm) that no elementary one exists"
               if report.proved_nonelementary else "")
        st.info(f"sympy found no closed form for an antiderivative{why}. The numeric results above do not need one.")
    if report.steps:
        lines = [f"{'    ' * step.depth}- **{step.rule.capitalize()}:** ${step.integrand} = {step.result}$ — "
                 f"{step.explanation}" for step in report.steps]
        st.markdown("\n".join(lines))
        st.caption("sympy's rule-based integrator, step by step; indented steps work out a piece of the step above. "
                   "Constants of integration are left out until the end.")
    elif report.kind == "elementary":
        st.caption("sympy's step-by-step integrator has no steps for this one; the antiderivative comes from its "
                   "general algorithm.")

task_f = parse_expression(TASK_TEXT)
task_box(
    "integ_task",
    "The course's task: find an antiderivative of f(x) = 3x² − 4x. Any constant is accepted — your answer is "
    "checked by differentiating it. Then choose the example 3x^2 - 4x above to compare the running sum with it.",
    antiderivative_checker(task_f),
    hint="Reverse the power rule term by term: an antiderivative of xⁿ is xⁿ⁺¹/(n + 1). So 3x² comes from x³, "
         "and 4x from 2x².",
    solution_md="F(x) = x³ − 2x² + C for any constant C. Check by differentiating: F′(x) = 3x² − 4x. The "
                "course's plot of the running sum from −10 is the member with C = −F(−10) = 1200.",
    placeholder="e.g. x^3 - 2x^2",
)

show_code("integ_code", riemann_sum, running_integral, antiderivative)
