"""The numerical reference: scipy's adaptive quadrature, made safe for any visitor's function."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import integrate as scipy_integrate

from calc_core.integration.checks import check_interval
from calc_core.limits import MAX_QUAD_POINTS

__all__ = ["QuadResult", "quad_integral"]

#: Subintervals quad may create in all.
QUAD_SUBDIVISIONS = 200


@dataclass(frozen=True)
class QuadResult:
    """scipy.integrate.quad's answer, with whether it trusted it.

    Attributes
    ----------
    value : float
        The estimate (NaN if quad failed outright).
    error_estimate : float
        quad's own bound on the absolute error.
    converged : bool
        False if quad warned (slow convergence, singularity, round-off) or failed.
    message : str
        Why it did not converge, or "" if it did.
    """

    value: float
    error_estimate: float
    converged: bool
    message: str


def quad_integral(f: Callable, a: float, b: float, points=()) -> QuadResult:
    """∫_a^b f dx by adaptive Gauss–Kronrod quadrature (``scipy.integrate.quad``).

    Parameters
    ----------
    f : callable
        Numeric function of one float.
    a, b : float
        Interval, a < b.
    points : iterable of float
        Trouble spots inside (a, b) that quad should split the interval at.

    Returns
    -------
    QuadResult

    Notes
    -----
    quad subdivides [a, b] until a 21-point Kronrod rule and its embedded 10-point
    Gauss rule agree on each piece; it is the independent reference for the
    Riemann sums here. Where f is undefined, quad is given 0 instead (and the
    result is marked as not converged): a NaN inside QUADPACK can crash the process.

    Examples
    --------
    >>> round(quad_integral(lambda x: 3 * x**2 - 4 * x, 0.0, 2.0).value, 12)
    0.0
    """
    a, b = check_interval(a, b)
    inner = sorted(p for p in points if a < p < b)
    # More split points than quad can use would only eat its subdivisions; then it finds its own.
    inner = inner if 0 < len(inner) <= MAX_QUAD_POINTS else None
    undefined_seen = False

    def finite_f(t: float) -> float:
        # QUADPACK's bookkeeping can corrupt memory and crash the process when the
        # integrand returns NaN (scipy issue #14945), so quad never sees one.
        nonlocal undefined_seen
        value = float(f(t))
        if math.isfinite(value):
            return value
        undefined_seen = True
        return 0.0

    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        try:
            value, error = scipy_integrate.quad(finite_f, a, b, points=inner, limit=QUAD_SUBDIVISIONS)
        except (ValueError, ZeroDivisionError, OverflowError) as exc:
            return QuadResult(float("nan"), float("nan"), False, str(exc))
    problems = [str(w.message).split("\n")[0] for w in caught if issubclass(w.category, Warning)]
    if undefined_seen:
        problems.insert(0, "f is undefined at points quad sampled")
    converged = not problems and bool(np.isfinite(value))
    message = problems[0] if problems else ("" if converged else "quad returned a non-finite value")
    return QuadResult(float(value), float(error), converged, message)
