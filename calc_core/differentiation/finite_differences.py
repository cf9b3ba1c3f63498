"""The derivative as a rate of change: finite differences with a step h.

    f'(x) = lim_{h -> 0} (f(x + h) - f(x)) / h.

:func:`finite_difference` computes the rate of change with a finite step,
:func:`step_size_study` measures how far it is from the exact value as h shrinks
(truncation against round-off), and :func:`tangent_secant` gives the two lines a
chart draws at x0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from calc_core.differentiation.rules import DifferentiationError

__all__ = ["SCHEMES", "SCHEME_FORMULAS", "StepSizeStudy", "TangentSecant", "finite_difference", "numeric_derivative",
           "step_size_study", "tangent_secant"]

SCHEMES = ("forward", "backward", "central")
SCHEME_FORMULAS = {
    "forward": "(f(x + δx) − f(x)) / δx",
    "backward": "(f(x) − f(x − δx)) / δx",
    "central": "(f(x + δx) − f(x − δx)) / (2δx)",
}

# ---------------------------------------------------------------------------
# Rate of change with a finite step
# ---------------------------------------------------------------------------


def _check_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise DifferentiationError(f"Unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}.")
    return scheme


def finite_difference(f: Callable, x, h, scheme: str = "forward", poles=()):
    """Rate of change of ``f`` over a step ``h``: an estimate of f'(x).

    Parameters
    ----------
    f : callable
        Vectorised numeric function (NaN where undefined).
    x : float or ndarray
        Point(s) where the slope is wanted.
    h : float or ndarray
        Step size(s), positive; broadcast against ``x``.
    scheme : {"forward", "backward", "central"}
    poles : iterable of float
        Points where f is unbounded. A secant whose two points lie on opposite
        sides of a pole (or on it) measures no rate of change; those results are NaN.

    Returns
    -------
    float or ndarray
        The difference quotient, NaN where f is undefined at a point it needs.

    Notes
    -----
    forward:  (f(x + h) − f(x)) / h,        error O(h)
    backward: (f(x) − f(x − h)) / h,        error O(h)
    central:  (f(x + h) − f(x − h)) / (2h), error O(h²)

    With floating point, f(x + h) − f(x) loses digits when h is tiny, so the
    error also has a round-off part of about ε|f(x)|/h (see :func:`step_size_study`).

    Examples
    --------
    >>> finite_difference(lambda t: t**2, 3.0, 0.5, "forward")
    6.5
    >>> finite_difference(lambda t: t**2, 3.0, 0.5, "central")
    6.0
    """
    _check_scheme(scheme)
    x_arr = np.asarray(x, dtype=float)
    h_arr = np.asarray(h, dtype=float)
    if not np.all(np.isfinite(h_arr)) or np.any(h_arr <= 0):
        raise DifferentiationError("The step h must be a positive number.")
    with np.errstate(all="ignore"):
        if scheme == "forward":
            value = (np.asarray(f(x_arr + h_arr)) - np.asarray(f(x_arr))) / h_arr
        elif scheme == "backward":
            value = (np.asarray(f(x_arr)) - np.asarray(f(x_arr - h_arr))) / h_arr
        else:
            value = (np.asarray(f(x_arr + h_arr)) - np.asarray(f(x_arr - h_arr))) / (2 * h_arr)
    value = np.array(value, dtype=float)
    left = x_arr if scheme == "forward" else x_arr - h_arr
    right = x_arr if scheme == "backward" else x_arr + h_arr
    poles = np.sort(np.asarray(poles, dtype=float).ravel())
    if poles.size:
        # A pole lies in [left, right] when more poles start at or before right than before left.
        left, right = np.broadcast_to(left, value.shape), np.broadcast_to(right, value.shape)
        across = np.searchsorted(poles, right, side="right") > np.searchsorted(poles, left, side="left")
        value[across] = np.nan
    return float(value) if value.ndim == 0 else value


def numeric_derivative(f: Callable) -> Callable:
    """f′ as central differences of f, for when no formula for f′ is available.

    Parameters
    ----------
    f : callable
        Vectorised numeric function.

    Returns
    -------
    callable
        ``df(x)`` = (f(x + h) − f(x − h)) / (2h) with h = ε^(1/3)·max(1, |x|), the
        step that balances truncation (∝ h²) against round-off (∝ ε/h): about ten
        correct digits for a smooth f.

    Examples
    --------
    >>> round(float(numeric_derivative(np.sin)(0.0)), 9)
    1.0
    """
    step = float(np.cbrt(np.finfo(float).eps))

    def df(x):
        x = np.asarray(x, dtype=float)
        return finite_difference(f, x, step * np.maximum(1.0, np.abs(x)), "central")

    return df


@dataclass(frozen=True)
class StepSizeStudy:
    """Error of forward and central differences at one point, for many steps h.

    Attributes
    ----------
    x0 : float
        The point.
    exact : float
        f'(x0) by the rules.
    h : ndarray
        Step sizes, increasing.
    forward_error, central_error : ndarray
        |finite difference − exact| for each h (NaN where f is undefined).
    best_h_forward, best_h_central : float
        The h with the smallest error for each scheme (NaN if no error is finite).
    best_error_forward, best_error_central : float
        That smallest error.
    theory_h_forward, theory_h_central : float
        The usual rule-of-thumb optimum: √ε for forward, ε^(1/3) for central
        (ε = machine epsilon), both scaled by max(1, |x0|).
    exact_forward, exact_central : bool
        True when the scheme shows no truncation error even at the largest h
        (forward: f is linear near x0; central: f is quadratic, e.g. x²), so
        its error is round-off only and the "best h" is simply the largest.
    """

    x0: float
    exact: float
    h: np.ndarray
    forward_error: np.ndarray
    central_error: np.ndarray
    best_h_forward: float
    best_h_central: float
    best_error_forward: float
    best_error_central: float
    theory_h_forward: float
    theory_h_central: float
    exact_forward: bool
    exact_central: bool


def _best(h: np.ndarray, error: np.ndarray) -> tuple[float, float]:
    finite = np.isfinite(error)
    if not finite.any():
        return float("nan"), float("nan")
    i = int(np.nanargmin(np.where(finite, error, np.nan)))
    return float(h[i]), float(error[i])


def step_size_study(
    f: Callable,
    x0: float,
    exact: float,
    exponents: tuple[float, float] = (-16.0, 0.0),
    num: int = 129,
) -> StepSizeStudy:
    """How the finite-difference error depends on the step h.

    Parameters
    ----------
    f : callable
        Vectorised numeric function.
    x0 : float
        Point where the derivative is estimated.
    exact : float
        The exact derivative f'(x0), e.g. from :func:`derivative`.
    exponents : (float, float)
        h runs over 10**lo ... 10**hi, evenly spaced in log scale.
    num : int
        Number of step sizes.

    Returns
    -------
    StepSizeStudy

    Notes
    -----
    For a smooth f, Taylor's theorem gives the truncation errors

        forward: (f(x+h) − f(x))/h − f'(x)      ≈ h f''(x) / 2
        central: (f(x+h) − f(x−h))/(2h) − f'(x) ≈ h² f'''(x) / 6

    while rounding f to about ε|f(x)| adds an error of order ε|f(x)|/h. The total
    is smallest near h ≈ √ε for forward and h ≈ ε^(1/3) for central differences:
    below that, smaller steps make the estimate worse, not better.

    Examples
    --------
    >>> study = step_size_study(np.exp, 1.0, float(np.e))
    >>> 1e-10 < study.best_h_forward < 1e-6, 1e-7 < study.best_h_central < 1e-3
    (True, True)
    """
    x0 = float(x0)
    exact = float(exact)
    if not np.isfinite(x0):
        raise DifferentiationError("The point x0 must be a finite number.")
    if not np.isfinite(exact):
        raise DifferentiationError("f′ has no finite value at this point, so there is no error to measure.")
    lo, hi = (float(e) for e in exponents)
    if not lo < hi or num < 2:
        raise DifferentiationError("The step range needs a smaller lower exponent than upper one and at least 2 steps.")
    h = np.logspace(lo, hi, int(num))
    with np.errstate(all="ignore"):
        forward_error = np.abs(finite_difference(f, x0, h, "forward") - exact)
        central_error = np.abs(finite_difference(f, x0, h, "central") - exact)
    eps = np.finfo(float).eps
    scale = max(1.0, abs(x0))
    # Round-off in a difference quotient at step h is about ε·|f|/h; an error no
    # larger than that at the biggest step means there is no truncation error.
    round_off = 1e3 * eps * max(1.0, abs(float(f(x0))), abs(exact)) / h[-1]
    best_h_forward, best_error_forward = _best(h, forward_error)
    best_h_central, best_error_central = _best(h, central_error)
    return StepSizeStudy(
        x0=x0,
        exact=exact,
        h=h,
        forward_error=forward_error,
        central_error=central_error,
        best_h_forward=best_h_forward,
        best_h_central=best_h_central,
        best_error_forward=best_error_forward,
        best_error_central=best_error_central,
        theory_h_forward=float(np.sqrt(eps) * scale),
        theory_h_central=float(np.cbrt(eps) * scale),
        exact_forward=bool(forward_error[-1] <= round_off),
        exact_central=bool(central_error[-1] <= round_off),
    )


# ---------------------------------------------------------------------------
# Tangent and secant at a point
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TangentSecant:
    """The tangent at x0 and the secant a finite-difference scheme uses.

    Attributes
    ----------
    x0, y0 : float
        The point (x0, f(x0)).
    slope : float
        f'(x0) by the rules (NaN where f is not differentiable).
    secant_x : (float, float)
        The two x values the scheme evaluates f at.
    secant_y : (float, float)
        f at those x values.
    secant_slope : float
        The finite-difference slope (rise over run between the two points).
    """

    x0: float
    y0: float
    slope: float
    secant_x: tuple[float, float]
    secant_y: tuple[float, float]
    secant_slope: float

    @property
    def gap(self) -> float:
        """|secant slope − f'(x0)|: how far the rate of change is from the derivative."""
        return abs(self.secant_slope - self.slope)

    def tangent(self, xs):
        """Points of the tangent line y = f(x0) + f'(x0)(x − x0) at ``xs``."""
        return self.y0 + self.slope * (np.asarray(xs, dtype=float) - self.x0)

    def secant(self, xs):
        """Points of the secant line through the scheme's two points at ``xs``."""
        return self.secant_y[0] + self.secant_slope * (np.asarray(xs, dtype=float) - self.secant_x[0])


def tangent_secant(f: Callable, x0: float, slope: float, h: float, scheme: str = "forward") -> TangentSecant:
    """Tangent line at x0 and the secant whose slope is the finite difference.

    Parameters
    ----------
    f : callable
        Vectorised numeric function.
    x0 : float
        Point of tangency.
    slope : float
        f'(x0) by the rules (pass NaN where it does not exist).
    h : float
        Step of the finite difference, positive.
    scheme : {"forward", "backward", "central"}

    Returns
    -------
    TangentSecant

    Notes
    -----
    The secant passes through (x0, f(x0)) and (x0 + h, f(x0 + h)) for forward,
    (x0 − h, ...) and (x0, ...) for backward, and (x0 − h, ...) and (x0 + h, ...)
    for central differences. Its slope is exactly :func:`finite_difference`; as
    h → 0 it turns into the tangent.

    Examples
    --------
    >>> ts = tangent_secant(lambda t: t**2, 1.0, 2.0, 0.5)
    >>> ts.secant_slope, float(ts.tangent(2.0))
    (2.5, 3.0)
    """
    _check_scheme(scheme)
    x0 = float(x0)
    h = float(h)
    if not np.isfinite(h) or h <= 0:
        raise DifferentiationError("The step h must be a positive number.")
    xa, xb = {"forward": (x0, x0 + h), "backward": (x0 - h, x0), "central": (x0 - h, x0 + h)}[scheme]
    ya, yb, y0 = (float(v) for v in np.asarray(f(np.array([xa, xb, x0])), dtype=float))
    with np.errstate(all="ignore"):
        secant_slope = (yb - ya) / (xb - xa)
    return TangentSecant(
        x0=x0,
        y0=y0,
        slope=float(slope),
        secant_x=(xa, xb),
        secant_y=(ya, yb),
        secant_slope=float(secant_slope),
    )
