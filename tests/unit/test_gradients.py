"""calc_core.gradients against central differences, the course's printed figures, and geometry."""

import math
import warnings

import numpy as np
import pytest
import sympy as sp

from calc_core.expressions import parse_expression, to_function
from calc_core.gradients import (
    GradientError,
    course_bearing_deg,
    directional_scan,
    exceeds_nodes,
    formula_latex,
    gradient,
    gradient_at,
    gradient_direction,
    gradient_field,
    gradient_formula,
    level_curve,
    level_lines,
    sample_grid,
    symbolic,
)
from calc_core.gradients import central_difference_gradient as gradient_by_differences
from calc_core.limits import MAX_COMPILE_NODES, MAX_LATEX_CHARS, MAX_POWER_TOWER

x, y, z, a = sp.symbols("x y z a")

FD_STEP = 1e-5
FD_RTOL = 1e-6  # central differences with h = 1e-5 on smooth functions of size O(1..100)
FD_ATOL = 1e-6
COURSE_RTOL = 1e-9  # the course printed 16 significant digits; we agree to rounding
ANGLE_RES_DEG = 0.1

COURSE_GRADIENT = (3.987419245872443, 27.002750276227097)
COURSE_BEARING_DEG = 8.4

EXPRESSIONS = [
    x**2 + y**3,
    x**2 + y**2,
    x**2 - y**2,
    sp.sin(x) * sp.cos(y),
    (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    sp.exp(-(x**2 + y**2) / 2),
    sp.log(1 + x**2 + y**2),
    x * y / (1 + x**2 + y**2),
    sp.sqrt(4 + x**2 + y**4),
    sp.atan(x - 2 * y) + sp.tanh(x * y),
    3 * x - 5 * y + 7,
    sp.Integer(4),
]
POINTS = [(0.0, 0.0), (2.0, 3.0), (-1.5, 0.5), (0.3, -2.2), (1.0, 1.0), (-0.7, -0.9)]


def numeric(expr, variables=(x, y)):
    return to_function(expr, [str(v) for v in variables])


def central_difference_gradient(f, point, h=FD_STEP):
    p = np.asarray(point, dtype=float)
    out = []
    for j in range(p.size):
        e = np.zeros_like(p)
        e[j] = h
        out.append((float(f(*(p + e))) - float(f(*(p - e)))) / (2 * h))
    return np.array(out)


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=str)
def test_gradient_matches_central_differences(expr):
    f = numeric(expr)
    components = [numeric(g) for g in gradient(expr)]
    for point in POINTS:
        symbolic = np.array([float(g(*point)) for g in components])
        np.testing.assert_allclose(symbolic, central_difference_gradient(f, point), rtol=FD_RTOL, atol=FD_ATOL)


def test_gradient_of_course_example_is_2x_3y2():
    assert gradient(x**2 + y**3) == (2 * x, 3 * y**2)


def test_gradient_of_abs_is_sign_not_complex_parts():
    gx, gy = gradient(sp.Abs(x) * y)
    assert gx == y * sp.sign(x) and gy == sp.Abs(x)


def test_gradient_in_three_variables_treats_other_symbols_as_constants():
    expr = a * x * y * z + sp.sin(a * z)
    gx, gy, gz = gradient(expr, ("x", "y", "z"))
    assert (gx, gy) == (a * y * z, a * x * z)
    assert sp.simplify(gz - (a * x * y + a * sp.cos(a * z))) == 0
    point = (0.4, -1.2, 2.5)
    f = numeric(expr.subs(a, 1.7), (x, y, z))
    reference = central_difference_gradient(f, point)
    values = [float(numeric(g.subs(a, 1.7), (x, y, z))(*point)) for g in (gx, gy, gz)]
    np.testing.assert_allclose(values, reference, rtol=FD_RTOL, atol=FD_ATOL)


@pytest.mark.parametrize("variables", [(), ("x", "x")])
def test_gradient_rejects_bad_variable_lists(variables):
    with pytest.raises(GradientError):
        gradient(x + y, variables)


def test_directional_scan_reproduces_course_figures():
    scan = directional_scan(lambda u, v: u**2 + v**3, (2, 3), step=1e-4)
    np.testing.assert_allclose(scan.gradient_estimate, COURSE_GRADIENT, rtol=COURSE_RTOL)
    assert course_bearing_deg(scan.best_angle_deg) == pytest.approx(COURSE_BEARING_DEG)
    assert scan.best_angle_deg == pytest.approx(90 - COURSE_BEARING_DEG)
    assert scan.best_rate == pytest.approx(math.hypot(*COURSE_GRADIENT), rel=COURSE_RTOL)
    assert scan.angles_deg.shape == (3600,)
    assert scan.angles_deg[0] == 0 and scan.angles_deg[-1] == pytest.approx(359.9)


def test_directional_scan_matches_course_convention_rate_by_rate():
    """Rate at angle θ from +x equals the rate the course measures at bearing 90° − θ from +y."""
    def f(u, v):
        return u**2 + v**3

    scan = directional_scan(f, (2, 3), step=1e-4)
    for index in range(0, 3600, 97):
        bearing = math.radians(course_bearing_deg(scan.angles_deg[index]))
        du, dv = math.sin(bearing) * 1e-4, math.cos(bearing) * 1e-4
        reference = (f(2 + du, 3 + dv) - f(2, 3)) / 1e-4
        assert scan.rates[index] == pytest.approx(reference, rel=1e-7, abs=1e-6)


def test_directional_scan_calls_f_vectorised_not_per_angle():
    calls = []

    def f(u, v):
        calls.append(np.shape(u))
        return u**2 + v**3

    directional_scan(f, (2, 3))
    assert len(calls) == 2
    assert (3600,) in calls


@pytest.mark.parametrize("expr", EXPRESSIONS[:10], ids=str)
def test_directional_rates_follow_gradient_dot_direction(expr):
    """Each rate is ∇f·u up to O(step); the best rate is |∇f| up to the angular resolution."""
    step = 1e-7
    point = (0.3, -0.8)
    scan = directional_scan(numeric(expr), point, step=step)
    g = np.array([float(numeric(c)(*point)) for c in gradient(expr)])
    theta = np.deg2rad(scan.angles_deg)
    expected = g[0] * np.cos(theta) + g[1] * np.sin(theta)
    np.testing.assert_allclose(scan.rates, expected, atol=1e-4 * max(1.0, np.abs(g).max()))
    norm = np.linalg.norm(g)
    assert scan.best_rate == pytest.approx(norm, rel=1e-5, abs=1e-4)
    if norm > 1e-3:
        direction = math.degrees(math.atan2(g[1], g[0])) % 360
        gap = abs((scan.best_angle_deg - direction + 180) % 360 - 180)
        assert gap <= ANGLE_RES_DEG


def test_task_gradient_of_x2_plus_y2_at_1_1():
    scan = directional_scan(lambda u, v: u**2 + v**2, (1, 1))
    assert scan.best_angle_deg == pytest.approx(45.0)
    np.testing.assert_allclose(scan.gradient_estimate, (2.0, 2.0), rtol=1e-3)
    assert tuple(g.subs({x: 1, y: 1}) for g in gradient(x**2 + y**2)) == (2, 2)


def test_directional_scan_with_custom_angles_and_ties():
    scan = directional_scan(lambda u, v: 3 * u + 4 * v, (0, 0), angles_deg=[0, 90, 180, 270])
    np.testing.assert_allclose(scan.rates, [3, 4, -3, -4], atol=1e-9)
    assert scan.best_angle_deg == 90
    flat = directional_scan(lambda u, v: 0 * u + 5.0, (1, 1), angles_deg=[10, 20, 30])
    assert flat.best_angle_deg == 10 and flat.best_rate == 0


def test_directional_scan_result_is_read_only():
    scan = directional_scan(lambda u, v: u + v, (0, 0))
    with pytest.raises(ValueError):
        scan.rates[0] = 1.0
    with pytest.raises(AttributeError):
        scan.best_rate = 2.0


def test_directional_scan_is_nan_aware():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        undefined = directional_scan(numeric(sp.log(x)), (0, 1))
        half = directional_scan(numeric(sp.sqrt(x)), (0, 0), step=1e-4)
    assert not undefined.is_defined
    assert math.isnan(undefined.best_angle_deg) and all(map(math.isnan, undefined.gradient_estimate))
    assert half.is_defined
    defined = np.isfinite(half.rates)
    assert defined.any() and not defined.all()
    assert half.best_angle_deg == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"point": (1,)},
        {"point": ("a", "b")},
        {"point": (math.inf, 0)},
        {"point": (0, 0), "step": 0},
        {"point": (0, 0), "step": -1e-4},
        {"point": (0, 0), "angles_deg": []},
        {"point": (0, 0), "angles_deg": [math.nan]},
    ],
)
def test_directional_scan_rejects_bad_input(kwargs):
    with pytest.raises(GradientError):
        directional_scan(lambda u, v: u + v, **kwargs)


@pytest.mark.parametrize("angle,bearing", [(90, 0), (0, 90), (81.6, 8.4), (180, 270), (270, 180), (100, 350)])
def test_course_bearing_conversion(angle, bearing):
    assert course_bearing_deg(angle) == pytest.approx(bearing)


def test_sample_grid_values_and_nan_where_undefined():
    grid = sample_grid(numeric(x**2 + y**3), (-1, 2), (0, 3), n=7)
    assert grid.x.shape == grid.y.shape == grid.z.shape == (7, 7)
    np.testing.assert_allclose(grid.z, grid.x**2 + grid.y**3)
    assert grid.x[0, -1] == 2 and grid.y[-1, 0] == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        logs = sample_grid(numeric(sp.log(x * y)), (-1, 1), (0.5, 1), n=5)
    assert np.isnan(logs.z[:, :3]).all() and np.isfinite(logs.z[:, 3:]).all()
    assert logs.defined_fraction == pytest.approx(2 / 5)


@pytest.mark.parametrize(
    "x_range,y_range,n", [((1, 1), (0, 1), 5), ((0, 1), (2, 1), 5), ((0, math.nan), (0, 1), 5), ((0, 1), (0, 1), 1)]
)
def test_grids_reject_bad_ranges(x_range, y_range, n):
    with pytest.raises(GradientError):
        sample_grid(lambda u, v: u, x_range, y_range, n)


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=str)
def test_gradient_field_matches_central_differences(expr):
    f = numeric(expr)
    field = gradient_field([numeric(g) for g in gradient(expr)], (-2, 2), (-1, 3), n=6)
    assert field.u.shape == (6, 6)
    for i, j in [(0, 0), (2, 3), (5, 1), (4, 5)]:
        point = (field.x[i, j], field.y[i, j])
        reference = central_difference_gradient(f, point)
        np.testing.assert_allclose((field.u[i, j], field.v[i, j]), reference, rtol=FD_RTOL, atol=1e-4)
    np.testing.assert_allclose(field.magnitude, np.hypot(field.u, field.v))


def test_gradient_field_is_the_true_field_not_the_courses_2x_2y():
    """For x² + y³ the field's y-component is 3y², not the course quiver's 2y."""
    field = gradient_field((numeric(2 * x), numeric(3 * y**2)), (-10, 10), (-10, 10), n=20)
    np.testing.assert_allclose(field.v, 3 * field.y**2)
    assert not np.allclose(field.v, 2 * field.y)


def test_gradient_field_is_blank_where_f_is_undefined():
    """log(xy) has no value for xy < 0, although the formula (1/x, 1/y) does."""
    f = numeric(sp.log(x * y))
    components = [numeric(g) for g in gradient(sp.log(x * y))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        field = gradient_field(components, (-2, 2), (-2, 2), n=8, f=f)
    outside = field.x * field.y < 0
    assert np.isnan(field.u[outside]).all() and np.isnan(field.magnitude[outside]).all()
    np.testing.assert_allclose(field.u[~outside], 1 / field.x[~outside])
    unmasked = gradient_field(components, (-2, 2), (-2, 2), n=8)
    assert np.isfinite(unmasked.u[outside]).all()


def test_gradient_at_a_point_matches_central_differences_and_respects_the_domain():
    for expr in EXPRESSIONS:
        components = [numeric(g) for g in gradient(expr)]
        for point in POINTS:
            np.testing.assert_allclose(gradient_at(components, point, f=numeric(expr)),
                                       central_difference_gradient(numeric(expr), point), rtol=FD_RTOL, atol=FD_ATOL)
    components = [numeric(g) for g in gradient(sp.log(x * y))]
    assert all(map(math.isnan, gradient_at(components, (-1, 1), f=numeric(sp.log(x * y)))))
    assert gradient_at(components, (-1, 1)) == (-1.0, 1.0)
    gx, gy = gradient_at([numeric(1 / x), numeric(y)], (0, 1))
    assert math.isnan(gx) and gy == 1.0


def test_gradient_field_needs_two_components():
    with pytest.raises(GradientError):
        gradient_field((numeric(2 * x),), (0, 1), (0, 1))


def test_level_curve_of_paraboloid_is_the_circle_through_the_point():
    f = numeric(x**2 + y**2)
    curve = level_curve(f, (1, 1), (-2, 2), (-2, 2), n=201)
    assert curve.level == pytest.approx(2.0)
    assert len(curve.lines) == 1
    vertices = curve.lines[0]
    np.testing.assert_allclose(np.hypot(vertices[:, 0], vertices[:, 1]), math.sqrt(2), atol=1e-3)


@pytest.mark.parametrize("expr", [x**2 + y**3, sp.sin(x) * sp.cos(y), x * y / (1 + x**2 + y**2)], ids=str)
def test_level_curve_is_perpendicular_to_gradient(expr):
    point = (0.6, 0.4)
    f = numeric(expr)
    curve = level_curve(f, point, (-1.5, 2.5), (-1.5, 2.5), n=301)
    vertices = np.concatenate(curve.lines)
    np.testing.assert_allclose(f(vertices[:, 0], vertices[:, 1]), curve.level, atol=1e-3)
    line = min(curve.lines, key=lambda v: np.min(np.hypot(*(v - point).T)))
    k = int(np.argmin(np.hypot(*(line - point).T)))
    assert np.hypot(*(line[k] - point)) < 0.05
    tangent = line[min(k + 2, len(line) - 1)] - line[max(k - 2, 0)]
    g = np.array([float(numeric(c)(*point)) for c in gradient(expr)])
    cosine = abs(tangent @ g) / (np.linalg.norm(tangent) * np.linalg.norm(g))
    assert cosine < 0.02


def test_level_curve_through_a_saddle_point_crosses_itself():
    curve = level_curve(numeric(x**2 - y**2), (0, 0), (-1, 1), (-1, 1), n=101)
    vertices = np.concatenate(curve.lines)
    np.testing.assert_allclose(np.abs(vertices[:, 0]), np.abs(vertices[:, 1]), atol=1e-9)


def test_level_curve_at_an_undefined_point_is_empty():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curve = level_curve(numeric(sp.log(x)), (-1, 0), (-2, 2), (-2, 2))
    assert math.isnan(curve.level) and curve.lines == ()


def test_level_curve_skips_where_f_is_undefined():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curve = level_curve(numeric(sp.log(x) + y), (1, 0), (-2, 3), (-2, 2), n=101)
    vertices = np.concatenate(curve.lines)
    assert (vertices[:, 0] > 0).all()
    np.testing.assert_allclose(np.log(vertices[:, 0]) + vertices[:, 1], 0, atol=2e-2)


# --- the formula as a page shows it, the numeric fallback, and the gradient's direction ----------------------------


def test_gradient_formula_holds_the_gradient_and_its_latex():
    formula = gradient_formula(x**2 + y**3)
    assert formula.components == (2 * x, 3 * y**2)
    assert formula.latex == r"2 x,\ 3 y^{2}"


def test_gradient_formula_too_large_to_compile_has_no_components(monkeypatch):
    monkeypatch.setattr(symbolic, "MAX_COMPILE_NODES", 10)
    formula = gradient_formula(sp.sin(x * y) ** 5 + sp.exp(x**2 * y))
    assert formula.components is None and formula.latex == ""


def test_gradient_formula_too_long_to_print_keeps_its_components(monkeypatch):
    monkeypatch.setattr(symbolic, "MAX_LATEX_CHARS", 12)
    formula = gradient_formula(sp.sin(x * y) ** 5)
    assert formula.components == gradient(sp.sin(x * y) ** 5)
    assert formula.latex == ""


def test_gradient_formula_of_the_tallest_tower_the_parser_admits_stays_within_the_caps():
    expr = parse_expression("^".join(["x", "y"] * (MAX_POWER_TOWER // 2)) + "^x", ("x", "y"))
    formula = gradient_formula(expr)
    assert not exceeds_nodes(formula.components, MAX_COMPILE_NODES)
    assert len(formula.latex) <= MAX_LATEX_CHARS


def test_formula_latex_refuses_long_formulas_and_huge_integers():
    assert formula_latex(x**2) == "x^{2}"
    assert formula_latex(sp.Add(*(sp.Symbol(f"a{i}") for i in range(50))), max_chars=40) == ""
    assert formula_latex(sp.Integer(10) ** 5000 * x) == ""


def test_exceeds_nodes_counts_every_tree_together():
    assert not exceeds_nodes([x + y], 3)  # Add, x, y
    assert exceeds_nodes([x + y, x], 3)


@pytest.mark.parametrize("expr", [x**2 + y**3, sp.sin(x) * sp.cos(y), sp.exp(-(x**2 + y**2) / 4), sp.log(x * y)])
def test_central_difference_gradient_matches_the_symbolic_one(expr):
    gx, gy = gradient_by_differences(numeric(expr))
    px, py = np.array([0.5, 1.3, 2.0]), np.array([0.7, 1.1, 3.0])
    want = [to_function(g, ("x", "y"))(px, py) for g in gradient(expr)]
    np.testing.assert_allclose(gx(px, py), want[0], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(gy(px, py), want[1], rtol=1e-6, atol=1e-6)


def test_central_difference_gradient_is_nan_where_f_is_undefined():
    gx, gy = gradient_by_differences(numeric(sp.log(x) + y))
    assert math.isnan(gx(-1.0, 0.0)) and math.isnan(gy(-1.0, 0.0))


def test_level_lines_on_a_sampled_grid_are_the_level_curve():
    f = numeric(x**2 + y**3)
    curve = level_curve(f, (1.0, 0.5), (-2, 2), (-2, 2), n=120)
    lines = level_lines(sample_grid(f, (-2, 2), (-2, 2), 120), curve.level)
    assert len(lines) == len(curve.lines)
    for a, b in zip(lines, curve.lines, strict=True):
        np.testing.assert_array_equal(a, b)
    assert level_lines(sample_grid(f, (-2, 2), (-2, 2), 20), float("nan")) == ()


def test_gradient_direction_gives_length_angle_and_the_course_bearing():
    d = gradient_direction((4.0, 27.0))
    assert d.norm == pytest.approx(math.hypot(4, 27))
    assert d.angle_deg == pytest.approx(math.degrees(math.atan2(27, 4)))
    assert d.bearing_deg == pytest.approx(course_bearing_deg(d.angle_deg))
    assert gradient_direction((0.0, -1.0)).angle_deg == pytest.approx(270.0)
    assert gradient_direction((0.0, -1.0)).bearing_deg == pytest.approx(180.0)


def test_gradient_direction_of_a_zero_or_undefined_gradient_has_no_angle():
    zero = gradient_direction((0.0, 0.0))
    assert zero.is_defined and zero.norm == 0 and math.isnan(zero.angle_deg) and math.isnan(zero.bearing_deg)
    undefined = gradient_direction((float("nan"), 1.0))
    assert not undefined.is_defined and math.isnan(undefined.angle_deg)


def test_scan_estimate_agrees_with_the_gradient_direction():
    scan = directional_scan(numeric(x**2 + y**3), (2, 3))
    d = gradient_direction(scan.gradient_estimate)
    assert d.angle_deg == pytest.approx(scan.best_angle_deg, abs=1e-9)
    assert d.norm == pytest.approx(scan.best_rate)
