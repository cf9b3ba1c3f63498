"""Where a function is flat: critical points, their classification, and descent.

A differentiable function can only reach a local maximum or minimum where its
rate of change is zero, so the candidates are the solutions of ``f'(x) = 0``
(one variable) or ``grad f = 0`` (two variables). Whether a candidate is a
minimum, a maximum or neither is read from higher derivatives: the second
derivative in one variable, the Hessian matrix in two.

Gradient descent turns the same derivative into an algorithm: step against the
gradient and the function decreases, if the step is small enough. The optimizers
here (plain descent, momentum, Nesterov, RMSProp, Adam) differ only in how they
turn the gradient into a step; they report progress through a history and an
optional ``callback(x, i, g)`` and know nothing of how the result is shown.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import sympy
from scipy import optimize
from sympy.calculus.util import continuous_domain

from calc_core.budget import DEFAULT_TIMEOUT, run_with_budget
from calc_core.expressions import to_function, with_real_symbols

__all__ = [
    "Adam",
    "CriticalPoint",
    "CriticalPoint2D",
    "CriticalPointAnalysis",
    "FUNCTION_PRESETS",
    "GradientDescent",
    "Momentum",
    "Nesterov",
    "NoCriticalPoints",
    "OptimizationError",
    "OptimizationPath",
    "Preset",
    "RMSProp",
    "SURFACE_PRESETS",
    "Surface",
    "SurfaceAnalysis",
    "analyze_critical_points",
    "analyze_critical_points_2d",
    "critical_points",
    "critical_points_2d",
    "descent_path",
    "gradient_descent",
    "make_surface",
    "run_optimizer",
]

KINDS = ("minimum", "maximum", "inflection")
KINDS_2D = ("minimum", "maximum", "saddle", "degenerate")

# A derivative value below this (after 30-digit evaluation at an exact point) is zero.
EXACT_ZERO = 1e-20
# Highest derivative order tried before falling back to the sign of f'.
MAX_ORDER = 8
# Grid points for the numeric search of f' = 0 in one variable.
GRID_POINTS = 4001
# A numeric root is accepted when |f'(root)| is below this times the largest |f'| nearby,
# "nearby" being LOCAL_SPAN grid points either side.
ROOT_TOLERANCE = 1e-9
LOCAL_SPAN = 25
# At most this many critical points are listed (sin(50x) has hundreds on a window).
MAX_POINTS = 100
# Starts per axis for the numeric search of grad f = 0 in two variables.
STARTS_PER_AXIS = 9
# Eigenvalues of a numeric Hessian below this times its largest are treated as zero.
HESSIAN_TOLERANCE = 1e-7
DEFAULT_WINDOW = (-10.0, 10.0)


class OptimizationError(ValueError):
    """Input that the optimization tools cannot work with, explained for a learner."""


# --------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class Preset:
    """A ready-made function with a view that shows its features.

    Attributes
    ----------
    text : str
        The function as a learner would type it.
    window : tuple
        ``(lo, hi)`` for one variable, ``((x_lo, x_hi), (y_lo, y_hi))`` for two.
    start : tuple
        A starting point for gradient descent that makes the preset's point.
    note : str
        What the preset shows.
    """

    text: str
    window: tuple
    start: tuple
    note: str


FUNCTION_PRESETS = MappingProxyType({
    "Course example": Preset("x^3 - 2x^2 + 1", (-1.0, 2.5), (2.0,),
                             "A local maximum at x = 0 and a local minimum at x = 4/3."),
    "Course task: log(x)": Preset("log(x)", (0.05, 5.0), (1.0,),
                                  "f'(x) = 1/x is never zero: log has no maximum or minimum."),
    "Parabola x^2": Preset("x^2", (-2.0, 2.0), (1.5,), "One minimum; f'' > 0 everywhere."),
    "Upside-down -x^2": Preset("-x^2", (-2.0, 2.0), (0.5,), "One maximum; descent runs away from it."),
    "Cubic x^3": Preset("x^3", (-1.5, 1.5), (1.0,), "f'(0) = 0 but x = 0 is a stationary inflection."),
    "Quartic x^4": Preset("x^4", (-1.5, 1.5), (1.0,), "f''(0) = 0, yet x = 0 is a minimum (the 4th derivative decides)."),
    "Double well": Preset("x^4 - 3x^2 + x", (-2.2, 2.2), (2.0,), "Two minima: where descent ends depends on the start."),
    "Wave sin(x)": Preset("sin(x)", (-7.0, 7.0), (1.0,), "Infinitely many critical points; those in view are listed."),
    "x e^(-x)": Preset("x exp(-x)", (-1.0, 6.0), (0.0,), "One maximum at x = 1; to the right f flattens out."),
})

SURFACE_PRESETS = MappingProxyType({
    "Bowl": Preset("x^2 + y^2", ((-3.0, 3.0), (-3.0, 3.0)), (-2.5, 2.0),
                   "Round contours: every method walks straight in."),
    "Elongated bowl": Preset("x^2 + 10y^2", ((-3.0, 3.0), (-1.5, 1.5)), (-2.5, 1.0),
                             "Steep in y, shallow in x: plain descent zig-zags, momentum helps."),
    "Rosenbrock": Preset("(1 - x)^2 + 100(y - x^2)^2", ((-2.0, 2.0), (-1.0, 3.0)), (-1.5, 2.5),
                         "A curved, flat-bottomed valley with the minimum at (1, 1)."),
    "Saddle": Preset("x^2 - y^2", ((-2.0, 2.0), (-2.0, 2.0)), (-1.8, 0.05),
                     "A minimum along x, a maximum along y: descent slides off."),
    "Himmelblau": Preset("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", ((-5.0, 5.0), (-5.0, 5.0)), (0.0, 0.0),
                         "Four minima of equal height: the start decides which one is found."),
})


# --------------------------------------------------------------------------- one variable


@dataclass(frozen=True)
class CriticalPoint:
    """A point where f'(x) = 0, classified.

    Attributes
    ----------
    x : float
        Location.
    kind : str
        ``"minimum"``, ``"maximum"`` or ``"inflection"`` (local; an inflection
        here is stationary: f' = 0 without changing sign).
    value : float
        f(x).
    exact : sympy.Expr or None
        The exact location when sympy found it.
    found_by : str
        ``"exact"`` (sympy ``solveset``) or ``"numeric"`` (grid + ``brentq``).
    test : str
        The test that decided ``kind``, with the numbers, e.g. ``"f''(4/3) = 4 > 0"``.
    """

    x: float
    kind: str
    value: float
    exact: sympy.Expr | None
    found_by: str
    test: str


@dataclass(frozen=True)
class NoCriticalPoints:
    """Why a function has no critical point on its domain.

    Attributes
    ----------
    trend : str
        ``"increasing"``, ``"decreasing"``, ``"constant"`` or ``"mixed"`` (f' changes
        sign only across a gap or a jump in the domain).
    message : str
        The reason in words, e.g. for log: f'(x) = 1/x is never zero for x > 0.
    """

    trend: str
    message: str


@dataclass(frozen=True)
class CriticalPointAnalysis:
    """Everything :func:`analyze_critical_points` found.

    Attributes
    ----------
    expr, derivative : sympy.Expr
        f and f' (plain symbols).
    domain_text : str
        Where the points were looked for, in words (``"x > 0"``).
    points : tuple of CriticalPoint
        Sorted by ``x``.
    found_by : str
        ``"exact"`` or ``"numeric"``.
    window : tuple of float
        The interval searched numerically, or used to cut an infinite exact set.
    notes : tuple of str
        How the points were found and anything the learner should know.
    explanation : NoCriticalPoints or None
        Set when ``points`` is empty.
    """

    expr: sympy.Expr
    derivative: sympy.Expr
    domain_text: str
    points: tuple[CriticalPoint, ...]
    found_by: str
    window: tuple[float, float]
    notes: tuple[str, ...] = ()
    explanation: NoCriticalPoints | None = None


def _prime(order: int) -> str:
    return {1: "′", 2: "″", 3: "‴"}.get(order, f"⁽{str(order).translate(str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'))}⁾")


def _fmt(value) -> str:
    """A short, readable number: exact when short (``4/3``), else 4 significant digits."""
    if isinstance(value, sympy.Basic):
        if value.is_Rational or (value.is_number and not value.has(sympy.Float) and len(str(value)) <= 12):
            return str(value).replace("**", "^").replace("*", "·")
        value = _real_value(value)
    value = float(value)
    if value == 0:
        return "0"
    return f"{value:.4g}"


def _exact_number(v: float) -> sympy.Expr:
    """A float as the rational it was typed as (0.1 -> 1/10), or ±oo."""
    if math.isinf(v):
        return sympy.oo if v > 0 else -sympy.oo
    return sympy.Rational(repr(v))


def _real_value(expr: sympy.Expr) -> float | None:
    """An exact number evaluated to 30 digits, or None if it is not a finite real.

    Radical forms of real cubic roots carry imaginary parts like 1e-116 after
    evaluation; those count as real.
    """
    try:
        number = complex(expr.evalf(30))
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(number.real) and math.isfinite(number.imag)):
        return None
    if abs(number.imag) > EXACT_ZERO * (1 + abs(number.real)):
        return None
    return number.real


def _check_domain(domain) -> tuple[float, float] | None:
    if domain is None:
        return None
    try:
        a, b = (float(v) for v in domain)
    except (TypeError, ValueError):
        raise OptimizationError("The domain must be two numbers (a, b).") from None
    if math.isnan(a) or math.isnan(b) or not a < b:
        raise OptimizationError(f"The domain ({a:g}, {b:g}) is empty: the left end must be below the right end.")
    return a, b


def _search_window(domain: tuple[float, float] | None, window) -> tuple[float, float]:
    lo, hi = DEFAULT_WINDOW if window is None else (float(window[0]), float(window[1]))
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise OptimizationError("The search window must be two finite numbers, left below right.")
    if domain is not None:
        a, b = domain
        if window is None:
            lo = a if math.isfinite(a) else (min(lo, b - (hi - lo)) if math.isfinite(b) else lo)
            hi = b if math.isfinite(b) else max(hi, lo + (hi - lo))
        lo, hi = max(lo, a), min(hi, b)
        if not lo < hi:
            raise OptimizationError("The search window does not overlap the domain.")
    return lo, hi


def _describe_domain(dom: sympy.Set, var: str) -> str:
    """An interval or a punctured line in words: ``x > 0``, ``-1 < x < 2``, ``x ≠ 0``."""
    if dom == sympy.S.Reals:
        return f"all real {var}"
    if dom is sympy.S.EmptySet:
        return "nowhere"
    if isinstance(dom, sympy.Interval):
        lo = "" if dom.start == -sympy.oo else f"{_fmt(dom.start)} {'<' if dom.left_open else '≤'} "
        hi = "" if dom.end == sympy.oo else f" {'<' if dom.right_open else '≤'} {_fmt(dom.end)}"
        if lo and not hi:
            return f"{var} {'>' if dom.left_open else '≥'} {_fmt(dom.start)}"
        return f"{lo}{var}{hi}"
    if isinstance(dom, sympy.Union) and all(isinstance(s, sympy.Interval) for s in dom.args):
        missing = sympy.S.Reals - dom
        if isinstance(missing, sympy.FiniteSet) and len(missing) <= 4:
            return f"{var} ≠ " + ", ".join(_fmt(p) for p in missing)
        return " or ".join(_describe_domain(s, var) for s in dom.args)
    return f"{var} where f is defined"


def _sign_change(fp: Callable, x0: float, h: float) -> tuple[int, int]:
    """Signs of f' just left and right of ``x0`` (majority over three distances)."""
    lefts, rights = [], []
    for step in (h, h / 10, h / 100):
        left, right = fp(x0 - step), fp(x0 + step)
        if np.isfinite(left) and np.isfinite(right):
            lefts.append(int(np.sign(left)))
            rights.append(int(np.sign(right)))
    if not lefts:
        return 0, 0
    return max(set(lefts), key=lefts.count), max(set(rights), key=rights.count)


def _kind_from_signs(left: int, right: int) -> str | None:
    if left < 0 < right:
        return "minimum"
    if left > 0 > right:
        return "maximum"
    if left == right != 0:
        return "inflection"
    return None


def _sign_words(left: int, right: int) -> str:
    words = {1: "+", -1: "−", 0: "0"}
    return f"f′ goes {words[left]} → {words[right]} across the point"


def _neighbour_gap(x0: float, others: Sequence[float], lo: float, hi: float) -> float:
    gaps = [abs(x0 - o) for o in others if o != x0]
    gaps += [x0 - lo, hi - x0]
    gaps = [g for g in gaps if g > 0 and math.isfinite(g)]
    return min([1e-3 * (1 + abs(x0))] + [g / 2 for g in gaps])


def _classify_exact(f, x, root, location: float, fp_num: Callable, gap: float) -> tuple[str, str]:
    """Higher-derivative test at an exact root, then the sign of f' if all vanish."""
    where = _fmt(root)
    derivative = sympy.diff(f, x)
    for order in range(2, MAX_ORDER + 1):
        derivative = sympy.diff(derivative, x)
        value = derivative.subs(x, root)
        number = _real_value(value)
        if number is None:
            break
        if abs(number) > EXACT_ZERO:
            sign = ">" if number > 0 else "<"
            shown = _fmt(value if value.is_Rational else number)
            lower = {2: "", 3: " (f″ vanishes there)"}.get(order, f" (f″ … f{_prime(order - 1)} vanish there)")
            test = f"f{_prime(order)}({where}) = {shown} {sign} 0{lower}"
            if order % 2 == 1:
                return "inflection", test + ", an odd order: f′ keeps its sign"
            return ("minimum" if number > 0 else "maximum"), test
    left, right = _sign_change(fp_num, location, gap)
    kind = _kind_from_signs(left, right)
    if kind is None:
        # Floats underflow for high powers (f′ = 1000 x^999 is 0.0 near 0); exact arithmetic does not.
        left, right = _exact_sign_change(sympy.diff(f, x), x, root, gap)
        kind = _kind_from_signs(left, right)
    if kind is None:
        raise ArithmeticError("the sign of f' could not be read around the point")
    return kind, _sign_words(left, right)


def _exact_sign_change(fp: sympy.Expr, x: sympy.Symbol, root: sympy.Expr, gap: float) -> tuple[int, int]:
    """Signs of f' at ``root ∓ gap/10``, evaluated with arbitrary precision."""
    delta = sympy.Rational(gap).limit_denominator(10**6) / 10
    signs = []
    for point in (root - delta, root + delta):
        value = fp.subs(x, point).evalf(30)
        signs.append(int(sympy.sign(value)) if value.is_real and value.is_finite else 0)
    return signs[0], signs[1]


def _finite_candidates(solutions: sympy.Set) -> list[sympy.Expr] | None:
    """The points of a finite solution set, or None when it is not finite.

    sympy may leave ``Intersection({roots}, Reals)`` when it cannot tell which
    cubic roots written with radicals are real; the caller checks them numerically.
    """
    if solutions is sympy.S.EmptySet:
        return []
    if isinstance(solutions, sympy.FiniteSet):
        return list(solutions)
    if isinstance(solutions, sympy.Intersection):
        finite = [s for s in solutions.args if isinstance(s, sympy.FiniteSet)]
        if finite and all(isinstance(s, (sympy.FiniteSet, sympy.Interval, sympy.Union)) or s == sympy.S.Reals
                          for s in solutions.args):
            return list(finite[0])
    return None


@dataclass(frozen=True)
class _ExactOutcome:
    status: str  # "points", "constant", "unsolved" or "empty-domain"
    points: tuple[CriticalPoint, ...] = ()
    truncated: bool = False
    domain_text: str = ""
    trend: str = ""


def _exact_critical_points(expr: sympy.Expr, var: str, domain, window) -> _ExactOutcome:
    """Solve f' = 0 with sympy on the real domain and classify each root.

    Runs in a budgeted worker process, so it may take its time.
    """
    x = sympy.Symbol(var, real=True)
    f = expr.xreplace({sympy.Symbol(var): x})
    fp = sympy.diff(f, x)
    dom = continuous_domain(f, x, sympy.S.Reals)
    if domain is not None:
        dom = dom.intersect(sympy.Interval.open(*(_exact_number(v) for v in domain)))
    try:
        dom = dom.interior
    except NotImplementedError:
        pass
    text = _describe_domain(dom, var)
    if dom is sympy.S.EmptySet:
        return _ExactOutcome("empty-domain", domain_text=text)
    if fp.is_zero:
        return _ExactOutcome("constant", domain_text=text, trend="constant")
    solutions = sympy.solveset(fp, x, dom)
    truncated = False
    candidates = _finite_candidates(solutions)
    if candidates is None:
        if solutions == dom:
            return _ExactOutcome("constant", domain_text=text, trend="constant")
        truncated = True
        candidates = _finite_candidates(solutions.intersect(sympy.Interval(*window)))
        if candidates is None:
            return _ExactOutcome("unsolved", domain_text=text)
    roots = []
    for root in candidates:
        number = _real_value(root)
        if number is not None and dom.contains(sympy.Float(number, 30)) is not sympy.false:
            roots.append((number, root))
    roots.sort(key=lambda item: item[0])
    if len(roots) > MAX_POINTS:
        roots, truncated = roots[:MAX_POINTS], True
    fp_num = to_function(fp, (var,))
    locations = [r for r, _ in roots]
    try:
        lo, hi = float(dom.inf), float(dom.sup)
    except (TypeError, NotImplementedError):
        lo, hi = window
    points = []
    for location, root in roots:
        kind, test = _classify_exact(f, x, root, location, fp_num, _neighbour_gap(location, locations, lo, hi))
        value = _real_value(f.subs(x, root))
        if value is None:
            continue
        exact = root.xreplace({x: sympy.Symbol(var)})
        points.append(CriticalPoint(location, kind, value, exact, "exact", test))
    trend = ""
    if not points and not truncated:
        if dom.is_subset(sympy.solveset(fp > 0, x, dom)):
            trend = "increasing"
        elif dom.is_subset(sympy.solveset(fp < 0, x, dom)):
            trend = "decreasing"
    return _ExactOutcome("points", tuple(points), truncated, text, trend)


def _flat_runs(tiny: np.ndarray, min_length: int = 3) -> list[tuple[int, int]]:
    """Index ranges [i, j] where ``tiny`` holds for at least ``min_length`` points in a row."""
    runs, start = [], None
    for i, flag in enumerate(np.append(tiny, False)):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= min_length:
                runs.append((start, i - 1))
            start = None
    return runs


def _is_corner(f: Callable, x0: float) -> bool:
    """True when f is continuous at ``x0`` (so a jump of f' there is a corner, not a pole)."""
    delta = 1e-9 * (1 + abs(x0))
    left, mid, right = f(x0 - delta), f(x0), f(x0 + delta)
    if not (np.isfinite(left) and np.isfinite(mid) and np.isfinite(right)):
        return False
    return abs(left - mid) + abs(right - mid) <= 1e-6 * (1 + abs(mid))


def _numeric_critical_points(fp: Callable, fpp: Callable, f: Callable, lo: float, hi: float,
                             n: int = GRID_POINTS) -> tuple[list[CriticalPoint], np.ndarray, list]:
    """Sign changes of f' on a grid refined by ``brentq``, plus touching zeros.

    A zero of even multiplicity (f' = 3x² at 0) does not change sign, so local
    minima of |f'| close to zero are refined with a bounded scalar minimiser too.
    Stretches where f' is zero to machine precision (f flat there) are returned
    separately as ``(x_start, x_end)`` pairs, not as points.
    """
    xs = np.linspace(lo, hi, n + 2)[1:-1]
    d = np.asarray(fp(xs), dtype=float)
    # f' may have a formula where f has none (1/x for log x at x < 0): not part of the search.
    d[~np.isfinite(np.asarray(f(xs), dtype=float))] = np.nan
    finite = np.isfinite(d)
    # "Close to zero" is judged against |f'| nearby: x^7 has f' ~ 1e6 at the window's edge.
    padded = np.pad(np.where(finite, np.abs(d), 0.0), LOCAL_SPAN)
    local = np.lib.stride_tricks.sliding_window_view(padded, 2 * LOCAL_SPAN + 1).max(axis=1)
    runs = _flat_runs(finite & (d == 0))
    in_run = np.zeros(n, dtype=bool)
    for i, j in runs:
        in_run[i:j + 1] = True
    found: list[tuple[float, int]] = []  # (x, crossing: +1 for − → +, −1 for + → −, 0 touching)
    s = np.sign(d)
    both = finite[:-1] & finite[1:]
    for i in np.nonzero(both & (s[:-1] * s[1:] < 0))[0]:
        root = optimize.brentq(fp, xs[i], xs[i + 1], xtol=1e-15, rtol=1e-15, maxiter=200)
        value = fp(root)
        if np.isfinite(value) and abs(value) <= ROOT_TOLERANCE * local[i] and np.isfinite(f(root)):
            found.append((root, int(s[i + 1])))
        elif _is_corner(f, root):
            # f' jumps across zero while f stays continuous (|x| at 0): f' is undefined there,
            # which makes it a critical point too.
            found.append((root, int(s[i + 1])))
    for i in range(1, n - 1):
        if not (finite[i - 1] and finite[i] and finite[i + 1]) or in_run[i]:
            continue
        if d[i] == 0:
            found.append((xs[i], int(s[i + 1]) if s[i - 1] != s[i + 1] else 0))
            continue
        a, b, c = abs(d[i - 1]), abs(d[i]), abs(d[i + 1])
        if b <= a and b <= c and s[i - 1] == s[i] == s[i + 1] and b < 1e-2 * local[i]:
            best = optimize.minimize_scalar(lambda t: abs(fp(t)), bounds=(xs[i - 1], xs[i + 1]),
                                            method="bounded", options={"xatol": 1e-13})
            if abs(fp(best.x)) <= ROOT_TOLERANCE * local[i] and np.isfinite(f(best.x)):
                found.append((float(best.x), 0))
    found.sort()
    merged: list[tuple[float, int]] = []
    for root, crossing in found:
        if merged and abs(root - merged[-1][0]) <= 1e-7 * (1 + abs(root)):
            continue
        merged.append((root, crossing))
    if len(merged) > MAX_POINTS:
        merged = merged[:MAX_POINTS]
    locations = [r for r, _ in merged]
    points = []
    for root, crossing in merged:
        if abs(root) < 1e-9 * (hi - lo):
            root = 0.0
        where = _fmt(root)
        left, right = _sign_change(fp, root, _neighbour_gap(root, locations, lo, hi))
        if crossing == 0 and left == right != 0:
            kind, test = "inflection", _sign_words(left, right) + " (it only touches zero)"
        else:
            kind = _kind_from_signs(left, right) or ("minimum" if crossing > 0 else "maximum")
            curvature = fpp(root)
            i = min(int(np.searchsorted(xs, root)), n - 1)
            agrees = np.isfinite(curvature) and abs(curvature) > 1e-6 * local[i] / (xs[1] - xs[0]) and (
                (curvature > 0) == (kind == "minimum"))
            if agrees:
                test = f"f″({where}) ≈ {_fmt(curvature)} {'>' if curvature > 0 else '<'} 0"
            else:
                test = _sign_words(left, right) + f" (f″({where}) ≈ 0)"
        points.append(CriticalPoint(float(root), kind, float(f(root)), None, "numeric", test))
    return points, d, [(float(xs[i]), float(xs[j])) for i, j in runs]


def _explain_none(derivative_text: str, domain_text: str, trend: str, restricted: bool) -> NoCriticalPoints:
    if trend == "constant":
        return NoCriticalPoints("constant", f"f′ = 0 for {domain_text}: f is constant, so every "
                                            "point is as high as every other and none stands out.")
    base = f"f′(x) = {derivative_text} is never zero for {domain_text}"
    ends = " An open interval has no end points, so the values approach a bound without reaching it." \
        if restricted else ""
    if trend == "increasing":
        return NoCriticalPoints(trend, f"{base}, and it is positive there: f increases all the way, so it "
                                       f"has no maximum or minimum.{ends}")
    if trend == "decreasing":
        return NoCriticalPoints(trend, f"{base}, and it is negative there: f decreases all the way, so it "
                                       f"has no maximum or minimum.{ends}")
    return NoCriticalPoints("mixed", f"{base}. It changes sign only where f is undefined or jumps, so f has "
                                     "no maximum or minimum where it is defined.")


def analyze_critical_points(expr: sympy.Expr, var: str = "x", domain=None, window=None, method: str = "auto",
                            timeout: float = DEFAULT_TIMEOUT) -> CriticalPointAnalysis:
    """Find and classify the points where f'(x) = 0, and say why when there are none.

    Parameters
    ----------
    expr : sympy.Expr
        f, e.g. from :func:`calc_core.expressions.parse_expression`.
    var : str
        The variable's name.
    domain : tuple of float, optional
        An open interval ``(a, b)``; infinite ends allowed. ``None`` means the
        function's natural domain.
    window : tuple of float, optional
        The finite interval searched numerically and used to cut an infinite set
        of exact solutions (``sin``). Defaults to the domain when finite, else
        ``(-10, 10)``.
    method : {"auto", "exact", "numeric"}
        ``"auto"`` tries sympy within ``timeout`` seconds, then the numeric search.
    timeout : float
        Wall-clock budget for the exact solve.

    Returns
    -------
    CriticalPointAnalysis

    Raises
    ------
    OptimizationError
        For an empty domain or window, or an unknown method.

    Notes
    -----
    Candidates solve f'(x) = 0. At a candidate x₀ the first derivative of order
    n ≥ 2 that is not zero decides: n even and f⁽ⁿ⁾(x₀) > 0 is a minimum, < 0 a
    maximum; n odd is an inflection (f' keeps its sign). When every derivative
    up to order 8 vanishes or is undefined, the sign of f' on each side decides.
    The numeric search brackets sign changes of f' on a grid of
    ``GRID_POINTS`` points and refines them with Brent's method; zeros of even
    multiplicity (no sign change) are found as minima of |f'| that reach zero.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> [(p.x, p.kind) for p in analyze_critical_points(x**3 - 2*x**2 + 1).points]
    [(0.0, 'maximum'), (1.3333333333333333, 'minimum')]
    >>> analyze_critical_points(sympy.log(x)).explanation.trend
    'increasing'
    """
    if method not in ("auto", "exact", "numeric"):
        raise OptimizationError(f"Unknown method {method!r}: use 'auto', 'exact' or 'numeric'.")
    if not isinstance(expr, sympy.Expr):
        raise OptimizationError("The function must be a sympy expression.")
    extra = sorted(str(s) for s in expr.free_symbols if str(s) != var)
    if extra:
        raise OptimizationError(f"The function may only use {var}; it also uses {', '.join(extra)}.")
    interval = _check_domain(domain)
    lo, hi = _search_window(interval, window)
    derivative = with_real_symbols(expr, (var,), lambda e, xr: sympy.diff(e, xr))
    notes: list[str] = []
    outcome = None
    if method != "numeric":
        budget = run_with_budget(_exact_critical_points, expr, var, interval, (lo, hi), timeout=timeout)
        if budget.ok and budget.value.status != "unsolved":
            outcome = budget.value
        elif budget.timed_out:
            notes.append(f"sympy did not finish within {timeout:g} s, so the points were found numerically.")
        else:
            notes.append("sympy could not solve f′(x) = 0 exactly, so the points were found numerically.")
    if outcome is not None and outcome.status == "empty-domain":
        raise OptimizationError(f"f is not defined anywhere on the chosen domain ({lo:g}, {hi:g}).")
    derivative_text = str(derivative).replace("**", "^")
    if outcome is not None:
        if outcome.truncated:
            notes.append(f"f′ has infinitely many zeros; those with {lo:g} ≤ {var} ≤ {hi:g} are listed.")
        notes.insert(0, "Solved exactly with sympy's solveset on the real domain.")
        explanation = None
        if not outcome.points and not outcome.truncated:
            trend = outcome.trend or _numeric_trend(to_function(derivative, (var,)), lo, hi)
            explanation = _explain_none(derivative_text, outcome.domain_text, trend, interval is not None)
        return CriticalPointAnalysis(expr, derivative, outcome.domain_text, outcome.points, "exact", (lo, hi),
                                     tuple(notes), explanation)
    if method == "exact":
        raise OptimizationError("sympy could not solve f′(x) = 0 exactly for this function.")
    fp = to_function(derivative, (var,))
    second = with_real_symbols(derivative, (var,), lambda e, xr: sympy.diff(e, xr))
    # The derivative of sign(x) (from |x|) is a delta spike: zero wherever it has a value.
    fpp = to_function(second.replace(sympy.DiracDelta, lambda *args: sympy.S.Zero), (var,))
    f = to_function(expr, (var,))
    points, d, flats = _numeric_critical_points(fp, fpp, f, lo, hi)
    defined = np.isfinite(d)
    if not defined.any():
        raise OptimizationError(f"f or f′ is not defined anywhere on {lo:g} < {var} < {hi:g}.")
    domain_text = f"{lo:g} < {var} < {hi:g}"
    if not defined.all():
        domain_text += " where f is defined"
    notes.append(f"Numeric search on {domain_text}: sign changes of f′ on a {GRID_POINTS}-point grid, refined "
                 "with Brent's method.")
    if len(points) == MAX_POINTS:
        notes.append(f"Only the first {MAX_POINTS} critical points are listed.")
    trend = _numeric_trend(fp, lo, hi, d)
    for a, b in flats:
        if trend != "constant":
            notes.append(f"f′ is zero to machine precision for {a:.4g} ≤ {var} ≤ {b:.4g}: f is flat there, "
                         "so those points are not listed one by one.")
    explanation = None
    if not points:
        explanation = _explain_none(derivative_text, domain_text, trend, True)
    return CriticalPointAnalysis(expr, derivative, domain_text, tuple(points), "numeric", (lo, hi),
                                 tuple(notes), explanation)


def _numeric_trend(fp: Callable, lo: float, hi: float, d: np.ndarray | None = None) -> str:
    if d is None:
        d = np.asarray(fp(np.linspace(lo, hi, GRID_POINTS + 2)[1:-1]), dtype=float)
    d = d[np.isfinite(d)]
    if d.size and np.all(np.abs(d) <= ROOT_TOLERANCE * max(1.0, float(np.max(np.abs(d))))):
        return "constant"
    if d.size and np.all(d > 0):
        return "increasing"
    if d.size and np.all(d < 0):
        return "decreasing"
    return "mixed"


def critical_points(expr: sympy.Expr, var: str = "x", domain=None, window=None) -> list[CriticalPoint]:
    """The classified points where f'(x) = 0, sorted by x.

    Parameters
    ----------
    expr : sympy.Expr
        f.
    var : str
        The variable's name.
    domain : tuple of float, optional
        Open interval ``(a, b)``; ``None`` for the natural domain.
    window : tuple of float, optional
        See :func:`analyze_critical_points`.

    Returns
    -------
    list of CriticalPoint

    Notes
    -----
    A thin wrapper over :func:`analyze_critical_points` (which also explains an
    empty result): exact with sympy where possible, numeric otherwise.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> [p.kind for p in critical_points(x**4)]
    ['minimum']
    """
    return list(analyze_critical_points(expr, var, domain, window).points)


# --------------------------------------------------------------------------- optimizers


def _check_rate(learning_rate: float) -> None:
    if not (isinstance(learning_rate, (int, float)) and math.isfinite(learning_rate) and learning_rate > 0):
        raise OptimizationError("The learning rate must be a positive number.")


def _check_decay(value: float, name: str) -> None:
    if not (isinstance(value, (int, float)) and 0 <= value < 1):
        raise OptimizationError(f"{name} must be at least 0 and below 1.")


@dataclass(frozen=True)
class GradientDescent:
    """Plain gradient descent: x ← x − η ∇f(x)."""

    learning_rate: float = 0.1
    name = "GD"

    def __post_init__(self):
        _check_rate(self.learning_rate)

    def start(self, dim: int) -> tuple:
        return ()

    def step(self, x, g, grad, state, t):
        return x - self.learning_rate * g, state


@dataclass(frozen=True)
class Momentum:
    """Heavy-ball momentum: v ← β v + ∇f(x), x ← x − η v (β = 0 is plain descent)."""

    learning_rate: float = 0.05
    beta: float = 0.9
    name = "Momentum"

    def __post_init__(self):
        _check_rate(self.learning_rate)
        _check_decay(self.beta, "Momentum β")

    def start(self, dim: int) -> tuple:
        return (np.zeros(dim),)

    def step(self, x, g, grad, state, t):
        v = self.beta * state[0] + g
        return x - self.learning_rate * v, (v,)


@dataclass(frozen=True)
class Nesterov:
    """Nesterov momentum: the gradient is taken where momentum is about to carry x.

    v ← β v + ∇f(x − η β v), x ← x − η v.
    """

    learning_rate: float = 0.05
    beta: float = 0.9
    name = "Nesterov"

    def __post_init__(self):
        _check_rate(self.learning_rate)
        _check_decay(self.beta, "Momentum β")

    def start(self, dim: int) -> tuple:
        return (np.zeros(dim),)

    def step(self, x, g, grad, state, t):
        ahead = x - self.learning_rate * self.beta * state[0]
        v = self.beta * state[0] + np.asarray(grad(ahead), dtype=float)
        return x - self.learning_rate * v, (v,)


@dataclass(frozen=True)
class RMSProp:
    """Steps scaled per coordinate by a running root-mean-square of the gradient.

    s ← ρ s + (1 − ρ) g², x ← x − η g / (√s + ε).
    """

    learning_rate: float = 0.01
    decay: float = 0.9
    epsilon: float = 1e-8
    name = "RMSProp"

    def __post_init__(self):
        _check_rate(self.learning_rate)
        _check_decay(self.decay, "The decay ρ")

    def start(self, dim: int) -> tuple:
        return (np.zeros(dim),)

    def step(self, x, g, grad, state, t):
        s = self.decay * state[0] + (1 - self.decay) * g * g
        return x - self.learning_rate * g / (np.sqrt(s) + self.epsilon), (s,)


@dataclass(frozen=True)
class Adam:
    """Adam: momentum on g and on g², both bias-corrected.

    m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g²,
    x ← x − η m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
    """

    learning_rate: float = 0.05
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    name = "Adam"

    def __post_init__(self):
        _check_rate(self.learning_rate)
        _check_decay(self.beta1, "β₁")
        _check_decay(self.beta2, "β₂")

    def start(self, dim: int) -> tuple:
        return (np.zeros(dim), np.zeros(dim))

    def step(self, x, g, grad, state, t):
        m = self.beta1 * state[0] + (1 - self.beta1) * g
        v = self.beta2 * state[1] + (1 - self.beta2) * g * g
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        return x - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon), (m, v)


STATUSES = ("converged", "oscillating", "diverged", "left_domain", "unfinished")


@dataclass(frozen=True)
class OptimizationPath:
    """The history of one optimizer run.

    Attributes
    ----------
    optimizer : GradientDescent, Momentum, Nesterov, RMSProp or Adam
        The settings used.
    points : ndarray, shape (n + 1, d)
        Start and every iterate.
    losses : ndarray, shape (n + 1,) or None
        f at each point, when a loss function was given.
    gradients : ndarray, shape (n + 1, d)
        ∇f at each point.
    status : str
        ``"converged"``, ``"oscillating"``, ``"diverged"``, ``"left_domain"`` or
        ``"unfinished"`` (the steps ran out first).
    message : str
        The status in words, with advice.
    """

    optimizer: object
    points: np.ndarray
    losses: np.ndarray | None
    gradients: np.ndarray
    status: str
    message: str

    @property
    def steps(self) -> int:
        """Number of steps taken."""
        return len(self.points) - 1

    @property
    def gradient_norms(self) -> np.ndarray:
        """‖∇f‖ at each point."""
        return np.linalg.norm(self.gradients, axis=1)


def _quiet(function: Callable) -> Callable:
    """Run ``function`` with numpy's overflow warnings off: a diverging path is reported, not warned about."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return function(*args, **kwargs)

    return wrapper


@_quiet
def _verdict(points: np.ndarray, losses: np.ndarray | None, status: str | None, tail: int = 20) -> tuple[str, str]:
    """Name what a finished run did, from its last steps."""
    recent = None if losses is None else losses[-(tail + 1):]
    falling = recent is not None and len(recent) > 2 and bool(np.all(np.diff(recent) < 0))
    if status == "left_domain":
        return status, "A step left the function's domain; try a smaller learning rate or another start."
    if status == "diverged":
        if falling:
            return status, "The iterates ran off while f kept decreasing: f has no minimum in that direction."
        return status, "The iterates blew up: the learning rate is too large for this function. Try a smaller rate."
    if status == "converged":
        return status, f"Converged after {len(points) - 1} steps: the gradient is (numerically) zero."
    steps = np.diff(points[-(tail + 1):], axis=0)
    sizes = np.linalg.norm(steps, axis=1)
    if len(steps) >= 4:
        turns = np.einsum("ij,ij->i", steps[1:], steps[:-1]) < 0
        rising = recent is not None and bool(np.all(np.diff(recent) > 0))
        growing = bool(np.all(np.diff(sizes) > 0))
        if rising or (losses is None and growing and sizes[-1] > 10 * sizes[0]):
            return "diverged", "Each step lands higher than the last: the learning rate is too large, so " \
                               "the iterates swing further out. Try a smaller rate."
        if turns.mean() >= 0.8 and sizes[-1] >= 0.5 * sizes[0] and sizes[-1] > 0:
            return "oscillating", f"The iterates bounce back and forth (steps of about {sizes[-1]:.2g}) without " \
                                  "settling. A smaller learning rate (or less momentum) settles them."
        if turns.mean() >= 0.5:
            return "unfinished", "Still zig-zagging toward a flat point when the steps ran out; more steps or " \
                                 "a smaller learning rate would finish the job."
    if falling and np.linalg.norm(points[-1] - points[0]) > 100 * (1 + np.linalg.norm(points[0])):
        return "unfinished", "f keeps decreasing as the iterates run off: it seems to have no minimum that way."
    return "unfinished", "The steps ran out before the gradient reached zero; allow more steps or a larger rate."


@_quiet
def run_optimizer(grad: Callable, start, optimizer, steps: int = 100, loss: Callable | None = None,
                  callback: Callable | None = None, tol: float = 1e-6, max_norm: float | None = None
                  ) -> OptimizationPath:
    """Minimize with one optimizer from ``start`` and keep the whole history.

    Parameters
    ----------
    grad : callable
        ∇f: takes a 1-D array of shape (d,), returns an array of shape (d,).
    start : array_like, shape (d,)
        Starting point.
    optimizer : GradientDescent, Momentum, Nesterov, RMSProp or Adam
        Settings; each has its own hyperparameters.
    steps : int
        Maximum number of steps.
    loss : callable, optional
        f itself, for the loss history (and a sharper divergence check).
    callback : callable, optional
        Called as ``callback(x, i, g)`` after each step.
    tol : float
        Stop when ‖∇f(x)‖ < ``tol``.
    max_norm : float, optional
        ‖x‖ beyond this counts as divergence; default 1e6 · (1 + ‖start‖).

    Returns
    -------
    OptimizationPath

    Notes
    -----
    Each optimizer maps the gradient g = ∇f(xₜ) to a step (see its class). A run
    ends when the gradient is below ``tol`` (converged), a value stops being
    finite or leaves ``max_norm`` (diverged), the gradient is undefined (left the
    domain), or the steps run out; the last steps then tell oscillation (turning
    back and forth without shrinking) from slow progress.

    Examples
    --------
    >>> path = run_optimizer(lambda p: 2 * p, [1.0], GradientDescent(0.25), steps=3)
    >>> path.points[:, 0].tolist()
    [1.0, 0.5, 0.25, 0.125]
    """
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise OptimizationError("The number of steps must be a whole number of at least 1.")
    x = np.atleast_1d(np.asarray(start, dtype=float)).copy()
    if x.ndim != 1 or not np.all(np.isfinite(x)):
        raise OptimizationError("The starting point must be finite numbers.")
    limit = max_norm if max_norm is not None else 1e6 * (1 + float(np.linalg.norm(x)))
    state = optimizer.start(x.size)

    def probe(p):
        g = np.asarray(grad(p), dtype=float).reshape(p.shape)
        value = float(loss(p)) if loss is not None else 0.0
        return g, value, bool(np.all(np.isfinite(g)) and math.isfinite(value))

    g, value, defined = probe(x)
    if not defined:
        raise OptimizationError("f or its gradient is undefined at the starting point; choose a start inside "
                                "the domain.")
    points, losses, grads = [x.copy()], [value], [g]
    status, outside = None, None
    for t in range(1, steps + 1):
        with np.errstate(over="ignore"):
            size = np.linalg.norm(grads[-1])
        if size < tol:
            status = "converged"
            break
        with np.errstate(all="ignore"):
            x, state = optimizer.step(x, g, grad, state, t)
        if not np.all(np.isfinite(x)) or np.linalg.norm(x) > limit:
            status = "diverged"
            break
        g, value, defined = probe(x)
        if not defined:
            # Undefined after a runaway (a huge jump, or huge values) means overflow;
            # otherwise the step left the domain.
            reach = 1 + max(float(np.linalg.norm(p)) for p in points)
            huge = max(abs(losses[-1]), float(np.linalg.norm(grads[-1]))) > 1e100 or \
                np.linalg.norm(x - points[-1]) > 1e3 * reach
            status, outside = ("diverged", None) if huge else ("left_domain", x.copy())
            break
        points.append(x.copy())
        losses.append(value)
        grads.append(g)
        if callback is not None:
            callback(x.copy(), t, g)
    else:
        if np.linalg.norm(grads[-1]) < tol:
            status = "converged"
    path = np.array(points)
    loss_array = np.array(losses) if loss is not None else None
    status, message = _verdict(path, loss_array, status)
    if outside is not None:
        where = f"x = {outside[0]:.4g}" if outside.size == 1 else "(" + ", ".join(f"{v:.4g}" for v in outside) + ")"
        message = f"The next step would land at {where}, where f is undefined: it left the domain. " \
                  "Try a smaller learning rate or another start."
    return OptimizationPath(optimizer, path, loss_array, np.array(grads), status, message)


def gradient_descent(derivative: Callable, x0: float, learning_rate: float = 0.1, steps: int = 50,
                     momentum: float = 0.0, f: Callable | None = None, tol: float = 1e-6,
                     callback: Callable | None = None) -> OptimizationPath:
    """Gradient descent on a function of one variable, optionally with momentum.

    Parameters
    ----------
    derivative : callable
        f'(x) for a float x.
    x0 : float
        Start.
    learning_rate : float
        Step size η.
    steps : int
        Maximum number of steps.
    momentum : float
        β in [0, 1); 0 is plain gradient descent.
    f : callable, optional
        f itself, for the values along the path.
    tol : float
        Stop when |f'(x)| < ``tol``.
    callback : callable, optional
        ``callback(x, i, g)`` after each step (x and g are length-1 arrays).

    Returns
    -------
    OptimizationPath
        ``points[:, 0]`` are the iterates x₀, x₁, …

    Notes
    -----
    With velocity v₀ = 0: vₜ₊₁ = β vₜ + f'(xₜ), xₜ₊₁ = xₜ − η vₜ₊₁. On f = x² plain
    descent multiplies x by (1 − 2η) each step: it converges for η < 1, bounces
    for ever at η = 1 and diverges beyond.

    Examples
    --------
    >>> path = gradient_descent(lambda x: 2 * x, 1.0, learning_rate=1.0, steps=10)
    >>> path.status
    'oscillating'
    """
    optimizer = Momentum(learning_rate, momentum)
    scalar_grad = lambda p: np.array([float(derivative(float(p[0])))])  # noqa: E731
    scalar_loss = None if f is None else (lambda p: float(f(float(p[0]))))
    return run_optimizer(scalar_grad, [x0], optimizer, steps, scalar_loss, callback, tol)


def descent_path(expr: sympy.Expr, x0: float, learning_rate: float = 0.1, steps: int = 50, momentum: float = 0.0,
                 var: str = "x") -> OptimizationPath:
    """:func:`gradient_descent` on a typed function: f and f' are compiled from ``expr``.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> path = descent_path(x**2, 1.0, learning_rate=0.25, steps=2)
    >>> path.points[:, 0].tolist()
    [1.0, 0.5, 0.25]
    """
    extra = sorted(str(s) for s in expr.free_symbols if str(s) != var)
    if extra:
        raise OptimizationError(f"The function may only use {var}; it also uses {', '.join(extra)}.")
    derivative = with_real_symbols(expr, (var,), lambda e, xr: sympy.diff(e, xr))
    f, fp = to_function(expr, (var,)), to_function(derivative, (var,))
    return gradient_descent(fp, x0, learning_rate, steps, momentum, f=f)


# --------------------------------------------------------------------------- two variables


@dataclass(frozen=True)
class Surface:
    """f(x, y) with its gradient and Hessian, symbolic and compiled.

    Attributes
    ----------
    expr : sympy.Expr
    variables : tuple of str
    gradient_exprs : tuple of sympy.Expr
        (f_x, f_y).
    hessian_exprs : tuple of tuple of sympy.Expr
        ((f_xx, f_xy), (f_yx, f_yy)).
    value : callable
        f(x, y), vectorised (NaN outside the domain).
    gradient : callable
        ∇f at a point: array of shape (2,) -> array of shape (2,).
    hessian : callable
        H at a point: array of shape (2,) -> array of shape (2, 2).
    """

    expr: sympy.Expr
    variables: tuple[str, str]
    gradient_exprs: tuple
    hessian_exprs: tuple
    value: Callable = field(repr=False, compare=False)
    gradient: Callable = field(repr=False, compare=False)
    hessian: Callable = field(repr=False, compare=False)

    def loss(self, p) -> float:
        """f at a point given as an array of shape (2,)."""
        return float(self.value(p[0], p[1]))


def make_surface(expr: sympy.Expr, variables: Sequence[str] = ("x", "y")) -> Surface:
    """Differentiate f(x, y) twice and compile f, ∇f and H for numeric use.

    Examples
    --------
    >>> x, y = sympy.symbols("x y")
    >>> s = make_surface(x**2 + 3*y**2)
    >>> s.gradient(np.array([1.0, 1.0])).tolist()
    [2.0, 6.0]
    """
    names = tuple(variables)
    if len(names) != 2:
        raise OptimizationError("A surface needs exactly two variables.")
    extra = sorted(str(s) for s in expr.free_symbols if str(s) not in names)
    if extra:
        raise OptimizationError(f"The function may only use {names[0]} and {names[1]}; it also uses "
                                f"{', '.join(extra)}.")
    grads = with_real_symbols(expr, names, lambda e, a, b: (sympy.diff(e, a), sympy.diff(e, b)))
    hess = tuple(with_real_symbols(g, names, lambda e, a, b: (sympy.diff(e, a), sympy.diff(e, b))) for g in grads)
    value = to_function(expr, names)
    g_funcs = [to_function(g, names) for g in grads]
    h_funcs = [[to_function(h, names) for h in row] for row in hess]

    def gradient(p):
        return np.array([float(fn(p[0], p[1])) for fn in g_funcs])

    def hessian(p):
        return np.array([[float(fn(p[0], p[1])) for fn in row] for row in h_funcs])

    return Surface(expr, names, tuple(grads), hess, value, gradient, hessian)


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
        xv, yv = complex(sol[a].evalf(30)), complex(sol[b].evalf(30))
        if abs(xv.imag) > 1e-12 or abs(yv.imag) > 1e-12:
            continue
        at = {a: sol[a], b: sol[b]}
        h = [[entry.subs(at) for entry in row] for row in rows]
        det = (h[0][0] * h[1][1] - h[0][1] * h[1][0]).evalf(30)
        det_sign = 0 if abs(complex(det)) < EXACT_ZERO else int(np.sign(complex(det).real))
        hf = tuple(tuple(float(sympy.re(entry.evalf(30))) for entry in row) for row in h)
        out.append((xv.real, yv.real, hf, det_sign, float(sympy.re(f.subs(at).evalf(30)))))
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
    r = 1e-2 * (1 + math.hypot(x, y))
    theta = np.linspace(0, 2 * np.pi, 72, endpoint=False)
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
                               window=((-5.0, 5.0), (-5.0, 5.0)), method: str = "auto",
                               timeout: float = DEFAULT_TIMEOUT) -> SurfaceAnalysis:
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
        Wall-clock budget for the exact solve.

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
    surface = make_surface(expr, variables)
    (x_lo, x_hi), (y_lo, y_hi) = ((float(a), float(b)) for a, b in window)
    if not (x_lo < x_hi and y_lo < y_hi):
        raise OptimizationError("The window must have its left/bottom end below its right/top end.")
    notes: list[str] = []
    points: list[CriticalPoint2D] = []
    solved = False
    if method != "numeric":
        budget = run_with_budget(_exact_critical_points_2d, expr, tuple(variables), timeout=timeout)
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
                       window=((-5.0, 5.0), (-5.0, 5.0))) -> list[CriticalPoint2D]:
    """The Hessian-classified points where ∇f = 0 (see :func:`analyze_critical_points_2d`).

    Examples
    --------
    >>> x, y = sympy.symbols("x y")
    >>> [p.kind for p in critical_points_2d(x**2 + y**2)]
    ['minimum']
    """
    return list(analyze_critical_points_2d(expr, variables, window).points)
