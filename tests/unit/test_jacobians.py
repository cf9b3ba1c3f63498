"""calc_core.jacobians against hand-derived closed forms and central differences."""

import math
import warnings

import numpy as np
import pytest
import sympy as sp

from calc_core.expressions import parse_expression, to_function
from calc_core.gradients import symbolic
from calc_core.jacobians import (
    JacobianError,
    check_jacobian_answer,
    determinant_latex,
    jacobian,
    jacobian_at,
    jacobian_formula,
    jacobian_function,
    linear_map_picture,
    numeric_jacobian,
    parse_matrix,
    stack_components,
    summarize_jacobian,
)
from calc_core.jacobians import symbolic as jacobian_symbolic
from calc_core.limits import MAX_LATEX_CHARS, MAX_POWER_TOWER

x, y, z = sp.symbols("x y z")
p, q, r, s, t, u = sp.symbols("p q r s t u")

FD_RTOL = 1e-6  # central differences with h = 1e-6 on smooth O(1..10) functions
FD_ATOL = 1e-6
EXACT_ATOL = 1e-12


def vector_function(exprs, variables):
    """A numeric vector function of expressions built in this file (never user text)."""
    return stack_components([to_function(e, [str(v) for v in variables]) for e in exprs])


def sigmoid(w):
    return 1 / (1 + np.exp(-w))


W_LAYER = np.array([[0.5, -1.0], [2.0, 0.3], [-0.7, 1.2]])


def sigmoid_layer_jacobian(v):
    """d σ(W v) / d v = diag(σ(1 − σ)) W, written out by hand."""
    a = sigmoid(W_LAYER @ v)
    return (a * (1 - a))[:, None] * W_LAYER


# name: (number of inputs, f, exact Jacobian)
CLOSED_FORMS = {
    "course (2xy, x²y)": (
        2,
        lambda v: np.array([2 * v[0] * v[1], v[0] ** 2 * v[1]]),
        lambda v: np.array([[2 * v[1], 2 * v[0]], [2 * v[0] * v[1], v[0] ** 2]]),
    ),
    "polar to cartesian": (
        2,
        lambda v: np.array([v[0] * np.cos(v[1]), v[0] * np.sin(v[1])]),
        lambda v: np.array([[np.cos(v[1]), -v[0] * np.sin(v[1])], [np.sin(v[1]), v[0] * np.cos(v[1])]]),
    ),
    "spherical, 3 → 3": (
        3,
        lambda v: np.array(
            [v[0] * np.sin(v[1]) * np.cos(v[2]), v[0] * np.sin(v[1]) * np.sin(v[2]), v[0] * np.cos(v[1])]
        ),
        lambda v: np.array(
            [
                [np.sin(v[1]) * np.cos(v[2]), v[0] * np.cos(v[1]) * np.cos(v[2]), -v[0] * np.sin(v[1]) * np.sin(v[2])],
                [np.sin(v[1]) * np.sin(v[2]), v[0] * np.cos(v[1]) * np.sin(v[2]), v[0] * np.sin(v[1]) * np.cos(v[2])],
                [np.cos(v[1]), -v[0] * np.sin(v[1]), 0.0],
            ]
        ),
    ),
    "scalar field, 3 → 1": (
        3,
        lambda v: np.array([v[0] * v[1] ** 2 + np.exp(v[2])]),
        lambda v: np.array([[v[1] ** 2, 2 * v[0] * v[1], np.exp(v[2])]]),
    ),
    "curve, 1 → 3": (
        1,
        lambda v: np.array([np.cos(v[0]), np.sin(v[0]), v[0] ** 2]),
        lambda v: np.array([[-np.sin(v[0])], [np.cos(v[0])], [2 * v[0]]]),
    ),
    "sigmoid layer, 2 → 3": (2, lambda v: sigmoid(W_LAYER @ v), sigmoid_layer_jacobian),
}
POINTS = {1: [(0.3,), (-1.2,), (2.0,)], 2: [(1.0, 2.0), (-0.5, 0.7), (2.0, -1.5)], 3: [(1.0, 0.4, -2.0), (2.5, 1.1, 0.3)]}


@pytest.mark.parametrize("name", list(CLOSED_FORMS))
def test_numeric_jacobian_matches_closed_forms(name):
    n, f, exact = CLOSED_FORMS[name]
    for point in POINTS[n]:
        expected = exact(np.array(point))
        J = numeric_jacobian(f, point)
        assert J.shape == expected.shape
        np.testing.assert_allclose(J, expected, rtol=FD_RTOL, atol=FD_ATOL)


def test_rows_are_outputs_columns_are_inputs():
    J = numeric_jacobian(lambda v: np.array([v[0], 2 * v[1], 3 * v[0] + 4 * v[1]]), [0.0, 0.0])
    assert J.shape == (3, 2)
    np.testing.assert_allclose(J, [[1, 0], [0, 2], [3, 4]], atol=1e-9)


def test_numeric_jacobian_of_an_affine_map_is_its_matrix():
    A = np.array([[1.5, -2.0, 0.25], [0.0, 3.0, -1.0]])
    b = np.array([0.5, -4.0])
    J = numeric_jacobian(lambda v: A @ v + b, [0.7, -1.1, 2.3])
    np.testing.assert_allclose(J, A, atol=1e-8)


def test_numeric_jacobian_of_a_scalar_function_is_one_row():
    J = numeric_jacobian(lambda v: v[0] * v[1], [2.0, 3.0])
    np.testing.assert_allclose(J, [[3.0, 2.0]], rtol=FD_RTOL)


def test_jacobian_of_course_example():
    J = jacobian([2 * x * y, x**2 * y], ("x", "y"))
    assert J == sp.Matrix([[2 * y, 2 * x], [2 * x * y, x**2]])


VECTOR_FUNCTIONS = [
    ([2 * x * y, x**2 * y], (x, y)),
    ([x * sp.cos(y), x * sp.sin(y)], (x, y)),
    ([sp.exp(x) * sp.sin(y), sp.exp(x) * sp.cos(y), x * y], (x, y)),
    ([x * y * z, x**2 - z, sp.log(1 + y**2) + z], (x, y, z)),
    ([sp.sqrt(1 + x**2 + y**2 + z**2)], (x, y, z)),
    ([sp.sin(x), sp.cos(x), x**3, sp.atan(x)], (x,)),
    ([sp.tanh(x - y), (x + y) / (2 + sp.cos(x))], (x, y)),
]


@pytest.mark.parametrize("exprs,variables", VECTOR_FUNCTIONS, ids=lambda v: str(v))
def test_jacobian_matches_central_differences(exprs, variables):
    names = tuple(str(v) for v in variables)
    J = jacobian(exprs, names)
    assert J.shape == (len(exprs), len(variables))
    f = vector_function(exprs, variables)
    entries = [[to_function(J[i, j], names) for j in range(J.cols)] for i in range(J.rows)]
    for point in POINTS[len(variables)]:
        symbolic = np.array([[entry(*point) for entry in row] for row in entries])
        np.testing.assert_allclose(symbolic, numeric_jacobian(f, point), rtol=FD_RTOL, atol=FD_ATOL)


@pytest.mark.parametrize("exprs,variables", VECTOR_FUNCTIONS, ids=lambda v: str(v))
def test_jacobian_at_matches_central_differences(exprs, variables):
    f = vector_function(exprs, variables)
    for point in POINTS[len(variables)]:
        np.testing.assert_allclose(jacobian_at(exprs, [str(v) for v in variables], point),
                                   numeric_jacobian(f, point), rtol=FD_RTOL, atol=FD_ATOL)


def test_jacobian_at_is_nan_where_the_component_is_undefined():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = jacobian_at([sp.log(x), x * y], ("x", "y"), (-1.0, 2.0))
    assert np.isnan(J[0]).all()
    np.testing.assert_allclose(J[1], [2.0, -1.0])
    with pytest.raises(JacobianError):
        jacobian_at([x], ("x", "y"), (1.0,))


def test_jacobian_of_course_task_relates_to_sigmoid_derivative():
    """Each entry of the task's Jacobian is a weight times σ(1 − σ) of its own output."""
    outputs = [(p, q), (r, s), (t, u)]
    exprs = [1 / (1 + sp.exp(-(w1 * x + w2 * y))) for w1, w2 in outputs]
    J = jacobian(exprs, ("x", "y"))
    assert J.shape == (3, 2)
    for i, (w1, w2) in enumerate(outputs):
        sigma = exprs[i]
        assert sp.simplify(J[i, 0] - w1 * sigma * (1 - sigma)) == 0
        assert sp.simplify(J[i, 1] - w2 * sigma * (1 - sigma)) == 0
    values = {p: 0.5, q: -1.0, r: 2.0, s: 0.3, t: -0.7, u: 1.2}
    f = vector_function([e.subs(values) for e in exprs], (x, y))
    expected = sigmoid_layer_jacobian(np.array([0.4, -0.9]))
    np.testing.assert_allclose(numeric_jacobian(f, [0.4, -0.9]), expected, rtol=FD_RTOL)


def test_jacobian_of_abs_is_sign_not_complex_parts():
    assert jacobian([sp.Abs(x - y)], ("x", "y")) == sp.Matrix([[sp.sign(x - y), -sp.sign(x - y)]])


def test_jacobian_treats_other_symbols_as_constants():
    J = jacobian([p * x + q * y], ["x", "y"])
    assert J == sp.Matrix([[p, q]])


@pytest.mark.parametrize("exprs,variables", [([], ("x",)), ([x], ()), ([x], ("x", "x"))])
def test_jacobian_rejects_bad_input(exprs, variables):
    with pytest.raises(JacobianError):
        jacobian(exprs, variables)


@pytest.mark.parametrize("point,h", [([], 1e-6), ([math.nan, 0.0], 1e-6), ([0.0], 0.0), ([0.0], -1.0), (["a"], 1e-6)])
def test_numeric_jacobian_rejects_bad_input(point, h):
    with pytest.raises(JacobianError):
        numeric_jacobian(lambda v: v, point, h)


def test_numeric_jacobian_is_nan_where_undefined():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = numeric_jacobian(vector_function([sp.log(x), y / x, y], (x, y)), [0.0, 1.0])
    assert np.isnan(J[0]).all() and np.isnan(J[1]).all()
    np.testing.assert_allclose(J[2], [0.0, 1.0], atol=1e-9)
    summary = summarize_jacobian(J)
    assert not summary.is_defined and summary.rank is None and summary.determinant is None


def test_singular_jacobians_are_flagged():
    dependent = vector_function([x + y, 2 * x + 2 * y], (x, y))
    summary = summarize_jacobian(numeric_jacobian(dependent, [0.3, -0.4]))
    assert summary.is_singular and summary.rank == 1
    assert summary.determinant == pytest.approx(0.0, abs=1e-6)

    polar = CLOSED_FORMS["polar to cartesian"][1]
    at_origin = summarize_jacobian(numeric_jacobian(polar, [0.0, 1.0]))
    away = summarize_jacobian(numeric_jacobian(polar, [2.0, 1.0]))
    assert at_origin.is_singular and not away.is_singular
    assert away.determinant == pytest.approx(2.0, rel=FD_RTOL)

    course = CLOSED_FORMS["course (2xy, x²y)"][1]
    assert summarize_jacobian(numeric_jacobian(course, [0.0, 1.0])).is_singular
    assert summarize_jacobian(numeric_jacobian(course, [1.0, 2.0])).determinant == pytest.approx(-4.0, rel=1e-6)


def test_summary_of_exact_matrices():
    identity = summarize_jacobian(np.eye(3))
    assert identity.determinant == pytest.approx(1.0) and identity.rank == 3 and not identity.is_singular
    zero = summarize_jacobian(np.zeros((2, 2)))
    assert zero.rank == 0 and zero.is_singular
    wide = summarize_jacobian([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]])
    assert wide.determinant is None and wide.rank == 1 and not wide.is_full_rank and not wide.is_singular
    np.testing.assert_allclose(wide.singular_values, np.linalg.svd([[1, 2, 3], [2, 4, 6]], compute_uv=False))
    tall = summarize_jacobian([[1.0], [0.0], [2.0]])
    assert tall.is_full_rank and tall.shape == (3, 1)


def test_stack_components_broadcasts_constants_over_many_points():
    f = stack_components([lambda a, b: a * b, lambda a, b: 2.0])
    points = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    np.testing.assert_allclose(f(points), [[4.0, 10.0, 18.0], [2.0, 2.0, 2.0]])
    with pytest.raises(JacobianError):
        stack_components([])


def test_linear_map_picture_of_a_linear_map_is_exact():
    A = np.array([[2.0, 1.0], [-0.5, 1.5]])
    pic = linear_map_picture(lambda v: np.tensordot(A, v, axes=1), (1.0, -1.0), radius=0.7, lines=4, samples=9)
    assert pic.domain.shape == pic.image.shape == pic.linear.shape == (8, 9, 2)
    np.testing.assert_allclose(pic.image, pic.linear, atol=1e-8)
    np.testing.assert_allclose(pic.jacobian, A, atol=1e-8)
    assert pic.determinant == pytest.approx(np.linalg.det(A), rel=1e-8)
    assert pic.area_ratio == pytest.approx(np.linalg.det(A), rel=1e-8)


def test_linear_map_picture_grid_surrounds_the_point():
    pic = linear_map_picture(lambda v: v, (3.0, 4.0), radius=0.5, lines=3, samples=5)
    np.testing.assert_allclose(pic.domain[..., 0].min(), 2.5)
    np.testing.assert_allclose(pic.domain[..., 1].max(), 4.5)
    np.testing.assert_allclose(pic.domain[:3, :, 1], [[3.5] * 5, [4.0] * 5, [4.5] * 5])
    np.testing.assert_allclose(pic.domain[3:, :, 0], [[2.5] * 5, [3.0] * 5, [3.5] * 5])


def test_area_ratio_approaches_determinant_as_the_grid_shrinks():
    f = vector_function([2 * x * y, x**2 * y], (x, y))
    errors = []
    for radius in (0.4, 0.1, 0.025):
        pic = linear_map_picture(f, (1.0, 2.0), radius=radius, samples=41)
        assert pic.determinant == pytest.approx(-4.0, rel=1e-6)
        errors.append(abs(pic.area_ratio - pic.determinant))
    assert errors[0] > errors[1] > errors[2] and errors[2] < 1e-2
    distance = np.abs(pic.image - pic.linear).max()
    assert distance < 0.025**2 * 10


def test_linear_map_picture_is_nan_aware():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pic = linear_map_picture(vector_function([sp.sqrt(x), y], (x, y)), (0.2, 0.0), radius=0.5)
    assert np.isnan(pic.image).any() and np.isfinite(pic.image).any()
    assert math.isnan(pic.area_ratio)
    assert np.isfinite(pic.linear).all()


@pytest.mark.parametrize(
    "kwargs",
    [{"point": (0.0,)}, {"point": (0.0, 0.0), "radius": 0.0}, {"point": (0.0, 0.0), "lines": 1}],
)
def test_linear_map_picture_rejects_bad_input(kwargs):
    with pytest.raises(JacobianError):
        linear_map_picture(lambda v: v, **kwargs)


def test_linear_map_picture_needs_two_outputs():
    with pytest.raises(JacobianError):
        linear_map_picture(lambda v: np.stack([v[0], v[1], v[0]]), (0.0, 0.0))


def test_parse_matrix_reads_rows_in_both_notations():
    expected = ((2 * y, 2 * x), (2 * x * y, x**2))
    assert parse_matrix("2y, 2x; 2xy, x^2", ("x", "y")) == expected
    assert parse_matrix("[[2y, 2x], [2xy, x^2]]", ("x", "y")) == expected
    assert parse_matrix("[2*y, 2*x], [2*x*y, x**2]", ("x", "y")) == expected
    assert parse_matrix("x*y", ("x", "y")) == ((x * y,),)


def test_parse_matrix_keeps_commas_inside_function_calls_and_accepts_parameters():
    a1 = sp.Symbol("a1")
    rows = parse_matrix("p a1 (1 - a1), q a1 (1 - a1)", ("x", "y"), ("p", "q", "a1"))
    assert rows == ((p * a1 * (1 - a1), q * a1 * (1 - a1)),)
    assert parse_matrix("sigmoid(p x + q y), 1", ("x", "y"), ("p", "q"))[0][0] == 1 / (1 + sp.exp(-(p * x + q * y)))


@pytest.mark.parametrize(
    "text,message",
    [
        ("1, 2; 3", "same number of entries"),
        ("", "row by row"),
        (" ; ", "row by row"),
        ("1, , 2", "Row 1, column 2 is empty"),
        ("x, y^^2", "Row 1, column 2"),
        ("__import__('os').system('id')", "Row 1, column 1"),
        (";".join(["1, 2"] * 7), "at most 6"),
        ("w, 1", "Row 1, column 1"),
    ],
)
def test_parse_matrix_rejects_bad_text_with_a_position(text, message):
    with pytest.raises(JacobianError, match=message):
        parse_matrix(text, ("x", "y"))


# --- compiled once, formulas within the caps, and the task's entry-by-entry check -----------------------------------


@pytest.mark.parametrize(("exprs", "variables"), [
    ([2 * x * y, x**2 * y], ("x", "y")),
    ([x * sp.cos(y), x * sp.sin(y)], ("x", "y")),
    ([x * y * z, x + z, sp.exp(y)], ("x", "y", "z")),
    ([sp.log(x), y / x], ("x", "y")),
])
def test_compiled_jacobian_equals_jacobian_at(exprs, variables):
    J_at = jacobian_function(jacobian(exprs, variables), exprs, variables)
    for point in ([1.0, 2.0, 0.5][: len(variables)], [-1.0, 0.3, 2.0][: len(variables)]):
        np.testing.assert_array_equal(J_at(point), jacobian_at(exprs, variables, point))


def test_compiled_jacobian_takes_constants_after_the_inputs():
    exprs = [p * x + q * y, s * x * y]
    J_at = jacobian_function(jacobian(exprs, ("x", "y")), exprs, ("x", "y", "p", "q", "s"))
    np.testing.assert_allclose(J_at((2.0, 3.0, 1.5, -1.0, 0.5)), [[1.5, -1.0], [1.5, 1.0]])
    with pytest.raises(JacobianError):
        J_at((2.0, 3.0))


def test_stack_components_passes_constants_to_every_component():
    f = stack_components([to_function(p * x, ("x", "p")), to_function(x + p, ("x", "p"))], constants=(2.0,))
    np.testing.assert_allclose(f(np.array([3.0])), [6.0, 5.0])


def test_jacobian_formula_holds_the_matrix_and_the_latex_of_its_entries():
    formula = jacobian_formula([2 * x * y, x**2 * y], ("x", "y"))
    assert formula.matrix == sp.Matrix([[2 * y, 2 * x], [2 * x * y, x**2]])
    assert formula.entries == (("2 y", "2 x"), ("2 x y", "x^{2}"))
    assert formula.shape == (2, 2) and formula.is_square
    assert not jacobian_formula([x * y], ("x", "y")).is_square


def test_jacobian_formula_too_large_to_compile_has_no_matrix(monkeypatch):
    monkeypatch.setattr(jacobian_symbolic, "MAX_COMPILE_NODES", 10)
    formula = jacobian_formula([sp.sin(x * y) ** 5, sp.exp(x**2 * y)], ("x", "y"))
    assert formula.matrix is None and formula.entries == () and formula.shape == (2, 2)


def test_jacobian_of_the_tallest_towers_the_parser_admits_stays_within_the_caps():
    tall = MAX_POWER_TOWER // 2
    exprs = [parse_expression("^".join(["x", "y"] * tall), ("x", "y")),
             parse_expression("^".join(["y", "x"] * tall), ("x", "y"))]
    formula = jacobian_formula(exprs, ("x", "y"))
    assert formula.matrix is not None and formula.entries
    assert sum(len(entry) + 3 for row in formula.entries for entry in row) <= MAX_LATEX_CHARS + 3
    assert len(determinant_latex(formula.matrix)) <= MAX_LATEX_CHARS


def test_determinant_latex_simplifies_on_request():
    J = jacobian([x * sp.cos(y), x * sp.sin(y)], ("x", "y"))
    assert determinant_latex(J, simplify=True) == "x"
    assert r"\sin^{2}" in determinant_latex(J)
    assert determinant_latex(sp.Matrix([[2 * y, 2 * x], [2 * x * y, x**2]])) == "- 2 x^{2} y"


def test_determinant_latex_too_long_to_show_is_empty(monkeypatch):
    monkeypatch.setattr(symbolic, "MAX_LATEX_CHARS", 5)
    assert determinant_latex(sp.Matrix([[x * y, x], [y**3, sp.sin(x)]])) == ""


TASK_OUTPUTS = [
    1 / (1 + sp.exp(-(p * x + q * y))), 1 / (1 + sp.exp(-(r * x + s * y))), 1 / (1 + sp.exp(-(t * x + u * y)))]
TASK = dict(outputs=TASK_OUTPUTS, inputs=("x", "y"), constants=("p", "q", "r", "s", "t", "u"),
            shorthands=("a1", "a2", "a3"))
TASK_ANSWER = "p a1(1 - a1), q a1(1 - a1); r a2(1 - a2), s a2(1 - a2); t a3(1 - a3), u a3(1 - a3)"


def test_jacobian_answer_with_shorthands_is_correct():
    verdict = check_jacobian_answer(TASK_ANSWER, **TASK)
    assert verdict.ok and "entry by entry" in verdict.message


def test_jacobian_answer_written_out_is_correct():
    written = ("p sigmoid(p x + q y)(1 - sigmoid(p x + q y)), q a1 (1 - a1); r a2 (1 - a2), s a2(1 - a2); "
               "t a3 (1 - a3), u a3 (1 - a3)")
    assert check_jacobian_answer(written, **TASK).ok


def test_jacobian_answer_names_the_wrong_entries():
    verdict = check_jacobian_answer(TASK_ANSWER.replace("r a2(1 - a2)", "r a2"), **TASK)
    assert not verdict.ok and "row 2, column 1 is off" in verdict.message
    verdict = check_jacobian_answer(TASK_ANSWER.replace("p a1", "q a1").replace("u a3", "t a3"), **TASK)
    assert "row 1, column 1, row 3, column 2 are off" in verdict.message


def test_jacobian_answer_of_the_wrong_shape_says_rows_are_outputs():
    verdict = check_jacobian_answer("p, q; r, s", **TASK)
    assert not verdict.ok and "2 × 2" in verdict.message and "3 × 2" in verdict.message
    assert "x, then y" in verdict.message


def test_jacobian_answer_that_cannot_be_read_raises_a_readable_error():
    with pytest.raises(JacobianError, match="same number of entries"):
        check_jacobian_answer("p, q; r", **TASK)


def test_jacobian_answer_without_shorthands():
    assert check_jacobian_answer("2y, 2x; 2x y, x^2", [2 * x * y, x**2 * y], ("x", "y")).ok
    assert not check_jacobian_answer("2y, 2x; 2x y, x^3", [2 * x * y, x**2 * y], ("x", "y")).ok
