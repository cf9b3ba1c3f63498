"""Critical points, Hessian classification and optimizers against independent references.

References: sympy's ``solveset`` called directly, sign changes of a central
difference of f (no symbolic derivative involved), ``scipy.optimize.minimize``,
first optimizer steps computed by hand, and the known minima of Himmelblau's
function.
"""

import dataclasses
import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from calc_core.expressions import parse_expression, to_function
from calc_core.optimization import (
    FUNCTION_PRESETS,
    OPTIMIZERS,
    SURFACE_PRESETS,
    Adam,
    ControlKind,
    GradientDescent,
    Hyperparameter,
    Momentum,
    Nesterov,
    OptimizationError,
    RMSProp,
    Status,
    analyze_critical_points,
    analyze_critical_points_2d,
    compile_derivatives,
    critical_points,
    critical_points_2d,
    derivatives,
    descent_path,
    extremum_verdict,
    gradient_descent,
    hyperparameters,
    make_optimizer,
    make_surface,
    optimizer_class,
    optimizers,
    run_optimizer,
)
from calc_core.optimization.optimizers import check_declaration, hyperparameter, rate

EXACT_TOL = 1e-12  # exact roots evaluated to floats
NUMERIC_TOL = 1e-8  # grid + brentq roots
CENTRAL_DIFF_TOL = 1e-6  # roots of a central-difference derivative
HAND_TOL = 1e-12  # optimizer steps computed by hand
EXACT_BUDGET = 60.0  # seconds for the exact path, so that it is taken however loaded the machine is
HIMMELBLAU_TOL = 1e-6  # published minima are given to 6 decimals
CONVERGED_TOL = 1e-4  # distance to a minimum after an optimizer run

x_sym, y_sym = sympy.symbols("x y")


def parse(text):
    return parse_expression(text)


def parse2(text):
    return parse_expression(text, ("x", "y"))


def sign_change_roots(f, lo, hi, n=20001, h=1e-5):
    """Roots of f' from a central difference of f: grid sign changes, then bisection."""
    def d(t):
        return (f(t + h) - f(t - h)) / (2 * h)

    xs = np.linspace(lo, hi, n)
    values = d(xs)
    roots = []
    for i in np.nonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)[0]:
        a, b = xs[i], xs[i + 1]
        for _ in range(60):
            m = 0.5 * (a + b)
            if np.sign(d(m)) == np.sign(d(a)):
                a = m
            else:
                b = m
        roots.append(0.5 * (a + b))
    return roots


# --------------------------------------------------------------------------- one variable


@pytest.mark.parametrize("text", ["x^3 - 2x^2 + 1", "x^4 - 4x^2", "x exp(-x)", "sin(x)", "x^5 - 5x^3 + 4x",
                                  "(x^2 - 1) / (x^2 + 1)"])
def test_exact_points_match_sympy_solveset(text):
    expr = parse(text)
    xr = sympy.Symbol("x", real=True)
    reference = sympy.solveset(sympy.diff(expr.subs(x_sym, xr), xr), xr, sympy.Interval(-10, 10))
    expected = sorted(complex(r.evalf(30)).real for r in reference)
    analysis = analyze_critical_points(expr, window=(-10, 10), timeout=EXACT_BUDGET)
    assert analysis.found_by == "exact"
    assert [p.x for p in analysis.points] == pytest.approx(expected, abs=EXACT_TOL)


@pytest.mark.parametrize("text", ["x^3 - 2x^2 + 1", "x^4 - 3x^2 + x", "x exp(-x)", "sin(x)", "x^x", "sin(x)/x",
                                  "x^5 - 5x^3 + 4x"])
@pytest.mark.parametrize("method", ["auto", "numeric"])
def test_points_match_sign_changes_of_a_central_difference(text, method):
    expr = parse(text)
    f = to_function(expr)
    expected = sign_change_roots(f, 0.05 if "x^x" in text else -10, 10)
    found = [p.x for p in analyze_critical_points(expr, window=(-10, 10), method=method).points
             if (0.05 if "x^x" in text else -10) < p.x < 10]
    assert found == pytest.approx(expected, abs=CENTRAL_DIFF_TOL)


@pytest.mark.parametrize(("text", "kind"), [("x^2", "minimum"), ("-x^2", "maximum"), ("x^3", "inflection"),
                                            ("x^4", "minimum"), ("-x^4", "maximum"), ("x^5", "inflection"),
                                            ("x^6", "minimum"), ("abs(x)", "minimum")])
@pytest.mark.parametrize("method", ["auto", "numeric"])
def test_classification_of_flat_points_at_zero(text, kind, method):
    points = analyze_critical_points(parse(text), method=method).points
    assert len(points) == 1
    assert points[0].x == pytest.approx(0.0, abs=NUMERIC_TOL)
    assert points[0].kind == kind


def test_second_derivative_decides_when_it_is_not_zero():
    points = critical_points(parse("x^3 - 2x^2 + 1"), timeout=EXACT_BUDGET)
    assert [(p.exact, p.kind) for p in points] == [(0, "maximum"), (sympy.Rational(4, 3), "minimum")]
    assert points[0].test.startswith("f″(0) = -4 < 0")
    assert points[1].test.startswith("f″(4/3) = 4 > 0")
    assert points[1].value == pytest.approx(1 - 32 / 27, abs=EXACT_TOL)
    assert all(p.found_by == "exact" for p in points)


def test_higher_derivatives_decide_when_the_second_vanishes():
    (cubic,) = critical_points(parse("x^3"))
    (quartic,) = critical_points(parse("x^4"))
    assert cubic.kind == "inflection" and "f‴(0) = 6" in cubic.test
    assert quartic.kind == "minimum" and "f⁽⁴⁾(0) = 24" in quartic.test


def test_numeric_classification_uses_the_sign_of_f_prime_at_flat_points():
    (quartic,) = analyze_critical_points(parse("x^4"), method="numeric").points
    (cubic,) = analyze_critical_points(parse("x^3"), method="numeric").points
    assert "− → +" in quartic.test
    assert cubic.kind == "inflection" and "+ → +" in cubic.test


def test_log_has_no_critical_point_and_the_reason_is_given():
    analysis = analyze_critical_points(parse("log(x)"))
    assert analysis.points == ()
    assert analysis.domain_text == "x > 0"
    assert analysis.derivative == 1 / x_sym
    assert analysis.explanation.trend == "increasing"
    message = analysis.explanation.message
    assert "1/x" in message and "never zero" in message and "no maximum or minimum" in message


def test_log_numeric_search_reaches_the_same_verdict():
    analysis = analyze_critical_points(parse("log(x)"), method="numeric")
    assert analysis.points == ()
    assert analysis.explanation.trend == "increasing"


@pytest.mark.parametrize(("text", "trend"), [("exp(x)", "increasing"), ("-x^3 - x", "decreasing"),
                                             ("1/x^2", "mixed"), ("5", "constant")])
def test_explanations_for_functions_without_critical_points(text, trend):
    analysis = analyze_critical_points(parse(text))
    assert analysis.points == ()
    assert analysis.explanation.trend == trend


def test_open_interval_domain_keeps_only_interior_points():
    points = critical_points(parse("x^3 - 2x^2 + 1"), domain=(1, 3))
    assert [p.x for p in points] == pytest.approx([4 / 3], abs=EXACT_TOL)
    analysis = analyze_critical_points(parse("x^2"), domain=(0, 5))
    assert analysis.points == ()
    assert analysis.explanation.trend == "increasing"
    assert "0 < x < 5" in analysis.domain_text


def test_infinite_solution_sets_are_cut_to_the_window():
    analysis = analyze_critical_points(parse("sin(x)"), window=(-4, 4))
    assert [p.x for p in analysis.points] == pytest.approx([-math.pi / 2, math.pi / 2], abs=EXACT_TOL)
    assert [p.kind for p in analysis.points] == ["minimum", "maximum"]
    assert any("infinitely many" in note for note in analysis.notes)


def test_unsolvable_equation_falls_back_to_numbers():
    analysis = analyze_critical_points(parse("x^x"), window=(0.01, 3))
    assert analysis.found_by == "numeric"
    (point,) = analysis.points
    assert point.x == pytest.approx(math.exp(-1), abs=NUMERIC_TOL)
    assert point.kind == "minimum"


def test_budget_timeout_gives_the_numeric_result_and_says_so():
    # solveset needs about a second for this rational function; the budget is cut well below.
    expr = parse("x^2 (x-1)^3 (x+2)^4 / (x^2 + 3)")
    analysis = analyze_critical_points(expr, timeout=0.3)
    assert analysis.found_by == "numeric"
    assert any("did not finish" in note for note in analysis.notes)
    assert [p.kind for p in analysis.points] == ["maximum", "minimum", "maximum", "minimum", "inflection"]
    simple = sign_change_roots(to_function(expr), -10, 10)
    assert [p.x for p in analysis.points if p.kind != "inflection"] == pytest.approx(simple, abs=CENTRAL_DIFF_TOL)
    assert analysis.points[-1].x == pytest.approx(1.0, abs=NUMERIC_TOL)


def test_casus_irreducibilis_roots_are_recognised_as_real():
    # sympy writes these three real roots with complex radicals.
    points = critical_points(parse("x^4 - 3x^2 + x"))
    reference = np.sort(np.roots([4, 0, -6, 1]).real)
    assert [p.x for p in points] == pytest.approx(list(reference), abs=EXACT_TOL)
    assert [p.kind for p in points] == ["minimum", "maximum", "minimum"]


def test_flat_stretches_are_not_listed_as_points():
    analysis = analyze_critical_points(parse("exp(-1/x^2)"), method="numeric")
    assert analysis.points == ()
    assert any("flat" in note for note in analysis.notes)


@settings(max_examples=30, deadline=None)
@given(st.integers(-6, 6), st.integers(1, 6), st.sampled_from([-3, -1, 2]))
def test_quadratic_derivative_roots_and_kinds(r1, gap, a):
    """f' = a (x - r1)(x - r2): an extremum at each root, the kinds set by the sign of a."""
    r2 = r1 + gap
    x = x_sym
    f = sympy.integrate(a * (x - r1) * (x - r2), x)
    points = analyze_critical_points(f, window=(-10, 15), method="numeric").points
    assert [p.x for p in points] == pytest.approx([r1, r2], abs=NUMERIC_TOL)
    assert [p.kind for p in points] == (["maximum", "minimum"] if a > 0 else ["minimum", "maximum"])


@pytest.mark.parametrize(("domain", "message"), [((3, 1), "empty"), ((1, 1), "empty"), (("a", 2), "two numbers")])
def test_bad_domains_are_explained(domain, message):
    with pytest.raises(OptimizationError, match=message):
        critical_points(parse("x^2"), domain=domain)


def test_function_of_another_variable_is_rejected():
    with pytest.raises(OptimizationError, match="only use x"):
        critical_points(parse_expression("x + y", ("x", "y")))


def test_log_on_negative_domain_is_nowhere_defined():
    with pytest.raises(OptimizationError, match="not defined"):
        critical_points(parse("log(x)"), domain=(-5, -1))


def test_one_variable_presets_parse_and_show_their_point():
    kinds = {name: [p.kind for p in critical_points(parse(p.text), window=p.window)]
             for name, p in FUNCTION_PRESETS.items()}
    assert kinds["Course example"] == ["maximum", "minimum"]
    assert kinds["Course task: log(x)"] == []
    assert kinds["Cubic x^3"] == ["inflection"]
    assert kinds["Quartic x^4"] == ["minimum"]
    assert kinds["Double well"] == ["minimum", "maximum", "minimum"]


# --------------------------------------------------------------------------- two variables

HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]


def test_himmelblau_has_four_minima_one_maximum_four_saddles():
    preset = SURFACE_PRESETS["Himmelblau"]
    analysis = analyze_critical_points_2d(parse2(preset.text), window=preset.window, method="numeric")
    minima = sorted((p.x, p.y) for p in analysis.points if p.kind == "minimum")
    assert len(minima) == 4
    for expected in HIMMELBLAU_MINIMA:
        assert any(math.hypot(m[0] - expected[0], m[1] - expected[1]) < HIMMELBLAU_TOL for m in minima)
    assert all(p.value == pytest.approx(0, abs=1e-12) for p in analysis.points if p.kind == "minimum")
    kinds = [p.kind for p in analysis.points]
    assert kinds.count("maximum") == 1 and kinds.count("saddle") == 4


def test_himmelblau_exact_solve_over_budget_falls_back_to_numbers():
    # sympy needs seconds for Himmelblau's cubic system.
    analysis = analyze_critical_points_2d(parse2(SURFACE_PRESETS["Himmelblau"].text), timeout=0.5)
    assert analysis.found_by == "numeric"
    assert any("did not finish" in note for note in analysis.notes)
    assert len(analysis.points) == 9


def test_himmelblau_minima_agree_with_scipy_minimize():
    surface = make_surface(parse2(SURFACE_PRESETS["Himmelblau"].text))
    points = critical_points_2d(parse2(SURFACE_PRESETS["Himmelblau"].text))
    for p in (q for q in points if q.kind == "minimum"):
        ref = optimize.minimize(surface.loss, [p.x + 0.3, p.y - 0.3], jac=surface.gradient, method="BFGS",
                                options={"gtol": 1e-12})
        assert (p.x, p.y) == pytest.approx(tuple(ref.x), abs=HIMMELBLAU_TOL)


@pytest.mark.parametrize(("text", "kind"), [("x^2 + y^2", "minimum"), ("x^2 + 10y^2", "minimum"),
                                            ("-x^2 - y^2", "maximum"), ("x^2 - y^2", "saddle"),
                                            ("x y", "saddle"), ("x^4 + y^4", "degenerate")])
@pytest.mark.parametrize("method", ["auto", "numeric"])
def test_hessian_classification_at_the_origin(text, kind, method):
    (point,) = analyze_critical_points_2d(parse2(text), window=((-2, 2), (-2, 2)), method=method).points
    assert (point.x, point.y) == pytest.approx((0, 0), abs=NUMERIC_TOL)
    assert point.kind == kind


def test_hessian_matches_finite_differences_of_the_gradient():
    expr = parse2("x y exp(-x^2 - y^2)")
    surface = make_surface(expr)
    h = 1e-6
    for p in critical_points_2d(expr, window=((-2, 2), (-2, 2))):
        at = np.array([p.x, p.y])
        columns = [(surface.gradient(at + h * e) - surface.gradient(at - h * e)) / (2 * h) for e in np.eye(2)]
        reference = np.column_stack(columns)
        assert np.array(p.hessian) == pytest.approx(reference, abs=1e-6)
        assert p.determinant == pytest.approx(np.linalg.det(reference), abs=1e-6)
        expected = {1: "minimum", -1: "maximum"}[int(np.sign(reference[0, 0]))] if np.linalg.det(reference) > 0 \
            else "saddle"
        assert p.kind == expected


def test_degenerate_points_get_a_neighbourhood_note():
    (monkey,) = critical_points_2d(parse2("x^3 - 3x y^2"), window=((-1, 1), (-1, 1)))
    (quartic,) = critical_points_2d(parse2("x^4 + y^4"), window=((-1, 1), (-1, 1)))
    assert monkey.kind == quartic.kind == "degenerate"
    assert "saddle" in monkey.note and "minimum" in quartic.note


def test_periodic_solutions_missed_by_sympy_are_completed_numerically():
    # A budget no loaded machine runs out of: the outcome asserted is sympy's, not the clock's.
    analysis = analyze_critical_points_2d(parse2("sin(x) cos(y)"), window=((-3.5, 3.5), (-3.5, 3.5)), timeout=60)
    inside = [(p.x, p.y) for p in analysis.points if abs(p.x) <= 3.5 and abs(p.y) <= 3.5]
    # ∇f = (cos x cos y, −sin x sin y) = 0 at (±π/2, 0), (±π/2, ±π), (0, ±π/2) and (±π, ±π/2).
    assert len(inside) == 12
    assert analysis.found_by == "mixed"


def test_surface_presets_have_their_advertised_points():
    found = {name: critical_points_2d(parse2(p.text), window=p.window) for name, p in SURFACE_PRESETS.items()}
    assert [(p.x, p.y, p.kind) for p in found["Rosenbrock"]] == [(1.0, 1.0, "minimum")]
    assert [p.kind for p in found["Saddle"]] == ["saddle"]
    assert [p.kind for p in found["Bowl"]] == [p.kind for p in found["Elongated bowl"]] == ["minimum"]


# --------------------------------------------------------------------------- optimizers


def bowl_gradient(p):
    """∇(x² + 3y²)."""
    return np.array([2 * p[0], 6 * p[1]])


def test_gradient_descent_first_steps_by_hand():
    path = run_optimizer(bowl_gradient, [1.0, 1.0], GradientDescent(0.1), steps=2)
    np.testing.assert_allclose(path.points, [[1, 1], [0.8, 0.4], [0.64, 0.16]], rtol=0, atol=HAND_TOL)


def test_momentum_first_steps_by_hand():
    # v1 = g0 = (2, 6); x1 = (0.8, 0.4); g1 = (1.6, 2.4); v2 = 0.9 v1 + g1 = (3.4, 7.8); x2 = x1 - 0.1 v2.
    path = run_optimizer(bowl_gradient, [1.0, 1.0], Momentum(0.1, 0.9), steps=2)
    np.testing.assert_allclose(path.points, [[1, 1], [0.8, 0.4], [0.46, -0.38]], rtol=0, atol=HAND_TOL)


def test_nesterov_first_steps_by_hand():
    # Step 2 looks ahead to x1 - 0.1·0.9·v1 = (0.62, -0.14), where g = (1.24, -0.84); v2 = (3.04, 4.56).
    path = run_optimizer(bowl_gradient, [1.0, 1.0], Nesterov(0.1, 0.9), steps=2)
    np.testing.assert_allclose(path.points, [[1, 1], [0.8, 0.4], [0.496, -0.056]], rtol=0, atol=HAND_TOL)


def test_rmsprop_first_step_by_hand():
    # s1 = 0.1 g², so every coordinate moves by η / sqrt(0.1) regardless of its gradient's size.
    path = run_optimizer(bowl_gradient, [1.0, 1.0], RMSProp(0.01, 0.9, epsilon=0.0), steps=1)
    step = 0.01 / math.sqrt(0.1)
    assert path.points[1].tolist() == pytest.approx([1 - step, 1 - step], abs=HAND_TOL)


def test_adam_first_two_steps_by_hand():
    # Bias correction makes the first step exactly η·sign(g).
    path = run_optimizer(bowl_gradient, [1.0, 1.0], Adam(0.1, epsilon=0.0), steps=2)
    assert path.points[1].tolist() == pytest.approx([0.9, 0.9], abs=HAND_TOL)
    g0, g1 = np.array([2.0, 6.0]), bowl_gradient(np.array([0.9, 0.9]))
    m = (0.1 * g0 * 0.9 + 0.1 * g1) / (1 - 0.9 ** 2)
    v = (0.001 * g0 ** 2 * 0.999 + 0.001 * g1 ** 2) / (1 - 0.999 ** 2)
    assert path.points[2].tolist() == pytest.approx((np.array([0.9, 0.9]) - 0.1 * m / np.sqrt(v)).tolist(),
                                                    abs=HAND_TOL)


@pytest.mark.parametrize("optimizer", [Adam(0.05), Nesterov(0.001), Momentum(0.001), Adam(0.02)],
                         ids=["adam-0.05", "nesterov", "momentum", "adam-0.02"])
def test_rosenbrock_converges_to_the_scipy_minimum(optimizer):
    surface = make_surface(parse2(SURFACE_PRESETS["Rosenbrock"].text))
    reference = optimize.minimize(surface.loss, [-1.5, 2.5], jac=surface.gradient, method="BFGS").x
    path = run_optimizer(surface.gradient, [-1.5, 2.5], optimizer, steps=5000, loss=surface.loss)
    assert path.status == "converged"
    assert path.points[-1] == pytest.approx(reference, abs=CONVERGED_TOL)
    assert path.losses[-1] < path.losses[0]


def test_history_and_callback_line_up():
    calls = []
    path = run_optimizer(bowl_gradient, [1.0, 1.0], GradientDescent(0.1), steps=5,
                         loss=lambda p: p[0] ** 2 + 3 * p[1] ** 2, callback=lambda x, i, g: calls.append((i, x, g)))
    assert [i for i, _, _ in calls] == [1, 2, 3, 4, 5]
    assert all(np.array_equal(x, path.points[i]) for i, x, _ in calls)
    assert all(np.array_equal(g, bowl_gradient(path.points[i])) for i, _, g in calls)
    assert path.losses == pytest.approx([p[0] ** 2 + 3 * p[1] ** 2 for p in path.points], abs=HAND_TOL)
    np.testing.assert_allclose(path.gradients, [bowl_gradient(p) for p in path.points], rtol=0, atol=HAND_TOL)
    assert path.gradient_norms == pytest.approx([np.linalg.norm(bowl_gradient(p)) for p in path.points])


def test_too_large_a_rate_diverges_in_two_dimensions():
    path = run_optimizer(bowl_gradient, [1.0, 1.0], GradientDescent(0.5), steps=200,
                         loss=lambda p: p[0] ** 2 + 3 * p[1] ** 2)
    assert path.status == "diverged"
    assert "too large" in path.message


def test_saddle_run_off_is_reported_as_no_minimum():
    surface = make_surface(parse2("x^2 - y^2"))
    path = run_optimizer(surface.gradient, [-1.8, 0.05], Momentum(0.05), steps=500, loss=surface.loss)
    assert path.status == "diverged"
    assert "no minimum" in path.message


# --------------------------------------------------------------------------- the registry


REGISTERED = list(OPTIMIZERS.values())


@pytest.mark.parametrize("cls", REGISTERED, ids=list(OPTIMIZERS))
def test_each_registered_optimizer_declares_itself_completely(cls):
    """Name, label, key, colour, docstring and controls: what the page reads, all declared by the class itself."""
    others = [other for other in REGISTERED if other is not cls]
    assert check_declaration(cls, others) is cls
    assert optimizer_class(cls.name) is cls
    controls = hyperparameters(cls)
    assert controls and controls[0].field == "learning_rate" and controls[0].kind is ControlKind.LOG
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    for control in controls:
        assert control.default == defaults[control.field], control
        assert control.label and control.help, control
    # The declared defaults build the optimizer the page starts with.
    assert make_optimizer(cls.name, [h.default for h in controls]) == cls()


@pytest.mark.parametrize("cls", REGISTERED, ids=list(OPTIMIZERS))
def test_each_registered_optimizer_descends_from_its_defaults(cls):
    """The lesson's default surface and start: every optimizer's default settings go downhill and stay finite."""
    surface = make_surface(parse2("x^2 + 10y^2"))
    path = run_optimizer(surface.gradient, [-2.5, 1.0], cls(), steps=200, loss=surface.loss)
    assert path.status in ("converged", "unfinished", "oscillating")
    assert np.all(np.isfinite(path.points)) and path.losses[-1] < path.losses[0]


def test_registry_names_keys_and_colours_are_distinct():
    for attribute in ("name", "key", "color"):
        values = [getattr(cls, attribute) for cls in REGISTERED]
        assert len(set(values)) == len(values), attribute
    assert list(OPTIMIZERS) == [cls.name for cls in REGISTERED]


def test_an_unknown_optimizer_is_an_error_not_a_default():
    with pytest.raises(OptimizationError, match="Unknown optimizer 'Lion'.*GD"):
        optimizer_class("Lion")
    with pytest.raises(OptimizationError, match="Unknown optimizer"):
        make_optimizer("adam", (0.1, 0.9, 0.999))
    with pytest.raises(OptimizationError, match="takes 3 settings, not 1"):
        make_optimizer("Adam", (0.1,))


def test_make_optimizer_sets_the_hyperparameters_by_name():
    assert make_optimizer("Adam", (0.02, 0.8, 0.99)) == Adam(0.02, beta1=0.8, beta2=0.99)
    assert make_optimizer("RMSProp", (0.001, 0.95)) == RMSProp(0.001, decay=0.95)
    assert make_optimizer("Nesterov", (0.1, 0.5)) == Nesterov(0.1, 0.5) != Momentum(0.1, 0.5)


@dataclasses.dataclass(frozen=True)
class _Unnamed(Momentum):
    """A subclass that forgot to declare its own name, key and colour."""

    def gradient(self, x, g, grad, velocity):
        return g


@dataclasses.dataclass(frozen=True)
class _NoDocstring:
    name, label, key, color = "Bare", "Bare", "bare", "#000000"
    learning_rate: float = rate(0.1)

    def start(self, dim):
        return ()

    def step(self, x, g, grad, state, t):
        return x - self.learning_rate * g, state


@dataclasses.dataclass(frozen=True)
class _Clash(GradientDescent):
    """Takes GD's colour."""

    name, label, key, color = "Clash", "Clash", "clash", GradientDescent.color


@dataclasses.dataclass(frozen=True)
class _BadColour(GradientDescent):
    """Names its colour instead of writing it."""

    name, label, key, color = "Bad", "Bad", "bad", "red"


@dataclasses.dataclass
class _Mutable:
    """Not frozen."""

    name, label, key, color = "Mutable", "Mutable", "mutable", "#123456"
    learning_rate: float = rate(0.1)

    def start(self, dim):
        return ()

    def step(self, x, g, grad, state, t):
        return x - self.learning_rate * g, state


@pytest.mark.parametrize(("cls", "match"), [(_Unnamed, "own name"), (_NoDocstring, "docstring"),
                                            (_Clash, "share the color"), (_BadColour, "#rrggbb"),
                                            (_Mutable, "frozen")])
def test_an_incomplete_declaration_is_refused(cls, match):
    with pytest.raises((TypeError, ValueError), match=match):
        check_declaration(cls, REGISTERED)


@pytest.mark.parametrize("build", [
    lambda: hyperparameter(2.0, "lr", "η", ControlKind.LOG, range=(-4, 0)),
    lambda: hyperparameter(1.0, "beta", "β", ControlKind.LINEAR, range=(0.0, 0.99), step=0.01),
    lambda: hyperparameter(0.5, "beta", "β", ControlKind.LINEAR, range=(0.0, 0.99)),
    lambda: hyperparameter(0.5, "b2", "β₂", ControlKind.CHOICE, options=(0.9, 0.99)),
    lambda: hyperparameter(0.5, "B-2", "β₂", ControlKind.CHOICE, options=(0.5,)),
    lambda: hyperparameter(0.5, "b2", "β₂", "dial", options=(0.5,)),
    lambda: hyperparameter(0.5, "lr", "η", ControlKind.LOG),
    lambda: hyperparameter(0.5, "b2", "β₂", ControlKind.CHOICE),
])
def test_a_control_whose_default_does_not_fit_is_refused(build):
    with pytest.raises(ValueError):
        build()


def test_every_kind_of_control_can_be_checked():
    assert set(optimizers._FITS) == set(ControlKind)


def test_hyperparameters_follow_the_field_order():
    assert [h.field for h in hyperparameters(Adam)] == ["learning_rate", "beta1", "beta2"]
    assert [h.suffix for h in hyperparameters(Adam(0.01))] == ["lr", "b1", "b2"]
    assert hyperparameters(Nesterov) == hyperparameters(Momentum)
    assert isinstance(hyperparameters(GradientDescent)[0], Hyperparameter)


# --------------------------------------------------------------------------- gradient descent in 1-D


def test_one_variable_descent_halves_x_on_a_parabola():
    path = gradient_descent(lambda x: 2 * x, 1.0, learning_rate=0.25, steps=4)
    assert path.points[:, 0].tolist() == pytest.approx([1, 0.5, 0.25, 0.125, 0.0625], abs=HAND_TOL)


def test_one_variable_momentum_by_hand():
    # v1 = 2, x1 = 1 - 0.1·2 = 0.8; v2 = 0.5·2 + 1.6 = 2.6, x2 = 0.8 - 0.26 = 0.54.
    path = gradient_descent(lambda x: 2 * x, 1.0, learning_rate=0.1, steps=2, momentum=0.5)
    assert path.points[:, 0].tolist() == pytest.approx([1, 0.8, 0.54], abs=HAND_TOL)


@pytest.mark.parametrize(("rate", "status"), [(0.1, "converged"), (1.0, "oscillating"), (1.05, "diverged"),
                                              (1.5, "diverged")])
def test_one_variable_status_on_a_parabola(rate, status):
    path = gradient_descent(lambda x: 2 * x, 1.5, learning_rate=rate, steps=200, f=lambda x: x * x)
    assert path.status == status


def test_course_example_descends_to_the_local_minimum():
    expr = parse("x^3 - 2x^2 + 1")
    derivative = to_function(sympy.diff(expr, x_sym))
    path = gradient_descent(derivative, 2.0, learning_rate=0.1, steps=100, f=to_function(expr))
    assert path.status == "converged"
    assert path.points[-1, 0] == pytest.approx(4 / 3, abs=1e-6)


def test_descent_path_compiles_the_typed_function():
    path = descent_path(parse("x^3 - 2x^2 + 1"), 2.0, learning_rate=0.1, steps=3)
    f = lambda t: t ** 3 - 2 * t ** 2 + 1  # noqa: E731
    xs = [2.0]
    for _ in range(3):
        xs.append(xs[-1] - 0.1 * (3 * xs[-1] ** 2 - 4 * xs[-1]))
    np.testing.assert_allclose(path.points[:, 0], xs, rtol=0, atol=HAND_TOL)
    np.testing.assert_allclose(path.losses, [f(t) for t in xs], rtol=0, atol=HAND_TOL)


def test_descent_on_log_leaves_the_domain():
    # f'(x) = 1/x is also defined for x < 0, where log is not: the run must stop at the edge.
    path = gradient_descent(lambda x: 1 / x, 1.0, learning_rate=0.1, steps=50, f=to_function(parse("log(x)")))
    assert path.status == "left_domain"
    assert np.all(path.points > 0)
    assert "left the domain" in path.message


def test_start_outside_the_domain_is_refused():
    with pytest.raises(OptimizationError, match="starting point"):
        gradient_descent(lambda x: 1 / x, -1.0, f=to_function(parse("log(x)")))


@pytest.mark.parametrize("build", [lambda: GradientDescent(0), lambda: GradientDescent(float("nan")),
                                   lambda: Momentum(0.1, 1.0), lambda: Adam(0.1, beta2=-0.1),
                                   lambda: RMSProp(-1)])
def test_bad_settings_are_refused(build):
    with pytest.raises(OptimizationError):
        build()


def test_bad_steps_and_starts_are_refused():
    with pytest.raises(OptimizationError, match="steps"):
        run_optimizer(bowl_gradient, [1.0, 1.0], GradientDescent(), steps=0)
    with pytest.raises(OptimizationError, match="finite"):
        run_optimizer(bowl_gradient, [float("inf"), 1.0], GradientDescent())


# --------------------------------------------------------------------------- bounded derivatives, statuses, task


DERIVATIVE_TOL = 1e-5  # central differences against the exact derivative, relative to 1 + |f'|


def test_nesterov_is_momentum_with_a_look_ahead_gradient():
    grad = lambda p: 2 * p  # noqa: E731
    x, v = np.array([1.0]), np.array([0.5])
    momentum, nesterov = Momentum(0.1, 0.9), Nesterov(0.1, 0.9)
    assert isinstance(nesterov, Momentum) and momentum != nesterov
    # Momentum takes ∇f at x; Nesterov at x − ηβv = 1 − 0.045 = 0.955.
    assert momentum.step(x, grad(x), grad, (v,), 1)[1][0] == pytest.approx([0.9 * 0.5 + 2.0], abs=HAND_TOL)
    assert nesterov.step(x, grad(x), grad, (v,), 1)[1][0] == pytest.approx([0.9 * 0.5 + 2 * 0.955], abs=HAND_TOL)


def test_statuses_are_one_enum_with_words_for_the_table():
    assert {s.value for s in Status} == {"converged", "oscillating", "diverged", "left_domain", "unfinished"}
    assert Status.LEFT_DOMAIN.words == "left the domain" and Status.UNFINISHED.words == "not finished"
    path = gradient_descent(lambda x: 2 * x, 1.0, learning_rate=0.25, steps=100)
    assert path.status is Status.CONVERGED and path.status == "converged"


def test_derivative_formulas_past_the_cap_give_way_to_central_differences(monkeypatch):
    """The cap on compiled formulas, exercised: the same f with a cap it fits and one it does not."""
    expr = parse("x^x^x^x")
    exact = compile_derivatives(expr, ("x",))
    assert exact.exact and exact.formulas.gradient is not None
    monkeypatch.setattr(derivatives, "MAX_COMPILE_NODES", 20)
    numeric = compile_derivatives(expr, ("x",))
    assert numeric.formulas.gradient is None and numeric.formulas.hessian is None
    assert numeric.formulas.reason == derivatives.TOO_LARGE
    xs = np.linspace(0.5, 1.5, 11)
    for got, want in ((numeric.gradient[0], exact.gradient[0]), (numeric.hessian[0][0], exact.hessian[0][0])):
        assert np.all(np.abs(got(xs) - want(xs)) <= 1e3 * DERIVATIVE_TOL * (1 + np.abs(want(xs))))


def test_first_derivative_kept_when_only_the_hessian_is_too_large(monkeypatch):
    expr = parse2("x^2 y^3 + sin(x y)")
    full = derivatives.symbolic_derivatives(expr, ("x", "y"))
    gradient_nodes = derivatives._size(full.gradient) + derivatives._size((expr,))
    monkeypatch.setattr(derivatives, "MAX_COMPILE_NODES", gradient_nodes)
    kept = derivatives.symbolic_derivatives(expr, ("x", "y"))
    assert kept.gradient == full.gradient and kept.hessian is None


def test_central_second_partials_match_the_exact_hessian():
    expr = parse2("x^2 y^3 + sin(x y)")
    exact = make_surface(expr)
    f = to_function(expr, ("x", "y"))
    for p in ([0.3, -0.7], [1.1, 0.4], [-2.0, 1.5]):
        numeric = np.array([[derivatives.central_second_partial(f, i, j)(*p) for j in range(2)] for i in range(2)])
        assert numeric == pytest.approx(exact.hessian(np.array(p)), rel=1e3 * DERIVATIVE_TOL, abs=1e3 * DERIVATIVE_TOL)


def test_the_largest_towers_the_parser_admits_are_analysed_within_the_budget():
    """Eight towers of height four (the parser's limit) summed: the worker's budget, then numbers."""
    text = "+".join(f"(x+{k}/10)^(x+{k}/10)^(x+{k}/10)^(x+{k}/10)" for k in range(1, 9))
    analysis = analyze_critical_points(parse(text), window=(0.05, 0.2), method="numeric", timeout=0.5)
    assert analysis.found_by == "numeric"
    surface = make_surface(parse2(text.replace("x", "y").replace("(y+1/10)", "(x+1/10)")), timeout=0.5)
    assert np.all(np.isfinite(surface.gradient(np.array([0.1, 0.1]))))


def test_the_task_verdicts_on_log():
    analysis = analyze_critical_points(parse("log(x)"))
    assert extremum_verdict("Neither", analysis).ok
    assert extremum_verdict("neither", analysis).message.startswith("Right. f′(x) = 1/x is never zero")
    for answer, words in (("it has a maximum", "No maximum"), ("minimum", "No minimum"), ("both", "Not both")):
        verdict = extremum_verdict(answer, analysis)
        assert not verdict.ok and verdict.message.startswith(words)
    with pytest.raises(OptimizationError, match="Answer in words"):
        extremum_verdict("banana", analysis)


def test_package_docstring_examples_hold():
    import doctest
    import importlib

    for name in ("answers", "common", "derivatives", "descent", "one_variable", "optimizers", "presets", "surface",
                 "two_variables"):
        assert doctest.testmod(importlib.import_module(f"calc_core.optimization.{name}")).failed == 0, name


# The costliest small functions found: towers of height four (the parser's limit) over sums, products and sigmoids.
SMALL_WORST = ["(x+1/10)^(x+2/10)^(x+3/10)^(x+4/10)", "sin(x)^cos(x)^tan(x)^exp(x)", "x^y^x^y + y^x^y^x",
               "(x+y)^(x-y)^(x*y)^(x/y)", "sin(x)^cos(y)^tan(x)^exp(y)*log(x)"]


@pytest.mark.parametrize("text", SMALL_WORST)
def test_small_functions_are_differentiated_in_process_under_the_inline_cap(text, monkeypatch):
    """The inline cap, exercised on its worst cases: no worker is started, and both orders come back as formulas."""
    expr = parse2(text)
    assert derivatives._size((expr,)) <= derivatives.INLINE_DERIVATIVE_NODES

    def no_worker(*args, **kwargs):
        raise AssertionError("a small function must not need a worker")

    monkeypatch.setattr(derivatives, "run_with_budget", no_worker)
    found = derivatives.bounded_derivatives(expr, ("x", "y"))
    assert found.gradient is not None and found.hessian is not None


def test_larger_functions_go_to_the_worker(monkeypatch):
    expr = parse("+".join(f"(x+{k}/10)^(x+{k}/10)^(x+{k}/10)^(x+{k}/10)" for k in range(1, 3)))
    assert derivatives._size((expr,)) > derivatives.INLINE_DERIVATIVE_NODES
    calls = []
    real = derivatives.run_with_budget

    def recorded(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(derivatives, "run_with_budget", recorded)
    derivatives.bounded_derivatives(expr, ("x",), timeout=60)
    assert calls == [derivatives.symbolic_derivatives]
