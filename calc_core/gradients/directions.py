"""The gradient as a direction: scanning every direction for the steepest one, and naming angles.

D_u f(p) = ∇f(p) · u is largest when u points along ∇f, where it equals |∇f(p)|.
:func:`directional_scan` checks this by brute force, the way the course does;
:func:`gradient_direction` gives the exact length and angle of ∇f(p). Angles are
counter-clockwise from +x here; the course measures clockwise from +y
(:func:`course_bearing_deg`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from calc_core.gradients.evaluation import Function2D, GradientError, as_point, evaluate

__all__ = ["DEFAULT_ANGLES_DEG", "DirectionalScan", "GradientDirection", "course_bearing_deg", "directional_scan",
           "gradient_direction"]

DEFAULT_ANGLES_DEG = np.arange(3600) / 10.0
"""0.1-degree steps over [0, 360), the course's resolution (exact decimals)."""


@dataclass(frozen=True)
class DirectionalScan:
    """Rates of change of f at a point in many directions.

    Attributes
    ----------
    point : tuple of float
        The point (x0, y0).
    step : float
        The step length s used in the difference quotient.
    angles_deg : ndarray, shape (k,)
        Directions, in degrees counter-clockwise from the +x axis.
    rates : ndarray, shape (k,)
        (f(p + s·u) − f(p)) / s for the unit vector u at each angle (NaN where f is undefined).
    best_angle_deg : float
        Angle of the largest rate (counter-clockwise from +x); NaN if no rate is defined.
    best_rate : float
        The largest rate; NaN if no rate is defined.
    gradient_estimate : tuple of float
        ``best_rate`` times the unit vector at ``best_angle_deg``: the scan's estimate of ∇f(p).
    """

    point: tuple[float, float]
    step: float
    angles_deg: np.ndarray
    rates: np.ndarray
    best_angle_deg: float
    best_rate: float
    gradient_estimate: tuple[float, float]

    @property
    def is_defined(self) -> bool:
        """Whether at least one direction gave a finite rate."""
        return bool(np.isfinite(self.best_rate))


def course_bearing_deg(angle_deg: float) -> float:
    """Convert an angle counter-clockwise from +x to the course's convention.

    The course's scan steps by (sin θ, cos θ), so its θ is measured clockwise
    from the +y axis (a compass bearing).

    Notes
    -----
    bearing = (90° − angle) mod 360°.

    Examples
    --------
    >>> course_bearing_deg(81.6)
    8.4
    """
    return round((90.0 - float(angle_deg)) % 360.0, 10)



def directional_scan(
    f: Function2D,
    point: Sequence[float],
    step: float = 1e-4,
    angles_deg: Sequence[float] | None = None,
) -> DirectionalScan:
    """Measure the rate of change of f at a point in every direction.

    Parameters
    ----------
    f : callable
        ``f(x, y)``, vectorised over numpy arrays.
    point : (float, float)
        The point p = (x0, y0).
    step : float
        Step length s > 0 of the forward difference.
    angles_deg : sequence of float, optional
        Directions in degrees counter-clockwise from +x. Default: 0.1° steps over [0, 360).

    Returns
    -------
    DirectionalScan
        All rates, the best direction, and the gradient estimate best_rate · u_best.

    Notes
    -----
    For the unit vector u = (cos θ, sin θ) the rate is

        D_u f(p) ≈ (f(p + s·u) − f(p)) / s,

    and D_u f(p) = ∇f(p) · u is largest when u points along ∇f, where it
    equals |∇f(p)|. So the best direction times the best rate estimates ∇f(p).
    The first of several equal maxima wins.

    Examples
    --------
    >>> scan = directional_scan(lambda x, y: x**2 + y**3, (2, 3))
    >>> round(scan.best_angle_deg, 1), [round(g, 3) for g in scan.gradient_estimate]
    (81.6, [3.987, 27.003])
    """
    x0, y0 = as_point(point)
    step = float(step)
    if not (np.isfinite(step) and step > 0):
        raise GradientError("The step must be a positive number, such as 0.0001.")
    if angles_deg is None:
        angles = DEFAULT_ANGLES_DEG.copy()
    else:
        angles = np.asarray(angles_deg, dtype=float).ravel()
        if angles.size == 0 or not np.all(np.isfinite(angles)):
            raise GradientError("Give at least one finite angle to scan.")
    theta = np.deg2rad(angles)
    f0 = evaluate(f, np.asarray(x0), np.asarray(y0))
    shifted = evaluate(f, x0 + step * np.cos(theta), y0 + step * np.sin(theta))
    rates = (shifted - f0) / step
    angles.setflags(write=False)
    rates.setflags(write=False)
    if np.all(np.isnan(rates)):
        nan = float("nan")
        return DirectionalScan((x0, y0), step, angles, rates, nan, nan, (nan, nan))
    best = int(np.nanargmax(rates))
    best_rate = float(rates[best])
    best_theta = theta[best]
    estimate = (best_rate * float(np.cos(best_theta)), best_rate * float(np.sin(best_theta)))
    return DirectionalScan((x0, y0), step, angles, rates, float(angles[best]), best_rate, estimate)


@dataclass(frozen=True)
class GradientDirection:
    """Length and direction of ∇f at a point.

    Attributes
    ----------
    gradient : (float, float)
        ∇f(p); NaN where undefined.
    norm : float
        |∇f(p)|, the fastest rate of change; NaN where undefined.
    angle_deg : float
        Direction of ∇f(p) in degrees counter-clockwise from +x, in [0, 360); NaN where ∇f(p) is
        undefined or zero (no direction).
    bearing_deg : float
        The same direction the course's way, clockwise from +y; NaN where ``angle_deg`` is.
    """

    gradient: tuple[float, float]
    norm: float
    angle_deg: float
    bearing_deg: float

    @property
    def is_defined(self) -> bool:
        """Whether ∇f(p) has a finite value."""
        return math.isfinite(self.norm)


def gradient_direction(grad: Sequence[float]) -> GradientDirection:
    """Length, angle from +x and course bearing of a gradient vector.

    Notes
    -----
    |∇f| = sqrt(gx² + gy²); angle = atan2(gy, gx) mod 360°; bearing = (90° − angle) mod 360°.

    Examples
    --------
    >>> d = gradient_direction((4.0, 27.0))
    >>> round(d.norm, 4), round(d.angle_deg, 2), round(d.bearing_deg, 2)
    (27.2947, 81.57, 8.43)
    """
    gx, gy = (float(g) for g in grad)
    nan = float("nan")
    if not (math.isfinite(gx) and math.isfinite(gy)):
        return GradientDirection((gx, gy), nan, nan, nan)
    norm = math.hypot(gx, gy)
    if norm == 0:
        return GradientDirection((gx, gy), norm, nan, nan)
    angle = math.degrees(math.atan2(gy, gx)) % 360
    return GradientDirection((gx, gy), norm, angle, course_bearing_deg(angle))
