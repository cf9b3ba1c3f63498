"""Derivatives: by the rules (symbolically) and as a rate of change (numerically).

The derivative of f at x is the limit of the rate of change

    f'(x) = lim_{h -> 0} (f(x + h) - f(x)) / h.

This module gives both views side by side: :func:`derivative` and
:func:`derivative_steps` apply the rules of differentiation with sympy, while
:func:`finite_difference` and :func:`step_size_study` compute the rate of change
with a finite step h and measure how far it is from the exact value. The
remaining functions find where f or f' is undefined, so plots can leave gaps
instead of drawing lines across poles and corners.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy
from scipy import optimize
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from calc_core.expressions import to_function, with_real_symbols

__all__ = [
    "SCHEMES",
    "DerivativeStep",
    "DifferentiationError",
    "DerivativeCurves",
    "DomainReport",
    "SCHEME_FORMULAS",
    "StepSizeStudy",
    "TangentSecant",
    "derivative",
    "derivative_curves",
    "derivative_steps",
    "domain_report",
    "finite_difference",
    "sample_curve",
    "step_size_study",
    "tangent_secant",
]

SCHEMES = ("forward", "backward", "central")
SCHEME_FORMULAS = {
    "forward": "(f(x + δx) − f(x)) / δx",
    "backward": "(f(x) − f(x − δx)) / δx",
    "central": "(f(x + δx) − f(x − δx)) / (2δx)",
}
MAX_STEPS = 60
MAX_WORKING_NODES = 400
OVERFLOW_NEIGHBOUR = 1e100


class DifferentiationError(ValueError):
    """Bad input for a differentiation routine, with a learner-readable reason."""


# ---------------------------------------------------------------------------
# Symbolic derivative
# ---------------------------------------------------------------------------


def _symbol(var: str) -> sympy.Symbol:
    if not isinstance(var, str) or not var.isidentifier():
        raise DifferentiationError(f"The variable must be a plain name such as 'x', not {var!r}.")
    return sympy.Symbol(var)


def _check_expr(expr) -> sympy.Expr:
    if not isinstance(expr, sympy.Expr):
        raise DifferentiationError("Differentiation needs a sympy expression.")
    return expr


def derivative(expr: sympy.Expr, var: str = "x") -> sympy.Expr:
    """The derivative of ``expr`` with respect to ``var``, by the rules.

    Parameters
    ----------
    expr : sympy.Expr
        The function f, e.g. from :func:`calc_core.expressions.parse_expression`.
    var : str
        Name of the variable to differentiate by.

    Returns
    -------
    sympy.Expr
        f'(x), with ``var`` treated as a real number (so ``abs(x)`` gives ``sign(x)``).

    Notes
    -----
    The variable is swapped for a real symbol while differentiating, because a plain
    sympy symbol is complex and ``d|x|/dx`` would then be written with ``re`` and ``im``.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> derivative(x**3 - 2*x**2 + 1)
    3*x**2 - 4*x
    >>> derivative(sympy.Abs(x))
    sign(x)
    """
    expr = _check_expr(expr)
    _symbol(var)
    return with_real_symbols(expr, (var,), lambda e, xr: e.diff(xr))


# ---------------------------------------------------------------------------
# Rules, one at a time
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivativeStep:
    """One rule applied to one derivative inside the working.

    Attributes
    ----------
    rule : str
        Name of the rule ("sum", "constant multiple", "power", "product", "quotient",
        "chain", "constant", "exponential", "logarithm", "trigonometric",
        "inverse trigonometric", "hyperbolic", "absolute value", "logarithmic
        differentiation", "known derivative").
    explanation : str
        The rule in words.
    target : str
        LaTeX of the derivative this step rewrites, e.g. ``\\frac{d}{dx} x^{3}``.
    result : str
        LaTeX of what it becomes, e.g. ``3 x^{2}``.
    before : str
        LaTeX of the whole working before the step.
    after : str
        LaTeX of the whole working after the step.
    working : sympy.Expr
        The whole working after the step, with the d/dx still to do left as
        unevaluated ``sympy.Derivative`` objects.
    """

    rule: str
    explanation: str
    target: str
    result: str
    before: str
    after: str
    working: sympy.Expr


def _unwrapped(expr: sympy.Expr) -> sympy.Expr:
    """expr with each d/dx(u) replaced by u, to decide where a term would be printed."""
    return expr.replace(lambda e: isinstance(e, sympy.Derivative), lambda e: e.expr)


def _reading_order(add: sympy.Add) -> list[sympy.Expr]:
    """Terms of a sum in the order they are read: d/dx x³ sorts like x³ would."""
    if not add.has(sympy.Derivative):
        return add.as_ordered_terms()
    remaining = list(add.args)
    ordered = []
    for shadow in sympy.Add(*[_unwrapped(t) for t in remaining], evaluate=False).as_ordered_terms():
        term = next((t for t in remaining if _unwrapped(t) == shadow), remaining[0])
        remaining.remove(term)
        ordered.append(term)
    return ordered + remaining


class _WorkingPrinter(LatexPrinter):
    """LaTeX printer that brackets sums and products after d/dx and keeps reading order."""

    def _as_ordered_terms(self, expr, order=None):
        if isinstance(expr, sympy.Add):
            return _reading_order(expr)
        return super()._as_ordered_terms(expr, order=order)

    def _print_Derivative(self, expr):
        (x, _), = expr.variable_count
        body = self.parenthesize(expr.expr, PRECEDENCE["Mul"], strict=False)
        return rf"\frac{{d}}{{d{self._print(x)}}} {body}"


def _latex(expr: sympy.Expr) -> str:
    return _WorkingPrinter().doprint(expr)


_FAMILIES = {
    sympy.exp: ("exponential", "The exponential is its own derivative."),
    sympy.log: ("logarithm", "The derivative of ln(u) is 1/u."),
    sympy.sin: ("trigonometric", "The derivative of sin is cos."),
    sympy.cos: ("trigonometric", "The derivative of cos is −sin."),
    sympy.tan: ("trigonometric", "The derivative of tan is sec² = 1 + tan²."),
    sympy.cot: ("trigonometric", "The derivative of cot is −csc²."),
    sympy.sec: ("trigonometric", "The derivative of sec is sec·tan."),
    sympy.csc: ("trigonometric", "The derivative of csc is −csc·cot."),
    sympy.asin: ("inverse trigonometric", "The derivative of arcsin(u) is 1/√(1 − u²)."),
    sympy.acos: ("inverse trigonometric", "The derivative of arccos(u) is −1/√(1 − u²)."),
    sympy.atan: ("inverse trigonometric", "The derivative of arctan(u) is 1/(1 + u²)."),
    sympy.sinh: ("hyperbolic", "The derivative of sinh is cosh."),
    sympy.cosh: ("hyperbolic", "The derivative of cosh is sinh."),
    sympy.tanh: ("hyperbolic", "The derivative of tanh is 1 − tanh²."),
    sympy.asinh: ("hyperbolic", "The derivative of arsinh(u) is 1/√(u² + 1)."),
    sympy.acosh: ("hyperbolic", "The derivative of arcosh(u) is 1/√(u² − 1)."),
    sympy.atanh: ("hyperbolic", "The derivative of artanh(u) is 1/(1 − u²)."),
    sympy.Abs: ("absolute value", "The derivative of |u| is sign(u), undefined where u = 0."),
}


def _outer_derivative(func: sympy.Expr, var: str) -> sympy.Expr:
    """f'(u) for a one-argument function f(u), with u left as it is."""
    t = sympy.Dummy("t", real=True)
    return func.func(t).diff(t).xreplace({t: func.args[0]})


def _rewrite(g: sympy.Expr, x: sympy.Symbol, var: str) -> tuple[str, str, sympy.Expr]:
    """Apply one rule to d/dx g; returns (rule, explanation, replacement)."""
    D = lambda e: sympy.Derivative(e, x)  # noqa: E731 - reads like the math
    if not g.has(x):
        return "constant", "The derivative of a constant is 0.", sympy.Integer(0)
    if g == x:
        return "power", f"d{var}/d{var} = 1 (the power rule with n = 1).", sympy.Integer(1)
    if g.is_Add:
        terms = g.as_ordered_terms()
        return "sum", "The derivative of a sum is the sum of the derivatives.", sympy.Add(*[D(t) for t in terms])
    if g.is_Mul:
        c, rest = g.as_independent(x, as_Add=False)
        if c != 1:
            return "constant multiple", "A constant factor stays in front of the derivative.", c * D(rest)
        factors = g.as_ordered_factors()
        den = [f.base ** (-f.exp) for f in factors if f.is_Pow and f.exp.is_number and f.exp.is_negative]
        num = [f for f in factors if not (f.is_Pow and f.exp.is_number and f.exp.is_negative)]
        if den and num:
            u, v = sympy.Mul(*num), sympy.Mul(*den)
            return (
                "quotient",
                "(u/v)' = (u'·v − u·v') / v².",
                (D(u) * v - u * D(v)) / v**2,
            )
        u, v = factors[0], sympy.Mul(*factors[1:])
        return "product", "(u·v)' = u'·v + u·v'.", D(u) * v + u * D(v)
    if g.is_Pow:
        base, exp = g.args
        if not exp.has(x):
            if base == x:
                return "power", "d/dx xⁿ = n·xⁿ⁻¹.", exp * x ** (exp - 1)
            return (
                "chain",
                "Power rule on the outside, times the derivative of the inside: (uⁿ)' = n·uⁿ⁻¹·u'.",
                exp * base ** (exp - 1) * D(base),
            )
        if not base.has(x):
            if exp == x:
                return "exponential", "d/dx aˣ = aˣ·ln(a).", g * sympy.log(base)
            return "chain", "(aᵘ)' = aᵘ·ln(a)·u'.", g * sympy.log(base) * D(exp)
        return (
            "logarithmic differentiation",
            "Write uᵛ = exp(v·ln u), so (uᵛ)' = uᵛ·(v·ln u)'.",
            g * D(exp * sympy.log(base)),
        )
    if isinstance(g, sympy.Function) and len(g.args) == 1 and g.func in _FAMILIES:
        name, words = _FAMILIES[g.func]
        outer = _outer_derivative(g, var)
        (u,) = g.args
        if u == x:
            return name, words, outer
        return "chain", f"Outer derivative at the inside, times the inside's derivative. {words}", outer * D(u)
    return "known derivative", "sympy's table of derivatives.", derivative(g, var)


def _first_derivative(expr: sympy.Expr) -> sympy.Derivative | None:
    """The first unevaluated derivative in reading order (as the LaTeX prints it)."""
    if isinstance(expr, sympy.Derivative):
        return expr
    if expr.is_Add:
        children = _reading_order(expr)
    elif expr.is_Mul:
        children = expr.as_ordered_factors()
    else:
        children = expr.args
    for child in children:
        found = _first_derivative(child)
        if found is not None:
            return found
    return None


def _larger_than(expr: sympy.Expr, limit: int) -> bool:
    """Whether the expression tree has more than ``limit`` nodes (stops counting there)."""
    for count, _ in enumerate(sympy.preorder_traversal(expr), start=1):
        if count > limit:
            return True
    return False


def derivative_steps(expr: sympy.Expr, var: str = "x", max_steps: int = MAX_STEPS) -> tuple[DerivativeStep, ...]:
    """Differentiate by hand: the rules applied one at a time, in reading order.

    Parameters
    ----------
    expr : sympy.Expr
        The function f.
    var : str
        Variable to differentiate by.
    max_steps : int
        Refuse (with :class:`DifferentiationError`) if the working needs more steps,
        or grows beyond ``MAX_WORKING_NODES`` nodes: neither would be readable.

    Returns
    -------
    tuple of DerivativeStep
        Each step rewrites the first unfinished d/dx in the working by one rule. The
        last step's ``after`` has no d/dx left and equals ``derivative(expr, var)``
        (possibly in a different but equivalent form).

    Notes
    -----
    Rules used: constant c' = 0; power (xⁿ)' = n xⁿ⁻¹; sum (u+v)' = u'+v';
    constant multiple (c u)' = c u'; product (u v)' = u' v + u v';
    quotient (u/v)' = (u' v − u v')/v²; chain (f(u))' = f'(u) u'; and the table
    for exp, ln, trigonometric, hyperbolic and inverse functions and |u|.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> [s.rule for s in derivative_steps(x**3 - 2*x**2 + 1)]
    ['sum', 'power', 'constant multiple', 'power', 'constant']
    """
    expr = _check_expr(expr)
    x = _symbol(var)
    working: sympy.Expr = sympy.Derivative(expr, x)
    working_latex = _latex(working)
    steps: list[DerivativeStep] = []
    while (target := _first_derivative(working)) is not None:
        if len(steps) >= max_steps:
            raise DifferentiationError(
                f"Working this derivative out by hand takes more than {max_steps} steps; "
                "only the final result is shown."
            )
        rule, words, replacement = _rewrite(target.expr, x, var)
        after = working.xreplace({target: replacement})
        if _larger_than(after, MAX_WORKING_NODES):
            raise DifferentiationError(
                "Written out by hand, this derivative grows too long to follow step by step; "
                "only the final result is shown."
            )
        after_latex = _latex(after)
        steps.append(
            DerivativeStep(
                rule=rule,
                explanation=words,
                target=_latex(target),
                result=_latex(replacement),
                before=working_latex,
                after=after_latex,
                working=after,
            )
        )
        working, working_latex = after, after_latex
    return tuple(steps)


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
    for pole in poles:
        value[(left <= pole) & (pole <= right)] = np.nan
    return float(value) if value.ndim == 0 else value


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


# ---------------------------------------------------------------------------
# Where f or f' is undefined
# ---------------------------------------------------------------------------


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
    """

    lo: float
    hi: float
    undefined_intervals: tuple[tuple[float, float], ...]
    overflow_intervals: tuple[tuple[float, float], ...]
    poles: tuple[float, ...]
    holes: tuple[float, ...]
    corners: tuple[float, ...]

    @property
    def breaks(self) -> tuple[float, ...]:
        """All isolated points where a plotted curve of f or f' should have a gap."""
        return tuple(sorted(set(self.poles) | set(self.holes) | set(self.corners)))

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
            if any(abs(x - p) <= tol for p in points):
                return name
        if any(a - tol <= x <= b + tol for a, b in self.undefined_intervals):
            return "undefined"
        if any(a - tol <= x <= b + tol for a, b in self.overflow_intervals):
            return "overflow"
        return None


def _watch_list(expr: sympy.Expr) -> list[sympy.Expr]:
    """Subexpressions whose zeros are candidates for poles, holes or corners."""
    watch: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow:
            base, exp = node.args
            if exp.is_number and not (exp.is_Integer and exp.is_nonnegative):
                watch.append(base)
        elif isinstance(node, (sympy.log, sympy.Abs, sympy.sign, sympy.Heaviside)):
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
    return [w for w in watch if w.free_symbols]


def _zeros(u: Callable, grid: np.ndarray) -> list[float]:
    """Zeros of a (piecewise continuous) numeric function on a grid's range."""
    values = np.asarray(u(grid), dtype=float)
    finite = np.isfinite(values)
    scale = float(np.max(np.abs(values[finite]))) if finite.any() else 1.0
    tol = 1e-9 * max(scale, 1.0)
    roots = [float(x) for x in grid[values == 0.0]]
    crossing = np.flatnonzero(finite[:-1] & finite[1:] & (values[:-1] * values[1:] < 0))
    for i in crossing:
        r = optimize.brentq(u, grid[i], grid[i + 1], xtol=1e-14)
        if abs(u(r)) < tol:
            roots.append(float(r))
    magnitude = np.where(finite, np.abs(values), np.inf)
    dips = 1 + np.flatnonzero(
        (magnitude[1:-1] > 0) & (magnitude[1:-1] <= magnitude[:-2]) & (magnitude[1:-1] <= magnitude[2:])
        & np.isfinite(magnitude[1:-1])
    )
    for i in dips:
        res = optimize.minimize_scalar(
            lambda t: abs(float(u(t))) if np.isfinite(u(t)) else np.inf,
            bounds=(grid[i - 1], grid[i + 1]),
            method="bounded",
            options={"xatol": 1e-13},
        )
        if res.success and abs(u(res.x)) < tol:
            roots.append(float(res.x))
    return roots


def _edge(f: Callable, defined: float, undefined: float) -> float:
    """Bisect between a point where f is defined and one where it is not."""
    for _ in range(60):
        mid = 0.5 * (defined + undefined)
        if mid in (defined, undefined):
            break
        if np.isfinite(f(mid)):
            defined = mid
        else:
            undefined = mid
    return undefined


def _tidy(p: float) -> float:
    """Round away the last bits of root finding (and turn -0.0 into 0.0)."""
    return float(np.round(p, 12)) + 0.0


def _dedupe(points: list[float], spacing: float) -> list[float]:
    out: list[float] = []
    for p in sorted(points):
        if not out or p - out[-1] > spacing:
            out.append(p)
    return out


def _unbounded_near(f: Callable, p: float, lo: float, hi: float) -> bool:
    """True if |f| grows without bound towards p from a side inside [lo, hi]."""
    scale = max(1.0, abs(p))
    for side in (1.0, -1.0):
        xs = p + side * scale * np.array([1e-5, 1e-8, 1e-11])
        if side > 0 and xs[0] > hi or side < 0 and xs[0] < lo:
            continue
        m = np.abs(np.asarray(f(xs), dtype=float))
        if np.all(np.isfinite(m)) and m[0] < m[1] < m[2] and m[2] > 1.05 * m[0] + 1e-3:
            return True
        if np.isnan(m[1:]).any() and np.isfinite(m[0]) and not np.isnan(m[1:]).all():
            continue
    return False


def _differentiable_at(f: Callable, df: Callable, p: float) -> bool:
    slope = df(p)
    if not np.isfinite(slope):
        return False
    h = 1e-6 * max(1.0, abs(p))
    right = finite_difference(f, p, h, "forward")
    left = finite_difference(f, p, h, "backward")
    if not (np.isfinite(right) and np.isfinite(left)):
        return False
    return abs(right - left) <= 1e-3 * (1.0 + abs(right) + abs(left))


def domain_report(expr: sympy.Expr, var: str = "x", lo: float = -5.0, hi: float = 5.0, n: int = 2001,
                  slope: sympy.Expr | None = None) -> DomainReport:
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
        Grid size for the search.
    slope : sympy.Expr, optional
        f' if already known (saves differentiating again).

    Returns
    -------
    DomainReport

    Notes
    -----
    Candidates are the zeros of the pieces that can break a formula: denominators
    and bases of fractional powers (1/u, √u), arguments of ln, |·| and sign, cos u
    for tan/sec, sin u for cot/csc, u ± 1 for arcsin, arccos, artanh. Zeros are
    found from sign changes and local minima of |u| on the grid, refined with
    Brent's method. Each candidate p is then classified numerically: f(p)
    undefined and |f| growing towards p → pole; f(p) undefined but bounded →
    hole; f(p) defined but f'(p) undefined or one-sided slopes differing → corner.
    Stretches where f is NaN on consecutive grid points are reported as undefined,
    or as overflow when f is beyond 10¹⁰⁰ right next to them.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> domain_report(sympy.Abs(x), lo=-1, hi=1).corners
    (0.0,)
    >>> domain_report(1 / x, lo=-1, hi=1).poles
    (0.0,)
    """
    expr = _check_expr(expr)
    _symbol(var)
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise DifferentiationError("The range needs two finite numbers with the left one smaller.")
    grid = np.linspace(lo, hi, int(n))
    f = to_function(expr, (var,))
    df = to_function(derivative(expr, var) if slope is None else slope, (var,))
    candidates: list[float] = []
    for piece in _watch_list(expr):
        if piece.free_symbols - {sympy.Symbol(var)}:
            continue
        candidates.extend(_zeros(to_function(piece, (var,)), grid))
    values = f(grid)
    missing = np.isnan(values)
    isolated = missing & ~np.roll(missing, 1) & ~np.roll(missing, -1)
    candidates.extend(float(x) for x in grid[isolated])
    spacing = 1e-9 * max(1.0, hi - lo)
    candidates = [p for p in _dedupe(candidates, spacing) if lo - spacing <= p <= hi + spacing]

    intervals: list[tuple[float, float]] = []
    overflows: list[tuple[float, float]] = []
    run_start = None
    for i, gone in enumerate(missing & ~isolated):
        if gone and run_start is None:
            run_start = i
        if run_start is not None and (not gone or i == len(grid) - 1):
            end = i if gone else i - 1
            if end > run_start:
                left = grid[run_start] if run_start == 0 else _edge(f, grid[run_start - 1], grid[run_start])
                right = grid[end] if end == len(grid) - 1 else _edge(f, grid[end + 1], grid[end])
                # NaN also stands for overflow; a huge value next to the stretch gives that away.
                beside = [values[j] for j in (run_start - 1, end + 1) if 0 <= j < len(grid)]
                huge = any(abs(v) > OVERFLOW_NEIGHBOUR for v in beside)
                (overflows if huge else intervals).append((_tidy(left), _tidy(right)))
            run_start = None

    poles, holes, corners = [], [], []
    for p in candidates:
        p = min(max(p, lo), hi)
        inside_gap = any(a < p < b for a, b in (*intervals, *overflows))
        if inside_gap:
            continue
        if _unbounded_near(f, p, lo, hi):
            poles.append(p)
        elif not np.isfinite(f(p)):
            holes.append(p)
        elif not _differentiable_at(f, df, p):
            corners.append(p)
    return DomainReport(
        lo=lo,
        hi=hi,
        undefined_intervals=tuple(intervals),
        overflow_intervals=tuple(overflows),
        poles=tuple(_tidy(p) for p in poles),
        holes=tuple(_tidy(p) for p in holes),
        corners=tuple(_tidy(p) for p in corners),
    )


def sample_curve(f: Callable, lo: float, hi: float, n: int = 801, breaks=()) -> tuple[np.ndarray, np.ndarray]:
    """Sample f on [lo, hi] for plotting, with NaN gaps at the given break points.

    Parameters
    ----------
    f : callable
        Vectorised numeric function (NaN where undefined).
    lo, hi : float
        Range, lo < hi.
    n : int
        Number of evenly spaced samples.
    breaks : iterable of float
        Points where the curve must not be joined up (poles, holes, corners).

    Returns
    -------
    xs, ys : ndarray
        Sorted x values (grid plus the break points) and f there; ys is NaN at
        each break point, so line charts leave a gap instead of a vertical line.

    Examples
    --------
    >>> xs, ys = sample_curve(lambda t: 1 / t, -1, 1, n=4, breaks=(0.0,))
    >>> int(np.isnan(ys).sum())
    1
    """
    lo, hi = float(lo), float(hi)
    if not lo < hi:
        raise DifferentiationError("The range needs the left end smaller than the right end.")
    inner = np.array([b for b in breaks if lo < b < hi], dtype=float)
    xs = np.union1d(np.linspace(lo, hi, int(n)), inner)
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float).copy()
    ys[np.isin(xs, inner)] = np.nan
    ys[~np.isfinite(ys)] = np.nan
    return xs, ys


@dataclass(frozen=True)
class DerivativeCurves:
    """f and f' sampled for plotting, with gaps where either is undefined.

    Attributes
    ----------
    derivative : sympy.Expr
        f' by the rules.
    x : ndarray
        Sample points (an even grid plus the break points).
    f, slope : ndarray
        f(x) and f'(x); NaN at break points and where undefined.
    """

    derivative: sympy.Expr
    x: np.ndarray
    f: np.ndarray
    slope: np.ndarray


def derivative_curves(expr: sympy.Expr, var: str = "x", lo: float = -5.0, hi: float = 5.0, n: int = 801,
                      breaks=(), slope: sympy.Expr | None = None) -> DerivativeCurves:
    """Sample f and its derivative on [lo, hi] for a chart.

    Parameters
    ----------
    expr : sympy.Expr
        The function f.
    var : str
        Its variable.
    lo, hi : float
        Plot range, lo < hi.
    n : int
        Number of evenly spaced samples.
    breaks : iterable of float
        Points where the curves must have a gap, usually ``domain_report(...).breaks``.
    slope : sympy.Expr, optional
        f' if already known (saves differentiating again).

    Returns
    -------
    DerivativeCurves

    Notes
    -----
    f' is differentiated once, by :func:`derivative`, and both curves are sampled
    with :func:`sample_curve` on the same points, so they line up in a chart.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> curves = derivative_curves(x**2, lo=0, hi=1, n=3)
    >>> curves.derivative, curves.slope.tolist()
    (2*x, [0.0, 1.0, 2.0])
    """
    d = derivative(expr, var) if slope is None else slope
    xs, ys = sample_curve(to_function(expr, (var,)), lo, hi, n, breaks)
    _, slopes = sample_curve(to_function(d, (var,)), lo, hi, n, breaks)
    return DerivativeCurves(derivative=d, x=xs, f=ys, slope=slopes)
