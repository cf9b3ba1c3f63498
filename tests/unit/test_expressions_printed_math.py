"""Printed math reads as typed math; the one free constant of an antiderivative; names a learner picks.

The reference is sympy's own construction of the same formula, written by hand here.
"""

from __future__ import annotations

import pytest
import sympy

from calc_core.expressions import ExpressionError, parse_expression

x, y, r, theta, phi, C, c, K, C1 = sympy.symbols("x y r theta phi C c K C1")

PRINTED = [
    ("3x² − 4x", ("x",), 3 * x**2 - 4 * x),
    ("x³ − 2x² + 1", ("x",), x**3 - 2 * x**2 + 1),
    ("3·x^2", ("x",), 3 * x**2),
    ("3 × x", ("x",), 3 * x),
    ("x ⋅ y", ("x", "y"), x * y),
    ("x ÷ 2", ("x",), x / 2),
    ("x⁻¹", ("x",), 1 / x),
    ("x¹⁰", ("x",), x**10),
    ("2π x", ("x",), 2 * sympy.pi * x),
    ("r cos(θ)", ("r", "theta"), r * sympy.cos(theta)),
    ("r*sin(theta)", ("r", "theta"), r * sympy.sin(theta)),
    ("sin(φ)", ("phi",), sympy.sin(phi)),
    ("−x – 1", ("x",), -x - 1),
]


@pytest.mark.parametrize(("text", "variables", "expected"), PRINTED, ids=[t for t, _, _ in PRINTED])
def test_printed_math_reads_as_the_formula_it_shows(text, variables, expected):
    assert sympy.simplify(parse_expression(text, variables) - expected) == 0


@pytest.mark.parametrize(("text", "instead"), [("√x", "sqrt("), ("f(x) = x^2", "without '='"),
                                                ("x⁻", "^(-1)"), ("xy + z", "x y")])
def test_a_refusal_says_what_to_type_instead(text, instead):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, ("x",) if text != "xy + z" else ("z",))
    assert instead in str(info.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("x^3 - 2x^2 + C", x**3 - 2 * x**2 + C),
    ("x^3 - 2x^2 + c", x**3 - 2 * x**2 + c),
    ("K + x^2", K + x**2),
    ("x^2 + C1", x**2 + C1),
    ("C x", C * x),  # read; the antiderivative checker says why it is not a constant
])
def test_one_free_constant_is_read_when_asked_for(text, expected):
    assert parse_expression(text, ("x",), free_constant=True) == expected


def test_without_the_option_a_constant_name_is_still_unknown():
    with pytest.raises(ExpressionError, match="Unknown name 'C'"):
        parse_expression("x^2 + C")


@pytest.mark.parametrize("text", ["x^2 + C + K", "c1 + C2"])
def test_a_second_free_constant_is_refused(text):
    with pytest.raises(ExpressionError, match="Use one constant"):
        parse_expression(text, ("x",), free_constant=True)


@pytest.mark.parametrize("text", ["x + Cx2", "x + sin", "x + CC", "x + e"])
def test_the_free_constant_is_one_letter_perhaps_with_a_digit(text):
    if text == "x + e":
        assert parse_expression(text, ("x",), free_constant=True) == x + sympy.E
        return
    with pytest.raises(ExpressionError):
        parse_expression(text, ("x",), free_constant=True)
