"""Lesson 1, derivatives: its prose, cached computations and one renderer per section.

Everything is keyed by the text of f and plain numbers. f′ is differentiated,
size-checked and printed in the killable worker; when it is too large (or the
budget runs out) the curves and numbers use central differences of f instead,
with a note. The domain search runs once per function and range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import streamlit as st

from calc_core.differentiation import (
    SCHEME_FORMULAS,
    SCHEMES,
    DifferentiationError,
    StepSizeStudy,
    SymbolicDerivative,
    TangentSecant,
    derivative,
    derivative_steps,
    finite_difference,
    numeric_derivative,
    step_size_study,
    symbolic_derivative,
    tangent_secant,
)
from calc_core.domain import DomainReport, domain_report, listing, span_listing
from calc_core.expressions import parse_expression, to_function
from calc_core.sampling import sample_curve
from ui import compute
from ui.charts import derivatives as charts
from ui.charts.show import show_chart
from ui.controls import Control, Controls, Kind, LessonText, TaskText, draw
from ui.errors import user_errors
from ui.expr_input import expression_control, remembered_function_box
from ui.expr_input import last_good_function as remembered_last_good
from ui.prose import Points, Prose, say
from ui.sections import Section, Sections, section

PRESETS = ["x^2", "x^3 - 2x^2 + 1", "sin(x)", "exp(-x^2)", "abs(x)", "1/x", "log(x)", "sqrt(x)", "sigmoid(x)",
           "x^x"]

CONTROLS = Controls(
    expression_control("deriv_f", "f(x) =", "x^3 - 2x^2 + 1"),
    Control("deriv_xmin", "x from", Kind.NUMBER, -1.0, lo=-100.0, hi=100.0, step=0.5),
    Control("deriv_xmax", "x to", Kind.NUMBER, 2.5, lo=-100.0, hi=100.0, step=0.5),
    Control("deriv_x0", "Point x₀", Kind.SLIDER, 1.0, lo=-10.0, hi=10.0, step=0.05),
    Control("deriv_dx", "Step δx", Kind.LOG_SLIDER, 1.0, lo=-12, hi=0, step=2,
            help="The step of the rate of change. Try 1, then 0.01, then 1e-12."),
    Control("deriv_scheme", "Difference", Kind.RADIO, "forward", options=SCHEMES,
            help="Which two points the secant goes through: x₀ and x₀ + δx (forward), x₀ − δx and x₀ (backward), "
                 "or x₀ − δx and x₀ + δx (central)."),
    Control("deriv_working", "Show the whole expression after each step", Kind.TOGGLE, False,
            help="Each step rewrites one d/dx; this shows everything written out so far."),
)

# The parts of the page a teacher may hide (``hide=deriv_rules``): "By the rules" shows f′ of the task's function.
SECTIONS = Sections(
    Section("deriv_error", "How small should δx be?"),
    Section("deriv_rules", "By the rules, step by step"),
)
RANGE = ("deriv_xmin", "deriv_xmax")

WHAT_WENT_WRONG = {
    "pole": "f is unbounded there (a vertical asymptote)",
    "hole": "f itself is undefined there",
    "corner": "the slopes from the left and from the right do not agree (or are infinite)",
    "undefined": "f has no real value there",
}
FUNCTION_ALT = "f with the tangent line at x0 and the secant through two nearby points."
DERIVATIVE_ALT = "The derivative by the rules overlaid with the rate of change for the chosen step."
ERROR_ALT = "Log-log plot of the finite-difference error against the step size."
NO_FORMULA = ("f′ is too large to write out here, so the curves and numbers use central differences of f instead, "
              "accurate to about ten digits.")
FORMULA_TOO_LONG = "f′ is too long to display as a formula; the charts and numbers above use it all the same."
STEPS_TIMED_OUT = "Working this derivative out step by step took too long and was stopped; f′ is shown above."
STEPS_UNAVAILABLE = "The step-by-step working is not available for this function; f′ is shown above."
STEPS_CAPTION = ("Each step applies one rule to the first derivative not yet worked out, reading left to right; "
                 "the last line is f′(x).")
SEARCH_STOPPED = Prose("f has more trouble spots in this range than the page checks one by one; further ones may "
                       "not be marked.", Points("Narrow the range to see them all.", RANGE))
NO_EXACT_SLOPE = Prose(Points("There is no exact f′(x₀) to compare with at this point; move x₀ to see the error study.",
                              ("deriv_x0",), otherwise="There is no exact f′(x₀) to compare with at this point, so "
                                                       "there is no error study."))
OUTSIDE_RANGE = Prose("x₀ lies outside the plotted range.", Points("Widen the range to see it.", RANGE))
SHRINK_DX = Points("Shrink δx and the secant turns into the tangent.", ("deriv_dx",))
TRY_SINE = Points("Try sin(x) to see central differences fall like h².", ("deriv_f",))

TASK_TEXT = "x^3 - 2x^2 + 1"
TEXT = LessonText(
    title="Derivatives: the slope, as a limit and by the rules",
    summary=Prose(
        "The derivative f′(x) is the slope of the secant (f(x + δx) − f(x)) / δx as δx shrinks to zero; the rules "
        "of differentiation give the same function in one go.",
        Points("Move x₀ and shrink δx below, and watch the secant turn into the tangent.",
               ("deriv_x0", "deriv_dx"), otherwise="As δx shrinks the secant turns into the tangent."),
    ),
    task=TaskText(
        key="deriv_task",
        prompt=Prose("The course's task: find the derivative of f(x) = x³ − 2x² + 1 using the rules of "
                     "differentiation. Type f′(x) below.",
                     "Then compare your answer with the f′ chart above, drawn for this f unless the box f(x) holds "
                     "another function."),
        hint=("Work term by term (sum rule). For xⁿ the power rule gives n·xⁿ⁻¹; a constant factor such as 2 stays "
              "in front; a constant term has derivative 0."),
        solution=("f′(x) = 3x² − 4x: the power rule turns x³ into 3x² and x² into 2x (times −2 gives −4x), and the "
                  "constant 1 disappears. f′ is zero at x = 0 and x = 4/3, where f has its local maximum and "
                  "minimum — on the f′ chart, that is where the curve crosses zero."),
        placeholder="e.g. 3x^2 - 4x",
    ),
)


# --------------------------------------------------------------------------- cached adapters


@compute.shared
def slope_formula(text: str) -> SymbolicDerivative | None:
    """f′ differentiated, size-checked and printed in the killable worker; None when too large or out of time."""
    result = compute.bounded(symbolic_derivative, compute.expression(text), "x")
    return result.value if result.ok else None


@compute.shared
def functions(text: str):
    """f and f′ compiled once per function; f′ by central differences when there is no formula to compile."""
    f = compute.numeric_function(text)
    found = slope_formula(text)
    return f, to_function(found.expr) if found is not None else numeric_derivative(f)


@compute.cached
def trouble_spots(text: str, span: tuple[float, float]) -> DomainReport:
    """Poles, holes, corners and undefined stretches over the plot range and every x0 the slider allows."""
    _, df = functions(text)
    return domain_report(compute.expression(text), "x", *span, slope=df)


@compute.cached
def curves(text: str, x_range: tuple[float, float], breaks: tuple[float, ...]):
    """f and f′ on the plot range, on the same points (independent of x0 and δx)."""
    f, df = functions(text)
    xs, ys = sample_curve(f, *x_range, breaks=breaks)
    _, slopes = sample_curve(df, *x_range, breaks=breaks)
    return xs, ys, slopes


@compute.cached
def rate_of_change(text: str, x_range: tuple[float, float], breaks: tuple[float, ...], poles: tuple[float, ...],
                   dx: float, scheme: str) -> np.ndarray:
    """The finite-difference curve on the same points as f′ (blank where a secant would jump a pole)."""
    xs, _, _ = curves(text, x_range, breaks)
    f, _ = functions(text)
    return finite_difference(f, xs, dx, scheme, poles=poles)


@compute.cached
def function_chart_base(text: str, x_range: tuple[float, float], breaks: tuple[float, ...], secant_name: str) -> dict:
    """The f(x) chart without the x0-dependent lines and points."""
    xs, ys, _ = curves(text, x_range, breaks)
    return charts.function_base(xs, ys, x_range, secant_name)


@compute.cached
def derivative_chart_template(text: str, x_range: tuple[float, float], breaks: tuple[float, ...],
                              rate_name: str) -> dict:
    """The f′(x) chart's axes and layers, fitted to f′."""
    return charts.derivative_template(curves(text, x_range, breaks)[2], x_range, rate_name)


@compute.cached
def error_study(text: str, x0: float, slope: float) -> StepSizeStudy:
    """Forward and central error against the step size at x0."""
    f, _ = functions(text)
    return step_size_study(f, x0, slope)


@compute.cached
def error_chart_template() -> dict:
    """The error-versus-step chart, without data."""
    return charts.step_error_template()


@compute.shared
def working(text: str) -> tuple[tuple, str]:
    """The rules applied step by step (in the killable worker), or the reason there are none to show."""
    result = compute.bounded(derivative_steps, compute.expression(text), "x")
    if result.ok:
        return result.value, ""
    if result.timed_out:
        return (), STEPS_TIMED_OUT
    prefix = f"{DifferentiationError.__name__}: "
    if result.error.startswith(prefix):
        return (), result.error.removeprefix(prefix)
    return (), STEPS_UNAVAILABLE


@compute.shared
def task_answer():
    """f′ of the course's task function, the answer the task box accepts."""
    return derivative(parse_expression(TASK_TEXT))


# --------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class FunctionView:
    """What depends on f and the plot range only (not on x0, δx or the scheme)."""

    text: str
    x_range: tuple[float, float]
    report: DomainReport
    formula: SymbolicDerivative | None


@dataclass(frozen=True)
class PointView:
    """What x0, δx and the scheme add: the two lines at x0, the charts and the numbers."""

    x0: float
    dx: float
    scheme: str
    problem: str | None
    slope: float
    lines: TangentSecant
    function_chart: dict
    derivative_chart: dict


def function_view(text: str, x_range: tuple[float, float]) -> FunctionView:
    """f′ and the trouble spots of f over the plot range and every x0 the slider can reach."""
    x0 = CONTROLS["deriv_x0"]
    span = (min(x_range[0], x0.lo), max(x_range[1], x0.hi))
    return FunctionView(text, x_range, trouble_spots(text, span), slope_formula(text))


def point_view(view: FunctionView, x0: float, dx: float, scheme: str) -> PointView:
    """The tangent and secant at x0, f′(x0), and both charts with them drawn in."""
    text, x_range, breaks = view.text, view.x_range, view.report.plot_breaks
    f, df = functions(text)
    problem = view.report.status_at(x0)
    slope = math.nan if problem else float(df(x0))
    lines = tangent_secant(f, x0, slope, dx, scheme)
    secant_name, rate_name = f"secant ({scheme})", f"rate {SCHEME_FORMULAS[scheme]}"
    xs, _, slopes = curves(text, x_range, breaks)
    rates = rate_of_change(text, x_range, breaks, view.report.poles, dx, scheme)
    function_chart = charts.function_view(function_chart_base(text, x_range, breaks, secant_name), lines, x_range,
                                          secant_name)
    derivative_chart = charts.derivative_view(derivative_chart_template(text, x_range, breaks, rate_name), xs,
                                              slopes, rates, rate_name, lines)
    return PointView(x0, dx, scheme, problem, slope, lines, function_chart, derivative_chart)


# --------------------------------------------------------------------------- sections


def range_boxes(containers) -> tuple[float, float]:
    """The plot range, two boxes in ``containers``; a range that is not from smaller to larger is marked under them
    and the charts keep the default range (the rest of the page goes on)."""
    low, high = CONTROLS["deriv_xmin"], CONTROLS["deriv_xmax"]
    lo, hi = draw(low, container=containers[0]), draw(high, container=containers[1])
    if lo < hi:
        return lo, hi
    st.error(f"The x range must go from a smaller number to a larger one; the charts show x from {low.default:g} "
             f"to {high.default:g} until it does.")
    return low.default, high.default


def function_box() -> str | None:
    """The f(x) box with its examples; the text of f when it reads, else None (the message is under the box)."""
    return remembered_function_box(CONTROLS["deriv_f"], PRESETS)


def last_good_function() -> str | None:
    """The last f that read in this session, shown while the box holds one that does not."""
    return remembered_last_good(CONTROLS["deriv_f"])


def point_controls() -> tuple[float, float, str, object]:
    """x0 and δx in one row just above the charts, the difference scheme just below them; with the (empty) place
    of the charts between."""
    columns = st.columns(2)
    x0 = draw(CONTROLS["deriv_x0"], container=columns[0])
    dx = draw(CONTROLS["deriv_dx"], container=columns[1])
    charts_place = st.container()
    scheme = draw(CONTROLS["deriv_scheme"])
    return x0, dx, scheme, charts_place


def render_charts(view: PointView) -> None:
    """f with the tangent and secant beside f′ with the rate of change."""
    left, right = st.columns(2)
    with left:
        show_chart(view.function_chart, FUNCTION_ALT, "deriv_numbers_f")
        st.caption(f"Blue: f. Orange: the tangent at x₀, with slope f′(x₀) by the rules. Red dashed: the secant "
                   f"through the two points the {view.scheme} difference uses, δx = {view.dx:g} apart; its slope is "
                   f"the rate of change. {say(SHRINK_DX)}".strip())
    with right:
        show_chart(view.derivative_chart, DERIVATIVE_ALT, "deriv_numbers_df")
        st.caption(f"Blue: f′ by the rules. Red dashed: the rate of change {SCHEME_FORMULAS[view.scheme]} at every "
                   f"x, with δx = {view.dx:g}. The course's figure is this chart for f(x) = x² with a forward step "
                   "of 0.0001; there the two curves coincide.")


def render_numbers(function: FunctionView, view: PointView) -> None:
    """f(x0), f′(x0), the rate of change and their gap; what goes wrong at x0 and elsewhere in the range."""
    ts, too_large = view.lines, view.problem == "overflow"
    columns = st.columns(4)
    columns[0].metric("f(x₀)", f"{ts.y0:.6g}" if math.isfinite(ts.y0) else "too large" if too_large else "undefined")
    columns[1].metric("f′(x₀) by the rules", f"{view.slope:.10g}" if math.isfinite(view.slope)
                      else "too large" if too_large else "does not exist")
    columns[2].metric(f"Rate of change ({view.scheme})", f"{ts.secant_slope:.10g}" if math.isfinite(ts.secant_slope)
                      else "undefined")
    columns[3].metric("|rate − f′(x₀)|", f"{ts.gap:.3e}" if math.isfinite(ts.gap) else "—")
    if too_large:
        st.warning(f"At x₀ = {view.x0:g}, f is larger than any number a computer can store, so neither f′(x₀) nor a "
                   "finite difference can be computed there.")
    elif view.problem:
        st.warning(f"At x₀ = {view.x0:g}, f′ does not exist: {WHAT_WENT_WRONG[view.problem]}. No tangent is drawn. "
                   "A finite difference still returns a number — it cannot tell that the limit fails.")
    notes = range_notes(function.report, function.x_range)
    if notes:
        st.info("\n".join(f"- {note}" for note in notes))
    x_lo, x_hi = function.x_range
    if not x_lo <= view.x0 <= x_hi:
        st.warning(say(OUTSIDE_RANGE))


def range_notes(report: DomainReport, x_range: tuple[float, float]) -> list[str]:
    """One sentence per kind of trouble in the plot range, each listing its first few places."""
    x_lo, x_hi = x_range
    visible = [p for p in report.breaks if x_lo <= p <= x_hi]

    def spans(intervals):
        return [(max(lo, x_lo), min(hi, x_hi)) for lo, hi in intervals if lo < x_hi and hi > x_lo]

    def at(points):
        return [p for p in points if x_lo <= p <= x_hi]

    notes = []
    if undefined := spans(report.undefined_intervals):
        notes.append(f"f has no real value for x between {undefined[0][0]:g} and {undefined[0][1]:g}: that stretch "
                     "is left blank." if len(undefined) == 1 else
                     f"f has no real value on {len(undefined)} stretches, {span_listing(undefined)}: they are left "
                     "blank.")
    if overflow := spans(report.overflow_intervals):
        where = (f"between {overflow[0][0]:g} and {overflow[0][1]:g}" if len(overflow) == 1
                 else f"in {span_listing(overflow)}")
        notes.append(f"For x {where}, f is larger than any number a computer can store (about 1.8·10³⁰⁸): that "
                     "stretch is left blank.")
    if poles := at(report.poles):
        notes.append(f"At {listing(poles)}, f is unbounded (a vertical asymptote): neither f nor f′ exists there, and "
                     "the rate of change is left blank wherever its secant would jump across it.")
    if holes := at(report.holes):
        notes.append(f"At {listing(holes)}, the formula for f is undefined (a single missing point), so f′ is too.")
    if corners := at(report.corners):
        notes.append(f"At {listing(corners)}, f is not differentiable: the slopes from the left and the right differ "
                     "or are infinite (a corner or a vertical tangent). The blue curve has a gap there.")
    if visible and not report.complete:
        notes.append(say(SEARCH_STOPPED))
    return notes


@section(SECTIONS["deriv_error"])
def render_error_study(function: FunctionView, view: PointView) -> None:
    """How the finite-difference error depends on δx at x0, in a box the learner opens by choice."""
    with st.expander(SECTIONS["deriv_error"].label, icon=":material/troubleshoot:"):
        render_error_chart(function, view)


def render_error_chart(function: FunctionView, view: PointView) -> None:
    if not math.isfinite(view.slope):
        st.info(say(NO_EXACT_SLOPE))
        return
    with user_errors(stop=False):
        study = error_study(function.text, view.x0, view.slope)
        show_chart(charts.step_error_view(error_chart_template(), study, view.dx), ERROR_ALT, "deriv_numbers_error")
        st.caption(f"At x₀ = {view.x0:g}: {error_behaviour(study)} The dashed line is your δx; gaps mean the error "
                   "was exactly 0.")


def error_behaviour(study: StepSizeStudy) -> str:
    """What the error curves show, in words, for the three shapes they take."""
    if study.exact_forward:
        return ("f is a straight line here, so both differences are exact up to round-off: their error only grows "
                "as h shrinks, like 1/h.")
    if study.exact_central:
        return (
            "For large h the forward error is truncation, falling like h (slope 1 on these axes). The central "
            "difference has no truncation error at all for this f — it is exact for every quadratic, whose third "
            "derivative is 0 — so its error is round-off only. For tiny h, f(x₀ + h) − f(x₀) cancels almost all "
            f"digits and round-off grows like 1/h. The best forward step is h ≈ {study.best_h_forward:.1e} (error "
            f"{study.best_error_forward:.1e}), near the rule of thumb √ε ≈ {study.theory_h_forward:.0e}. "
            + say(TRY_SINE)
        ).strip()
    return (
        "For large h the error is truncation: it falls like h for forward and h² for central differences (slopes 1 "
        "and 2 on these axes). For tiny h, f(x₀ + h) − f(x₀) cancels almost all digits and round-off error grows "
        f"like 1/h. The diamonds mark the best steps: h ≈ {study.best_h_forward:.1e} for forward (error "
        f"{study.best_error_forward:.1e}) and h ≈ {study.best_h_central:.1e} for central (error "
        f"{study.best_error_central:.1e}), close to the rules of thumb √ε ≈ {study.theory_h_forward:.0e} and "
        f"∛ε ≈ {study.theory_h_central:.0e}."
    )


@st.fragment
def render_point_sections(function: FunctionView) -> None:
    """Everything x0, δx and the scheme drive; moving them reruns only this part of the page."""
    x0, dx, scheme, charts_place = point_controls()
    view = None
    with charts_place, user_errors(stop=False):
        view = point_view(function, x0, dx, scheme)
    if view is None:
        return
    with charts_place:
        render_charts(view)
    render_numbers(function, view)
    render_error_study(function, view)


@section(SECTIONS["deriv_rules"])
def render_rules(function: FunctionView) -> None:
    """f′ as a formula and the rules applied one at a time, in a box the learner opens by choice (open when a link
    asks for the whole working)."""
    opened = str(st.session_state.get("deriv_working", st.query_params.get("deriv_working", ""))).lower()
    with st.expander(SECTIONS["deriv_rules"].label, icon=":material/functions:",
                     expanded=opened in ("true", "1", "yes", "on")):
        render_rules_body(function)


@st.fragment
def render_rules_body(function: FunctionView) -> None:
    """The rules section's content (the toggle reruns only this part)."""
    formula = function.formula
    if formula is None:
        st.info(NO_FORMULA)
        return
    if formula.latex:
        st.latex(rf"f'(x) = {formula.latex}")
    else:
        st.info(FORMULA_TOO_LONG)
    steps, why_not = working(function.text)
    if why_not:
        st.info(why_not)
        return
    show_working = draw(CONTROLS["deriv_working"])
    for number, step in enumerate(steps, start=1):
        st.markdown(f"**{number}. {step.rule.capitalize()} rule.** {step.explanation}")
        st.latex(rf"{step.target} = {step.result}")
        if show_working:
            st.latex(rf"\Rightarrow\ {step.after}")
    st.caption(STEPS_CAPTION)
