"""Evaluating a function of two variables safely: points, and values that may be undefined.

Numeric helpers of the gradient lesson take vectorised callables ``f(x, y)``
(such as the ones ``calc_core.expressions.to_function`` builds); values where f
is undefined are NaN and stay NaN instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["Function2D", "GradientError", "as_point", "evaluate"]

Function2D = Callable[[np.ndarray, np.ndarray], np.ndarray]


class GradientError(ValueError):
    """Bad input to a gradient computation, with a message a learner can act on."""


def as_point(point: Sequence[float]) -> tuple[float, float]:
    """``point`` as two finite floats (x, y); :class:`GradientError` otherwise."""
    try:
        x0, y0 = (float(c) for c in point)
    except (TypeError, ValueError):
        raise GradientError("The point needs exactly two numbers, (x, y).") from None
    if not (np.isfinite(x0) and np.isfinite(y0)):
        raise GradientError("The point's coordinates must be finite numbers.")
    return x0, y0


def evaluate(f: Function2D, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """f(x, y) as a float array of the inputs' shape; non-real or invalid values become NaN."""
    with np.errstate(all="ignore"):
        values = np.asarray(f(x, y))
    if np.iscomplexobj(values):
        values = np.where(np.abs(values.imag) > 0, np.nan, values.real)
    values = np.broadcast_to(np.asarray(values, dtype=float), np.broadcast(x, y).shape)
    return np.where(np.isfinite(values), values, np.nan)
