"""Gradient of a function of two variables, and what it looks like.

The gradient of f(x, y) collects its partial derivatives. It points where f
grows fastest, its length is that fastest rate, and it is perpendicular to the
level curve through the point. This module computes it symbolically
(:func:`gradient`), checks it by brute force over directions
(:func:`directional_scan`), and samples the views a page draws: f on a grid,
the gradient field, and the level curve through a point.

Numeric helpers take vectorised callables ``f(x, y)`` (such as the ones
``calc_core.expressions.to_function`` builds); values where f is undefined are
NaN and stay NaN instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import contourpy
import numpy as np
import sympy as sp

from calc_core.expressions import with_real_symbols

__all__ = [
    "DirectionalScan",
    "FunctionGrid",
    "GradientError",
    "GradientField",
    "LevelCurve",
    "course_bearing_deg",
    "directional_scan",
    "gradient",
    "gradient_at",
    "gradient_field",
    "level_curve",
    "sample_grid",
]

DEFAULT_ANGLES_DEG = np.arange(3600) / 10.0
"""0.1-degree steps over [0, 360), the course's resolution (exact decimals)."""

MAX_GRID_POINTS = 401
"""Largest number of samples per axis for grid helpers (keeps a public server responsive)."""


class GradientError(ValueError):
    """Bad input to a gradient computation, with a message a learner can act on."""


Function2D = Callable[[np.ndarray, np.ndarray], np.ndarray]


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


@dataclass(frozen=True)
class FunctionGrid:
    """Values of f on a rectangular grid (``indexing="xy"``: rows follow y, columns follow x).

    Attributes
    ----------
    x, y : ndarray, shape (ny, nx)
        Grid coordinates.
    z : ndarray, shape (ny, nx)
        f(x, y), NaN where f is undefined.
    """

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray

    @property
    def defined_fraction(self) -> float:
        """Share of grid points where f is finite (1.0 means defined everywhere shown)."""
        return float(np.isfinite(self.z).mean())


@dataclass(frozen=True)
class GradientField:
    """The vector field ∇f sampled on a grid (``indexing="xy"``).

    Attributes
    ----------
    x, y : ndarray, shape (ny, nx)
        Grid coordinates.
    u, v : ndarray, shape (ny, nx)
        ∂f/∂x and ∂f/∂y at each grid point (NaN where undefined).
    magnitude : ndarray, shape (ny, nx)
        |∇f| = sqrt(u² + v²).
    """

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    magnitude: np.ndarray


@dataclass(frozen=True)
class LevelCurve:
    """The level set {f = c} through a point, as polylines inside a window.

    Attributes
    ----------
    level : float
        c = f(point); NaN if f is undefined at the point.
    lines : tuple of ndarray
        Each an array of shape (k, 2) of (x, y) vertices; empty if the level is undefined.
    """

    level: float
    lines: tuple[np.ndarray, ...]


def _symbols(variables: Sequence[str | sp.Symbol]) -> tuple[sp.Symbol, ...]:
    if isinstance(variables, (str, sp.Symbol)):
        variables = (variables,)
    symbols = tuple(v if isinstance(v, sp.Symbol) else sp.Symbol(str(v)) for v in variables)
    if not symbols:
        raise GradientError("Name at least one variable to differentiate with respect to.")
    if len(set(symbols)) != len(symbols):
        raise GradientError("Each variable may appear only once.")
    return symbols


def gradient(expr: sp.Expr, variables: Sequence[str] = ("x", "y")) -> tuple[sp.Expr, ...]:
    """Symbolic gradient: the partial derivative of ``expr`` in each variable.

    Parameters
    ----------
    expr : sympy.Expr
        The function f.
    variables : sequence of str
        Variable names, in the order of the gradient's components.

    Returns
    -------
    tuple of sympy.Expr
        (∂f/∂v₁, ∂f/∂v₂, …). Symbols not listed are treated as constants; all symbols are
        taken as real (so the derivative of |x| is sign(x)).

    Notes
    -----
    ∇f = (∂f/∂x, ∂f/∂y); each partial derivative treats the other variables
    as constants.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> gradient(x**2 + y**3)
    (2*x, 3*y**2)
    """
    symbols = _symbols(variables)
    # Real symbols keep d|x|/dx = sign(x) instead of sympy's complex re/im form.
    names = [str(s) for s in symbols] + sorted({str(s) for s in expr.free_symbols} - {str(s) for s in symbols})
    return with_real_symbols(expr, names, lambda e, *real: tuple(sp.diff(e, r) for r in real[: len(symbols)]))


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


def _point2(point: Sequence[float]) -> tuple[float, float]:
    try:
        x0, y0 = (float(c) for c in point)
    except (TypeError, ValueError):
        raise GradientError("The point needs exactly two numbers, (x, y).") from None
    if not (np.isfinite(x0) and np.isfinite(y0)):
        raise GradientError("The point's coordinates must be finite numbers.")
    return x0, y0


def _evaluate(f: Function2D, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """f(x, y) as a float array of the inputs' shape; non-real or invalid values become NaN."""
    with np.errstate(all="ignore"):
        values = np.asarray(f(x, y))
    if np.iscomplexobj(values):
        values = np.where(np.abs(values.imag) > 0, np.nan, values.real)
    values = np.broadcast_to(np.asarray(values, dtype=float), np.broadcast(x, y).shape)
    return np.where(np.isfinite(values), values, np.nan)


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
    x0, y0 = _point2(point)
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
    f0 = _evaluate(f, np.asarray(x0), np.asarray(y0))
    shifted = _evaluate(f, x0 + step * np.cos(theta), y0 + step * np.sin(theta))
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


def _axis(bounds: Sequence[float], n: int, name: str) -> np.ndarray:
    try:
        lo, hi = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise GradientError(f"The {name} range needs two numbers, (low, high).") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise GradientError(f"The {name} range must go from a smaller to a larger finite number.")
    return np.linspace(lo, hi, n)


def _grid(x_range: Sequence[float], y_range: Sequence[float], n: int) -> tuple[np.ndarray, np.ndarray]:
    if not 2 <= int(n) <= MAX_GRID_POINTS:
        raise GradientError(f"Use between 2 and {MAX_GRID_POINTS} grid points per axis.")
    return np.meshgrid(_axis(x_range, int(n), "x"), _axis(y_range, int(n), "y"), indexing="xy")


def sample_grid(f: Function2D, x_range: Sequence[float], y_range: Sequence[float], n: int = 80) -> FunctionGrid:
    """Sample f on an n × n grid over a rectangle.

    Parameters
    ----------
    f : callable
        ``f(x, y)``, vectorised.
    x_range, y_range : (float, float)
        The rectangle [x_lo, x_hi] × [y_lo, y_hi].
    n : int
        Samples per axis (2 to 401).

    Returns
    -------
    FunctionGrid

    Notes
    -----
    z[i, j] = f(x_j, y_i) with x_j, y_i evenly spaced, ends included.

    Examples
    --------
    >>> g = sample_grid(lambda x, y: x + y, (0, 1), (0, 1), n=2)
    >>> g.z.tolist()
    [[0.0, 1.0], [1.0, 2.0]]
    """
    x, y = _grid(x_range, y_range, n)
    return FunctionGrid(x, y, _evaluate(f, x, y))


def gradient_field(
    grad: Sequence[Function2D],
    x_range: Sequence[float],
    y_range: Sequence[float],
    n: int = 15,
    f: Function2D | None = None,
) -> GradientField:
    """Sample the vector field ∇f on an n × n grid.

    Parameters
    ----------
    grad : (callable, callable)
        ∂f/∂x and ∂f/∂y as vectorised callables ``g(x, y)``.
    x_range, y_range : (float, float)
        The rectangle to cover.
    n : int
        Arrows per axis.
    f : callable, optional
        f itself. Where f is undefined the field is NaN too, even if the formula for ∇f
        has a value there (log(xy) is undefined for xy < 0, its gradient (1/x, 1/y) is not).

    Returns
    -------
    GradientField

    Notes
    -----
    At each grid point (x, y) the arrow is (u, v) = (∂f/∂x, ∂f/∂y), of length
    |∇f| = sqrt(u² + v²).

    Examples
    --------
    >>> field = gradient_field((lambda x, y: 2 * x, lambda x, y: 3 * y**2), (0, 1), (0, 1), n=2)
    >>> field.u.tolist(), field.v.tolist()
    ([[0.0, 2.0], [0.0, 2.0]], [[0.0, 0.0], [3.0, 3.0]])
    """
    if len(grad) != 2:
        raise GradientError("The gradient field needs two components, ∂f/∂x and ∂f/∂y.")
    x, y = _grid(x_range, y_range, n)
    u = _evaluate(grad[0], x, y)
    v = _evaluate(grad[1], x, y)
    if f is not None:
        undefined = np.isnan(_evaluate(f, x, y))
        u[undefined] = np.nan
        v[undefined] = np.nan
    return GradientField(x, y, u, v, np.hypot(u, v))


def gradient_at(grad: Sequence[Function2D], point: Sequence[float], f: Function2D | None = None) -> tuple[float, float]:
    """∇f at one point, NaN where ∇f (or f itself, when given) is undefined.

    Parameters
    ----------
    grad : (callable, callable)
        ∂f/∂x and ∂f/∂y as callables ``g(x, y)``.
    point : (float, float)
        The point p.
    f : callable, optional
        f itself; if f(p) is undefined so is ∇f(p).

    Returns
    -------
    (float, float)

    Notes
    -----
    ∇f(p) = (∂f/∂x(p), ∂f/∂y(p)).

    Examples
    --------
    >>> gradient_at((lambda x, y: 1 / x, lambda x, y: 1 / y), (-1, 1), f=lambda x, y: np.log(x * y))
    (nan, nan)
    """
    if len(grad) != 2:
        raise GradientError("The gradient needs two components, ∂f/∂x and ∂f/∂y.")
    x0, y0 = (np.asarray(c) for c in _point2(point))
    nan = float("nan")
    if f is not None and np.isnan(_evaluate(f, x0, y0)):
        return nan, nan
    return float(_evaluate(grad[0], x0, y0)), float(_evaluate(grad[1], x0, y0))


def level_curve(
    f: Function2D,
    point: Sequence[float],
    x_range: Sequence[float],
    y_range: Sequence[float],
    n: int = 200,
) -> LevelCurve:
    """Trace the level curve of f through a point, inside a window.

    Parameters
    ----------
    f : callable
        ``f(x, y)``, vectorised.
    point : (float, float)
        The point p; the level is c = f(p).
    x_range, y_range : (float, float)
        The window.
    n : int
        Grid resolution per axis for the contouring.

    Returns
    -------
    LevelCurve
        Polylines of {(x, y) : f(x, y) = c}; parts where f is undefined are left out.

    Notes
    -----
    The set {f = f(p)} is found by marching squares on an n × n grid with
    linear interpolation along cell edges. Where ∇f(p) ≠ 0 the curve passes
    through p perpendicular to ∇f(p).

    Examples
    --------
    >>> curve = level_curve(lambda x, y: x**2 + y**2, (1, 0), (-2, 2), (-2, 2))
    >>> curve.level, len(curve.lines)
    (1.0, 1)
    """
    x0, y0 = _point2(point)
    level = float(_evaluate(f, np.asarray(x0), np.asarray(y0)))
    if np.isnan(level):
        return LevelCurve(level, ())
    grid = sample_grid(f, x_range, y_range, n)
    z = np.ma.masked_invalid(grid.z)
    if z.mask.all():
        return LevelCurve(level, ())
    generator = contourpy.contour_generator(grid.x, grid.y, z)
    lines = tuple(np.asarray(line, dtype=float) for line in generator.lines(level) if len(line) >= 2)
    return LevelCurve(level, lines)
