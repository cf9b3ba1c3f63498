"""Area as a sum of thin strips: Riemann sums, their strips, the running sum and how fast they converge.

The definite integral of f over [a, b] is the limit of Riemann sums

    ∫_a^b f(x) dx = lim_{n -> ∞} Σ_{i=0}^{n-1} f(x_i*) δx,   δx = (b − a)/n.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from calc_core.integration.checks import (
    MAX_PANELS,
    RULES,
    IntegrationError,
    check_interval,
    check_n,
    check_rule,
    sample_values,
)

__all__ = ["ConvergenceStudy", "Panels", "convergence_study", "riemann_panels", "riemann_sum", "running_integral"]


def riemann_sum(f: Callable, a: float, b: float, n: int, rule: str = "left") -> float:
    """Approximate ∫_a^b f(x) dx with n strips of equal width.

    Parameters
    ----------
    f : callable
        Vectorised numeric function (NaN where undefined).
    a, b : float
        Interval, a < b.
    n : int
        Number of strips, 1 ≤ n ≤ 1 000 000.
    rule : {"left", "right", "midpoint", "trapezoid"}
        Where each strip takes its height.

    Returns
    -------
    float
        The sum; NaN if f is undefined at a point the rule samples.

    Notes
    -----
    With δx = (b − a)/n and x_i = a + i δx:

        left      δx Σ_{i=0}^{n-1} f(x_i)                  error O(δx)
        right     δx Σ_{i=1}^{n}   f(x_i)                  error O(δx)
        midpoint  δx Σ_{i=0}^{n-1} f(x_i + δx/2)           error O(δx²)
        trapezoid δx [f(x_0)/2 + Σ_{i=1}^{n-1} f(x_i) + f(x_n)/2]   error O(δx²)

    Examples
    --------
    >>> riemann_sum(lambda x: 2 * x, 0.0, 1.0, 4, "left")
    0.75
    >>> riemann_sum(lambda x: 2 * x, 0.0, 1.0, 4, "midpoint")
    1.0
    """
    a, b = check_interval(a, b)
    n = check_n(n)
    check_rule(rule)
    dx = (b - a) / n
    edges = np.linspace(a, b, n + 1)
    if rule == "left":
        total = sample_values(f, edges[:-1]).sum()
    elif rule == "right":
        total = sample_values(f, edges[1:]).sum()
    elif rule == "midpoint":
        total = sample_values(f, edges[:-1] + dx / 2).sum()
    else:
        ys = sample_values(f, edges)
        total = ys.sum() - (ys[0] + ys[-1]) / 2
    return float(total * dx)


@dataclass(frozen=True)
class Panels:
    """The strips of a Riemann sum, ready to draw.

    Attributes
    ----------
    rule : str
        The rule that produced them.
    x_left, x_right : ndarray
        Edges of each strip.
    y_left, y_right : ndarray
        Height of the strip's top at its left and right edge (equal for the
        rectangle rules; f at the edges for the trapezoid rule).
    sample_x, sample_y : ndarray
        The points where f was sampled.
    area : float
        Sum of the signed strip areas (the Riemann sum).
    width : float
        Width δx = (b − a)/n of every strip.
    """

    rule: str
    x_left: np.ndarray
    x_right: np.ndarray
    y_left: np.ndarray
    y_right: np.ndarray
    sample_x: np.ndarray
    sample_y: np.ndarray
    area: float
    width: float


def riemann_panels(f: Callable, a: float, b: float, n: int, rule: str = "left") -> Panels:
    """The strips behind :func:`riemann_sum`, for drawing.

    Parameters
    ----------
    f, a, b, n, rule
        As in :func:`riemann_sum`.

    Returns
    -------
    Panels

    Notes
    -----
    Strip i spans [x_i, x_{i+1}]. Its top is flat at f(sample) for the rectangle
    rules and runs from f(x_i) to f(x_{i+1}) for the trapezoid rule; its signed
    area counts negative where f < 0.

    Examples
    --------
    >>> p = riemann_panels(lambda x: x, 0.0, 2.0, 2, "right")
    >>> p.y_left.tolist(), p.area
    ([1.0, 2.0], 3.0)
    """
    a, b = check_interval(a, b)
    n = check_n(n)
    check_rule(rule)
    edges = np.linspace(a, b, n + 1)
    x_left, x_right = edges[:-1], edges[1:]
    if rule == "trapezoid":
        ys = sample_values(f, edges)
        y_left, y_right = ys[:-1], ys[1:]
        sample_x, sample_y = edges, ys
    else:
        sample_x = {"left": x_left, "right": x_right, "midpoint": (x_left + x_right) / 2}[rule]
        sample_y = sample_values(f, sample_x)
        y_left = y_right = sample_y
    with np.errstate(all="ignore"):
        area = float(np.sum((x_right - x_left) * (y_left + y_right) / 2))
    return Panels(
        rule=rule,
        x_left=x_left,
        x_right=x_right,
        y_left=y_left,
        y_right=y_right,
        sample_x=sample_x,
        sample_y=sample_y,
        area=area,
        width=(b - a) / n,
    )


def running_integral(f: Callable, a: float, b: float, dx: float, rule: str = "left") -> tuple[np.ndarray, np.ndarray]:
    """The area from a up to each x: a running sum of f·δx.

    Parameters
    ----------
    f : callable
        Vectorised numeric function.
    a, b : float
        Interval, a < b.
    dx : float
        Strip width δx, 0 < δx ≤ b − a. If it does not divide b − a evenly,
        the last strip is narrower so the sum ends exactly at b.
    rule : {"left", "right", "midpoint", "trapezoid"}
        Height of each strip (the course's running sum is the left rule).

    Returns
    -------
    xs : ndarray
        a, a + δx, ..., b.
    values : ndarray
        values[k] = sum of the strips between a and xs[k]; values[0] = 0. Once f
        is undefined at a sample point, the running sum is NaN from there on.

    Notes
    -----
    values[k] = Σ_{i<k} f(x_i*) (x_{i+1} − x_i) ≈ ∫_a^{x_k} f(t) dt = F(x_k) − F(a),
    which is why the running sum traces an antiderivative, shifted so it is 0 at a.
    (A plain ``cumsum`` of f(x_i)·δx already includes the strip to the right of x_k,
    so its curve sits one strip ahead of the area up to x_k.)

    Examples
    --------
    >>> xs, values = running_integral(lambda x: 2 * x, 0.0, 1.0, 0.25, "midpoint")
    >>> values.tolist()
    [0.0, 0.0625, 0.25, 0.5625, 1.0]
    """
    a, b = check_interval(a, b)
    check_rule(rule)
    try:
        dx = float(dx)
    except (TypeError, ValueError):
        raise IntegrationError("The step δx must be a number.") from None
    if not np.isfinite(dx) or dx <= 0:
        raise IntegrationError("The step δx must be a positive number.")
    if dx > b - a:
        raise IntegrationError(f"The step δx = {dx:g} is wider than the interval [{a:g}, {b:g}].")
    count = int(np.ceil((b - a) / dx - 1e-9))
    if count > MAX_PANELS:
        raise IntegrationError(f"δx is too small: more than {MAX_PANELS:,} strips.")
    xs = np.minimum(a + dx * np.arange(count + 1), b)
    xs[-1] = b
    left, right = xs[:-1], xs[1:]
    if rule == "left":
        heights = sample_values(f, left)
    elif rule == "right":
        heights = sample_values(f, right)
    elif rule == "midpoint":
        heights = sample_values(f, (left + right) / 2)
    else:
        ys = sample_values(f, xs)
        heights = (ys[:-1] + ys[1:]) / 2
    with np.errstate(all="ignore"):
        values = np.concatenate(([0.0], np.cumsum(heights * (right - left))))
    return xs, values


# ---------------------------------------------------------------------------
# Convergence
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConvergenceStudy:
    """Error of each Riemann rule as the number of strips grows.

    Attributes
    ----------
    ns : ndarray of int
        Numbers of strips, increasing.
    exact : float
        The reference value of the integral.
    errors : dict of str -> ndarray
        |riemann_sum(..., rule) − exact| for each rule in :data:`RULES`.
    orders : dict of str -> float or None
        Fitted slope p of error ≈ C·n^(−p) (1 for left/right, 2 for midpoint and
        trapezoid on smooth f); None when the rule is exact up to round-off (too
        few errors above the round-off floor to fit a line).
    """

    ns: np.ndarray
    exact: float
    errors: dict
    orders: dict


def _order(ns: np.ndarray, errors: np.ndarray, floor: float) -> float | None:
    usable = np.isfinite(errors) & (errors > floor) & (ns >= 4)
    if usable.sum() < 3:
        return None
    slope, _ = np.polyfit(np.log(ns[usable]), np.log(errors[usable]), 1)
    return float(-slope)


def convergence_study(f: Callable, a: float, b: float, exact: float, ns=None) -> ConvergenceStudy:
    """Error versus number of strips for the four Riemann rules.

    Parameters
    ----------
    f : callable
        Vectorised numeric function, defined on [a, b].
    a, b : float
        Interval, a < b.
    exact : float
        The true value of ∫_a^b f dx (from :func:`definite_integral` or quad).
    ns : sequence of int, optional
        Numbers of strips; default about 25 values from 1 to 10 000, evenly spaced
        in log scale.

    Returns
    -------
    ConvergenceStudy

    Notes
    -----
    For f with a bounded second derivative the errors behave like

        left, right:          |E| ≈ (b − a) |f(b) − f(a)| / (2n)      (order 1)
        midpoint, trapezoid:  |E| ≈ (b − a)² |f'(b) − f'(a)| / (c n²) (order 2;
                                c = 24 and 12)

    so on log-log axes the curves are straight lines of slope −1 and −2. The
    slopes are fitted over errors above 100·ε·max(1, |exact|); below that,
    round-off dominates.

    Examples
    --------
    >>> study = convergence_study(np.exp, 0.0, 1.0, float(np.e - 1))
    >>> round(study.orders["left"]), round(study.orders["midpoint"])
    (1, 2)
    """
    a, b = check_interval(a, b)
    exact = float(exact)
    if not np.isfinite(exact):
        raise IntegrationError("The reference value of the integral must be a finite number.")
    if ns is None:
        ns = np.unique(np.round(np.logspace(0, 4, 25)).astype(int))
    ns = np.asarray(sorted({check_n(n) for n in ns}), dtype=int)
    floor = 100 * np.finfo(float).eps * max(1.0, abs(exact))
    errors = {}
    orders = {}
    for rule in RULES:
        err = np.array([abs(riemann_sum(f, a, b, int(n), rule) - exact) for n in ns])
        errors[rule] = err
        orders[rule] = _order(ns, err, floor)
    return ConvergenceStudy(ns=ns, exact=exact, errors=errors, orders=orders)
