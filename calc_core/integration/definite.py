"""The exact value of a definite integral, limits and all."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sympy

from calc_core.integration.antiderivatives import integrate
from calc_core.integration.checks import check_interval

__all__ = ["DefiniteIntegral", "IntegralStatus", "definite_integral"]


class IntegralStatus(StrEnum):
    """What sympy's exact evaluation of ∫_a^b f dx came to.

    FINITE: a real number; INFINITE: sympy found ±∞; NO_VALUE: sympy's answer
    is undefined (NaN), as for ∫_{−1}^{1} dx/x — for an improper integral that
    means it does not exist, for a bounded f only that sympy could not
    evaluate it; COMPLEX: f has no real value on part of [a, b]; UNKNOWN:
    sympy found no closed form.
    """

    FINITE = "finite"
    INFINITE = "infinite"
    NO_VALUE = "no value"
    COMPLEX = "complex"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DefiniteIntegral:
    """∫_a^b f dx, exactly.

    Attributes
    ----------
    exact : sympy.Expr or None
        The exact value (e.g. ``sqrt(pi)*erf(1)``), or None if there is no closed form.
    value : float
        Its numerical value (NaN if it does not exist or is not known).
    status : IntegralStatus
        Finite, infinite, no value, complex or unknown (see :class:`IntegralStatus`);
        equal to its string value, e.g. ``"finite"``.
    """

    exact: sympy.Expr | None
    value: float
    status: IntegralStatus


def _exact_number(value: float) -> sympy.Rational:
    """A slider value such as 0.1 as the exact decimal 1/10, not its binary neighbour."""
    return sympy.Rational(repr(float(value)))


def definite_integral(expr: sympy.Expr, var: str, a: float, b: float) -> DefiniteIntegral:
    """The exact value of ∫_a^b f dx, by sympy.

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Variable of integration.
    a, b : float
        Interval, a < b (read as exact decimals: 0.1 means 1/10).

    Returns
    -------
    DefiniteIntegral

    Notes
    -----
    For f continuous on [a, b], ∫_a^b f dx = F(b) − F(a). Across a pole this
    formula is wrong (∫_{−1}^{1} dx/x is not ln 1 − ln 1 = 0; the integral does not
    exist), which is why sympy evaluates the integral itself, limits included.
    Meant to run under :func:`calc_core.budget.run_with_budget`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> definite_integral(3*x**2 - 4*x, "x", 0, 3)
    DefiniteIntegral(exact=9, value=9.0, status=<IntegralStatus.FINITE: 'finite'>)
    >>> definite_integral(1 / x**2, "x", -1, 1).status
    <IntegralStatus.INFINITE: 'infinite'>
    """
    a, b = check_interval(a, b)
    result = integrate(expr, var, _exact_number(a), _exact_number(b))
    if result.has(sympy.Integral):
        return DefiniteIntegral(exact=None, value=float("nan"), status=IntegralStatus.UNKNOWN)
    if result.has(sympy.nan):
        return DefiniteIntegral(exact=result, value=float("nan"), status=IntegralStatus.NO_VALUE)
    if result.has(sympy.oo, -sympy.oo, sympy.zoo):
        return DefiniteIntegral(exact=result, value=float("nan"), status=IntegralStatus.INFINITE)
    number = complex(result.evalf())
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
        return DefiniteIntegral(exact=result, value=float("nan"), status=IntegralStatus.COMPLEX)
    return DefiniteIntegral(exact=result, value=number.real, status=IntegralStatus.FINITE)
