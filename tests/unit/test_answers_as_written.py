"""Answers written the way learners write them: constants of integration, "f'(x) =" prefixes, printed math.

Each accepted answer is also checked against sympy: its derivative (or its value) is what the task asks.
"""

from __future__ import annotations

import pytest
import sympy

from calc_core.answers import antiderivative_checker, parse_vector, strip_answer_prefix, symbolic_checker
from calc_core.expressions import parse_expression

x = sympy.Symbol("x")
INTEGRAND = 3 * x**2 - 4 * x

ANTIDERIVATIVES = ["x^3 - 2x^2 + C", "x^3 - 2x^2 + c", "x^3 - 2x^2 + K", "x^3 - 2x^2 + C1", "C + x^3 - 2x^2",
                   "x^3 - 2x^2 + 2C", "x³ − 2x² + C", "F(x) = x^3 - 2x^2 + C", "x^3 - 2x^2", "x^3 - 2x^2 + 7"]


@pytest.mark.parametrize("text", ANTIDERIVATIVES)
def test_an_antiderivative_with_any_constant_is_accepted(text):
    assert antiderivative_checker(INTEGRAND)(text).ok
    answer = parse_expression(strip_answer_prefix(text), ("x",), free_constant=True)
    assert sympy.simplify(sympy.diff(answer, x) - INTEGRAND) == 0  # the reference agrees


@pytest.mark.parametrize("text", ["C x + x^3 - 2x^2", "x^3 - 2x^2 + C x", "x^C", "C (x^3 - 2x^2)"])
def test_a_constant_that_is_not_only_added_is_refused_with_what_to_type(text):
    verdict = antiderivative_checker(INTEGRAND)(text)
    assert not verdict.ok
    assert "may only be added" in verdict.message and "+ C" in verdict.message
    answer = parse_expression(text, ("x",), free_constant=True)
    assert sympy.diff(answer, x).has(sympy.Symbol("C"))  # the reference agrees: C changes the slope


def test_a_wrong_antiderivative_with_a_constant_is_still_wrong():
    verdict = antiderivative_checker(INTEGRAND)("x^3 + C")
    assert not verdict.ok and "does not give f(x)" in verdict.message


def test_the_constant_confirmed_symbolically_keeps_its_name():
    calls = []

    def confirm(check, *args):
        calls.append(args)
        return check(*args)

    assert "symbolically" in antiderivative_checker(INTEGRAND, confirm=confirm)("x^3 - 2x^2 + K").message
    assert calls and calls[0][0].has(sympy.Symbol("K"))


@pytest.mark.parametrize("text", ["f'(x) = 3x^2 - 4x", "f′(x) = 3x² − 4x", "y' = 3x^2 - 4x", "dy/dx = 3x^2 - 4x",
                                  "3·x^2 − 4x", "3 × x² - 4 × x", "f'(x)=3x^2-4x"])
def test_a_derivative_written_with_its_name_or_in_print_is_accepted(text):
    assert symbolic_checker(3 * x**2 - 4 * x)(text).ok


@pytest.mark.parametrize(("text", "expected"), [
    ("(2, 2)", (2.0, 2.0)), ("[2, 2]", (2.0, 2.0)), ("2, 2", (2.0, 2.0)), ("⟨2, 2⟩", (2.0, 2.0)),
    ("∇f(1, 1) = (2, 2)", (2.0, 2.0)), ("∇f = (2, 2)", (2.0, 2.0)), ("(−1, 2·3)", (-1.0, 6.0)),
    ("x = 4/3", (4 / 3,)),
])
def test_a_vector_in_any_usual_brackets_or_after_its_name_is_read(text, expected):
    assert parse_vector(text, len(expected)) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "kept"), [("x^2", "x^2"), ("= 3", "= 3"), ("f(x) =", "f(x) ="),
                                            ("x == 2", "x == 2")])
def test_only_a_name_before_one_equals_sign_is_dropped(text, kept):
    assert strip_answer_prefix(text) == kept


@pytest.mark.parametrize("text", ["1, 2, 3", "1 2 3", "points 1, 2 and 3", "Points #1, P2 & 3.", "(1, 2, 3)",
                                  "{1,2,3}", "p1, p2, p3", "3/2/1"])
def test_support_vector_numbers_in_any_usual_list_are_read(text):
    from calc_core.svm.answers import point_numbers

    assert point_numbers(text, 6) == {1, 2, 3}


@pytest.mark.parametrize("text", ["1.5", "one, two", "7", "0"])
def test_support_vector_numbers_that_are_not_points_say_what_to_type(text):
    from calc_core.svm.answers import point_numbers
    from calc_core.svm.data import SVMDataError

    with pytest.raises(SVMDataError, match="e.g. 2, 5"):
        point_numbers(text, 6)
