"""Critical points of f(x): where f'(x) = 0, and whether each is a minimum, a maximum or neither.

A differentiable function can only reach a local maximum or minimum where its
rate of change is zero, so the candidates are the solutions of ``f'(x) = 0``.
Whether a candidate is a minimum, a maximum or neither is read from higher
derivatives. sympy solves ``f'(x) = 0`` exactly in the killable worker when it
can; otherwise a numeric search brackets the sign changes of f' on a grid.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
import sympy
from scipy import optimize
from sympy.calculus.util import continuous_domain

from calc_core.budget import DEFAULT_TIMEOUT, run_with_budget
from calc_core.expressions import to_function
from calc_core.optimization.common import (
    EXACT_DIGITS,
    EXACT_ZERO,
    MAX_POINTS,
    ROOT_TOLERANCE,
    OptimizationError,
    check_variables,
    format_number,
    real_value,
)
from calc_core.optimization.derivatives import CompiledDerivatives, compile_derivatives

KINDS = ("minimum", "maximum", "inflection")

# Highest derivative order tried before falling back to the sign of f'.
MAX_ORDER = 8
# Grid points for the numeric search of f' = 0.
GRID_POINTS = 4001
# Candidates refined by a root search at most: a few more than can be listed, as some merge.
MAX_REFINED = MAX_POINTS + 20
# "Nearby" for ROOT_TOLERANCE: this many grid points either side.
LOCAL_SPAN = 25
DEFAULT_WINDOW = (-10.0, 10.0)
# Longest formula for f′ written into a sentence; a longer one is named, not written.
MAX_TEXT = 200


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
    expr : sympy.Expr
        f.
    derivative : sympy.Expr or None
        f' (plain symbols); None when it grew too large to write out.
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
    derivative: sympy.Expr | None
    domain_text: str
    points: tuple[CriticalPoint, ...]
    found_by: str
    window: tuple[float, float]
    notes: tuple[str, ...] = ()
    explanation: NoCriticalPoints | None = None


def _prime(order: int) -> str:
    return {1: "′", 2: "″", 3: "‴"}.get(order, f"⁽{str(order).translate(str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'))}⁾")


def _exact_number(v: float) -> sympy.Expr:
    """A float as the rational it was typed as (0.1 -> 1/10), or ±oo."""
    if math.isinf(v):
        return sympy.oo if v > 0 else -sympy.oo
    return sympy.Rational(repr(v))


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
        lo = "" if dom.start == -sympy.oo else f"{format_number(dom.start)} {'<' if dom.left_open else '≤'} "
        hi = "" if dom.end == sympy.oo else f" {'<' if dom.right_open else '≤'} {format_number(dom.end)}"
        if lo and not hi:
            return f"{var} {'>' if dom.left_open else '≥'} {format_number(dom.start)}"
        return f"{lo}{var}{hi}"
    if isinstance(dom, sympy.Union) and all(isinstance(s, sympy.Interval) for s in dom.args):
        missing = sympy.S.Reals - dom
        if isinstance(missing, sympy.FiniteSet) and len(missing) <= 4:
            return f"{var} ≠ " + ", ".join(format_number(p) for p in missing)
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
    where = format_number(root)
    derivative = sympy.diff(f, x)
    for order in range(2, MAX_ORDER + 1):
        derivative = sympy.diff(derivative, x)
        value = derivative.subs(x, root)
        number = real_value(value)
        if number is None:
            break
        if abs(number) > EXACT_ZERO:
            sign = ">" if number > 0 else "<"
            shown = format_number(value if value.is_Rational else number)
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
        value = fp.subs(x, point).evalf(EXACT_DIGITS)
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


class ExactStatus(Enum):
    """What sympy's solve of f' = 0 came back with."""

    POINTS = "points"
    CONSTANT = "constant"
    UNSOLVED = "unsolved"
    EMPTY_DOMAIN = "empty domain"


@dataclass(frozen=True)
class _ExactOutcome:
    status: ExactStatus
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
        return _ExactOutcome(ExactStatus.EMPTY_DOMAIN, domain_text=text)
    if fp.is_zero:
        return _ExactOutcome(ExactStatus.CONSTANT, domain_text=text, trend="constant")
    solutions = sympy.solveset(fp, x, dom)
    truncated = False
    candidates = _finite_candidates(solutions)
    if candidates is None:
        if solutions == dom:
            return _ExactOutcome(ExactStatus.CONSTANT, domain_text=text, trend="constant")
        truncated = True
        candidates = _finite_candidates(solutions.intersect(sympy.Interval(*window)))
        if candidates is None:
            return _ExactOutcome(ExactStatus.UNSOLVED, domain_text=text)
    roots = []
    for root in candidates:
        number = real_value(root)
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
        value = real_value(f.subs(x, root))
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
    return _ExactOutcome(ExactStatus.POINTS, tuple(points), truncated, text, trend)


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
    crossings = np.nonzero(both & (s[:-1] * s[1:] < 0))[0]
    a, b, c = np.abs(d[:-2]), np.abs(d[1:-1]), np.abs(d[2:])
    inner = finite[:-2] & finite[1:-1] & finite[2:] & ~in_run[1:-1]
    same_sign = (s[:-2] == s[1:-1]) & (s[1:-1] == s[2:])
    exact_zero = inner & (d[1:-1] == 0)
    dips = inner & ~exact_zero & (b <= a) & (b <= c) & same_sign & (b < 1e-2 * local[1:-1])
    candidates = sorted([(i, "crossing") for i in crossings]
                        + [(i, "zero") for i in np.nonzero(exact_zero)[0] + 1]
                        + [(i, "dip") for i in np.nonzero(dips)[0] + 1])
    # Each candidate costs a root search in the server; only as many as can be listed are refined.
    for i, kind in candidates[:MAX_REFINED]:
        if kind == "crossing":
            root = optimize.brentq(fp, xs[i], xs[i + 1], xtol=1e-15, rtol=1e-15, maxiter=200)
            value = fp(root)
            if np.isfinite(value) and abs(value) <= ROOT_TOLERANCE * local[i] and np.isfinite(f(root)):
                found.append((root, int(s[i + 1])))
            elif _is_corner(f, root):
                # f' jumps across zero while f stays continuous (|x| at 0): f' is undefined there,
                # which makes it a critical point too.
                found.append((root, int(s[i + 1])))
        elif kind == "zero":
            found.append((xs[i], int(s[i + 1]) if s[i - 1] != s[i + 1] else 0))
        else:
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
        where = format_number(root)
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
                test = f"f″({where}) ≈ {format_number(curvature)} {'>' if curvature > 0 else '<'} 0"
            else:
                test = _sign_words(left, right) + f" (f″({where}) ≈ 0)"
        points.append(CriticalPoint(float(root), kind, float(f(root)), None, "numeric", test))
    return points, d, [(float(xs[i]), float(xs[j])) for i, j in runs]


def _explain_none(derivative_text: str, domain_text: str, trend: str, restricted: bool) -> NoCriticalPoints:
    if trend == "constant":
        return NoCriticalPoints("constant", f"f′ = 0 for {domain_text}: f is constant, so every "
                                            "point is as high as every other and none stands out.")
    base = f"{derivative_text} is never zero for {domain_text}"
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
                            timeout: float = DEFAULT_TIMEOUT, owner: Hashable | None = None,
                            derivatives: CompiledDerivatives | None = None) -> CriticalPointAnalysis:
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
        Wall-clock budget for the exact solve (and for differentiating, each).
    owner : hashable, optional
        Whose worker slot the symbolic work takes (a browser session).
    derivatives : CompiledDerivatives, optional
        f′ and f″ already compiled by :func:`compile_derivatives`; built here when omitted.

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
    check_variables(expr, (var,))
    interval = _check_domain(domain)
    lo, hi = _search_window(interval, window)
    if derivatives is None:
        derivatives = compile_derivatives(expr, (var,), timeout, owner)
    fp, fpp, f = derivatives.gradient[0], derivatives.hessian[0][0], derivatives.value
    formula = derivatives.formulas.gradient
    derivative = formula[0] if formula is not None else None
    notes: list[str] = []
    if not derivatives.exact:
        notes.append(f"f′ and f″ are central differences of f: {derivatives.formulas.reason}.")
    outcome = None
    if method != "numeric" and derivative is not None:
        budget = run_with_budget(_exact_critical_points, expr, var, interval, (lo, hi), timeout=timeout, owner=owner)
        if budget.ok and budget.value.status is not ExactStatus.UNSOLVED:
            outcome = budget.value
        elif budget.timed_out:
            notes.append(f"sympy did not finish within {timeout:g} s, so the points were found numerically.")
        else:
            notes.append("sympy could not solve f′(x) = 0 exactly, so the points were found numerically.")
    if outcome is not None and outcome.status is ExactStatus.EMPTY_DOMAIN:
        raise OptimizationError(f"f is not defined anywhere on the chosen domain ({lo:g}, {hi:g}).")
    derivative_text = "f′(x)" if derivative is None else f"f′(x) = {str(derivative).replace('**', '^')}"
    if len(derivative_text) > MAX_TEXT:
        derivative_text = "f′(x)"
    if outcome is not None:
        if outcome.truncated:
            notes.append(f"f′ has infinitely many zeros; those with {lo:g} ≤ {var} ≤ {hi:g} are listed.")
        notes.insert(0, "Solved exactly with sympy's solveset on the real domain.")
        explanation = None
        if not outcome.points and not outcome.truncated:
            trend = outcome.trend or _numeric_trend(fp, lo, hi)
            explanation = _explain_none(derivative_text, outcome.domain_text, trend, interval is not None)
        return CriticalPointAnalysis(expr, derivative, outcome.domain_text, outcome.points, "exact", (lo, hi),
                                     tuple(notes), explanation)
    if method == "exact":
        raise OptimizationError("sympy could not solve f′(x) = 0 exactly for this function.")
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


def critical_points(expr: sympy.Expr, var: str = "x", domain=None, window=None,
                    timeout: float = DEFAULT_TIMEOUT) -> list[CriticalPoint]:
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
    timeout : float
        Seconds for the exact search in the killable worker, as in :func:`analyze_critical_points`.

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
    return list(analyze_critical_points(expr, var, domain, window, timeout=timeout).points)
