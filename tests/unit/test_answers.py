"""Answer checking: equivalence against sympy, antiderivatives against sympy and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from calc_core.answers import (
    MIN_POINTS,
    Verdict,
    antiderivative_checker,
    expressions_agree,
    is_antiderivative,
    parse_vector,
    sample_points,
    simplifies_to_zero,
    symbolic_checker,
    vector_checker,
)
from calc_core.expressions import ExpressionError, parse_expression, to_function
from tests.hostile import EXPRESSIONS
from tests.unit.test_expressions import WORST_CASES

x, y, p = sympy.symbols("x y p")

EQUIVALENT = [
    ("2 sin(x) cos(x)", sympy.sin(2 * x)),
    ("x^2 + 2x + 1", (x + 1) ** 2),
    ("tan(x) cos(x)", sympy.sin(x)),
    ("1 - 2 sin(x)^2", sympy.cos(2 * x)),
    ("sigmoid(x)(1 - sigmoid(x))", sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2),
    ("(x^2 - 1)/(x - 1)", x + 1),
]
DIFFERENT = [
    ("x^2", x**3),
    ("sin(x)", sympy.cos(x)),
    ("log(x)", sympy.log(abs(x))),
    ("x + 1e-3", x),
    ("10^300*10^300*x", x),
]


@pytest.mark.parametrize(("text", "expected"), EQUIVALENT)
def test_equivalent_formulas_agree_as_sympy_says(text, expected):
    answer = parse_expression(text)
    assert sympy.simplify(answer - expected) == 0  # the independent reference
    assert expressions_agree(answer, expected, ("x",)).ok


@pytest.mark.parametrize(("text", "expected"), DIFFERENT)
def test_different_formulas_are_refused_at_a_point_where_they_differ(text, expected):
    answer = parse_expression(text)
    verdict = expressions_agree(answer, expected, ("x",))
    assert not verdict.ok
    assert verdict.message.startswith("Not quite: at x=")
    shown = float(verdict.message.split("at x=")[1].split(" ")[0])
    a, e = complex(answer.subs(x, shown).evalf()), complex(expected.subs(x, shown).evalf())
    assert not np.isclose(a, e, rtol=1e-6)


def test_the_symbolic_confirmation_runs_only_after_numeric_agreement():
    seen = []

    def confirm(check, *args):
        seen.append((check, args))
        return check(*args)

    assert not expressions_agree(x**2, x**3, ("x",), confirm).ok
    assert seen == []
    verdict = expressions_agree(2 * sympy.sin(x) * sympy.cos(x), sympy.sin(2 * x), ("x",), confirm)
    assert verdict.ok and "symbolically" in verdict.message
    assert seen[0][0] is simplifies_to_zero
    assert sympy.simplify(seen[0][1][0] - (2 * sympy.sin(x) * sympy.cos(x) - sympy.sin(2 * x))) == 0


@pytest.mark.parametrize("outcome", [None, False])
def test_an_unconfirmed_agreement_says_how_many_points_it_rests_on(outcome):
    verdict = expressions_agree(x + x, 2 * x, ("x",), lambda check, *args: outcome)
    assert verdict == Verdict(True, f"Correct — equal to the expected answer at {len(sample_points(1)[0])} test "
                                    f"points.")


def test_simplifies_to_zero_matches_sympy():
    assert simplifies_to_zero(sympy.sin(x) ** 2 + sympy.cos(x) ** 2 - 1)
    assert not simplifies_to_zero(sympy.sin(x) - x)


def test_too_few_defined_points_give_no_verdict_of_correctness():
    expected = sympy.sqrt(-x - 2)  # defined at two sample values only
    assert (np.isfinite(to_function(expected)(sample_points(1)[0]))).sum() < MIN_POINTS
    assert not expressions_agree(expected, expected, ("x",)).ok


def test_symbolic_checker_samples_parameters_like_variables():
    check = symbolic_checker(p * x * y, ("x", "y"), ("p",))
    assert check("y x p").ok
    assert not check("x y").ok


@pytest.mark.parametrize("f_text", ["x cos(x)", "exp(-x) x^2", "1/(1+x^2)", "sigmoid(x)", "log(x)", "x^(1/3)"])
def test_antiderivative_checker_accepts_sympys_antiderivative_plus_any_constant(f_text):
    f = parse_expression(f_text)
    reference = sympy.integrate(f, x)  # independent: sympy's own integral, typed back as text
    confirmed = []

    def confirm(check, *args):
        confirmed.append(check(*args))
        return confirmed[-1]

    verdict = antiderivative_checker(f, confirm=confirm)(f"{reference} + 7")
    assert verdict.ok and confirmed == [True] and "symbolically" in verdict.message
    assert is_antiderivative(reference + 7, f, "x")


def test_antiderivative_checker_accepts_abs_antiderivative_by_central_differences():
    assert antiderivative_checker(sympy.Abs(x))("x abs(x)/2 - 1").ok
    assert not antiderivative_checker(sympy.Abs(x))("x^2/2").ok


def test_antiderivative_checker_explains_a_wrong_antiderivative():
    verdict = antiderivative_checker(sympy.cos(x))("-sin(x)")
    assert not verdict.ok and verdict.message.startswith("Differentiating your answer does not give f(x).")


def test_parse_vector_reads_numbers_and_expressions():
    assert parse_vector("(1/2, sqrt(4))", 2) == (0.5, 2.0)
    assert parse_vector("[1, -2, pi]", 3) == pytest.approx((1.0, -2.0, np.pi))
    assert parse_vector(" 3 , 4 ", 2) == (3.0, 4.0)


@pytest.mark.parametrize("text", ["(1, 2, 3)", "(1/0, 2)", "(log(-1), 1)", "(x, 1)", "(1e308*1e308, 1)",
                                  "(" + "1," * 400 + "1)", "(" + "9" * 5000 + ", 1)", ""])
def test_parse_vector_refuses_with_a_plain_message(text):
    with pytest.raises(ExpressionError) as info:
        parse_vector(text, 2)
    assert str(info.value)


def test_vector_checker_names_the_components_that_are_off():
    check = vector_checker((1.0, -2.0, 0.5))
    assert check("(1, -2, 1/2)") == Verdict(True, "Correct.")
    assert check("(1, 2, 0.5)") == Verdict(False, "Not quite: component 2 is off.")
    assert check("(0, 2, 0.5)").message == "Not quite: component 1, 2 is off."


HOSTILE_ANSWERS = sorted(set(EXPRESSIONS + WORST_CASES))


@pytest.mark.parametrize("text", HOSTILE_ANSWERS, ids=[t[:30] for t in HOSTILE_ANSWERS])
def test_any_answer_gives_a_verdict_or_a_plain_error(text):
    checks = [symbolic_checker(x**2 + 1, ("x", "y")), antiderivative_checker(sympy.cos(x)), vector_checker((1, 2))]
    for check in checks:
        try:
            verdict = check(text)
        except ExpressionError as exc:
            assert str(exc)
        else:
            assert isinstance(verdict, Verdict) and verdict.message
