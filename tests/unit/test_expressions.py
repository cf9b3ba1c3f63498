"""The safe expression engine: what it accepts, what it refuses, and how fast."""

from __future__ import annotations

import ast
import doctest
import importlib
import math
import re
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from calc_core import limits
from calc_core.expressions import (
    MAX_LENGTH,
    ExpressionError,
    expression_latex,
    parse_expression,
    to_function,
    to_scalar_function,
)
from tests.hostile import CANARY, EXPRESSIONS, NAMES, PRINTED_MATH

x, y, p, q = sympy.symbols("x y p q")

VALID = [
    ("x^3 - 2x^2 + 1", x**3 - 2 * x**2 + 1),
    ("x**2", x**2),
    ("2x", 2 * x),
    ("3(x+1)", 3 * (x + 1)),
    ("2 sin(x)", 2 * sympy.sin(x)),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("x sin(x)", x * sympy.sin(x)),
    ("e^x", sympy.exp(x)),
    ("e^-x", sympy.exp(-x)),
    ("exp(-x^2)", sympy.exp(-(x**2))),
    ("ln(x)", sympy.log(x)),
    ("log(x)", sympy.log(x)),
    ("log(x, 2)", sympy.log(x, 2)),
    ("sqrt(x)", sympy.sqrt(x)),
    ("abs(x)", sympy.Abs(x)),
    ("pi x", sympy.pi * x),
    ("1/x", 1 / x),
    ("sin(x)/x", sympy.sin(x) / x),
    ("tan(x) + cot(x)", sympy.tan(x) + sympy.cot(x)),
    ("asin(x) + arccos(x) + atan(x)", sympy.asin(x) + sympy.acos(x) + sympy.atan(x)),
    ("sinh(x) cosh(x) tanh(x)", sympy.sinh(x) * sympy.cosh(x) * sympy.tanh(x)),
    ("sigmoid(x)", 1 / (1 + sympy.exp(-x))),
    ("-x", -x),
    ("+x", x),
    ("2.5x", sympy.Float(2.5) * x),
    ("1e-3 x", sympy.Float(1e-3) * x),
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_valid_inputs_give_the_expected_sympy_expression(text, expected):
    assert sympy.simplify(parse_expression(text) - expected) == 0


def test_results_are_plain_symbols_equal_to_sympys_own():
    assert parse_expression("x^2 + 1") == x**2 + 1
    assert parse_expression("x^2 + y^3", ("x", "y")) == x**2 + y**3
    assert all(not s.assumptions0.get("real") for s in parse_expression("x y", ("x", "y")).free_symbols)


def test_two_variables_and_parameters():
    assert parse_expression("xy + 2xy^2", ("x", "y")) == x * y + 2 * x * y**2
    assert parse_expression("sigmoid(px + qy)", ("x", "y"), ("p", "q")) == 1 / (1 + sympy.exp(-(p * x + q * y)))




REFUSED = [text for text in EXPRESSIONS if text not in PRINTED_MATH]


@pytest.mark.parametrize("text", REFUSED, ids=[repr(t[:30]) for t in REFUSED])
def test_hostile_input_is_refused_and_runs_nothing(text):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert str(info.value)
    assert not Path(CANARY).exists()


def test_error_messages_name_the_problem_and_position():
    with pytest.raises(ExpressionError, match="position 4") as info:
        parse_expression("x +* 2")
    assert info.value.position is not None
    with pytest.raises(ExpressionError, match="Variables you can use: x"):
        parse_expression("foo(x) + z")
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression("x" * (MAX_LENGTH + 1))


def test_hostile_symbol_and_parameter_names_are_refused():
    for bad in NAMES:
        with pytest.raises(ExpressionError):
            parse_expression("x", ("x",), (bad,))
        with pytest.raises(ExpressionError):
            to_function(x, (bad,))


def test_to_function_is_vectorised_and_nan_outside_the_domain():
    f = to_function(parse_expression("log(x) + sqrt(x) + 1/x"))
    values = f(np.array([-1.0, 0.0, 1.0, 4.0]))
    assert np.isnan(values[:2]).all()
    np.testing.assert_allclose(values[2:], [2.0, np.log(4) + 2 + 0.25])
    assert isinstance(f(4.0), float)
    constant = to_function(parse_expression("3"))
    np.testing.assert_array_equal(constant(np.zeros(4)), np.full(4, 3.0))


def test_to_function_emits_no_warnings():
    f = to_function(parse_expression("log(x) / x + asin(x) + exp(x^2)"))
    with np.errstate(all="raise"):
        f(np.linspace(-50, 50, 101))


def test_to_function_two_variables_matches_numpy():
    f = to_function(parse_expression("x^2 + y^3", ("x", "y")), ("x", "y"))
    gx, gy = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 1, 3))
    np.testing.assert_allclose(f(gx, gy), gx**2 + gy**3)


def test_to_function_refuses_unknown_symbols():
    with pytest.raises(ExpressionError, match="y"):
        to_function(parse_expression("x + y", ("x", "y")), ("x",))


def test_no_calc_core_module_imports_streamlit():
    root = Path(__file__).resolve().parents[2] / "calc_core"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "streamlit" for n in names), str(path.relative_to(root))


def test_no_module_feeds_text_to_eval_or_sympify():
    """Only calc_core.expressions may compile, and nothing may eval or sympify."""
    root = Path(__file__).resolve().parents[2]
    never = {"eval", "exec", "sympify", "parse_expr", "S"}
    for folder in ("calc_core", "ui", "lessons"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                if isinstance(node.func, ast.Name):
                    assert node.func.id not in never, f"{path.name} calls {node.func.id}"
                if isinstance(node.func, ast.Attribute):
                    assert node.func.attr not in {"sympify", "parse_expr"}, f"{path.name} calls {node.func.attr}"
                    if node.func.attr == "lambdify":
                        where = path.relative_to(root).as_posix()
                        assert where == "calc_core/expressions/compiling.py", f"{where} calls lambdify"


ALPHABET = st.sampled_from(list("xy0123456789.+-*/^()eE, ") + ["sin", "log", "exp", "pi", "sqrt", "**", "__", "'"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_any_token_soup_gives_an_expression_or_an_expression_error(text):
    try:
        result = parse_expression(text, ("x", "y"))
    except ExpressionError:
        return
    assert isinstance(result, sympy.Expr)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_an_expression_or_an_expression_error(text):
    try:
        result = parse_expression(text)
    except ExpressionError:
        return
    assert isinstance(result, sympy.Expr)


@pytest.mark.slow
@settings(max_examples=20_000, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(ALPHABET, max_size=120).map("".join)))
def test_fuzz_many_examples(text):
    try:
        parse_expression(text, ("x", "y"))
    except ExpressionError:
        pass


# --- Bounded parsing: the worst cases each cap still admits -----------------------------------------------------

BIG = "99999999999999999999"  # the longest integer literal (limits.MAX_INTEGER_DIGITS)


def _fill(unit: str, sep: str = "", head: str = "", tail: str = "") -> str:
    """``unit`` repeated (joined by ``sep``) up to the length cap."""
    body = head + unit
    while len(body + sep + unit + tail) <= MAX_LENGTH:
        body += sep + unit
    return body + tail


def _nest(opening: str, middle: str, closing: str, depth: int) -> str:
    return opening * depth + middle + closing * depth


def _tree(template: str, depth: int) -> str:
    """A full tree of ``template`` calls with distinct integer leaves (sympy cannot merge equal branches)."""
    leaves = iter(range(2, 10_000))

    def grow(level):
        if level == 0:
            return str(next(leaves))
        return template.format(*(grow(level - 1) for _ in range(template.count("{}"))))

    return grow(depth)


WORST_CASES = [
    # huge exponents and nested exponentials: bounded by enclosures, never evaluated
    "exp(exp(exp(13)))", "x^exp(exp(exp(13)))", "abs(exp(exp(exp(13))))", "2^exp(exp(3))", "e^e^e^e^e",
    "pi^pi^pi^pi", "2^2^2^2^2", "10^(10^2.99)", "exp(2302)*exp(2302)", "exp(2302)-exp(2302.0000000001)",
    "abs(exp(2302)-10^999)", "exp(-2302)*x", "1/exp(-2302)", f"exp({BIG})", "sigmoid(-exp(2302))",
    # products, roots, logs and signs of huge exact numbers
    f"sqrt({BIG}^49*{BIG}^49)", "sqrt(" + _fill(f"{BIG}^49", "*", tail=")"), f"abs({BIG}^49*{BIG}^49*{BIG}^49)",
    f"log({BIG}^49*{BIG}^49)", "10^300*10^300*x", f"log({BIG}^49)", f"abs(log({BIG}^49) - 2256)",
    f"sqrt({BIG}^49)", f"({BIG}^49)^(1/3)", f"{BIG}^(49/2)", f"{BIG}^(999/20)", _fill(f"{BIG}^49*x", "*"),
    "sqrt(" + _fill(f"{BIG}^49*x", "*", tail=")"), _fill("9^999*x", "*"), f"tan({BIG}^49)", "sin(10^999)",
    "1/sin(10^999)", "atan(10^999)", "tanh(10^999)", "log(10^999, 1.0000000001)", "1e308*1e308", "1e308^3",
    # huge rationals
    f"1/{BIG}^49 + 1/99999999999999999998^49", f"(1+1/{BIG})^1000", "(2/3)^1000 * (3/2)^1000",
    _fill("(1+1/99999999999999999989)^1000", "*"), "(1/2)^1000*x", "x^(1/99999999999999999999)",
    # cancellation to (nearly) zero under abs, log, sqrt, a division or a power
    "1/(pi-3.141592653589793)", "1/(pi - 355/113)", "abs(sin(pi/7)^2+cos(pi/7)^2-1)",
    "log(sin(pi/7)^2+cos(pi/7)^2-1)", "sqrt(sin(pi/7)^2+cos(pi/7)^2-1)", "(sin(pi/7)^2+cos(pi/7)^2-1)^-1",
    "(sin(pi/7)^2+cos(pi/7)^2-1)^0.5", "abs(" + _fill("sin(pi/7)^2+cos(pi/7)^2-1", "+", tail=")"),
    "log(2, 1.0000000000000001)", "atanh(0.9999999999999999)", "csc(pi)", "tan(pi/2)",
    # power towers and long chains of ^
    "x^x^x^x^x", "x^x^x^x^x^x", _fill("x", "^"), _fill("x", "^", head="(", tail=")"), "exp(exp(exp(exp(x))))",
    "exp(exp(exp(exp(exp(x)))))", "(-1)^" * 49 + "x", _fill("1.0001", "^"), "((x+1)^1000)^1000",
    # nesting: parentheses, functions of a variable, functions of numbers (sympy's evalf doubles per level)
    _nest("sin(", "x", ")", 30), _nest("exp(", "x", ")", 30), _nest("sin(", "1", ")", 29),
    _nest("exp(", "1", ")", 30), _nest("sqrt(", "2", ")", 30), _nest("1/(1+", "x", ")", 29),
    _nest("1/(x+", "x", ")", 29), _nest("1/(e-", "1", ")", 29), _nest("1/(pi+", "pi", ")", 29),
    _nest("abs(x+1/abs(x+", "x", "))", 14), _nest("log(abs(x-", "1", "))", 14), _nest("exp(-", "1", ")", 29),
    _nest("sin(pi*(e-", "1", "))", 14), _nest("abs(pi*(e-", "1", "))", 14), _nest("tanh(pi-e*", "1", ")", 25),
    _nest("(1+", "1", ")^2", 20), _nest("(x+", "x", ")^2", 29), _tree("sin(pi*(e-{}-{}-{}))", 3),
    _tree("tan(pi*(e-{}-{}-{}))", 3), _tree("sin(pi*(e-{}-{}))", 4), _tree("tanh(pi-e*{}*{}*{})", 3),
    "(" * 30 + "x" + ")" * 30, "-" * 299 + "x",
    # many terms and many-argument products
    _fill("(x+1)"), "".join(f"(x+{k})" for k in range(1, 40))[:MAX_LENGTH], _fill("sin(x)"), _fill("x", "+"),
    _fill("1", "/"), "xy" * 150, "(" + "+".join(f"x^{k}" for k in range(1, 40)) + ")^100",
]


def _outcome(text: str):
    try:
        return parse_expression(text, ("x", "y"))
    except ExpressionError as exc:
        assert str(exc)
        return exc


@pytest.mark.parametrize("text", WORST_CASES, ids=[t[:40] for t in WORST_CASES])
def test_worst_case_under_the_caps_gives_an_expression_or_a_plain_error(text):
    assert len(text) <= MAX_LENGTH
    result = _outcome(text)
    if isinstance(result, ExpressionError):
        return
    assert isinstance(result, sympy.Expr)
    values = to_function(result, ("x", "y"))(np.linspace(-3, 3, 13), np.full(13, 0.5))
    assert values.shape == (13,) and not np.isinf(values).any()
    try:
        latex = expression_latex(result)
    except ExpressionError as exc:
        assert "too long to display" in str(exc)
    else:
        assert len(latex) <= limits.MAX_LATEX_CHARS


def test_valid_math_with_large_numbers_is_accepted_and_exact():
    assert parse_expression("10^300*10^300*x") == sympy.Integer(10) ** 600 * x
    log_big = parse_expression(f"log({BIG}^49)")
    assert log_big == sympy.log(sympy.Integer(int(BIG)) ** 49)
    assert to_function(log_big, ())() == pytest.approx(49 * math.log(int(BIG)), rel=1e-12)
    assert parse_expression("(2/3)^1000 * (3/2)^1000") == 1
    assert parse_expression("1/(pi - 355/113)") == 1 / (sympy.pi - sympy.Rational(355, 113))


@pytest.mark.parametrize(("text", "words", "position"), [
    ("x + exp(exp(exp(13)))", "astronomically large", 9),
    (f"x + sqrt({BIG}^49*{BIG}^49)", "astronomically large", 10),
    (f"1/{BIG}^49 + 1/99999999999999999998^49", "more than 1000 digits", 1),
    ("1/(sin(pi/7)^2+cos(pi/7)^2-1)", "(nearly) zero", 4),
    ("x^x^x^x^x^x", "stacked powers", None),
    ("sin(sin(sin(sin(1))))", "nested too deeply", None),
    ("log(-2)", "not a real number", 1),
    ("(-8)^(1/3)", "not a real number", 1),
    ("x^1001", "at most 1000", 1),
])
def test_refusals_name_the_problem_and_its_position(text, words, position):
    with pytest.raises(ExpressionError, match=re.escape(words)) as info:
        parse_expression(text)
    if position is not None:
        assert info.value.position == position - 1
        assert f"position {position}" in str(info.value)


def test_caps_admit_what_learners_type():
    assert parse_expression("x^x^x^x^x") == x ** (x ** (x ** (x**x)))
    assert parse_expression("sin(sqrt(pi/4))") == sympy.sin(sympy.sqrt(sympy.pi) / 2)
    assert parse_expression("sigmoid(sin(sqrt(2)))") == 1 / (1 + sympy.exp(-sympy.sin(sympy.sqrt(2))))
    assert parse_expression("exp(-x^2/2)/sqrt(2pi)") == sympy.exp(-(x**2) / 2) / sympy.sqrt(2 * sympy.pi)


CONSTANT_ATOMS = st.sampled_from(["pi", "e", "1", "2", "0.5", "3", "pi/7", "sqrt(2)", "e/3", "10^300", "1e-300"])
CONSTANT_FUNCTIONS = st.sampled_from(sorted(f for f in ("sin", "cos", "tan", "abs", "exp", "log", "sqrt", "atan",
                                                        "tanh", "sigmoid", "asin", "acosh", "atanh", "cot")))


@st.composite
def constant_expressions(draw, depth=3):
    if depth == 0 or draw(st.booleans()):
        return draw(CONSTANT_ATOMS)
    inner = draw(constant_expressions(depth - 1))
    other = draw(constant_expressions(depth - 1))
    shape = draw(st.sampled_from(["f({})", "({})^{}", "({})/({})", "({})-({})", "({})*({})"]))
    if shape == "f({})":
        return f"{draw(CONSTANT_FUNCTIONS)}({inner})"
    return shape.format(inner, other)


@settings(max_examples=150, deadline=None)
@given(constant_expressions())
def test_accepted_constants_are_real_and_below_the_magnitude_cap(text):
    """An independent evaluation (sympy's evalf at 30 digits) agrees with what the enclosure admitted."""
    result = _outcome(text)
    if isinstance(result, ExpressionError):
        return
    value = sympy.N(result, 30)
    assert value.is_real is not False
    assert abs(value) < sympy.Integer(10) ** limits.MAX_RESULT_DIGITS


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_to_function_and_latex_never_fail_on_an_accepted_expression(text):
    result = _outcome(text)
    if isinstance(result, ExpressionError):
        return
    values = to_function(result, ("x", "y"))(np.linspace(-2, 2, 9), np.linspace(-1, 3, 9))
    assert values.shape == (9,) and not np.isinf(values).any()
    try:
        expression_latex(result)
    except ExpressionError as exc:
        assert "too long to display" in str(exc)


def test_to_function_takes_numbers_beyond_float_range_as_overflow():
    f = to_function(parse_expression("exp(10^300*x) + 10^300*10^300*x^2"))
    values = f(np.array([-1.0, 1.0]))
    assert np.isnan(values).all()
    assert to_function(parse_expression("(1/2)^1000*x"))(2.0) == pytest.approx(2.0 ** -999)


def test_to_function_refuses_trees_over_the_compile_cap_with_a_plain_message():
    huge = sympy.Add(*[x**k for k in range(1, limits.MAX_COMPILE_NODES // 2)], evaluate=False)
    with pytest.raises(ExpressionError, match="too large to evaluate"):
        to_function(huge)


def _deep_sine(depth: int) -> sympy.Expr:
    expr = x
    for _ in range(depth):
        expr = sympy.sin(expr, evaluate=False)
    return expr


@pytest.mark.parametrize(("build", "max_chars"), [
    (lambda: sympy.Integer(10) ** 5000 * x, 10**6),                   # sympy.latex: ValueError, int over 4 300 digits
    (lambda: sympy.Add(*[x**k for k in range(1, 3000)], evaluate=False), limits.MAX_LATEX_CHARS),  # by counting
    (lambda: _deep_sine(3000), 10**6),                                 # sympy.latex: RecursionError
], ids=["huge integer", "long sum", "deep tree"])
def test_expression_latex_gives_a_plain_error_instead_of_crashing(build, max_chars):
    with pytest.raises(ExpressionError, match="too long to display"):
        expression_latex(build(), max_chars=max_chars)


def test_expression_latex_matches_sympy_below_the_cap():
    expr = parse_expression("sigmoid(x)^2 + sqrt(x)/3")
    assert expression_latex(expr) == sympy.latex(expr)
    with pytest.raises(ExpressionError):
        expression_latex(expr, max_chars=5)


def test_to_function_refuses_a_tree_deeper_than_python_recursion_with_a_plain_message():
    with pytest.raises(ExpressionError, match="too deeply nested"):
        to_function(_deep_sine(limits.MAX_COMPILE_NODES - 10))


def test_to_function_compiles_the_widest_tree_under_the_compile_cap():
    # One term per few nodes, each a different function: the tree lambdify prints slowest per node.
    terms = [sympy.sin(k * x + y) for k in range(1, limits.MAX_COMPILE_NODES // 6)]
    widest = sympy.Add(*terms)
    assert sum(1 for _ in sympy.preorder_traversal(widest)) <= limits.MAX_COMPILE_NODES
    f = to_function(widest, ("x", "y"))
    assert f(0.3, 0.7) == pytest.approx(sum(math.sin(k * 0.3 + 0.7) for k in range(1, limits.MAX_COMPILE_NODES // 6)))


SCALAR_TEXTS = ["log(x) + y", "sqrt(x*y)", "x^(1/3) + y", "abs(x) + sec(y) + cot(x) + csc(y)", "exp(x*y)",
                "1/x + y", "sigmoid(x*y)", "log(x, 2) + acosh(y)", "atanh(x) + asin(y)", "exp(1000*x) + y",
                "(x - 1)^2 + 100*(y - x^2)^2", "tanh(x)*cosh(y) - sinh(x*y)", "x^y", "ln(x^2 + y^2)"]


@pytest.mark.parametrize("text", SCALAR_TEXTS)
def test_to_scalar_function_matches_to_function_inside_and_outside_the_domain(text):
    expr = parse_expression(text, ("x", "y"))
    vectorised, scalar = to_function(expr, ("x", "y")), to_scalar_function(expr, ("x", "y"))
    points = np.random.default_rng(7).uniform(-3, 3, (300, 2))
    points[:4] = [[0.0, 0.0], [1.0, 1.0], [-1.0, 2.0], [2.0, 0.0]]
    expected = vectorised(points[:, 0], points[:, 1])
    got = np.array([scalar(a, b) for a, b in points])
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0, equal_nan=True)
    assert all(isinstance(v, float) for v in got.tolist())


def test_to_scalar_function_gives_nan_for_overflow_and_poles_and_keeps_the_argument_check():
    f = to_scalar_function(parse_expression("exp(x) + 1/y", ("x", "y")), ("x", "y"))
    assert math.isnan(f(1000.0, 1.0)) and math.isnan(f(0.0, 0.0))
    assert f(0.0, 2.0) == 1.5
    with pytest.raises(TypeError):
        f(1.0)
    with pytest.raises(ExpressionError, match="too large to evaluate"):
        to_scalar_function(sympy.Add(*[x**k for k in range(1, limits.MAX_COMPILE_NODES // 2)], evaluate=False))
    with pytest.raises(ExpressionError, match="has no value here"):
        to_scalar_function(x + p, ("x",))


def test_to_scalar_function_of_sign_and_heaviside_matches_numpy():
    expr = sympy.sign(x) + sympy.Heaviside(x - 1) + sympy.DiracDelta(x + 1)
    vectorised, scalar = to_function(expr), to_scalar_function(expr)
    points = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0])
    np.testing.assert_array_equal([scalar(v) for v in points], vectorised(points))


@pytest.mark.parametrize("name", ["parsing", "vocabulary", "tokens", "builder", "sizes", "compiling", "display",
                                  "real_symbols", "errors"])
def test_docstring_examples_hold(name):
    module = importlib.import_module(f"calc_core.expressions.{name}")
    assert doctest.testmod(module).failed == 0, module.__name__


def test_the_package_exports_what_it_lists_and_each_module_stays_short():
    package = importlib.import_module("calc_core.expressions")
    assert [name for name in package.__all__ if not hasattr(package, name)] == []
    folder = Path(package.__file__).parent
    assert {path.name: len(path.read_text().splitlines()) for path in folder.glob("*.py")
            if len(path.read_text().splitlines()) >= 400} == {}
