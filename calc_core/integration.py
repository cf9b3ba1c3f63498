"""Integrals: area as a sum of thin strips, and antiderivatives that undo d/dx.

The definite integral of f over [a, b] is the limit of Riemann sums

    ∫_a^b f(x) dx = lim_{n -> ∞} Σ_{i=0}^{n-1} f(x_i*) δx,   δx = (b − a)/n,

and, by the fundamental theorem of calculus, it equals F(b) − F(a) for any
antiderivative F (a function with F' = f). This module computes both sides:
:func:`riemann_sum`, :func:`running_integral` and :func:`convergence_study`
numerically, :func:`antiderivative`, :func:`integration_steps` and
:func:`definite_integral` symbolically (run those under
:func:`calc_core.budget.run_with_budget`, since symbolic integration can take
very long), and :func:`interval_report` says when [a, b] makes the integral
improper or undefined.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy
from scipy import integrate as scipy_integrate
from sympy.integrals import manualintegrate as mi
from sympy.integrals.risch import NonElementaryIntegral, risch_integrate

from calc_core.differentiation import domain_report, sample_curve
from calc_core.expressions import to_function, with_real_symbols

__all__ = [
    "RULES",
    "AntiderivativeCurve",
    "AntiderivativeReport",
    "ConvergenceStudy",
    "DefiniteIntegral",
    "IntegrationError",
    "IntegrationStep",
    "IntervalReport",
    "NoClosedFormError",
    "Panels",
    "QuadResult",
    "antiderivative",
    "antiderivative_curve",
    "antiderivative_report",
    "convergence_study",
    "definite_integral",
    "integration_steps",
    "interval_report",
    "quad_integral",
    "riemann_panels",
    "riemann_sum",
    "running_integral",
]

RULES = ("left", "right", "midpoint", "trapezoid")
MAX_PANELS = 1_000_000


class IntegrationError(ValueError):
    """Bad input for an integration routine, with a learner-readable reason."""


class NoClosedFormError(IntegrationError):
    """sympy found no antiderivative in closed form (not even with special functions)."""


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def _check_interval(a: float, b: float) -> tuple[float, float]:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        raise IntegrationError("The interval ends a and b must be numbers.") from None
    if not (np.isfinite(a) and np.isfinite(b)):
        raise IntegrationError("The interval ends a and b must be finite numbers.")
    if not a < b:
        raise IntegrationError(f"The interval needs a < b (got a = {a:g}, b = {b:g}).")
    return a, b


def _check_n(n) -> int:
    if isinstance(n, bool) or not float(n).is_integer() or not 1 <= n <= MAX_PANELS:
        raise IntegrationError(f"The number of strips n must be a whole number from 1 to {MAX_PANELS:,}.")
    return int(n)


def _check_rule(rule: str) -> str:
    if rule not in RULES:
        raise IntegrationError(f"Unknown rule {rule!r}; choose one of {', '.join(RULES)}.")
    return rule


def _values(f: Callable, xs: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float)
    return np.broadcast_to(ys, xs.shape).astype(float)


# ---------------------------------------------------------------------------
# Riemann sums
# ---------------------------------------------------------------------------


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
    a, b = _check_interval(a, b)
    n = _check_n(n)
    _check_rule(rule)
    dx = (b - a) / n
    edges = np.linspace(a, b, n + 1)
    if rule == "left":
        total = _values(f, edges[:-1]).sum()
    elif rule == "right":
        total = _values(f, edges[1:]).sum()
    elif rule == "midpoint":
        total = _values(f, edges[:-1] + dx / 2).sum()
    else:
        ys = _values(f, edges)
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
    a, b = _check_interval(a, b)
    n = _check_n(n)
    _check_rule(rule)
    edges = np.linspace(a, b, n + 1)
    x_left, x_right = edges[:-1], edges[1:]
    if rule == "trapezoid":
        ys = _values(f, edges)
        y_left, y_right = ys[:-1], ys[1:]
        sample_x, sample_y = edges, ys
    else:
        sample_x = {"left": x_left, "right": x_right, "midpoint": (x_left + x_right) / 2}[rule]
        sample_y = _values(f, sample_x)
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
    a, b = _check_interval(a, b)
    _check_rule(rule)
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
        heights = _values(f, left)
    elif rule == "right":
        heights = _values(f, right)
    elif rule == "midpoint":
        heights = _values(f, (left + right) / 2)
    else:
        ys = _values(f, xs)
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
    a, b = _check_interval(a, b)
    exact = float(exact)
    if not np.isfinite(exact):
        raise IntegrationError("The reference value of the integral must be a finite number.")
    if ns is None:
        ns = np.unique(np.round(np.logspace(0, 4, 25)).astype(int))
    ns = np.asarray(sorted({_check_n(n) for n in ns}), dtype=int)
    floor = 100 * np.finfo(float).eps * max(1.0, abs(exact))
    errors = {}
    orders = {}
    for rule in RULES:
        err = np.array([abs(riemann_sum(f, a, b, int(n), rule) - exact) for n in ns])
        errors[rule] = err
        orders[rule] = _order(ns, err, floor)
    return ConvergenceStudy(ns=ns, exact=exact, errors=errors, orders=orders)


# ---------------------------------------------------------------------------
# Numerical reference: adaptive quadrature
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuadResult:
    """scipy.integrate.quad's answer, with whether it trusted it.

    Attributes
    ----------
    value : float
        The estimate (NaN if quad failed outright).
    error_estimate : float
        quad's own bound on the absolute error.
    converged : bool
        False if quad warned (slow convergence, singularity, round-off) or failed.
    message : str
        Why it did not converge, or "" if it did.
    """

    value: float
    error_estimate: float
    converged: bool
    message: str


def quad_integral(f: Callable, a: float, b: float, points=()) -> QuadResult:
    """∫_a^b f dx by adaptive Gauss–Kronrod quadrature (``scipy.integrate.quad``).

    Parameters
    ----------
    f : callable
        Numeric function of one float.
    a, b : float
        Interval, a < b.
    points : iterable of float
        Trouble spots inside (a, b) that quad should split the interval at.

    Returns
    -------
    QuadResult

    Notes
    -----
    quad subdivides [a, b] until a 21-point Kronrod rule and its embedded 10-point
    Gauss rule agree on each piece; it is the independent reference for the
    Riemann sums here. Where f is undefined, quad is given 0 instead (and the
    result is marked as not converged): a NaN inside QUADPACK can crash the process.

    Examples
    --------
    >>> round(quad_integral(lambda x: 3 * x**2 - 4 * x, 0.0, 2.0).value, 12)
    0.0
    """
    a, b = _check_interval(a, b)
    inner = sorted(p for p in points if a < p < b) or None
    undefined_seen = False

    def finite_f(t: float) -> float:
        # QUADPACK's bookkeeping can corrupt memory and crash the process when the
        # integrand returns NaN (scipy issue #14945), so quad never sees one.
        nonlocal undefined_seen
        value = float(f(t))
        if math.isfinite(value):
            return value
        undefined_seen = True
        return 0.0

    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        try:
            value, error = scipy_integrate.quad(finite_f, a, b, points=inner, limit=200)
        except (ValueError, ZeroDivisionError, OverflowError) as exc:
            return QuadResult(float("nan"), float("nan"), False, str(exc))
    problems = [str(w.message).split("\n")[0] for w in caught if issubclass(w.category, Warning)]
    if undefined_seen:
        problems.insert(0, "f is undefined at points quad sampled")
    converged = not problems and bool(np.isfinite(value))
    message = problems[0] if problems else ("" if converged else "quad returned a non-finite value")
    return QuadResult(float(value), float(error), converged, message)


# ---------------------------------------------------------------------------
# Symbolic: antiderivative, steps, definite integral
# ---------------------------------------------------------------------------


def _real_logs(expr: sympy.Expr) -> sympy.Expr:
    """ln(u) -> ln|u| in a real antiderivative: valid on both sides of u = 0."""
    if expr.has(sympy.I):
        return expr
    return expr.replace(lambda e: isinstance(e, sympy.log) and not e.args[0].is_positive,
                        lambda e: sympy.log(sympy.Abs(e.args[0])))


def _integrate(expr: sympy.Expr, var: str, *limits):
    if not isinstance(expr, sympy.Expr):
        raise IntegrationError("Integration needs a sympy expression.")
    if not isinstance(var, str) or not var.isidentifier():
        raise IntegrationError(f"The variable must be a plain name such as 'x', not {var!r}.")
    return with_real_symbols(expr, (var,), lambda e, xr: sympy.integrate(e, (xr, *limits) if limits else xr))


def antiderivative(expr: sympy.Expr, var: str = "x") -> sympy.Expr:
    """An antiderivative F of f (F' = f), without the constant of integration.

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Variable of integration.

    Returns
    -------
    sympy.Expr
        F, possibly using special functions (erf, Si, ...) when no elementary F exists.
        Logarithms of expressions that can be negative are written ln|u|.

    Raises
    ------
    NoClosedFormError
        If sympy cannot find any closed form.

    Notes
    -----
    Every antiderivative of f is F + C for a constant C, because (F + C)' = F' = f.
    Symbolic integration can take very long on some inputs: call this through
    :func:`calc_core.budget.run_with_budget`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> antiderivative(3*x**2 - 4*x)
    x**3 - 2*x**2
    >>> antiderivative(1 / x)
    log(Abs(x))
    """
    F = _integrate(expr, var)
    if F.has(sympy.Integral):
        raise NoClosedFormError("sympy found no closed-form antiderivative for this function.")
    return _real_logs(sympy.unpolarify(F))


@dataclass(frozen=True)
class IntegrationStep:
    """One rule in sympy's step-by-step integration.

    Attributes
    ----------
    rule : str
        Name of the rule ("power", "substitution", "by parts", ...).
    explanation : str
        Markdown (with $...$ LaTeX) saying what the rule does here.
    integrand : str
        LaTeX of the integral this step handles, e.g. ``\\int x^{2}\\, dx``.
    result : str
        LaTeX of its antiderivative.
    depth : int
        Nesting level (0 for the whole integral), for indentation.
    antiderivative : sympy.Expr
        The antiderivative this step produces (in the step's own variable).
    """

    rule: str
    explanation: str
    integrand: str
    result: str
    depth: int
    antiderivative: sympy.Expr


_SPECIAL_NAMES = {
    "erf": "the error function erf",
    "erfi": "the imaginary error function erfi",
    "erfc": "the complementary error function erfc",
    "Si": "the sine integral Si",
    "Ci": "the cosine integral Ci",
    "Shi": "the hyperbolic sine integral Shi",
    "Chi": "the hyperbolic cosine integral Chi",
    "Ei": "the exponential integral Ei",
    "expint": "the exponential integral E",
    "li": "the logarithmic integral li",
    "fresnels": "the Fresnel integral S",
    "fresnelc": "the Fresnel integral C",
    "uppergamma": "the upper incomplete gamma function",
    "lowergamma": "the lower incomplete gamma function",
    "gamma": "the gamma function",
    "polylog": "the polylogarithm",
    "LambertW": "the Lambert W function",
    "hyper": "a hypergeometric function",
    "meijerg": "a Meijer G-function",
    "elliptic_e": "an elliptic integral",
    "elliptic_f": "an elliptic integral",
}

_ELEMENTARY = (
    sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc,
    sympy.asin, sympy.acos, sympy.atan, sympy.acot, sympy.asec, sympy.acsc,
    sympy.sinh, sympy.cosh, sympy.tanh, sympy.coth, sympy.sech, sympy.csch,
    sympy.asinh, sympy.acosh, sympy.atanh, sympy.acoth, sympy.Abs, sympy.sign, sympy.Piecewise,
    sympy.Heaviside, sympy.Max, sympy.Min,
)


def _special_functions(F: sympy.Expr) -> tuple[str, ...]:
    names = {
        type(fn).__name__
        for fn in F.atoms(sympy.Function)
        if not isinstance(fn, _ELEMENTARY) and not isinstance(fn, sympy.exp_polar)
    }
    return tuple(sorted(names))


def _int_latex(integrand: sympy.Expr, variable: sympy.Symbol) -> str:
    return rf"\int {sympy.latex(integrand)}\, d{sympy.latex(variable)}"


def _rule_words(rule) -> tuple[str, str]:
    """(name, markdown explanation) for one manualintegrate rule."""
    L = sympy.latex
    v = L(rule.variable)
    match rule:
        case mi.AddRule():
            return "sum", "Integrate term by term."
        case mi.ConstantTimesRule():
            return "constant multiple", f"Take the constant ${L(rule.constant)}$ outside the integral."
        case mi.ConstantRule():
            return "constant", f"$\\int c\\, d{v} = c\\,{v}$."
        case mi.PowerRule():
            return "power", f"$\\int {v}^n\\, d{v} = \\frac{{{v}^{{n+1}}}}{{n+1}}$ for $n \\ne -1$."
        case mi.ReciprocalRule():
            return "reciprocal", f"$\\int \\frac{{1}}{{{v}}}\\, d{v} = \\ln|{v}|$."
        case mi.ExpRule():
            return "exponential", f"$\\int a^{{{v}}}\\, d{v} = \\frac{{a^{{{v}}}}}{{\\ln a}}$ (and $\\int e^{{{v}}}\\, d{v} = e^{{{v}}}$)."
        case mi.TrigRule():
            return "trigonometric", "A standard trigonometric integral (reverse of a derivative you know)."
        case mi.HyperbolicRule():
            return "hyperbolic", "A standard hyperbolic integral."
        case mi.ArctanRule() | mi.ArcsinRule() | mi.ArcsinhRule():
            return "inverse trigonometric", "A standard integral whose answer is an inverse trigonometric function."
        case mi.URule():
            return "substitution", f"Substitute $u = {L(rule.u_func)}$, so the integral becomes one in $u$."
        case mi.CyclicPartsRule():
            return "by parts (cyclic)", "Integrate by parts until the original integral reappears, then solve for it."
        case mi.PartsRule():
            return (
                "by parts",
                f"$\\int u\\, dv = u v - \\int v\\, du$ with $u = {L(rule.u)}$, $dv = {L(rule.dv)}\\, d{v}$.",
            )
        case mi.CompleteSquareRule():
            return "complete the square", f"Complete the square: ${L(rule.rewritten)}$."
        case mi.RewriteRule():
            return "rewrite", f"Rewrite the integrand as ${L(rule.rewritten)}$."
        case mi.TrigSubstitutionRule():
            return "trigonometric substitution", f"Substitute ${L(rule.func)}$ for ${v}$."
        case mi.PiecewiseRule():
            return "cases", "Integrate each case separately."
        case mi.IRule() | mi.ErfRule() | mi.FresnelSRule() | mi.FresnelCRule() | mi.UpperGammaRule():
            return "special function", "No elementary antiderivative here: the answer is a special function."
    return "table", "A standard integral from the table."


def _children(rule) -> list:
    match rule:
        case mi.AddRule():
            return list(rule.substeps)
        case mi.AlternativeRule():
            return list(rule.alternatives[:1])
        case mi.PartsRule():
            return [s for s in (rule.v_step, rule.second_step) if s is not None]
        case mi.CyclicPartsRule():
            return list(rule.parts_rules)
        case mi.PiecewiseRule():
            return [sub for sub, _ in rule.subfunctions]
    sub = getattr(rule, "substep", None)
    return [sub] if sub is not None else []


def _has_unknown(rule) -> bool:
    return isinstance(rule, mi.DontKnowRule) or any(_has_unknown(c) for c in _children(rule))


def integration_steps(expr: sympy.Expr, var: str = "x") -> tuple[IntegrationStep, ...]:
    """sympy's step-by-step integration, as readable steps (empty if it has none).

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Variable of integration.

    Returns
    -------
    tuple of IntegrationStep
        In the order a person would write them: each rule, followed by the steps of
        the integrals it hands on. Empty when sympy's rule-based integrator
        (``sympy.integrals.manualintegrate.integral_steps``) cannot do this integral.

    Notes
    -----
    Rules include ∫ c dx = c x, ∫ xⁿ dx = xⁿ⁺¹/(n+1), ∫ 1/x dx = ln|x|, linearity,
    substitution ∫ f(g(x)) g'(x) dx = ∫ f(u) du, and parts ∫ u dv = uv − ∫ v du.
    Can be slow: call it through :func:`calc_core.budget.run_with_budget`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> [s.rule for s in integration_steps(3*x**2 - 4*x)]
    ['sum', 'constant multiple', 'power', 'constant multiple', 'power']
    """
    if not isinstance(expr, sympy.Expr):
        raise IntegrationError("Integration needs a sympy expression.")
    x = sympy.Symbol(var)
    root = mi.integral_steps(expr, x)
    if _has_unknown(root):
        return ()
    steps: list[IntegrationStep] = []

    def visit(rule, depth: int) -> None:
        if isinstance(rule, mi.AlternativeRule):
            for child in _children(rule):
                visit(child, depth)
            return
        name, words = _rule_words(rule)
        # sympy's own rule object computes its antiderivative from the sympy tree; no text is involved.
        F = _real_logs(sympy.unpolarify(rule.eval()))
        steps.append(
            IntegrationStep(
                rule=name,
                explanation=words,
                integrand=_int_latex(rule.integrand, rule.variable),
                result=sympy.latex(F),
                depth=depth,
                antiderivative=F,
            )
        )
        for child in _children(rule):
            visit(child, depth + 1)

    visit(root, 0)
    return tuple(steps)


@dataclass(frozen=True)
class AntiderivativeReport:
    """Everything the symbolic side knows about ∫ f dx.

    Attributes
    ----------
    integrand : sympy.Expr
        f.
    antiderivative : sympy.Expr or None
        F with F' = f (no constant), or None if sympy found no closed form.
    kind : {"elementary", "special", "none"}
        Whether F uses only elementary functions, needs special functions, or is unknown.
    special_functions : tuple of str
        Descriptions of the special functions F uses (e.g. "the error function erf").
    proved_nonelementary : bool
        True if the Risch algorithm proved that no elementary antiderivative exists.
    steps : tuple of IntegrationStep
        Step-by-step working, empty if not available.
    """

    integrand: sympy.Expr
    antiderivative: sympy.Expr | None
    kind: str
    special_functions: tuple[str, ...]
    proved_nonelementary: bool
    steps: tuple[IntegrationStep, ...]


def _proved_nonelementary(expr: sympy.Expr, var: str) -> bool:
    try:
        result = with_real_symbols(
            expr, (var,), lambda e, xr: risch_integrate(e.rewrite(sympy.exp), xr)
        )
    except (NotImplementedError, ValueError, TypeError):
        return False
    return isinstance(result, NonElementaryIntegral) or result.has(NonElementaryIntegral)


def antiderivative_report(expr: sympy.Expr, var: str = "x") -> AntiderivativeReport:
    """Antiderivative, whether it is elementary, and the steps — in one call.

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Variable of integration.

    Returns
    -------
    AntiderivativeReport

    Notes
    -----
    An elementary function is built from polynomials, exp, ln, trigonometric
    functions and their inverses by arithmetic and composition. Some elementary
    f, such as e^(−x²) or sin(x)/x, have no elementary antiderivative (Liouville's
    theorem); for those, sympy writes F with a special function (erf, Si) that is
    defined as such an integral, and the Risch algorithm can prove that nothing
    elementary exists. Meant to run under :func:`calc_core.budget.run_with_budget`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> report = antiderivative_report(sympy.exp(-x**2))
    >>> report.kind, report.special_functions, report.proved_nonelementary
    ('special', ('the error function erf',), True)
    """
    try:
        F = antiderivative(expr, var)
    except NoClosedFormError:
        F = None
    if F is None:
        kind, special = "none", ()
    else:
        names = _special_functions(F)
        kind = "special" if names else "elementary"
        special = tuple(_SPECIAL_NAMES.get(name, f"the special function {name}") for name in names)
    proved = kind != "elementary" and _proved_nonelementary(expr, var)
    try:
        steps = integration_steps(expr, var)
    except (NotImplementedError, ValueError, TypeError, RecursionError):
        steps = ()
    return AntiderivativeReport(
        integrand=expr,
        antiderivative=F,
        kind=kind,
        special_functions=special,
        proved_nonelementary=proved,
        steps=steps,
    )


@dataclass(frozen=True)
class DefiniteIntegral:
    """∫_a^b f dx, exactly.

    Attributes
    ----------
    exact : sympy.Expr or None
        The exact value (e.g. ``sqrt(pi)*erf(1)``), or None if there is no closed form.
    value : float
        Its numerical value (NaN if it does not exist or is not known).
    status : {"finite", "infinite", "no value", "complex", "unknown"}
        finite: a real number; infinite: sympy found ±∞; no value: sympy's answer
        is undefined (NaN), as for ∫_{−1}^{1} dx/x — for an improper integral that
        means it does not exist, for a bounded f only that sympy could not
        evaluate it; complex: f has no real value on part of [a, b]; unknown:
        sympy found no closed form.
    """

    exact: sympy.Expr | None
    value: float
    status: str


def _exact_number(value: float) -> sympy.Rational:
    """A slider value such as 0.1 as the exact decimal 1/10, not its binary neighbour."""
    return sympy.Rational(repr(float(value)))


def definite_integral(expr: sympy.Expr, var: str, a: float, b: float) -> DefiniteIntegral:
    """The exact value of ∫_a^b f dx, by sympy.

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Variable of integration.
    a, b : float
        Interval, a < b (read as exact decimals: 0.1 means 1/10).

    Returns
    -------
    DefiniteIntegral

    Notes
    -----
    For f continuous on [a, b], ∫_a^b f dx = F(b) − F(a). Across a pole this
    formula is wrong (∫_{−1}^{1} dx/x is not ln 1 − ln 1 = 0; the integral does not
    exist), which is why sympy evaluates the integral itself, limits included.
    Meant to run under :func:`calc_core.budget.run_with_budget`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> definite_integral(3*x**2 - 4*x, "x", 0, 3)
    DefiniteIntegral(exact=9, value=9.0, status='finite')
    >>> definite_integral(1 / x**2, "x", -1, 1).status
    'infinite'
    """
    a, b = _check_interval(a, b)
    result = _integrate(expr, var, _exact_number(a), _exact_number(b))
    if result.has(sympy.Integral):
        return DefiniteIntegral(exact=None, value=float("nan"), status="unknown")
    if result.has(sympy.nan):
        return DefiniteIntegral(exact=result, value=float("nan"), status="no value")
    if result.has(sympy.oo, -sympy.oo, sympy.zoo):
        return DefiniteIntegral(exact=result, value=float("nan"), status="infinite")
    number = complex(result.evalf())
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
        return DefiniteIntegral(exact=result, value=float("nan"), status="complex")
    return DefiniteIntegral(exact=result, value=number.real, status="finite")


@dataclass(frozen=True)
class AntiderivativeCurve:
    """An antiderivative F sampled on [a, b], and the area function it gives.

    Attributes
    ----------
    x : ndarray
        Sample points (NaN gaps at break points).
    F : ndarray
        F(x) as found (one member of the family F + C).
    F_at_a : float
        F(a), NaN if F is undefined there.
    area : ndarray
        F(x) − F(a) = ∫_a^x f dt, the member of the family that is 0 at a
        (all NaN if F(a) is undefined).
    """

    x: np.ndarray
    F: np.ndarray
    F_at_a: float
    area: np.ndarray


def antiderivative_curve(F: sympy.Expr, var: str, a: float, b: float, n: int = 801,
                         breaks=()) -> AntiderivativeCurve | None:
    """Sample an antiderivative on [a, b] and shift it to start at 0.

    Parameters
    ----------
    F : sympy.Expr
        An antiderivative of f, e.g. from :func:`antiderivative`.
    var : str
        Its variable.
    a, b : float
        Interval, a < b.
    n : int
        Number of evenly spaced samples.
    breaks : iterable of float
        Points where the curve must have a gap.

    Returns
    -------
    AntiderivativeCurve or None
        None when F cannot be evaluated numerically anywhere on [a, b].

    Notes
    -----
    By the fundamental theorem of calculus, ∫_a^x f(t) dt = F(x) − F(a) when f is
    continuous on [a, x]: the curve a running sum of f·δx from a approaches.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> curve = antiderivative_curve(x**2, "x", -1.0, 1.0, n=3)
    >>> curve.F.tolist(), curve.area.tolist()
    ([1.0, 0.0, 1.0], [0.0, -1.0, 0.0])
    """
    a, b = _check_interval(a, b)
    try:
        xs, values = sample_curve(to_function(F, (var,)), a, b, n, breaks)
    except (ValueError, TypeError, NameError):
        return None
    if not np.isfinite(values).any():
        return None
    F_at_a = float(values[0])
    return AntiderivativeCurve(x=xs, F=values, F_at_a=F_at_a, area=values - F_at_a)


# ---------------------------------------------------------------------------
# Is the interval fit for a Riemann sum?
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IntervalReport:
    """Whether ∫_a^b f dx is an ordinary (proper) integral.

    Attributes
    ----------
    kind : {"proper", "removable", "improper", "undefined", "overflow"}
        proper: f is defined and bounded on [a, b]; removable: f is undefined at
        isolated points but bounded, which does not change the area; improper: f
        is unbounded at some point of [a, b]; undefined: f has no real value on
        part of [a, b]; overflow: f is too large for floating point on part of it.
    points : tuple of float
        The poles (improper) or holes (removable) in [a, b].
    undefined_intervals : tuple of (float, float)
        Where f has no real value (undefined) or overflows (overflow).
    message : str
        A sentence for the learner; "" for proper intervals.
    """

    kind: str
    points: tuple[float, ...]
    undefined_intervals: tuple[tuple[float, float], ...]
    message: str

    @property
    def sum_is_meaningful(self) -> bool:
        """True when Riemann sums converge to the integral as n grows."""
        return self.kind in ("proper", "removable")


def _listing(points) -> str:
    return ", ".join(f"x = {p:g}" for p in points)


def interval_report(expr: sympy.Expr, var: str, a: float, b: float) -> IntervalReport:
    """Check [a, b] for poles, holes and stretches where f is undefined.

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Its variable.
    a, b : float
        Interval, a < b.

    Returns
    -------
    IntervalReport

    Notes
    -----
    A Riemann sum approximates ∫_a^b f dx only when f is bounded on [a, b] (and
    continuous except at finitely many points). At a pole p the integral is
    improper, defined as a limit such as lim_{t→p⁻} ∫_a^t f dx + lim_{s→p⁺} ∫_s^b f dx;
    if either limit is infinite it does not exist, however many strips are used.
    The search itself is :func:`calc_core.differentiation.domain_report`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> interval_report(1 / x, "x", -1, 1).kind
    'improper'
    >>> interval_report(sympy.sin(x) / x, "x", -1, 1).kind
    'removable'
    """
    a, b = _check_interval(a, b)
    report = domain_report(expr, var, a, b)
    if report.overflow_intervals:
        spans = ", ".join(f"[{lo:g}, {hi:g}]" for lo, hi in report.overflow_intervals)
        return IntervalReport(
            kind="overflow",
            points=report.poles,
            undefined_intervals=report.overflow_intervals,
            message=(
                f"f grows beyond the largest number a computer can store (about 1.8·10³⁰⁸) on {spans}, so neither "
                "the sums nor quad can compute this integral. Shrink the interval."
            ),
        )
    if report.undefined_intervals:
        spans = ", ".join(f"[{lo:g}, {hi:g}]" for lo, hi in report.undefined_intervals)
        return IntervalReport(
            kind="undefined",
            points=report.poles,
            undefined_intervals=report.undefined_intervals,
            message=(
                f"f has no real value on {spans}, inside [{a:g}, {b:g}], so the integral over this "
                "interval is not defined. Move the interval into f's domain."
            ),
        )
    if report.poles:
        return IntervalReport(
            kind="improper",
            points=report.poles,
            undefined_intervals=(),
            message=(
                f"f is unbounded at {_listing(report.poles)}, in [{a:g}, {b:g}]: this is an improper "
                "integral. It exists only as a limit, and only if that limit is finite; a Riemann sum "
                "is not an approximation of it and changes erratically with n."
            ),
        )
    if report.holes:
        return IntervalReport(
            kind="removable",
            points=report.holes,
            undefined_intervals=(),
            message=(
                f"f is undefined at {_listing(report.holes)} but stays bounded around it. A single point "
                "has no width, so it does not change the area; the integral is an ordinary one."
            ),
        )
    return IntervalReport(kind="proper", points=(), undefined_intervals=(), message="")
