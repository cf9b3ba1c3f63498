"""Typed math to a sympy expression: :func:`parse_expression`, the one entry point of the parser.

The text is tokenised and implicit products are made explicit
(:mod:`~calc_core.expressions.tokens`), Python's :mod:`ast` reads the result in
``eval`` mode, and the tree is walked against a whitelist
(:mod:`~calc_core.expressions.builder`). Nothing typed is ever handed to
``eval``, ``exec``, ``sympify`` or ``parse_expr``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence

import sympy

from calc_core.expressions.builder import Builder
from calc_core.expressions.errors import ExpressionError
from calc_core.expressions.tokens import check_nesting, implicit_products, split_letters, tokenise
from calc_core.expressions.vocabulary import CONSTANTS, FUNCTIONS, MAX_LENGTH, validate_names


def parse_expression(
    text: str,
    variables: Sequence[str] = ("x",),
    parameters: Iterable[str] | None = None,
    free_constant: bool = False,
) -> sympy.Expr:
    """Parse typed math into a sympy expression, safely.

    Parameters
    ----------
    text : str
        What the learner typed, e.g. ``"x^3 - 2x^2 + 1"``.
    variables : sequence of str
        Names that become ``sympy.Symbol`` objects (no assumptions).
    parameters : iterable of str, optional
        Extra symbol names (constants set by sliders), e.g. ``("p", "q")``.
    free_constant : bool
        Also read one other name of a letter, perhaps followed by a digit (``C``, ``k``, ``C1``), as a
        symbol: the constant a learner adds to an antiderivative. A second such name is refused.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        With a message naming the problem and, where possible, its position.

    Notes
    -----
    Grammar: numbers, the given names, ``e``, ``pi``, ``+ - * / ^`` (``**`` also),
    parentheses and the functions in :data:`FUNCTIONS`. A product is implied
    between a number or closing parenthesis and what follows (``2x``, ``3(x+1)``,
    ``(x+1)(x-1)``), and between two names (``x y``).

    Examples
    --------
    >>> parse_expression("x^3 - 2x^2 + 1")
    x**3 - 2*x**2 + 1
    >>> parse_expression("e^x")
    exp(x)
    >>> parse_expression("x^2 + C", free_constant=True)
    C + x**2
    """
    if not isinstance(text, str):
        raise ExpressionError("The expression must be text.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"The expression is too long ({len(text)} characters; at most {MAX_LENGTH}).")
    if not text.strip():
        raise ExpressionError("Type an expression, for example x^2 + 1.")
    names = validate_names(variables, "Variable") + validate_names(parameters or (), "Parameter")
    if len(set(names)) != len(names):
        raise ExpressionError("Variable and parameter names must be distinct.")
    tokens = tokenise(text)
    check_nesting(tokens)
    tokens = split_letters(tokens, set(names) | set(CONSTANTS))
    source, origin = implicit_products(tokens, FUNCTIONS)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        col = (exc.offset or 1) - 1
        pos = origin[min(col, len(origin) - 1)] if origin else None
        where = f" near position {pos + 1}" if pos is not None else ""
        raise ExpressionError(f"This is not a complete expression{where}: check operators and parentheses.", pos) from None
    except (ValueError, MemoryError, RecursionError):
        raise ExpressionError("The expression could not be read.") from None
    builder = Builder({name: sympy.Symbol(name) for name in names}, origin, free_constant)
    try:
        expr = builder.build(tree).expr
    except RecursionError:
        raise ExpressionError("The expression is nested too deeply.") from None
    if not isinstance(expr, sympy.Expr):
        raise ExpressionError("That is not a numeric expression.")
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ExpressionError("The expression contains a division by zero or an infinite value.")
    if expr.has(sympy.I):
        raise ExpressionError("The expression is not a real number (a root of a negative number?).")
    return expr
