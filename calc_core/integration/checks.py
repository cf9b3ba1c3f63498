"""Input checks, errors and the ln|u| convention shared by the integration modules."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy

__all__ = ["MAX_PANELS", "RULES", "IntegrationError", "NoClosedFormError", "check_interval", "check_n", "check_rule",
           "real_logs", "sample_values"]

RULES = ("left", "right", "midpoint", "trapezoid")
MAX_PANELS = 1_000_000


class IntegrationError(ValueError):
    """Bad input for an integration routine, with a learner-readable reason."""


class NoClosedFormError(IntegrationError):
    """sympy found no antiderivative in closed form (not even with special functions)."""


def check_interval(a: float, b: float) -> tuple[float, float]:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        raise IntegrationError("The interval ends a and b must be numbers.") from None
    if not (np.isfinite(a) and np.isfinite(b)):
        raise IntegrationError("The interval ends a and b must be finite numbers.")
    if not a < b:
        raise IntegrationError(f"The interval needs a < b (got a = {a:g}, b = {b:g}).")
    return a, b


def check_n(n) -> int:
    if isinstance(n, bool) or not float(n).is_integer() or not 1 <= n <= MAX_PANELS:
        raise IntegrationError(f"The number of strips n must be a whole number from 1 to {MAX_PANELS:,}.")
    return int(n)


def check_rule(rule: str) -> str:
    if rule not in RULES:
        raise IntegrationError(f"Unknown rule {rule!r}; choose one of {', '.join(RULES)}.")
    return rule


def sample_values(f: Callable, xs: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float)
    return np.broadcast_to(ys, xs.shape).astype(float)


def real_logs(expr: sympy.Expr) -> sympy.Expr:
    """ln(u) -> ln|u| in a real antiderivative: valid on both sides of u = 0."""
    if expr.has(sympy.I):
        return expr
    return expr.replace(lambda e: isinstance(e, sympy.log) and not e.args[0].is_positive,
                        lambda e: sympy.log(sympy.Abs(e.args[0])))
