"""Where a function of one variable is undefined, unbounded or not differentiable.

Plots leave gaps at poles, Riemann sums refuse to pretend an improper integral is
an ordinary one, and the derivatives lesson says why f′(x₀) does not exist: all of
that starts from :func:`domain_report`, a numeric search over a range.

The search is vectorised and bounded: the number of pieces searched, candidate
points classified and points listed in a sentence are capped in
:mod:`calc_core.limits`, so a visitor's function with thousands of corners costs
a fixed amount of work and a short message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from calc_core.differentiation.finite_differences import finite_difference
from calc_core.differentiation.rules import DifferentiationError, derivative
from calc_core.expressions import ExpressionError, to_function
from calc_core.limits import (
    DOMAIN_GRID_POINTS,
    MAX_DOMAIN_CANDIDATES,
    MAX_DOMAIN_PIECES,
    MAX_LISTED_POINTS,
    MAX_PLOT_BREAKS,
)

__all__ = ["DomainError", "DomainReport", "domain_report", "listing", "span_listing"]

#: A value this large right next to a NaN stretch means the NaNs are overflow, not "no real value".
OVERFLOW_NEIGHBOUR = 1e100
#: Halvings that take a grid cell down to adjacent floating-point numbers.
BISECTION_STEPS = 64
#: Golden-section steps that shrink a grid cell below 1e-16 of its width.
GOLDEN_STEPS = 80
#: Distances (relative to max(1, |p|)) at which |f| is probed on the way into a candidate pole p, a decade apart.
POLE_PROBES = np.logspace(-5, -11, 7)
#: The probes nearest p, where any bounded f is already linear, that must show a pole's growth.
POLE_NEAR_PROBES = 4
#: Each decade closer to a pole adds at least this share of what the decade before added (|ln d| adds the same).
POLE_GAIN_RATIO = 0.95
#: A zero of a piece u must satisfy |u| below this fraction of max |u| on the grid.
ZERO_TOLERANCE = 1e-9
#: Relative step of the one-sided slopes compared at a candidate corner, and how far apart they may be.
CORNER_STEP = 1e-6
CORNER_TOLERANCE = 1e-3

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


class DomainError(DifferentiationError):
    """Bad input for the domain search, with a learner-readable reason."""


@dataclass(frozen=True)
class DomainReport:
    """Where, on [lo, hi], f is undefined or not differentiable.

    Attributes
    ----------
    lo, hi : float
        The range examined.
    undefined_intervals : tuple of (float, float)
        Stretches where f has no real value (e.g. x < 0 for log(x)), to grid accuracy.
    overflow_intervals : tuple of (float, float)
        Stretches where f is real but beyond the largest float (about 1.8·10³⁰⁸),
        e.g. x > 1.88 for exp(exp(exp(x))): nothing can be computed there.
    poles : tuple of float
        Points where f is unbounded (1/x at 0, log(x) at 0).
    holes : tuple of float
        Points where f is undefined but bounded nearby (sin(x)/x at 0).
    corners : tuple of float
        Points where f is defined but not differentiable (|x| at 0, √x at 0).
    complete : bool
        False when the search hit one of its caps (too many pieces to search or
        candidate points to classify), so further points may exist.
    """

    lo: float
    hi: float
    undefined_intervals: tuple[tuple[float, float], ...]
    overflow_intervals: tuple[tuple[float, float], ...]
    poles: tuple[float, ...]
    holes: tuple[float, ...]
    corners: tuple[float, ...]
    complete: bool = True

    @property
    def breaks(self) -> tuple[float, ...]:
        """All isolated points where a plotted curve of f or f' should have a gap."""
        return tuple(sorted(set(self.poles) | set(self.holes) | set(self.corners)))

    @property
    def plot_breaks(self) -> tuple[float, ...]:
        """The breaks a chart inserts, at most ``MAX_PLOT_BREAKS``: poles and holes first, as f itself jumps there.

        Beyond that many points a chart of a few hundred samples cannot show the gaps anyway.
        """
        if len(self.breaks) <= MAX_PLOT_BREAKS:
            return self.breaks
        missing = tuple(sorted(set(self.poles) | set(self.holes)))
        return missing if len(missing) <= MAX_PLOT_BREAKS else ()

    @property
    def is_clean(self) -> bool:
        """True when f is defined and differentiable on the whole range."""
        return not (self.undefined_intervals or self.overflow_intervals or self.breaks)

    def status_at(self, x: float) -> str | None:
        """What goes wrong at x: "undefined", "overflow", "pole", "hole", "corner", or None if nothing.

        Points are matched to within a billionth of the range's width; outside
        [lo, hi] nothing is known and None is returned.
        """
        tol = 1e-9 * max(1.0, self.hi - self.lo)
        for name, points in (("pole", self.poles), ("hole", self.holes), ("corner", self.corners)):
            if points and np.min(np.abs(np.asarray(points) - x)) <= tol:
                return name
        for name, spans in (("undefined", self.undefined_intervals), ("overflow", self.overflow_intervals)):
            if spans:
                ends = np.asarray(spans)
                if np.any((ends[:, 0] - tol <= x) & (x <= ends[:, 1] + tol)):
                    return name
        return None


def listing(points: Sequence[float], limit: int = MAX_LISTED_POINTS) -> str:
    """"x = a, x = b" for the first ``limit`` points, then "and N more".

    Examples
    --------
    >>> listing([0.0, 1.5, 3.0], limit=2)
    'x = 0, x = 1.5 and 1 more'
    """
    shown = ", ".join(f"x = {p:g}" for p in points[:limit])
    rest = len(points) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def span_listing(spans: Sequence[tuple[float, float]], limit: int = MAX_LISTED_POINTS) -> str:
    """"[a, b], [c, d]" for the first ``limit`` stretches, then "and N more".

    Examples
    --------
    >>> span_listing([(-5.0, 0.0)])
    '[-5, 0]'
    """
    shown = ", ".join(f"[{lo:g}, {hi:g}]" for lo, hi in spans[:limit])
    rest = len(spans) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def _watch_list(expr: sympy.Expr, var: sympy.Symbol, corners: bool = True) -> list[sympy.Expr]:
    """Distinct subexpressions of ``var`` alone whose zeros are candidates for poles, holes or corners.

    Without ``corners``, the arguments of |·|, sign and Heaviside are left out: f stays
    defined where they vanish, so their zeros can only be corners or jumps.
    """
    watch: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow:
            base, exp = node.args
            if exp.is_number and not (exp.is_Integer and exp.is_nonnegative):
                watch.append(base)
        elif isinstance(node, sympy.log) or corners and isinstance(node, (sympy.Abs, sympy.sign, sympy.Heaviside)):
            watch.append(node.args[0])
        elif isinstance(node, (sympy.tan, sympy.sec)):
            watch.append(sympy.cos(node.args[0]))
        elif isinstance(node, (sympy.cot, sympy.csc)):
            watch.append(sympy.sin(node.args[0]))
        elif isinstance(node, (sympy.asin, sympy.acos, sympy.atanh, sympy.acoth)):
            (u,) = node.args
            watch.extend([u - 1, u + 1])
        elif isinstance(node, sympy.acosh):
            watch.append(node.args[0] - 1)
    return list(dict.fromkeys(w for w in watch if w.free_symbols == {var}))


def _evaluate(f: Callable, xs: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(f(xs), dtype=float), np.shape(xs)).copy()


def _bisect(f: Callable, left: np.ndarray, right: np.ndarray, keep_left: Callable) -> tuple[np.ndarray, np.ndarray]:
    """Halve every bracket at once; ``keep_left(values at mid)`` says which brackets keep their left end."""
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (left + right)
        stay = keep_left(_evaluate(f, mid))
        left, right = np.where(stay, left, mid), np.where(stay, mid, right)
    return left, right


def _zeros(u: Callable, grid: np.ndarray) -> np.ndarray:
    """Zeros of a (piecewise continuous) numeric function on a grid's range, all cells at once.

    Sign changes between grid points are bisected; local minima of |u| that do not
    change sign (double roots such as x² at 0) are refined by golden-section search.
    A refined point counts as a zero only where |u| is tiny compared with u's size.
    """
    values = _evaluate(u, grid)
    finite = np.isfinite(values)
    scale = float(np.max(np.abs(values[finite]))) if finite.any() else 1.0
    tol = ZERO_TOLERANCE * max(scale, 1.0)
    exact = grid[values == 0.0]

    cells = np.flatnonzero(finite[:-1] & finite[1:] & (values[:-1] * values[1:] < 0))
    sign_left = np.sign(values[cells])
    left, right = _bisect(u, grid[cells], grid[cells + 1], lambda mid: np.sign(mid) != sign_left)
    crossings = np.where(np.abs(_evaluate(u, left)) <= np.abs(_evaluate(u, right)), left, right)

    magnitude = np.where(finite, np.abs(values), np.inf)
    inner = magnitude[1:-1]
    # A dip next to a sign change is that crossing again; only dips that touch zero without crossing are new.
    crosses = np.zeros(len(grid) + 1, dtype=bool)
    crosses[cells + 1] = True
    beside_crossing = crosses[1:-2] | crosses[2:-1]
    dips = 1 + np.flatnonzero((inner > 0) & np.isfinite(inner) & (inner <= magnitude[:-2]) & (inner <= magnitude[2:])
                              & ~beside_crossing)
    a, b = grid[dips - 1], grid[dips + 1]
    for _ in range(GOLDEN_STEPS):
        c = b - _GOLDEN * (b - a)
        d = a + _GOLDEN * (b - a)
        fc, fd = np.abs(_evaluate(u, c)), np.abs(_evaluate(u, d))
        lower = ~(fd < fc)  # NaN at d keeps the left part
        a, b = np.where(lower, a, c), np.where(lower, d, b)
    minima = 0.5 * (a + b)

    found = np.concatenate((crossings, minima))
    with np.errstate(invalid="ignore"):
        found = found[np.abs(_evaluate(u, found)) < tol]
    return np.concatenate((exact, found))


def _edge_points(f: Callable, defined: np.ndarray, undefined: np.ndarray) -> np.ndarray:
    """The boundary between each defined/undefined pair (either order), bisected all at once."""
    defined, undefined = np.asarray(defined, float), np.asarray(undefined, float)
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (defined + undefined)
        ok = np.isfinite(_evaluate(f, mid))
        defined, undefined = np.where(ok, mid, defined), np.where(ok, undefined, mid)
    return undefined


def _tidy(points: np.ndarray) -> tuple[float, ...]:
    """Round away the last bits of root finding (and turn -0.0 into 0.0)."""
    return tuple(float(p) for p in np.round(np.asarray(points, dtype=float), 12) + 0.0)


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end indices (inclusive) of each run of True in ``mask``."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    change = np.diff(padded)
    return np.flatnonzero(change == 1), np.flatnonzero(change == -1) - 1


def _gaps(f: Callable, grid: np.ndarray, values: np.ndarray, missing: np.ndarray):
    """Undefined and overflow stretches: runs of at least two missing grid points, edges bisected."""
    starts, ends = _runs(missing)
    long = ends > starts
    starts, ends = starts[long], ends[long]
    last = len(grid) - 1
    inner_start = starts > 0
    left = grid[starts].copy()
    left[inner_start] = _edge_points(f, grid[starts[inner_start] - 1], grid[starts[inner_start]])
    inner_end = ends < last
    right = grid[ends].copy()
    right[inner_end] = _edge_points(f, grid[ends[inner_end] + 1], grid[ends[inner_end]])
    # NaN also stands for overflow; a huge value next to the stretch gives that away.
    before = np.where(inner_start, np.abs(values[np.maximum(starts - 1, 0)]), 0.0)
    after = np.where(inner_end, np.abs(values[np.minimum(ends + 1, last)]), 0.0)
    huge = (before > OVERFLOW_NEIGHBOUR) | (after > OVERFLOW_NEIGHBOUR)
    spans = list(zip(_tidy(left), _tidy(right)))
    undefined = tuple(s for s, h in zip(spans, huge) if not h)
    overflow = tuple(s for s, h in zip(spans, huge) if h)
    return undefined, overflow


def _unbounded_near(f: Callable, points: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """For each point p: does |f| grow without bound towards p from a side inside [lo, hi]?

    |f| is probed at distances 10⁻⁵ … 10⁻¹¹ (relative to max(1, |p|)) from p. Over the
    last four probes, |f| must grow at every step closer, by at least
    ``POLE_GAIN_RATIO`` times what the previous decade added: near a pole
    (|f| ~ d^−α or ~ |ln d|) each decade adds as much as the one before or more,
    while a bounded f, linear at that scale, gains ten times less per decade.
    Over all the probes |f| must grow by more than 5 %.
    """
    scale = np.maximum(1.0, np.abs(points))[:, None]
    result = np.zeros(len(points), dtype=bool)
    for side in (1.0, -1.0):
        xs = points[:, None] + side * scale * POLE_PROBES[None, :]
        inside = (xs[:, 0] <= hi) if side > 0 else (xs[:, 0] >= lo)
        m = np.abs(_evaluate(f, xs))
        near = m[:, -POLE_NEAR_PROBES:]
        gains = np.diff(near, axis=1)
        with np.errstate(invalid="ignore"):
            growing = (np.all(np.isfinite(m), axis=1) & np.all(gains > 0, axis=1)
                       & np.all(gains[:, 1:] >= POLE_GAIN_RATIO * gains[:, :-1], axis=1)
                       & (m[:, -1] > 1.05 * m[:, 0] + 1e-3))
        result |= inside & growing
    return result


def _not_differentiable(f: Callable, df: Callable | None, points: np.ndarray) -> np.ndarray:
    """For each point: is f′ undefined there, or do the one-sided slopes disagree?"""
    h = CORNER_STEP * np.maximum(1.0, np.abs(points))
    right = finite_difference(f, points, h, "forward")
    left = finite_difference(f, points, h, "backward")
    with np.errstate(invalid="ignore"):
        broken = ~(np.isfinite(right) & np.isfinite(left))
        broken |= np.abs(right - left) > CORNER_TOLERANCE * (1.0 + np.abs(right) + np.abs(left))
    if df is not None:
        broken |= ~np.isfinite(_evaluate(df, points))
    return broken


def _slope_function(expr: sympy.Expr, var: str, slope: sympy.Expr | Callable | None) -> Callable | None:
    """f′ compiled (or as given), or None where it is too large to compile (one-sided slopes still find corners)."""
    if slope is not None and not isinstance(slope, sympy.Basic):
        return slope
    try:
        return to_function(derivative(expr, var) if slope is None else slope, (var,))
    except (ExpressionError, RecursionError):
        return None


def domain_report(expr: sympy.Expr, var: str = "x", lo: float = -5.0, hi: float = 5.0,
                  n: int = DOMAIN_GRID_POINTS, slope: sympy.Expr | Callable | None = None,
                  corners: bool = True) -> DomainReport:
    """Find where f is undefined, unbounded or not differentiable on [lo, hi].

    Parameters
    ----------
    expr : sympy.Expr
        The function f (built by :mod:`calc_core.expressions`).
    var : str
        Its variable.
    lo, hi : float
        The range to examine, lo < hi.
    n : int
        Grid size for the search (at most ``DOMAIN_GRID_POINTS``).
    slope : sympy.Expr or callable, optional
        f' if already known (saves differentiating again), as a formula or a
        compiled vectorised function.
    corners : bool
        Whether to look for corners at all (an integral does not care about them).

    Returns
    -------
    DomainReport

    Notes
    -----
    Candidates are the zeros of the pieces that can break a formula: denominators
    and bases of fractional powers (1/u, √u), arguments of ln, |·| and sign, cos u
    for tan/sec, sin u for cot/csc, u ± 1 for arcsin, arccos, artanh. Zeros are
    found from sign changes and local minima of |u| on the grid, refined by
    bisection and golden-section search. Each candidate p is then classified
    numerically: |f| growing without bound towards p → pole; f(p) undefined but
    bounded → hole; f(p) defined but f'(p) undefined or one-sided slopes
    differing → corner. Stretches where f is NaN on consecutive grid points are
    reported as undefined, or as overflow when f is beyond 10¹⁰⁰ right next to
    them. The work is bounded: at most ``MAX_DOMAIN_PIECES`` pieces are searched
    and ``MAX_DOMAIN_CANDIDATES`` candidates classified (``complete`` says whether
    a cap was hit), every step vectorised over all points at once.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> domain_report(sympy.Abs(x), lo=-1, hi=1).corners
    (0.0,)
    >>> domain_report(1 / x, lo=-1, hi=1).poles
    (0.0,)
    """
    if not isinstance(expr, sympy.Expr):
        raise DomainError("The domain search needs a sympy expression.")
    if not isinstance(var, str) or not var.isidentifier():
        raise DomainError(f"The variable must be a plain name such as 'x', not {var!r}.")
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise DomainError("The range needs two finite numbers with the left one smaller.")
    symbol = sympy.Symbol(var)
    grid = np.linspace(lo, hi, max(3, min(int(n), DOMAIN_GRID_POINTS)))
    f = to_function(expr, (var,))

    pieces = _watch_list(expr, symbol, corners)
    complete = len(pieces) <= MAX_DOMAIN_PIECES
    found = [_zeros(to_function(piece, (var,)), grid) for piece in pieces[:MAX_DOMAIN_PIECES]]
    values = _evaluate(f, grid)
    missing = np.isnan(values)
    isolated = missing & ~np.roll(missing, 1) & ~np.roll(missing, -1)
    found.append(grid[isolated])

    spacing = 1e-9 * max(1.0, hi - lo)
    candidates = np.unique(np.clip(np.concatenate(found), lo, hi)) if found else np.empty(0)
    if candidates.size:
        candidates = candidates[np.concatenate(([True], np.diff(candidates) > spacing))]
    if candidates.size > MAX_DOMAIN_CANDIDATES:
        complete = False
        candidates = candidates[np.linspace(0, candidates.size - 1, MAX_DOMAIN_CANDIDATES).astype(int)]

    undefined, overflow = _gaps(f, grid, values, missing & ~isolated)
    gaps = np.asarray((*undefined, *overflow), dtype=float).reshape(-1, 2)
    if gaps.size and candidates.size:
        candidates = candidates[~_inside(gaps, candidates)]

    poles = _unbounded_near(f, candidates, lo, hi)
    rest = candidates[~poles]
    undefined_at = ~np.isfinite(_evaluate(f, rest))
    holes = rest[undefined_at]
    defined = rest[~undefined_at]
    corner_points = defined[_not_differentiable(f, _slope_function(expr, var, slope), defined)] if corners \
        and defined.size else np.empty(0)
    return DomainReport(
        lo=lo,
        hi=hi,
        undefined_intervals=undefined,
        overflow_intervals=overflow,
        poles=_tidy(candidates[poles]),
        holes=_tidy(holes),
        corners=_tidy(corner_points),
        complete=complete,
    )


def _inside(gaps: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Which points lie strictly inside one of the (disjoint) gaps."""
    order = np.argsort(gaps[:, 0])
    starts, ends = gaps[order, 0], gaps[order, 1]
    i = np.maximum(np.searchsorted(starts, points, side="left") - 1, 0)
    return (points > starts[i]) & (points < ends[i])
