"""Formulas for the page: LaTeX of an expression, refused (not truncated) when it is too long to show."""

from __future__ import annotations

import sympy

from calc_core import limits
from calc_core.expressions.errors import ExpressionError
from calc_core.expressions.sizes import node_count


def expression_latex(expr: sympy.Basic, max_chars: int = limits.MAX_LATEX_CHARS) -> str:
    r"""LaTeX for ``expr``, or :class:`ExpressionError` when it is too long to display.

    Parameters
    ----------
    expr : sympy.Basic
        Any expression, typically a parsed one or a derivative of one.
    max_chars : int
        Longest LaTeX returned.

    Returns
    -------
    str

    Raises
    ------
    ExpressionError
        When the LaTeX would exceed ``max_chars`` or sympy cannot print it
        (integers over 4 300 digits, trees deeper than Python's recursion limit).

    Notes
    -----
    Every node prints at least one character, so a tree of more than
    ``max_chars`` nodes is refused by counting alone, before printing starts;
    printing time is thus bounded by ``max_chars``.

    Examples
    --------
    >>> from calc_core.expressions import parse_expression
    >>> print(expression_latex(parse_expression("x^2/2")))
    \frac{x^{2}}{2}
    """
    too_long = ExpressionError("This formula is too long to display.")
    if node_count(expr, max_chars) > max_chars:
        raise too_long
    try:
        text = sympy.latex(expr)
    except (ValueError, OverflowError, RecursionError, MemoryError):
        raise too_long from None
    if len(text) > max_chars:
        raise too_long
    return text
