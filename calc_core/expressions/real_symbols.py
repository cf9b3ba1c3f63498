"""Symbolic work with the variables taken as real numbers, as a learner means them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy


def with_real_symbols(expr: sympy.Expr, variables: Sequence[str], operation: Callable) -> sympy.Expr:
    """Apply ``operation(expr_real, *real_symbols)`` with variables assumed real.

    Plain symbols are complex in sympy, so ``diff(abs(x), x)`` would involve
    ``re`` and ``im``. This swaps in real symbols, runs the operation and swaps
    the plain ones back.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> with_real_symbols(sympy.Abs(x), ("x",), lambda e, xr: e.diff(xr))
    sign(x)
    """
    real = [sympy.Symbol(name, real=True) for name in variables]
    forward = {sympy.Symbol(name): r for name, r in zip(variables, real)}
    result = operation(expr.xreplace(forward), *real)
    back = {r: sympy.Symbol(name) for name, r in zip(variables, real)}
    if isinstance(result, (list, tuple)):
        return type(result)(item.xreplace(back) for item in result)
    return result.xreplace(back)
