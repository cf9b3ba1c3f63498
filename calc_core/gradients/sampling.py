"""What a gradient looks like: f on a grid, the field of arrows, the level curve through a point.

The views a page draws are samples: f on a rectangular grid (:func:`sample_grid`),
the vector field ∇f on a coarser grid (:func:`gradient_field`), ∇f at one point
(:func:`gradient_at`) and the level curve {f = f(p)} (:func:`level_curve`). The
gradient's components come as callables, compiled from the symbolic gradient or,
for a formula too large to compile, by central differences of f
(:func:`central_difference_gradient`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import contourpy
import numpy as np

from calc_core.gradients.evaluation import Function2D, GradientError, as_point, evaluate

__all__ = [
    "FunctionGrid",
    "GradientField",
    "LevelCurve",
    "central_difference_gradient",
    "gradient_at",
    "gradient_field",
    "level_curve",
    "level_lines",
    "sample_grid",
]

MAX_GRID_POINTS = 401
"""Largest number of samples per axis for grid helpers (keeps a public server responsive)."""

CENTRAL_DIFFERENCE_STEP = 1e-6
"""Relative step of :func:`central_difference_gradient`: near the cube root of double precision's epsilon."""


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
    return FunctionGrid(x, y, evaluate(f, x, y))


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
    u = evaluate(grad[0], x, y)
    v = evaluate(grad[1], x, y)
    if f is not None:
        undefined = np.isnan(evaluate(f, x, y))
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
    x0, y0 = (np.asarray(c) for c in as_point(point))
    nan = float("nan")
    if f is not None and np.isnan(evaluate(f, x0, y0)):
        return nan, nan
    return float(evaluate(grad[0], x0, y0)), float(evaluate(grad[1], x0, y0))


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
    x0, y0 = as_point(point)
    level = float(evaluate(f, np.asarray(x0), np.asarray(y0)))
    if np.isnan(level):
        return LevelCurve(level, ())
    return LevelCurve(level, level_lines(sample_grid(f, x_range, y_range, n), level))


def level_lines(grid: FunctionGrid, level: float) -> tuple[np.ndarray, ...]:
    """Polylines of {f = level} on a sampled grid (the part of :func:`level_curve` after sampling).

    A page that moves the point over a fixed window samples f once and calls this
    on every move.

    Examples
    --------
    >>> grid = sample_grid(lambda x, y: x**2 + y**2, (-2, 2), (-2, 2), n=200)
    >>> len(level_lines(grid, 1.0))
    1
    """
    if not np.isfinite(level):
        return ()
    z = np.ma.masked_invalid(grid.z)
    if z.mask.all():
        return ()
    generator = contourpy.contour_generator(grid.x, grid.y, z)
    return tuple(np.asarray(line, dtype=float) for line in generator.lines(float(level)) if len(line) >= 2)


def central_difference_gradient(f: Function2D, step: float = CENTRAL_DIFFERENCE_STEP) -> tuple[Function2D, Function2D]:
    """∂f/∂x and ∂f/∂y as callables computed by central differences of f.

    Parameters
    ----------
    f : callable
        ``f(x, y)``, vectorised.
    step : float
        Relative step: h = step · max(1, |coordinate|).

    Returns
    -------
    (callable, callable)
        Vectorised ``g(x, y)`` like the compiled symbolic components (NaN where f is undefined
        at or next to the point).

    Notes
    -----
    ∂f/∂x ≈ (f(x + h, y) − f(x − h, y)) / (2h), with error O(h²) for smooth f
    plus rounding of order ε·|f| / h.

    Examples
    --------
    >>> gx, gy = central_difference_gradient(lambda x, y: x**2 + y**3)
    >>> round(float(gx(2.0, 3.0)), 6), round(float(gy(2.0, 3.0)), 6)
    (4.0, 27.0)
    """
    step = float(step)
    if not (np.isfinite(step) and step > 0):
        raise GradientError("The difference step must be a positive number.")

    def along_x(x, y):
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        h = step * np.maximum(1.0, np.abs(x))
        return (evaluate(f, x + h, y) - evaluate(f, x - h, y)) / (2 * h)

    def along_y(x, y):
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        h = step * np.maximum(1.0, np.abs(y))
        return (evaluate(f, x, y + h) - evaluate(f, x, y - h)) / (2 * h)

    return along_x, along_y
