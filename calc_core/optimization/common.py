"""What every part of the optimization lesson shares: its error, its tolerances, how it writes numbers."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import numpy as np
import sympy

# A derivative value below this (after 30-digit evaluation at an exact point) is zero.
EXACT_ZERO = 1e-20
# A numeric root is accepted when |f'(root)| is below this times the largest |f'| nearby.
ROOT_TOLERANCE = 1e-9
# At most this many critical points are listed (sin(50x) has hundreds on a window).
MAX_POINTS = 100
# Digits sympy evaluates an exact number to before it becomes a float.
EXACT_DIGITS = 30


class OptimizationError(ValueError):
    """Input that the optimization tools cannot work with, explained for a learner."""


def check_variables(expr: sympy.Expr, names: Sequence[str]) -> None:
    """Refuse a function that uses a letter other than ``names``."""
    extra = sorted(str(s) for s in expr.free_symbols if str(s) not in names)
    if extra:
        raise OptimizationError(f"The function may only use {' and '.join(names)}; it also uses "
                                f"{', '.join(extra)}.")


def real_value(expr: sympy.Expr) -> float | None:
    """An exact number evaluated to 30 digits, or None if it is not a finite real.

    Radical forms of real cubic roots carry imaginary parts like 1e-116 after
    evaluation; those count as real.
    """
    try:
        number = complex(expr.evalf(EXACT_DIGITS))
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(number.real) and math.isfinite(number.imag)):
        return None
    if abs(number.imag) > EXACT_ZERO * (1 + abs(number.real)):
        return None
    return number.real


def format_number(value) -> str:
    """A short, readable number: exact when short (``4/3``), else 4 significant digits."""
    if isinstance(value, sympy.Basic):
        if value.is_Rational or (value.is_number and not value.has(sympy.Float) and len(str(value)) <= 12):
            return str(value).replace("**", "^").replace("*", "·")
        value = real_value(value)
    value = float(value)
    if value == 0:
        return "0"
    return f"{value:.4g}"


def quiet(function: Callable) -> Callable:
    """Run ``function`` with numpy's overflow warnings off: a diverging run is reported, not warned about."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return function(*args, **kwargs)

    return wrapper
