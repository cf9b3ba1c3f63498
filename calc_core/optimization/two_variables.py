"""Critical points of a surface f(x, y): where ∇f = 0, classified by the Hessian.

With H = [[f_xx, f_xy], [f_xy, f_yy]] at a point where the gradient vanishes,
det H > 0 and f_xx > 0 is a minimum, det H > 0 and f_xx < 0 a maximum, det H < 0
a saddle; det H = 0 leaves the test undecided. sympy solves ∇f = 0 in the
killable worker when it can; a numeric root search from a grid of starts
completes (or replaces) its list.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy
from scipy import optimize

from calc_core.budget import DEFAULT_TIMEOUT, run_with_budget
from calc_core.optimization.common import EXACT_DIGITS, EXACT_ZERO, MAX_POINTS, ROOT_TOLERANCE, OptimizationError
from calc_core.optimization.surface import Surface, make_surface

KINDS_2D = ("minimum", "maximum", "saddle", "degenerate")

# Starts per axis for the numeric search of grad f = 0.
STARTS_PER_AXIS = 9
# Eigenvalues of a numeric Hessian below this times its largest are treated as zero.
HESSIAN_TOLERANCE = 1e-7
DEFAULT_WINDOW_2D = ((-5.0, 5.0), (-5.0, 5.0))
# Radius of the circle a degenerate point is probed on, relative to 1 + its distance from the origin,
# and the number of probes on it.
RING_RADIUS = 1e-2
RING_PROBES = 72


@dataclass(frozen=True)
class CriticalPoint2D:
    """A point where ∇f = 0, classified by the Hessian.

    Attributes
    ----------
    x, y : float
        Location.
    kind : str
        ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"degenerate"`` (det H = 0:
        the test cannot decide).
    value : float
        f(x, y).
    hessian : tuple of tuple of float
        ((f_xx, f_xy), (f_yx, f_yy)) at the point.
    determinant : float
        det H = f_xx f_yy − f_xy².
    eigenvalues : tuple of float
        Of H, ascending: the curvatures along the principal directions.
    found_by : str
        ``"exact"`` or ``"numeric"``.
    note : str
        For a degenerate point, how f behaves on a small circle around it.
    """

    x: float
    y: float
    kind: str
    value: float
    hessian: tuple[tuple[float, float], tuple[float, float]]
    determinant: float
    eigenvalues: tuple[float, float]
    found_by: str
    note: str = ""


@dataclass(frozen=True)
class SurfaceAnalysis:
    """Critical points of f(x, y) and how they were found.

    Attributes
    ----------
    points : tuple of CriticalPoint2D
    found_by : str
        ``"exact"``, ``"numeric"`` or ``"mixed"`` (sympy's list completed numerically).
    notes : tuple of str
    """

    points: tuple[CriticalPoint2D, ...]
    found_by: str
    notes: tuple[str, ...] = ()


def _exact_critical_points_2d(expr: sympy.Expr, variables: tuple[str, str]):
    """Solve ∇f = 0 with sympy; each real solution with its exact Hessian.

    Returns a list of ``(x, y, hessian rows, determinant)`` floats plus the exact
    determinant's sign, or ``None`` when the solutions are not isolated points.
    """
    a, b = (sympy.Symbol(v, real=True) for v in variables)
    f = expr.xreplace({sympy.Symbol(variables[0]): a, sympy.Symbol(variables[1]): b})
    fx, fy = sympy.diff(f, a), sympy.diff(f, b)
    solutions = sympy.solve([fx, fy], [a, b], dict=True)
    rows = [[sympy.diff(fx, a), sympy.diff(fx, b)], [sympy.diff(fy, a), sympy.diff(fy, b)]]
    out = []
    for sol in solutions:
        if a not in sol or b not in sol or sol[a].free_symbols or sol[b].free_symbols:
            return None
        xv, yv = complex(sol[a].evalf(EXACT_DIGITS)), complex(sol[b].evalf(EXACT_DIGITS))
        if abs(xv.imag) > 1e-12 or abs(yv.imag) > 1e-12:
            continue
        at = {a: sol[a], b: sol[b]}
        h = [[entry.subs(at) for entry in row] for row in rows]
        det = (h[0][0] * h[1][1] - h[0][1] * h[1][0]).evalf(EXACT_DIGITS)
        det_sign = 0 if abs(complex(det)) < EXACT_ZERO else int(np.sign(complex(det).real))
        hf = tuple(tuple(float(sympy.re(entry.evalf(EXACT_DIGITS))) for entry in row) for row in h)
        out.append((xv.real, yv.real, hf, det_sign, float(sympy.re(f.subs(at).evalf(EXACT_DIGITS)))))
    return out


def _classify_hessian(h: np.ndarray, det_sign: int | None = None) -> tuple[str, tuple[float, float], float]:
    with np.errstate(all="ignore"):
        return _classify_hessian_quietly(h, det_sign)


def _classify_hessian_quietly(h: np.ndarray, det_sign: int | None) -> tuple[str, tuple[float, float], float]:
    eig = np.linalg.eigvalsh(h)
    det = float(np.linalg.det(h))
    scale = max(1.0, float(np.max(np.abs(eig))))
    if det_sign is None:
        zero = np.abs(eig) < HESSIAN_TOLERANCE * scale
        det_sign = 0 if zero.any() else int(np.sign(eig[0] * eig[1]))
    if det_sign < 0:
        kind = "saddle"
    elif det_sign == 0:
        kind = "degenerate"
    else:
        kind = "minimum" if eig[1] > 0 else "maximum"
    return kind, (float(eig[0]), float(eig[1])), det


def _ring_note(surface: Surface, x: float, y: float) -> str:
    """How f compares with f(x, y) on a small circle: a verdict where the Hessian has none."""
    r = RING_RADIUS * (1 + math.hypot(x, y))
    theta = np.linspace(0, 2 * np.pi, RING_PROBES, endpoint=False)
    diff = surface.value(x + r * np.cos(theta), y + r * np.sin(theta)) - surface.value(np.array(x), np.array(y))
    diff = diff[np.isfinite(diff)]
    tiny = 1e-12 * (1 + abs(float(surface.value(np.array(x), np.array(y)))))
    if diff.size == 0:
        return ""
    if np.all(np.abs(diff) <= tiny):
        return "f is flat around it (a whole curve of critical points?)."
    if np.all(diff > -tiny):
        return "Nearby, f is nowhere lower: it behaves like a minimum."
    if np.all(diff < tiny):
        return "Nearby, f is nowhere higher: it behaves like a maximum."
    return "Nearby, f is higher in some directions and lower in others: it behaves like a saddle."


def analyze_critical_points_2d(expr: sympy.Expr, variables: Sequence[str] = ("x", "y"),
                               window=DEFAULT_WINDOW_2D, method: str = "auto", timeout: float = DEFAULT_TIMEOUT,
                               owner: Hashable | None = None, surface: Surface | None = None) -> SurfaceAnalysis:
    """Find the points where ∇f = 0 and classify each with the Hessian.

    Parameters
    ----------
    expr : sympy.Expr
        f(x, y).
    variables : tuple of str
        The two variable names.
    window : ((x_lo, x_hi), (y_lo, y_hi))
        Where the numeric search starts (and which points it keeps).
    method : {"auto", "exact", "numeric"}
        ``"auto"``: sympy's ``solve`` within ``timeout`` seconds, else numeric.
    timeout : float
        Wall-clock budget for the exact solve (and for differentiating, each).
    owner : hashable, optional
        Whose worker slot the symbolic work takes (a browser session).
    surface : Surface, optional
        f already compiled by :func:`make_surface`; built here when omitted.

    Returns
    -------
    SurfaceAnalysis

    Notes
    -----
    With H = [[f_xx, f_xy], [f_xy, f_yy]] at a point where ∇f = 0:
    det H > 0 and f_xx > 0 is a minimum, det H > 0 and f_xx < 0 a maximum,
    det H < 0 a saddle, det H = 0 undecided (degenerate). The numeric search
    runs ``scipy.optimize.root`` (with the exact Hessian as Jacobian) from a
    ``STARTS_PER_AXIS`` × ``STARTS_PER_AXIS`` grid of starts and merges
    duplicates; with ``"auto"`` it also completes sympy's list, which holds one
    period only for trigonometric functions.

    Examples
    --------
    >>> x, y = sympy.symbols("x y")
    >>> [(p.x, p.y, p.kind) for p in analyze_critical_points_2d(x**2 - y**2).points]
    [(0.0, 0.0, 'saddle')]
    """
    if method not in ("auto", "exact", "numeric"):
        raise OptimizationError(f"Unknown method {method!r}: use 'auto', 'exact' or 'numeric'.")
    if surface is None:
        surface = make_surface(expr, variables, timeout, owner)
    (x_lo, x_hi), (y_lo, y_hi) = ((float(a), float(b)) for a, b in window)
    if not (x_lo < x_hi and y_lo < y_hi):
        raise OptimizationError("The window must have its left/bottom end below its right/top end.")
    notes: list[str] = []
    points: list[CriticalPoint2D] = []
    solved = False
    if surface.hessian_exprs is None:
        notes.append(f"The gradient and Hessian are central differences of f: {surface.note}.")
        if method == "exact":
            raise OptimizationError("sympy could not solve ∇f = 0 exactly for this function.")
    elif method != "numeric":
        budget = run_with_budget(_exact_critical_points_2d, expr, tuple(variables), timeout=timeout, owner=owner)
        if budget.ok and budget.value is not None:
            solved = True
            notes.append("Solved ∇f = 0 exactly with sympy.")
            for x, y, h, det_sign, value in budget.value:
                kind, eig, det = _classify_hessian(np.array(h), det_sign)
                note = _ring_note(surface, x, y) if kind == "degenerate" else ""
                points.append(CriticalPoint2D(x, y, kind, value, h, det, eig, "exact", note))
        elif method == "exact":
            raise OptimizationError("sympy could not solve ∇f = 0 exactly for this function.")
        elif budget.timed_out:
            notes.append(f"sympy did not finish within {timeout:g} s, so the points were found numerically.")
        elif budget.ok:
            notes.append("The critical points are not isolated (they form a curve); a sample is shown.")
        else:
            notes.append("sympy could not solve ∇f = 0 exactly, so the points were found numerically.")
    if method != "exact":
        span = max(x_hi - x_lo, y_hi - y_lo)
        extra = 0
        # sympy's solve returns one period of trigonometric solutions, so the numeric
        # search runs as well and adds what it finds in the window.
        for x, y in _numeric_critical_points_2d(surface, (x_lo, x_hi), (y_lo, y_hi)):
            if any(math.hypot(x - q.x, y - q.y) <= 1e-6 * span for q in points):
                continue
            h = surface.hessian(np.array([x, y]))
            if not np.all(np.isfinite(h)):
                continue
            kind, eig, det = _classify_hessian(h)
            note = _ring_note(surface, x, y) if kind == "degenerate" else ""
            hf = tuple(tuple(float(v) for v in row) for row in h)
            points.append(CriticalPoint2D(x, y, kind, surface.loss((x, y)), hf, det, eig, "numeric", note))
            extra += 1
        if solved and extra:
            notes.append(f"{extra} more in the window were found numerically (sympy's solve lists only "
                         "some solutions of periodic equations).")
        elif not solved:
            notes.append(f"Numeric search: scipy.optimize.root from a {STARTS_PER_AXIS}×{STARTS_PER_AXIS} grid "
                         "of starts in the window, duplicates merged; points outside the window are not listed.")
        found_by = "exact" if solved and not extra else ("mixed" if solved else "numeric")
    else:
        found_by = "exact"
    points.sort(key=lambda p: (round(p.x, 9), round(p.y, 9)))
    return SurfaceAnalysis(tuple(points[:MAX_POINTS]), found_by, tuple(notes))


def _numeric_critical_points_2d(surface: Surface, x_range, y_range) -> list[tuple[float, float]]:
    xs = np.linspace(*x_range, STARTS_PER_AXIS)
    ys = np.linspace(*y_range, STARTS_PER_AXIS)
    span = max(x_range[1] - x_range[0], y_range[1] - y_range[0])
    found: list[tuple[float, float]] = []
    with np.errstate(all="ignore"):
        for x0 in xs:
            for y0 in ys:
                if not np.all(np.isfinite(surface.gradient((x0, y0)))):
                    continue
                sol = optimize.root(surface.gradient, [x0, y0], jac=surface.hessian, method="hybr",
                                    options={"xtol": 1e-13})
                p = sol.x
                if not np.all(np.isfinite(p)):
                    continue
                g = surface.gradient(p)
                scale = max(1.0, float(np.linalg.norm(surface.gradient((x0, y0)))))
                inside = x_range[0] <= p[0] <= x_range[1] and y_range[0] <= p[1] <= y_range[1]
                if inside and np.all(np.isfinite(g)) and np.linalg.norm(g) <= ROOT_TOLERANCE * scale:
                    if all(math.hypot(p[0] - q[0], p[1] - q[1]) > 1e-6 * span for q in found):
                        found.append((float(p[0]), float(p[1])))
    return sorted(found)[:MAX_POINTS]


def critical_points_2d(expr: sympy.Expr, variables: Sequence[str] = ("x", "y"),
                       window=DEFAULT_WINDOW_2D) -> list[CriticalPoint2D]:
    """The Hessian-classified points where ∇f = 0 (see :func:`analyze_critical_points_2d`).

    Examples
    --------
    >>> x, y = sympy.symbols("x y")
    >>> [p.kind for p in critical_points_2d(x**2 + y**2)]
    ['minimum']
    """
    return list(analyze_critical_points_2d(expr, variables, window).points)
