"""calc_core.differentiation against independent references.

Symbolic derivatives are checked against central differences of the original
function (not of the derivative), rule-by-rule working against sympy's own
``diff``, and the finite-difference error against its Taylor-series order.
"""

import doctest

import numpy as np
import pytest
import sympy

from calc_core import domain, sampling
from calc_core.differentiation import (
    SCHEMES,
    DerivativeTooLargeError,
    DifferentiationError,
    curves,
    derivative,
    derivative_steps,
    domain_report,
    finite_difference,
    finite_differences,
    numeric_derivative,
    rules,
    sample_curve,
    step_size_study,
    symbolic_derivative,
    tangent_secant,
)
from calc_core.expressions import parse_expression, to_function
from calc_core.limits import MAX_DERIVATIVE_NODES, MAX_POWER_TOWER

# Central differences with h = 1e-5 have truncation error ~ h² |f'''| / 6 and
# round-off ~ ε |f| / h; on these samples both stay below this relative size.
FD_STEP = 1e-5
FD_RTOL = 1e-6
FD_ATOL = 1e-6
# Fitted convergence slopes may deviate this much from the theoretical order.
ORDER_TOL = 0.1

x = sympy.Symbol("x")

# (expression as typed, sample interval where f is smooth)
SMOOTH_CASES = [
    ("x^2", (-5, 5)),
    ("x^3 - 2x^2 + 1", (-3, 3)),
    ("7", (-3, 3)),
    ("x", (-3, 3)),
    ("-4x^5 + 3x - 2", (-2, 2)),
    ("sin(x)", (-6, 6)),
    ("cos(3x + 1)", (-3, 3)),
    ("tan(x)", (-1.2, 1.2)),
    ("exp(-x^2)", (-3, 3)),
    ("e^(2x)", (-2, 2)),
    ("2^x", (-3, 3)),
    ("log(x)", (0.1, 5)),
    ("ln(x^2 + 1)", (-3, 3)),
    ("sqrt(x)", (0.1, 5)),
    ("sqrt(x^2 + 1)", (-3, 3)),
    ("1/x", (0.2, 5)),
    ("1/(1 + x^2)", (-3, 3)),
    ("x/(x + 2)", (-1.5, 3)),
    ("sin(x)/x", (0.3, 6)),
    ("x sin(x)", (-4, 4)),
    ("x^2 exp(-x)", (-2, 4)),
    ("sin(x)^2 cos(x)", (-3, 3)),
    ("exp(sin(x))", (-3, 3)),
    ("x^x", (0.2, 3)),
    ("atan(x)", (-4, 4)),
    ("asin(x/2)", (-1.8, 1.8)),
    ("sinh(x) + cosh(2x) - tanh(x)", (-2, 2)),
    ("sigmoid(x)", (-6, 6)),
    ("abs(x)", (0.2, 3)),
    ("abs(x)", (-3, -0.2)),
    ("x abs(x)", (-3, 2.9)),
    ("log(cos(x))", (-1.3, 1.3)),
    ("(x^2 + 1)^(1/3)", (-3, 3)),
    ("sec(x) + csc(x) + cot(x)", (0.3, 1.3)),
]


def _check_derivative_numerically(text, interval):
    expr = parse_expression(text)
    f = to_function(expr)
    df = to_function(derivative(expr))
    xs = np.linspace(*interval, 37)
    reference = finite_difference(f, xs, FD_STEP, "central")
    np.testing.assert_allclose(df(xs), reference, rtol=FD_RTOL, atol=FD_ATOL, err_msg=text)


@pytest.mark.parametrize(("text", "interval"), SMOOTH_CASES)
def test_derivative_matches_central_differences(text, interval):
    _check_derivative_numerically(text, interval)


def test_course_task_derivative_is_exact():
    assert derivative(x**3 - 2 * x**2 + 1) == 3 * x**2 - 4 * x


def test_abs_derivative_is_sign_not_re_im():
    assert derivative(sympy.Abs(x)) == sympy.sign(x)
    assert derivative(sympy.Abs(x)).free_symbols == {x}


def test_derivative_by_other_variable_treats_x_as_constant():
    t = sympy.Symbol("t")
    assert derivative(x * t**2, "t") == 2 * x * t


def test_derivative_rejects_non_expressions():
    with pytest.raises(DifferentiationError):
        derivative("x^2")
    with pytest.raises(DifferentiationError):
        derivative(x**2, "not a name")


# --- derivative_steps ------------------------------------------------------


def _no_derivatives_left(expr):
    return not expr.has(sympy.Derivative)


@pytest.mark.parametrize(("text", "interval"), SMOOTH_CASES)
def test_steps_end_in_the_same_result_as_derivative(text, interval):
    expr = parse_expression(text)
    steps = derivative_steps(expr)
    final = steps[-1].working
    assert _no_derivatives_left(final)
    expected = derivative(expr)
    # Same function: compare exactly where sympy can, numerically everywhere.
    xs = np.linspace(*interval, 23)
    np.testing.assert_allclose(
        to_function(final)(xs), to_function(expected)(xs), rtol=1e-10, atol=1e-10, err_msg=text
    )


@pytest.mark.parametrize(("text", "interval"), SMOOTH_CASES[:12])
def test_every_intermediate_working_is_the_same_derivative(text, interval):
    expr = parse_expression(text)
    expected = to_function(derivative(expr))
    xs = np.linspace(*interval, 11)
    for step in derivative_steps(expr):
        evaluated = step.working.doit()
        np.testing.assert_allclose(to_function(evaluated)(xs), expected(xs), rtol=1e-10, atol=1e-10)


def test_course_task_steps_in_reading_order():
    steps = derivative_steps(x**3 - 2 * x**2 + 1)
    assert [s.rule for s in steps] == ["sum", "power", "constant multiple", "power", "constant"]
    assert steps[0].target == r"\frac{d}{dx} \left(x^{3} - 2 x^{2} + 1\right)"
    assert steps[1].target == r"\frac{d}{dx} x^{3}" and steps[1].result == "3 x^{2}"
    assert steps[-1].after == "3 x^{2} - 4 x"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("5", "constant"),
        ("x^4", "power"),
        ("x sin(x)", "product"),
        ("sin(x)/x", "quotient"),
        ("sin(x^2)", "chain"),
        ("exp(x)", "exponential"),
        ("log(x)", "logarithm"),
        ("cos(x)", "trigonometric"),
        ("atan(x)", "inverse trigonometric"),
        ("tanh(x)", "hyperbolic"),
        ("abs(x)", "absolute value"),
        ("x^x", "logarithmic differentiation"),
        ("3x", "constant multiple"),
        ("x + 1", "sum"),
    ],
)
def test_first_rule_named(text, rule):
    assert derivative_steps(parse_expression(text))[0].rule == rule


def test_each_step_links_to_the_next():
    steps = derivative_steps(parse_expression("x^2 sin(3x) + exp(-x)"))
    for previous, current in zip(steps, steps[1:]):
        assert current.before == previous.after


def test_steps_refuse_overlong_working():
    with pytest.raises(DifferentiationError, match="more than 3 steps"):
        derivative_steps(parse_expression("x^3 - 2x^2 + 1"), max_steps=3)


# --- finite_difference -----------------------------------------------------


def test_finite_difference_formulas_on_a_parabola():
    f = lambda t: t**2  # noqa: E731
    # (x+h)² − x² = 2xh + h², so forward = 2x + h, backward = 2x − h, central = 2x exactly.
    assert finite_difference(f, 3.0, 0.5, "forward") == pytest.approx(6.5, abs=1e-12)
    assert finite_difference(f, 3.0, 0.5, "backward") == pytest.approx(5.5, abs=1e-12)
    assert finite_difference(f, 3.0, 0.5, "central") == pytest.approx(6.0, abs=1e-12)


def test_finite_difference_is_vectorised_and_broadcasts():
    xs = np.linspace(-1, 1, 5)
    out = finite_difference(np.sin, xs, 1e-6, "central")
    assert out.shape == (5,)
    grid = finite_difference(np.sin, xs[:, None], np.array([1e-3, 1e-4]), "forward")
    assert grid.shape == (5, 2)
    assert isinstance(finite_difference(np.sin, 0.0, 1e-3), float)


@pytest.mark.parametrize(("scheme", "order"), [("forward", 1), ("backward", 1), ("central", 2)])
def test_finite_difference_convergence_order(scheme, order):
    hs = np.logspace(-1, -3, 5)
    errors = np.abs(finite_difference(np.exp, 0.7, hs, scheme) - np.exp(0.7))
    slope, _ = np.polyfit(np.log(hs), np.log(errors), 1)
    assert slope == pytest.approx(order, abs=ORDER_TOL)


def test_finite_difference_nan_where_undefined_without_warnings():
    f = to_function(parse_expression("log(x)"))
    with np.errstate(all="raise"):
        out = finite_difference(f, np.array([-1.0, 1.0]), 1e-3, "central")
    assert np.isnan(out[0]) and np.isfinite(out[1])


@pytest.mark.parametrize(("scheme", "blanked"), [("forward", [-0.5, 0.0]), ("backward", [0.0, 0.5]),
                                                  ("central", [-0.5, 0.0, 0.5])])
def test_finite_difference_does_not_measure_across_a_pole(scheme, blanked):
    xs = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    out = finite_difference(lambda t: 1 / t, xs, 0.5, scheme, poles=(0.0,))
    np.testing.assert_array_equal(np.isnan(out), np.isin(xs, blanked))


@pytest.mark.parametrize("h", [0.0, -1e-3, np.nan, np.inf])
def test_finite_difference_rejects_bad_steps(h):
    with pytest.raises(DifferentiationError):
        finite_difference(np.sin, 0.0, h)


def test_finite_difference_rejects_unknown_scheme():
    with pytest.raises(DifferentiationError, match="forward, backward, central"):
        finite_difference(np.sin, 0.0, 1e-3, "sideways")


# --- step_size_study -------------------------------------------------------


def test_step_size_study_shows_truncation_and_round_off():
    study = step_size_study(np.exp, 1.0, np.e)
    # Best steps sit near the textbook optima √ε ≈ 1.5e-8 and ε^(1/3) ≈ 6e-6.
    assert 1e-10 < study.best_h_forward < 1e-6
    assert 1e-7 < study.best_h_central < 1e-3
    assert study.best_error_central < study.best_error_forward
    # Truncation: at h = 1 both are far worse than the best.
    assert study.forward_error[-1] > 1e3 * study.best_error_forward
    # Round-off: at h = 1e-16 the forward difference is worse again.
    assert study.forward_error[0] > 1e3 * study.best_error_forward
    assert study.theory_h_forward == pytest.approx(np.sqrt(np.finfo(float).eps))


def test_step_size_study_flags_schemes_without_truncation_error():
    parabola = step_size_study(lambda t: t**2, 1.0, 2.0)
    assert parabola.exact_central and not parabola.exact_forward
    line = step_size_study(lambda t: 3 * t + 1, 1.0, 3.0)
    assert line.exact_central and line.exact_forward
    curved = step_size_study(np.exp, 1.0, np.e)
    assert not (curved.exact_central or curved.exact_forward)


def test_step_size_study_matches_finite_difference():
    study = step_size_study(np.sin, 0.3, np.cos(0.3), exponents=(-8, -1), num=8)
    expected = np.abs(finite_difference(np.sin, 0.3, study.h, "central") - np.cos(0.3))
    np.testing.assert_array_equal(study.central_error, expected)


def test_step_size_study_rejects_undefined_derivative():
    with pytest.raises(DifferentiationError, match="no finite value"):
        step_size_study(np.abs, 0.0, float("nan"))


# --- tangent_secant --------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_secant_slope_is_the_finite_difference(scheme):
    ts = tangent_secant(np.exp, 0.5, np.exp(0.5), 0.25, scheme)
    assert ts.secant_slope == pytest.approx(finite_difference(np.exp, 0.5, 0.25, scheme), rel=1e-12)
    # The secant really passes through both sampled points.
    np.testing.assert_allclose(ts.secant(np.array(ts.secant_x)), np.exp(np.array(ts.secant_x)), rtol=1e-12)


def test_tangent_touches_the_curve_at_x0():
    ts = tangent_secant(np.sin, 1.0, np.cos(1.0), 1e-3)
    assert float(ts.tangent(1.0)) == pytest.approx(np.sin(1.0))
    assert float(ts.tangent(2.0)) == pytest.approx(np.sin(1.0) + np.cos(1.0))


# --- domain_report and sample_curve ---------------------------------------


@pytest.mark.parametrize(
    ("text", "poles", "holes", "corners"),
    [
        ("x^2", (), (), ()),
        ("abs(x)", (), (), (0.0,)),
        ("abs(x - 0.3)", (), (), (0.3,)),
        ("1/x", (0.0,), (), ()),
        ("1/x^2", (0.0,), (), ()),
        ("1/(x^2 - 1)", (-1.0, 1.0), (), ()),
        ("1/(x - 0.1)^2", (0.1,), (), ()),
        ("sin(x)/x", (), (0.0,), ()),
        ("x abs(x)", (), (), ()),
        ("log(abs(x))", (0.0,), (), ()),
        ("sigmoid(x)", (), (), ()),
    ],
)
def test_domain_report_classifies_points(text, poles, holes, corners):
    report = domain_report(parse_expression(text), "x", -5, 5)
    assert report.poles == pytest.approx(poles, abs=1e-9)
    assert report.holes == pytest.approx(holes, abs=1e-9)
    assert report.corners == pytest.approx(corners, abs=1e-9)


def test_domain_report_finds_tan_poles():
    report = domain_report(parse_expression("tan(x)"), "x", -5, 5)
    assert report.poles == pytest.approx((-3 * np.pi / 2, -np.pi / 2, np.pi / 2, 3 * np.pi / 2), abs=1e-9)
    assert not report.corners


@pytest.mark.parametrize(("text", "interval"), [("log(x)", (-5.0, 0.0)), ("sqrt(x)", (-5.0, 0.0))])
def test_domain_report_finds_where_f_has_no_real_value(text, interval):
    report = domain_report(parse_expression(text), "x", -5, 5)
    assert report.undefined_intervals == (pytest.approx(interval, abs=1e-9),)
    assert not report.is_clean


def test_domain_report_tells_overflow_from_no_real_value():
    report = domain_report(parse_expression("exp(exp(exp(x)))"), "x", -5, 5)
    assert not report.undefined_intervals
    ((start, end),) = report.overflow_intervals
    # exp(exp(exp(x))) passes the largest float where exp(exp(x)) = ln(1.8e308) ≈ 709.8.
    assert start == pytest.approx(np.log(np.log(np.log(np.finfo(float).max))), abs=1e-6) and end == 5.0
    assert report.status_at(3.0) == "overflow"


def test_sqrt_has_a_vertical_tangent_at_zero():
    assert domain_report(parse_expression("sqrt(x)"), "x", -1, 1).corners == (0.0,)


def test_domain_report_rejects_empty_range():
    with pytest.raises(DifferentiationError):
        domain_report(x**2, "x", 1, 1)


def test_sample_curve_leaves_gaps_at_breaks():
    f = to_function(parse_expression("1/x"))
    xs, ys = sample_curve(f, -1, 1, n=100, breaks=(0.0,))
    assert 0.0 in xs
    assert np.isnan(ys[xs == 0.0]).all()
    assert np.isfinite(ys[xs != 0.0]).all()
    assert np.all(np.diff(xs) > 0)


def test_sample_curve_is_quiet_where_undefined():
    f = to_function(parse_expression("log(x)"))
    with np.errstate(all="raise"):
        xs, ys = sample_curve(f, -1, 1, n=11)
    assert np.isnan(ys[xs <= 0]).all() and np.isfinite(ys[xs > 0]).all()


@pytest.mark.parametrize("module", [rules, finite_differences, curves, domain, sampling],
                         ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    assert doctest.testmod(module).failed == 0


# --- symbolic_derivative (size-capped) and numeric_derivative (its fallback) ----------------------------------------


def test_symbolic_derivative_matches_derivative_and_prints_it():
    f = parse_expression("x^3 sin(x)")
    result = symbolic_derivative(f)
    assert sympy.simplify(result.expr - derivative(f)) == 0
    assert result.latex == sympy.latex(result.expr)
    assert result.nodes == sum(1 for _ in sympy.preorder_traversal(result.expr))


def test_symbolic_derivative_refuses_a_tree_over_the_cap():
    # A product of n distinct factors has an n-term derivative, each term n factors long.
    f = sympy.Mul(*[sympy.sin(k * x) for k in range(1, 21)])
    with pytest.raises(DerivativeTooLargeError):
        symbolic_derivative(f, max_nodes=1000)
    assert symbolic_derivative(f, max_nodes=MAX_DERIVATIVE_NODES).nodes <= MAX_DERIVATIVE_NODES


def test_worst_typed_tower_fits_under_the_derivative_cap():
    tower = parse_expression("^".join(["x"] * MAX_POWER_TOWER))
    assert symbolic_derivative(tower).nodes <= MAX_DERIVATIVE_NODES


@pytest.mark.parametrize("text", ["sin(x)", "exp(x) x^2", "log(x)", "1/(1 + x^2)"])
def test_numeric_derivative_agrees_with_the_rules(text):
    f = parse_expression(text)
    xs = np.linspace(0.5, 3.0, 11)
    exact = to_function(derivative(f))(xs)
    assert numeric_derivative(to_function(f))(xs) == pytest.approx(exact, rel=1e-8, abs=1e-8)
