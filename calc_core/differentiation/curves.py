"""f and f′ sampled side by side for the derivatives chart."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from calc_core.differentiation.rules import derivative
from calc_core.expressions import to_function
from calc_core.sampling import PLOT_SAMPLES, sample_curve

__all__ = ["DerivativeCurves", "derivative_curves"]


@dataclass(frozen=True)
class DerivativeCurves:
    """f and f' sampled for plotting, with gaps where either is undefined.

    Attributes
    ----------
    derivative : sympy.Expr
        f' by the rules.
    x : ndarray
        Sample points (an even grid plus the break points).
    f, slope : ndarray
        f(x) and f'(x); NaN at break points and where undefined.
    """

    derivative: sympy.Expr
    x: np.ndarray
    f: np.ndarray
    slope: np.ndarray


def derivative_curves(expr: sympy.Expr, var: str = "x", lo: float = -5.0, hi: float = 5.0, n: int = PLOT_SAMPLES,
                      breaks=(), slope: sympy.Expr | None = None) -> DerivativeCurves:
    """Sample f and its derivative on [lo, hi] for a chart.

    Parameters
    ----------
    expr : sympy.Expr
        The function f.
    var : str
        Its variable.
    lo, hi : float
        Plot range, lo < hi.
    n : int
        Number of evenly spaced samples.
    breaks : iterable of float
        Points where the curves must have a gap, usually ``domain_report(...).breaks``.
    slope : sympy.Expr, optional
        f' if already known (saves differentiating again).

    Returns
    -------
    DerivativeCurves

    Notes
    -----
    f' is differentiated once, by :func:`derivative`, and both curves are sampled
    with :func:`sample_curve` on the same points, so they line up in a chart.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> curves = derivative_curves(x**2, lo=0, hi=1, n=3)
    >>> curves.derivative, curves.slope.tolist()
    (2*x, [0.0, 1.0, 2.0])
    """
    d = derivative(expr, var) if slope is None else slope
    xs, ys = sample_curve(to_function(expr, (var,)), lo, hi, n, breaks)
    _, slopes = sample_curve(to_function(d, (var,)), lo, hi, n, breaks)
    return DerivativeCurves(derivative=d, x=xs, f=ys, slope=slopes)
