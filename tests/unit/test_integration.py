"""calc_core.integration against independent references.

Riemann sums are checked against their closed forms and against
``scipy.integrate.quad``, with the convergence orders the error analysis
predicts; running sums against the symbolic antiderivative; antiderivatives by
differentiating them back with central differences.
"""

import doctest

import numpy as np
import pytest
import sympy
from scipy import integrate as scipy_integrate

from calc_core.budget import run_with_budget
from calc_core.differentiation import derivative, finite_difference
from calc_core.expressions import parse_expression, to_function
from calc_core.integration import (
    RULES,
    IntegrationError,
    NoClosedFormError,
    antiderivative,
    antiderivative_curve,
    antiderivative_report,
    antiderivatives,
    convergence_study,
    definite,
    definite_integral,
    integration_steps,
    interval_report,
    intervals,
    quad_integral,
    quadrature,
    riemann,
    riemann_panels,
    riemann_sum,
    running_integral,
    steps,
)

EXACT_TOL = 1e-12  # sums that are exact in real arithmetic, up to round-off
QUAD_TOL = 1e-9  # quad's own accuracy on these smooth integrands
ORDER_TOL = 0.15  # fitted convergence slope vs theory
FD_STEP = 1e-5
FD_RTOL = 1e-6
FD_ATOL = 1e-6

x = sympy.Symbol("x")

ORDERS = {"left": 1, "right": 1, "midpoint": 2, "trapezoid": 2}

# typed integrand, interval inside its domain
SMOOTH = [
    ("2x", (-10.0, 10.0)),
    ("3x^2 - 4x", (-1.0, 3.0)),
    ("sin(x)", (0.0, 2.0)),
    ("exp(-x^2)", (-2.0, 1.0)),
    ("1/x", (0.5, 4.0)),
    ("x exp(x)", (-1.0, 2.0)),
    ("1/(1 + x^2)", (-1.0, 3.0)),
    ("sqrt(x)", (1.0, 9.0)),
    ("cos(x)^2", (0.0, 1.5)),
    ("x cos(x^2)", (-1.0, 2.0)),
    ("log(x)", (0.5, 3.0)),
    ("sigmoid(x)", (-4.0, 2.0)),
]


def _f(text):
    return to_function(parse_expression(text))


# --- riemann_sum -----------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 7, 100])
def test_riemann_sums_of_x_squared_match_closed_forms(n):
    f = lambda t: t**2  # noqa: E731
    # On [0, 1]: Σ i² formulas give these exactly.
    expected = {
        "left": (n - 1) * (2 * n - 1) / (6 * n**2),
        "right": (n + 1) * (2 * n + 1) / (6 * n**2),
        "midpoint": 1 / 3 - 1 / (12 * n**2),
        "trapezoid": 1 / 3 + 1 / (6 * n**2),
    }
    for rule, value in expected.items():
        assert riemann_sum(f, 0.0, 1.0, n, rule) == pytest.approx(value, abs=EXACT_TOL), rule


def test_course_running_sum_of_2x_over_minus_10_to_10():
    # The left sum of 2x with δx = 0.1 misses the area by exactly δx·(f(b) − f(a))/2 = 2.
    f = lambda t: 2 * t  # noqa: E731
    assert riemann_sum(f, -10, 10, 200, "left") == pytest.approx(-2.0, abs=1e-9)
    assert riemann_sum(f, -10, 10, 200, "right") == pytest.approx(2.0, abs=1e-9)
    assert riemann_sum(f, -10, 10, 200, "midpoint") == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(("text", "interval"), SMOOTH)
def test_riemann_sums_approach_quad(text, interval):
    f = _f(text)
    a, b = interval
    reference, _ = scipy_integrate.quad(f, a, b)
    # Errors are relative to the size of the area involved, (b − a)·max|f|.
    scale = (b - a) * float(np.max(np.abs(f(np.linspace(a, b, 1001)))))
    for rule in RULES:
        value = riemann_sum(f, a, b, 20_000, rule)
        tolerance = 1e-3 if ORDERS[rule] == 1 else 1e-8
        assert value == pytest.approx(reference, abs=tolerance * scale), rule


@pytest.mark.parametrize(("text", "interval"), [c for c in SMOOTH if c[0] not in ("2x",)])
def test_convergence_orders_are_one_and_two(text, interval):
    f = _f(text)
    reference, _ = scipy_integrate.quad(f, *interval, epsabs=1e-12, epsrel=1e-12)
    study = convergence_study(f, *interval, reference, ns=[256, 512, 1024, 2048, 4096])
    for rule, order in ORDERS.items():
        assert study.orders[rule] == pytest.approx(order, abs=ORDER_TOL), (text, rule)


def test_straight_line_is_exact_for_midpoint_and_trapezoid():
    study = convergence_study(lambda t: 2 * t, 0.0, 3.0, 9.0)
    assert study.orders["midpoint"] is None and study.orders["trapezoid"] is None
    assert study.orders["left"] == pytest.approx(1.0, abs=ORDER_TOL)
    assert np.all(study.errors["midpoint"] < 1e-12)


def test_riemann_sum_is_nan_where_f_is_undefined_without_warnings():
    with np.errstate(all="raise"):
        assert np.isnan(riemann_sum(_f("log(x)"), 0.0, 1.0, 10, "left"))
        assert np.isfinite(riemann_sum(_f("log(x)"), 0.0, 1.0, 10, "midpoint"))


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((1.0, 0.0, 10, "left"), "a < b"),
        ((0.0, 0.0, 10, "left"), "a < b"),
        ((0.0, np.inf, 10, "left"), "finite"),
        ((0.0, 1.0, 0, "left"), "whole number"),
        ((0.0, 1.0, 2.5, "left"), "whole number"),
        ((0.0, 1.0, 10**7, "left"), "whole number"),
        ((0.0, 1.0, 10, "simpson"), "left, right, midpoint, trapezoid"),
    ],
)
def test_riemann_sum_rejects_bad_input(args, match):
    with pytest.raises(IntegrationError, match=match):
        riemann_sum(np.sin, *args)


# --- riemann_panels --------------------------------------------------------


@pytest.mark.parametrize("rule", RULES)
def test_panels_area_is_the_riemann_sum(rule):
    f = _f("exp(-x^2) + x")
    panels = riemann_panels(f, -1.0, 2.0, 13, rule)
    assert panels.area == pytest.approx(riemann_sum(f, -1.0, 2.0, 13, rule), rel=1e-12)
    assert panels.x_left[0] == -1.0 and panels.x_right[-1] == 2.0
    np.testing.assert_allclose(panels.x_left[1:], panels.x_right[:-1])


def test_panel_heights_follow_the_rule():
    f = lambda t: t  # noqa: E731
    left = riemann_panels(f, 0.0, 2.0, 2, "left")
    assert left.y_left.tolist() == [0.0, 1.0] and left.sample_x.tolist() == [0.0, 1.0]
    mid = riemann_panels(f, 0.0, 2.0, 2, "midpoint")
    assert mid.sample_x.tolist() == [0.5, 1.5]
    trap = riemann_panels(f, 0.0, 2.0, 2, "trapezoid")
    assert trap.y_left.tolist() == [0.0, 1.0] and trap.y_right.tolist() == [1.0, 2.0]


# --- running_integral ------------------------------------------------------


@pytest.mark.parametrize(("text", "interval"), SMOOTH)
def test_running_integral_follows_the_antiderivative(text, interval):
    expr = parse_expression(text)
    F = to_function(antiderivative(expr))
    a, b = interval
    dx = (b - a) / 4000
    for rule, tol in (("left", 5e-3), ("midpoint", 1e-6), ("trapezoid", 1e-6)):
        xs, values = running_integral(to_function(expr), a, b, dx, rule)
        expected = F(xs) - F(a)
        scale = max(1.0, float(np.max(np.abs(expected))))
        np.testing.assert_allclose(values, expected, atol=tol * scale, err_msg=f"{text} {rule}")


def test_antiderivative_curve_is_the_area_from_a():
    curve = antiderivative_curve(x**3 - 2 * x**2, "x", -1.0, 3.0, n=41)
    xs, values = running_integral(_f("3x^2 - 4x"), -1.0, 3.0, 0.1, "trapezoid")
    np.testing.assert_allclose(curve.x, xs)
    assert curve.F_at_a == pytest.approx(-3.0)
    # Trapezoid sums of a cubic's derivative miss by O(δx²).
    np.testing.assert_allclose(curve.area, values, atol=0.05)
    assert antiderivative_curve(sympy.log(x), "x", -3.0, -1.0) is None


def test_panels_width():
    assert riemann_panels(np.sin, -1.0, 2.0, 12, "left").width == pytest.approx(0.25)


def test_running_integral_starts_at_zero_and_ends_at_b():
    xs, values = running_integral(np.cos, 0.0, 1.0, 0.3)
    assert values[0] == 0.0
    assert xs[0] == 0.0 and xs[-1] == 1.0
    np.testing.assert_allclose(np.diff(xs)[:-1], 0.3)
    assert np.diff(xs)[-1] == pytest.approx(0.1)


def test_running_integral_final_value_is_the_riemann_sum():
    f = _f("3x^2 - 4x")
    xs, values = running_integral(f, -1.0, 3.0, 0.1, "left")
    assert len(xs) == 41
    assert values[-1] == pytest.approx(riemann_sum(f, -1.0, 3.0, 40, "left"), rel=1e-12)


def test_running_integral_is_not_one_strip_ahead():
    # The plain cumsum of f(x_i)·δx puts ∫_a^{x_i+δx} at x_i; ours puts ∫_a^{x_i} there.
    xs, values = running_integral(lambda t: np.ones_like(t), 0.0, 1.0, 0.25)
    np.testing.assert_allclose(values, xs)


@pytest.mark.parametrize("dx", [0.0, -0.1, np.nan, 5.0, 1e-9])
def test_running_integral_rejects_bad_steps(dx):
    with pytest.raises(IntegrationError):
        running_integral(np.sin, 0.0, 1.0, dx)


# --- antiderivative and steps ---------------------------------------------


@pytest.mark.parametrize(("text", "interval"), SMOOTH)
def test_antiderivative_differentiates_back_to_f(text, interval):
    expr = parse_expression(text)
    F = to_function(antiderivative(expr))
    xs = np.linspace(*interval, 29)
    np.testing.assert_allclose(
        finite_difference(F, xs, FD_STEP, "central"), to_function(expr)(xs), rtol=FD_RTOL, atol=FD_ATOL
    )


def test_course_task_antiderivative():
    assert antiderivative(3 * x**2 - 4 * x) == x**3 - 2 * x**2
    # The course's example: ∫ 2x dx = x² (its text says "of f(x) = x", which would be x²/2).
    assert antiderivative(2 * x) == x**2
    assert antiderivative(x) == x**2 / 2


def test_reciprocal_gets_log_of_absolute_value():
    F = antiderivative(1 / x)
    assert F == sympy.log(sympy.Abs(x))
    xs = np.array([-3.0, -0.5, 0.5, 3.0])
    np.testing.assert_allclose(to_function(derivative(F))(xs), 1 / xs)


def test_no_closed_form_is_reported():
    with pytest.raises(NoClosedFormError):
        antiderivative(x**x)


@pytest.mark.parametrize(
    ("text", "special"),
    [("exp(-x^2)", "the error function erf"), ("sin(x)/x", "the sine integral Si"), ("exp(x)/x", None)],
)
def test_non_elementary_integrands_are_recognised(text, special):
    report = antiderivative_report(parse_expression(text))
    assert report.kind == "special"
    assert report.proved_nonelementary
    if special:
        assert special in report.special_functions


@pytest.mark.parametrize("text", ["3x^2 - 4x", "2x", "x exp(x)", "1/x", "sin(x)^2"])
def test_elementary_integrands_are_recognised(text):
    report = antiderivative_report(parse_expression(text))
    assert report.kind == "elementary" and not report.proved_nonelementary
    assert report.special_functions == ()


@pytest.mark.parametrize(
    "text", ["3x^2 - 4x", "2x", "sin(x)", "x exp(x)", "1/x", "sin(x)^2", "x cos(x^2)", "1/(1 + x^2)", "exp(-x^2)"]
)
def test_integration_steps_end_in_an_antiderivative(text):
    expr = parse_expression(text)
    steps = integration_steps(expr)
    assert steps and steps[0].depth == 0
    F = to_function(steps[0].antiderivative)
    xs = np.linspace(0.3, 2.0, 9)
    np.testing.assert_allclose(
        finite_difference(F, xs, FD_STEP, "central"), to_function(expr)(xs), rtol=FD_RTOL, atol=FD_ATOL
    )


def test_course_task_steps_read_as_expected():
    steps = integration_steps(3 * x**2 - 4 * x)
    assert [s.rule for s in steps] == ["sum", "constant multiple", "power", "constant multiple", "power"]
    assert [s.depth for s in steps] == [0, 1, 2, 1, 2]
    assert steps[0].integrand == r"\int 3 x^{2} - 4 x\, dx"
    assert steps[0].result == "x^{3} - 2 x^{2}"


def test_substitution_step_names_u():
    steps = integration_steps(x * sympy.cos(x**2))
    assert steps[0].rule == "substitution" and "u = x^{2}" in steps[0].explanation


def test_steps_empty_when_unknown():
    assert integration_steps(x**x) == ()


def test_symbolic_work_runs_under_the_budget():
    result = run_with_budget(antiderivative_report, parse_expression("3x^2 - 4x"), "x", timeout=10.0)
    assert result.ok, result.error
    assert result.value.antiderivative == x**3 - 2 * x**2
    result = run_with_budget(definite_integral, parse_expression("exp(-x^2)"), "x", -1.0, 1.0, timeout=10.0)
    assert result.ok and result.value.exact == sympy.sqrt(sympy.pi) * sympy.erf(1)


# --- definite integrals and intervals -------------------------------------


@pytest.mark.parametrize(("text", "interval"), SMOOTH)
def test_definite_integral_matches_quad(text, interval):
    result = definite_integral(parse_expression(text), "x", *interval)
    reference, _ = scipy_integrate.quad(_f(text), *interval, epsabs=1e-11, epsrel=1e-11)
    assert result.status == "finite"
    assert result.value == pytest.approx(reference, abs=QUAD_TOL)


def test_slider_decimals_are_read_exactly():
    assert definite_integral(x, "x", 0.0, 0.1).exact == sympy.Rational(1, 200)


@pytest.mark.parametrize(
    ("text", "interval", "status"),
    [
        ("1/x", (-1.0, 1.0), "no value"),
        ("1/x^2", (-1.0, 1.0), "infinite"),
        ("tan(x)", (0.0, 2.0), "no value"),
        ("sqrt(x)", (-1.0, 1.0), "complex"),
        ("log(x)", (0.0, 1.0), "finite"),
        ("1/sqrt(x)", (0.0, 1.0), "finite"),
    ],
)
def test_definite_integral_status(text, interval, status):
    assert definite_integral(parse_expression(text), "x", *interval).status == status


@pytest.mark.parametrize(
    ("text", "interval", "kind", "points"),
    [
        ("2x", (-10.0, 10.0), "proper", ()),
        ("1/x", (-1.0, 1.0), "improper", (0.0,)),
        ("1/x", (0.5, 2.0), "proper", ()),
        ("log(x)", (0.0, 1.0), "improper", (0.0,)),
        ("1/sqrt(x)", (0.0, 1.0), "improper", (0.0,)),
        ("tan(x)", (0.0, 2.0), "improper", (np.pi / 2,)),
        ("sin(x)/x", (-1.0, 1.0), "removable", (0.0,)),
        ("sqrt(x)", (-1.0, 1.0), "undefined", ()),
        ("abs(x)", (-1.0, 1.0), "proper", ()),
        ("exp(exp(exp(x)))", (0.0, 3.0), "overflow", ()),
    ],
)
def test_interval_report(text, interval, kind, points):
    report = interval_report(parse_expression(text), "x", *interval)
    assert report.kind == kind
    assert report.points == pytest.approx(points, abs=1e-9)
    assert report.sum_is_meaningful == (kind in ("proper", "removable"))
    assert bool(report.message) == (kind != "proper")


# --- quad_integral ---------------------------------------------------------


def test_quad_integral_matches_closed_form():
    result = quad_integral(_f("3x^2 - 4x"), -1.0, 3.0)
    assert result.converged and result.value == pytest.approx(12.0, abs=QUAD_TOL)


def test_quad_integral_reports_trouble_quietly():
    with np.errstate(all="raise"):
        result = quad_integral(_f("1/x^2"), -1.0, 1.0)
    assert not result.converged and result.message


@pytest.mark.parametrize("module", [riemann, quadrature, antiderivatives, steps, definite, intervals],
                         ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    assert doctest.testmod(module).failed == 0
