"""Antiderivatives: F with F′ = f, whether an elementary one exists, and F sampled against the running sum.

By the fundamental theorem of calculus, ∫_a^b f dx = F(b) − F(a) for any
antiderivative F. Symbolic integration can take very long on innocent-looking
input: run these through :func:`calc_core.budget.run_with_budget`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import sympy
from sympy.integrals.risch import NonElementaryIntegral, risch_integrate

from calc_core.expressions import to_function, with_real_symbols
from calc_core.integration.checks import IntegrationError, NoClosedFormError, check_interval, real_logs
from calc_core.integration.steps import IntegrationStep, integration_steps
from calc_core.sampling import PLOT_SAMPLES, sample_curve

__all__ = ["AntiderivativeCurve", "AntiderivativeReport", "antiderivative", "antiderivative_curve",
           "antiderivative_report", "integrate"]


def integrate(expr: sympy.Expr, var: str, *limits):
    if not isinstance(expr, sympy.Expr):
        raise IntegrationError("Integration needs a sympy expression.")
    if not isinstance(var, str) or not var.isidentifier():
        raise IntegrationError(f"The variable must be a plain name such as 'x', not {var!r}.")
    return with_real_symbols(expr, (var,), lambda e, xr: sympy.integrate(e, (xr, *limits) if limits else xr))


def antiderivative(expr: sympy.Expr, var: str = "x") -> sympy.Expr:
    """An antiderivative F of f (F' = f), without the constant of integration.

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Variable of integration.

    Returns
    -------
    sympy.Expr
        F, possibly using special functions (erf, Si, ...) when no elementary F exists.
        Logarithms of expressions that can be negative are written ln|u|.

    Raises
    ------
    NoClosedFormError
        If sympy cannot find any closed form.

    Notes
    -----
    Every antiderivative of f is F + C for a constant C, because (F + C)' = F' = f.
    Symbolic integration can take very long on some inputs: call this through
    :func:`calc_core.budget.run_with_budget`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> antiderivative(3*x**2 - 4*x)
    x**3 - 2*x**2
    >>> antiderivative(1 / x)
    log(Abs(x))
    """
    F = integrate(expr, var)
    if F.has(sympy.Integral):
        raise NoClosedFormError("sympy found no closed-form antiderivative for this function.")
    return real_logs(sympy.unpolarify(F))


_SPECIAL_NAMES = {
    "erf": "the error function erf",
    "erfi": "the imaginary error function erfi",
    "erfc": "the complementary error function erfc",
    "Si": "the sine integral Si",
    "Ci": "the cosine integral Ci",
    "Shi": "the hyperbolic sine integral Shi",
    "Chi": "the hyperbolic cosine integral Chi",
    "Ei": "the exponential integral Ei",
    "expint": "the exponential integral E",
    "li": "the logarithmic integral li",
    "fresnels": "the Fresnel integral S",
    "fresnelc": "the Fresnel integral C",
    "uppergamma": "the upper incomplete gamma function",
    "lowergamma": "the lower incomplete gamma function",
    "gamma": "the gamma function",
    "polylog": "the polylogarithm",
    "LambertW": "the Lambert W function",
    "hyper": "a hypergeometric function",
    "meijerg": "a Meijer G-function",
    "elliptic_e": "an elliptic integral",
    "elliptic_f": "an elliptic integral",
}

_ELEMENTARY = (
    sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc,
    sympy.asin, sympy.acos, sympy.atan, sympy.acot, sympy.asec, sympy.acsc,
    sympy.sinh, sympy.cosh, sympy.tanh, sympy.coth, sympy.sech, sympy.csch,
    sympy.asinh, sympy.acosh, sympy.atanh, sympy.acoth, sympy.Abs, sympy.sign, sympy.Piecewise,
    sympy.Heaviside, sympy.Max, sympy.Min,
)


def _special_functions(F: sympy.Expr) -> tuple[str, ...]:
    names = {
        type(fn).__name__
        for fn in F.atoms(sympy.Function)
        if not isinstance(fn, _ELEMENTARY) and not isinstance(fn, sympy.exp_polar)
    }
    return tuple(sorted(names))


class AntiderivativeKind(StrEnum):
    """What sympy found for ∫ f dx.

    ELEMENTARY: F uses only elementary functions; SPECIAL: F needs special
    functions (erf, Si, ...); NONE: no closed form was found.
    """

    ELEMENTARY = "elementary"
    SPECIAL = "special"
    NONE = "none"


@dataclass(frozen=True)
class AntiderivativeReport:
    """Everything the symbolic side knows about ∫ f dx.

    Attributes
    ----------
    integrand : sympy.Expr
        f.
    antiderivative : sympy.Expr or None
        F with F' = f (no constant), or None if sympy found no closed form.
    kind : AntiderivativeKind
        Whether F uses only elementary functions, needs special functions, or is unknown.
    special_functions : tuple of str
        Descriptions of the special functions F uses (e.g. "the error function erf").
    proved_nonelementary : bool
        True if the Risch algorithm proved that no elementary antiderivative exists.
    steps : tuple of IntegrationStep
        Step-by-step working, empty if not available.
    """

    integrand: sympy.Expr
    antiderivative: sympy.Expr | None
    kind: AntiderivativeKind
    special_functions: tuple[str, ...]
    proved_nonelementary: bool
    steps: tuple[IntegrationStep, ...]


def _proved_nonelementary(expr: sympy.Expr, var: str) -> bool:
    try:
        result = with_real_symbols(
            expr, (var,), lambda e, xr: risch_integrate(e.rewrite(sympy.exp), xr)
        )
    except (NotImplementedError, ValueError, TypeError):
        return False
    return isinstance(result, NonElementaryIntegral) or result.has(NonElementaryIntegral)


def antiderivative_report(expr: sympy.Expr, var: str = "x") -> AntiderivativeReport:
    """Antiderivative, whether it is elementary, and the steps — in one call.

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Variable of integration.

    Returns
    -------
    AntiderivativeReport

    Notes
    -----
    An elementary function is built from polynomials, exp, ln, trigonometric
    functions and their inverses by arithmetic and composition. Some elementary
    f, such as e^(−x²) or sin(x)/x, have no elementary antiderivative (Liouville's
    theorem); for those, sympy writes F with a special function (erf, Si) that is
    defined as such an integral, and the Risch algorithm can prove that nothing
    elementary exists. Meant to run under :func:`calc_core.budget.run_with_budget`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> report = antiderivative_report(sympy.exp(-x**2))
    >>> report.kind, report.special_functions, report.proved_nonelementary
    (<AntiderivativeKind.SPECIAL: 'special'>, ('the error function erf',), True)
    """
    try:
        F = antiderivative(expr, var)
    except NoClosedFormError:
        F = None
    if F is None:
        kind, special = AntiderivativeKind.NONE, ()
    else:
        names = _special_functions(F)
        kind = AntiderivativeKind.SPECIAL if names else AntiderivativeKind.ELEMENTARY
        special = tuple(_SPECIAL_NAMES.get(name, f"the special function {name}") for name in names)
    proved = kind != AntiderivativeKind.ELEMENTARY and _proved_nonelementary(expr, var)
    try:
        steps = integration_steps(expr, var)
    except (NotImplementedError, ValueError, TypeError, RecursionError):
        steps = ()
    return AntiderivativeReport(
        integrand=expr,
        antiderivative=F,
        kind=kind,
        special_functions=special,
        proved_nonelementary=proved,
        steps=steps,
    )


@dataclass(frozen=True)
class AntiderivativeCurve:
    """An antiderivative F sampled on [a, b], and the area function it gives.

    Attributes
    ----------
    x : ndarray
        Sample points (NaN gaps at break points).
    F : ndarray
        F(x) as found (one member of the family F + C).
    F_at_a : float
        F(a), NaN if F is undefined there.
    area : ndarray
        F(x) − F(a) = ∫_a^x f dt, the member of the family that is 0 at a
        (all NaN if F(a) is undefined).
    """

    x: np.ndarray
    F: np.ndarray
    F_at_a: float
    area: np.ndarray


def antiderivative_curve(F: sympy.Expr, var: str, a: float, b: float, n: int = PLOT_SAMPLES,
                         breaks=()) -> AntiderivativeCurve | None:
    """Sample an antiderivative on [a, b] and shift it to start at 0.

    Parameters
    ----------
    F : sympy.Expr
        An antiderivative of f, e.g. from :func:`antiderivative`.
    var : str
        Its variable.
    a, b : float
        Interval, a < b.
    n : int
        Number of evenly spaced samples.
    breaks : iterable of float
        Points where the curve must have a gap.

    Returns
    -------
    AntiderivativeCurve or None
        None when F cannot be evaluated numerically anywhere on [a, b].

    Notes
    -----
    By the fundamental theorem of calculus, ∫_a^x f(t) dt = F(x) − F(a) when f is
    continuous on [a, x]: the curve a running sum of f·δx from a approaches.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> curve = antiderivative_curve(x**2, "x", -1.0, 1.0, n=3)
    >>> curve.F.tolist(), curve.area.tolist()
    ([1.0, 0.0, 1.0], [0.0, -1.0, 0.0])
    """
    a, b = check_interval(a, b)
    try:
        xs, values = sample_curve(to_function(F, (var,)), a, b, n, breaks)
    except (ValueError, TypeError, NameError):
        return None
    if not np.isfinite(values).any():
        return None
    F_at_a = float(values[0])
    return AntiderivativeCurve(x=xs, F=values, F_at_a=F_at_a, area=values - F_at_a)
