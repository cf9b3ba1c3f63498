"""Lesson 2, integrals: its prose, cached computations and one renderer per section.

Everything is keyed by the text of f and plain numbers. The exact side (the
antiderivative with its steps, then the definite integral) runs in the killable
worker under one shared budget, so a pathological integral keeps a visitor
waiting at most ``INTEGRALS_SYMBOLIC_BUDGET`` seconds; the numeric side (Riemann
sums, quad, the running sum) never needs it. The domain search runs once per
function and interval.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import streamlit as st
import sympy

from calc_core.budget import BudgetResult
from calc_core.domain import DomainReport, domain_report
from calc_core.expressions import ExpressionError, expression_latex, parse_expression
from calc_core.integration import (
    RULES,
    AntiderivativeCurve,
    AntiderivativeKind,
    AntiderivativeReport,
    DefiniteIntegral,
    IntegralStatus,
    IntervalKind,
    IntervalReport,
    Panels,
    QuadResult,
    antiderivative_curve,
    antiderivative_report,
    convergence_study,
    definite_integral,
    interval_report,
    quad_integral,
    riemann_panels,
    running_integral,
)
from calc_core.limits import INTEGRALS_SYMBOLIC_BUDGET, MIN_DEFINITE_TIMEOUT, SYMBOLIC_TIMEOUT
from calc_core.sampling import sample_curve
from ui import compute
from ui.charts import integrals as charts
from ui.charts.show import show_chart
from ui.controls import Control, Controls, Kind, LessonText, TaskText, draw
from ui.errors import user_errors
from ui.expr_input import expression_control, remembered_function_box
from ui.expr_input import last_good_function as remembered_last_good
from ui.prose import Points, Prose, say
from ui.sections import Section, Sections, section

PRESETS = ["2x", "3x^2 - 4x", "x", "sin(x)", "exp(-x^2)", "1/x", "sin(x)/x", "sqrt(x)", "x exp(x)", "1/(1 + x^2)"]

CONTROLS = Controls(
    expression_control("integ_f", "f(x) =", "2x"),
    Control("integ_a", "a (start)", Kind.NUMBER, -1.0, lo=-100.0, hi=100.0, step=0.5),
    Control("integ_b", "b (end)", Kind.NUMBER, 3.0, lo=-100.0, hi=100.0, step=0.5),
    Control("integ_rule", "Rule", Kind.RADIO, "left", options=RULES, help="Where each strip takes its height."),
    Control("integ_n", "Number of strips n", Kind.SLIDER, 10, lo=1, hi=200, step=1),
    Control("integ_dx", "Strip width δx for the running sum", Kind.LOG_SLIDER, 0.1, lo=-3, hi=0, step=4,
            help="The course uses δx = 0.1."),
    Control("integ_c", "Constant C", Kind.SLIDER, 0.0, lo=-20.0, hi=20.0, step=0.5,
            help="Shift the antiderivative up or down: every F(x) + C has the same derivative f(x)."),
)

# The parts of the page a teacher may hide: "The antiderivative, by the rules" gives the task's answer.
SECTIONS = Sections(
    Section("integ_convergence", "How fast the sums converge"),
    Section("integ_running", "The running sum is an antiderivative"),
    Section("integ_rules", "The antiderivative, by the rules"),
)
INTERVAL = ("integ_a", "integ_b")

SUM_NAME = "running sum"
EXACT_NAME = "F(x) − F(a)"
#: Budgets are rounded to this many seconds, so cache keys stay few.
BUDGET_RESOLUTION = 0.1

RULE_WORDS = {
    "left": "each strip's height is f at its left edge",
    "right": "each strip's height is f at its right edge",
    "midpoint": "each strip's height is f at its middle",
    "trapezoid": "each strip's top is the straight line between f at its two edges",
}
RIEMANN_ALT = "The area under f split into strips whose heights follow the chosen rule."
CONVERGENCE_ALT = "Log-log plot of the error of each rule against the number of strips."
RUNNING_ALT = "The running sum of f times delta x from a, with F(x) minus F(a)."
FAMILY_ALT = "Several vertically shifted copies of one antiderivative, one highlighted."
EXACT_TIMED_OUT = ("sympy's exact integral took longer than the time budget and was stopped; scipy's quad gives the "
                   "numeric value above.")
NO_CONVERGENCE = {
    IntervalKind.IMPROPER: "The integral is improper: f is unbounded in [a, b], and Riemann sums of an unbounded "
                           "function are not guaranteed to approach the integral, so there is no convergence plot.",
    IntervalKind.OVERFLOW: "f is too large to compute on part of [a, b], so there are no sums to compare.",
}
NO_INTEGRAL = "There is no finite integral over this interval to converge to."
NO_RUNNING_SUM = {
    IntervalKind.IMPROPER: Prose("Across a pole the running sum is not an area.",
                                 Points("Move [a, b] away from it to see it.", INTERVAL)),
    IntervalKind.UNDEFINED: Prose("Where f has no real value the running sum is not an area.",
                                  Points("Move [a, b] into f's domain.", INTERVAL)),
    IntervalKind.OVERFLOW: Prose("Where f overflows the running sum cannot be computed.",
                                 Points("Shrink [a, b] to see it.", INTERVAL)),
}
COURSE_NOTE = ("The course's text says the antiderivative of f(x) = x is x². It means f(x) = 2x, the function in "
               "its code: the derivative of x² is 2x. An antiderivative of x is x²/2 (plus any constant C).")
SYMBOLIC_TIMED_OUT = ("Symbolic integration took longer than the time budget and was stopped. Everything above is "
                      "numeric and does not need a formula.")
SYMBOLIC_FAILED = "sympy could not integrate this function; the numeric results above do not need a formula."
STEPS_CAPTION = ("sympy's rule-based integrator, step by step; indented steps work out a piece of the step above. "
                 "Constants of integration are left out until the end.")
NO_STEPS = ("sympy's step-by-step integrator has no steps for this one; the antiderivative comes from its general "
            "algorithm.")
FORMULA_TOO_LONG = "The antiderivative is too long to display as a formula."

TASK_TEXT = "3x^2 - 4x"
TEXT = LessonText(
    title="Integrals: area as a running sum",
    summary=Prose(
        "Cut the area under f into n thin strips and add them up: as the strips get thinner the sum tends to the "
        "integral, and the running total from a fixed start is an antiderivative of f.",
        Points("Add strips below and watch the sum approach the exact area.", ("integ_n",)),
    ),
    task=TaskText(
        key="integ_task",
        prompt=Prose("The course's task: find an antiderivative of f(x) = 3x² − 4x. Any constant is accepted — "
                     "your answer is checked by differentiating it.",
                     Points("Then choose the example 3x^2 - 4x for f(x) to compare the running sum with it.",
                            ("integ_f",), ("integ_running",))),
        hint=("Reverse the power rule term by term: an antiderivative of xⁿ is xⁿ⁺¹/(n + 1). So 3x² comes from x³, "
              "and 4x from 2x²."),
        solution=("F(x) = x³ − 2x² + C for any constant C. Check by differentiating: F′(x) = 3x² − 4x. The "
                  "course's plot of the running sum from −10 is the member with C = −F(−10) = 1200."),
        placeholder="e.g. x^3 - 2x^2",
    ),
)


def number_text(value: float) -> str:
    return f"{value:.10g}" if math.isfinite(value) else "undefined"


def latex_or_empty(expr: sympy.Basic) -> str:
    """LaTeX of a derived formula, or "" when it is too long to display."""
    try:
        return expression_latex(expr)
    except ExpressionError:
        return ""


# --------------------------------------------------------------------------- cached adapters


@compute.shared
def symbolic(text: str) -> tuple[BudgetResult, float]:
    """The antiderivative report (F, whether it is elementary, the steps) from the worker, and the seconds it took."""
    started = time.monotonic()
    result = compute.bounded(antiderivative_report, compute.expression(text), "x", timeout=SYMBOLIC_TIMEOUT)
    return result, time.monotonic() - started


def definite_budget(text: str) -> float | None:
    """What is left of the page's exact-side budget for the definite integral; None when nothing is worth trying.

    sympy evaluates a definite integral through the antiderivative, so when that
    alone ran out of time the definite integral is not attempted.
    """
    result, elapsed = symbolic(text)
    if result.timed_out:
        return None
    left = min(SYMBOLIC_TIMEOUT, INTEGRALS_SYMBOLIC_BUDGET - elapsed)
    return round(max(MIN_DEFINITE_TIMEOUT, left) / BUDGET_RESOLUTION) * BUDGET_RESOLUTION


@compute.shared
def exact_value(text: str, interval: tuple[float, float], timeout: float) -> BudgetResult:
    """The exact definite integral from sympy, in the worker under ``timeout`` seconds."""
    return compute.bounded(definite_integral, compute.expression(text), "x", *interval, timeout=timeout)


@compute.cached
def trouble_spots(text: str, interval: tuple[float, float]) -> tuple[DomainReport, IntervalReport]:
    """Poles, holes and undefined stretches in [a, b], and what they make of the integral (one search)."""
    expr = compute.expression(text)
    report = domain_report(expr, "x", *interval, corners=False)
    return report, interval_report(expr, "x", *interval, report=report)


@compute.cached
def quad_value(text: str, interval: tuple[float, float], points: tuple[float, ...]) -> QuadResult:
    """scipy's adaptive quadrature, split at the given trouble spots."""
    return quad_integral(compute.numeric_function(text), *interval, points=points)


@compute.cached
def riemann_chart_base(text: str, interval: tuple[float, float], breaks: tuple[float, ...]) -> dict:
    """The f(x) chart over [a, b], without strips."""
    xs, ys = sample_curve(compute.numeric_function(text), *interval, breaks=breaks)
    return charts.riemann_base(xs, ys, interval)


@compute.cached
def strips(text: str, interval: tuple[float, float], n: int, rule: str) -> Panels:
    """The n strips of one Riemann sum."""
    return riemann_panels(compute.numeric_function(text), *interval, n, rule)


@compute.cached
def convergence_chart_base(text: str, interval: tuple[float, float], reference: float) -> tuple[dict, dict]:
    """Errors of all four rules against n, and the fitted orders."""
    study = convergence_study(compute.numeric_function(text), *interval, reference)
    return charts.convergence_base(study), study.orders


@compute.cached
def running(text: str, interval: tuple[float, float], dx: float, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """The running sum of f·δx from a."""
    return running_integral(compute.numeric_function(text), *interval, dx, rule)


@compute.cached
def antiderivative_values(text: str, interval: tuple[float, float], breaks: tuple[float, ...]
                          ) -> AntiderivativeCurve | None:
    """F and F(x) − F(a) on [a, b] for the antiderivative of the function ``text``, or None without one."""
    report = antiderivative_of(text)
    if report is None or report.antiderivative is None:
        return None
    return antiderivative_curve(report.antiderivative, "x", *interval, breaks=breaks)


@compute.cached
def running_chart_template(interval: tuple[float, float]) -> dict:
    """Axes and layers of the running-sum chart."""
    return charts.running_template(interval, SUM_NAME, EXACT_NAME)


@compute.cached
def family_chart_template(interval: tuple[float, float]) -> dict:
    """Axes and layers of the F + C chart."""
    return charts.family_template(interval)


@compute.cached
def family_data(text: str, interval: tuple[float, float], breaks: tuple[float, ...],
                running_step: tuple[float, str] | None):
    """The faint family F + k of :func:`family_curve` (keyed by what that curve is)."""
    return charts.family_frame(*family_curve(text, interval, breaks, running_step))


def family_curve(text: str, interval: tuple[float, float], breaks: tuple[float, ...],
                 running_step: tuple[float, str] | None) -> tuple[np.ndarray, np.ndarray]:
    """The curve the family chart shifts: F when ``running_step`` is None, else the running sum with (δx, rule)."""
    if running_step is None:
        curve = antiderivative_values(text, interval, breaks)
        return curve.x, curve.F
    return running(text, interval, *running_step)


@compute.shared
def task_integrand():
    """The course's task function, whose antiderivatives the task box accepts."""
    return parse_expression(TASK_TEXT)


def antiderivative_of(text: str) -> AntiderivativeReport | None:
    """The antiderivative report of :func:`symbolic`, when it finished in time."""
    result, _ = symbolic(text)
    return result.value if result.ok else None


# --------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class IntervalView:
    """What depends on f and [a, b] only: trouble spots, the exact and numeric integral, the reference value."""

    text: str
    interval: tuple[float, float]
    report: DomainReport
    kind: IntervalReport
    exact: BudgetResult | None
    quad: QuadResult
    f_latex: str

    @property
    def definite(self) -> DefiniteIntegral | None:
        """sympy's definite integral, when it finished in time."""
        return self.exact.value if self.exact is not None and self.exact.ok else None

    @property
    def exact_ok(self) -> bool:
        return self.definite is not None and self.definite.status == IntegralStatus.FINITE

    @property
    def exact_timed_out(self) -> bool:
        return self.exact is None or self.exact.timed_out

    @property
    def reference(self) -> float:
        """The value the sums should approach: exact when known, else quad's when it can be trusted."""
        if self.exact_ok:
            return self.definite.value
        if self.quad.converged and self.kind.sum_is_meaningful:
            return self.quad.value
        return math.nan


def interval_view(text: str, interval: tuple[float, float]) -> IntervalView:
    """The integral over [a, b] every section compares with."""
    report, kind = trouble_spots(text, interval)
    budget = definite_budget(text)
    exact = exact_value(text, interval, budget) if budget is not None else None
    quad = quad_value(text, interval, report.plot_breaks)
    return IntervalView(text, interval, report, kind, exact, quad, compute.parse(text).latex)


# --------------------------------------------------------------------------- sections


def interval_boxes(containers) -> tuple[float, float]:
    """a and b, in two ``containers``; an interval without a < b is marked under them and the rest of the page
    uses the default interval."""
    # Not draw_range: an integral's ends are named a and b, and its message says a < b.
    low, high = CONTROLS["integ_a"], CONTROLS["integ_b"]
    a = draw(low, container=containers[0])
    b = draw(high, container=containers[1])
    if not a < b:
        st.error(f"The interval [a, b] needs a < b; the page uses [{low.default:g}, {high.default:g}] until it "
                 "has.")
        return low.default, high.default
    return a, b


def function_box() -> str | None:
    """The f(x) box with its examples; the text of f when it reads, else None (the message is under the box)."""
    return remembered_function_box(CONTROLS["integ_f"], PRESETS)


def last_good_function() -> str | None:
    """The last f that read in this session, shown while the box holds one that does not."""
    return remembered_last_good(CONTROLS["integ_f"])


def rule_choice() -> str:
    """The rule radio, outside the fragments: both the strips and the running sum use it."""
    return draw(CONTROLS["integ_rule"])


@st.fragment
def render_sums(view: IntervalView, rule: str) -> None:
    """The strips for n, the sum against the exact value and quad, and how fast the sums converge."""
    n = draw(CONTROLS["integ_n"])
    chart = None
    with user_errors(stop=False):
        panels = strips(view.text, view.interval, n, rule)
        chart = charts.riemann_view(riemann_chart_base(view.text, view.interval, view.report.plot_breaks), panels)
    if chart is None:
        return
    show_chart(chart, RIEMANN_ALT, "integ_numbers_strips")
    st.caption(f"{n} strips of width δx = (b − a)/n = {panels.width:.4g}; {RULE_WORDS[rule]}. Blue strips count as "
               "positive area, red ones (below the x-axis) as negative. Red dots: where f was sampled.")
    if view.kind.message:
        (st.info if view.kind.sum_is_meaningful else st.warning)(view.kind.message)
    render_metrics(view, panels, rule, n)
    render_exact(view)
    render_convergence(view, n)


def render_metrics(view: IntervalView, panels: Panels, rule: str, n: int) -> None:
    """The Riemann sum beside the exact integral, quad's value and the sum's error."""
    kind = view.kind
    columns = st.columns(4)
    sum_label = f"Riemann sum ({rule}, n = {n})" if kind.sum_is_meaningful else "Riemann sum (not the integral)"
    columns[0].metric(sum_label, number_text(panels.area))
    columns[1].metric("Exact (sympy)", exact_text(view))
    if kind.sum_is_meaningful:
        quad = view.quad
        columns[2].metric("scipy.integrate.quad", number_text(quad.value) if quad.converged else "did not converge",
                          help=f"quad's error estimate: {quad.error_estimate:.1e}" if quad.converged else quad.message)
        error = abs(panels.area - view.reference)
        columns[3].metric("|sum − integral|", f"{error:.3e}" if math.isfinite(error) else "—")


def exact_text(view: IntervalView) -> str:
    """The exact integral as the metric shows it."""
    if view.exact_timed_out:
        return "took too long"
    status = view.definite.status if view.definite is not None else None
    if status == IntegralStatus.FINITE:
        return number_text(view.definite.value)
    if status in (IntegralStatus.INFINITE, IntegralStatus.NO_VALUE) and view.kind.kind == IntervalKind.IMPROPER:
        return "infinite" if status == IntegralStatus.INFINITE else "does not exist"
    missing = {IntegralStatus.COMPLEX: "not defined", IntegralStatus.UNKNOWN: "no closed form"}
    return missing.get(status, "not available")


def render_exact(view: IntervalView) -> None:
    """The exact value as a formula, or why there is none."""
    a, b = view.interval
    status = view.definite.status if view.definite is not None else None
    no_limit = status in (IntegralStatus.INFINITE, IntegralStatus.NO_VALUE)
    if view.exact_ok:
        exact = view.definite
        approx = "" if exact.exact.is_Integer else rf" \approx {exact.value:.10g}"
        value_latex = latex_or_empty(exact.exact)
        if view.f_latex and value_latex:
            st.latex(rf"\int_{{{a:g}}}^{{{b:g}}} {view.f_latex}\,dx = {value_latex}{approx}")
    elif no_limit and view.kind.kind == IntervalKind.IMPROPER:
        how = ("it is infinite" if status == IntegralStatus.INFINITE
               else "the two sides of the pole do not add up to any value")
        st.warning(f"sympy confirms it: the integral over this interval does not exist ({how}), so there is nothing "
                   "for the sums to approach.")
    elif no_limit and view.kind.sum_is_meaningful:
        numeric = ("scipy's quad gives it above" if view.quad.converged
                   else "quad could not pin it down either, but the Riemann sums still approach it as n grows")
        st.info("sympy's formula for this integral breaks down inside [a, b], so it gives no exact value. f is "
                f"bounded here, so the integral exists: {numeric}.")
    elif view.exact_timed_out:
        st.info(EXACT_TIMED_OUT)
    if view.kind.kind == IntervalKind.IMPROPER and view.exact_ok:
        st.info(f"This improper integral does converge — to {view.definite.value:.10g} — as a limit. The Riemann "
                "sums above still sample f at or next to the pole, so they do not approach it reliably.")


@section(SECTIONS["integ_convergence"])
def render_convergence(view: IntervalView, n: int) -> None:
    """The error of each rule against n, or why there is nothing to converge to, in a box opened by choice."""
    with st.expander(SECTIONS["integ_convergence"].label, icon=":material/troubleshoot:"):
        render_convergence_chart(view, n)


def render_convergence_chart(view: IntervalView, n: int) -> None:
    if not (view.kind.sum_is_meaningful and math.isfinite(view.reference)):
        st.info(NO_CONVERGENCE.get(view.kind.kind, NO_INTEGRAL))
        return
    with user_errors(stop=False):
        base, orders = convergence_chart_base(view.text, view.interval, view.reference)
        show_chart(charts.convergence_view(base, n), CONVERGENCE_ALT, "integ_numbers_convergence")
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


@section(SECTIONS["integ_running"])
@st.fragment
def render_running_sum(view: IntervalView, rule: str) -> None:
    """The running sum against F(x) − F(a), and the family F + C; δx and C rerun only this section."""
    st.subheader("The running sum is an antiderivative")
    a, b = view.interval
    columns = st.columns(2)
    dx = draw(CONTROLS["integ_dx"], container=columns[0])
    c = draw(CONTROLS["integ_c"], container=columns[1])
    dx_used = min(dx, b - a)
    if dx_used < dx:
        st.caption(f"δx = {dx:g} is wider than [a, b]; using one strip of width {dx_used:g}.")
    if not view.kind.sum_is_meaningful:
        st.info(say(NO_RUNNING_SUM[view.kind.kind]))
        return
    breaks = view.report.plot_breaks
    with user_errors(stop=False):
        xs, values = running(view.text, view.interval, dx_used, rule)
        curve = antiderivative_values(view.text, view.interval, breaks)
        exact_curve = (curve.x, curve.area) if curve is not None and math.isfinite(curve.F_at_a) else None
        left, right = st.columns(2)
        with left:
            show_chart(charts.running_view(running_chart_template(view.interval), xs, values, SUM_NAME, exact_curve,
                                           EXACT_NAME), RUNNING_ALT, "integ_numbers_running")
            st.caption(
                f"Red: the total of the strips from a up to x (the {rule} rule, δx = {dx_used:g}). Dashed: "
                "F(x) − F(a) from the antiderivative. They agree, and the agreement improves as δx shrinks: the "
                "area from a to x is an antiderivative of f. It starts at 0 at x = a, unlike the course's "
                "cumsum, whose value at x already includes the strip to the right of x."
            )
        with right:
            running_step = None if curve is not None else (dx_used, rule)
            family_xs, family_F = family_curve(view.text, view.interval, breaks, running_step)
            family = family_data(view.text, view.interval, breaks, running_step)
            show_chart(charts.family_view(family_chart_template(view.interval), family, family_xs, family_F, c),
                       FAMILY_ALT, "integ_numbers_family")
            hint = (f" With C = {-curve.F_at_a:.4g} = −F(a), the bold curve lies on the running sum."
                    if curve is not None and math.isfinite(curve.F_at_a) else "")
            st.caption(
                f"Bold: {'F(x)' if curve is not None else 'the running sum'} + C with C = {c:g}; grey: other "
                "values of C. They are the same curve shifted up or down, so at every x they have the same slope "
                f"f(x) — the integral fixes an antiderivative only up to a constant.{hint}"
            )


@section(SECTIONS["integ_rules"])
def render_rules(view: IntervalView) -> None:
    """F by the rules, whether an elementary one exists, and sympy's steps, in a box opened by choice."""
    with st.expander(SECTIONS["integ_rules"].label, icon=":material/functions:"):
        render_rules_body(view)


def render_rules_body(view: IntervalView) -> None:
    result, _ = symbolic(view.text)
    if result.timed_out:
        st.warning(SYMBOLIC_TIMED_OUT)
        return
    report = result.value if result.ok else None
    if report is None:
        st.info(SYMBOLIC_FAILED)
        return
    if report.antiderivative is not None:
        F_latex = latex_or_empty(report.antiderivative)
        if F_latex and view.f_latex:
            st.latex(rf"\int {view.f_latex}\,dx = {F_latex} + C")
        else:
            st.info(FORMULA_TOO_LONG)
    if report.kind == AntiderivativeKind.SPECIAL:
        why = ("it is proved (by the Risch algorithm) that no antiderivative built from elementary functions exists"
               if report.proved_nonelementary else "sympy found none built from elementary functions")
        st.info(f"No elementary antiderivative: {why}. sympy writes one with "
                f"{' and '.join(report.special_functions)}, a function defined as exactly such an integral. The "
                "Riemann sums, quad and the running sum work just the same.")
    elif report.kind == AntiderivativeKind.NONE:
        why = (" — it is proved (by the Risch algorithm) that no elementary one exists"
               if report.proved_nonelementary else "")
        st.info(f"sympy found no closed form for an antiderivative{why}. The numeric results above do not need one.")
    if report.steps:
        lines = [f"{'    ' * step.depth}- **{step.rule.capitalize()}:** ${step.integrand} = {step.result}$ — "
                 f"{step.explanation}" for step in report.steps]
        st.markdown("\n".join(lines))
        st.caption(STEPS_CAPTION)
    elif report.kind == AntiderivativeKind.ELEMENTARY:
        st.caption(NO_STEPS)
