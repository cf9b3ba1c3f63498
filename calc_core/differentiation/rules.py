"""Derivatives by the rules: sympy's f′, and the rules applied one at a time.

:func:`derivative` gives f′ in one go; :func:`derivative_steps` writes the working
out as a person would, one rule per step, in reading order; :func:`symbolic_derivative`
is f′ with its LaTeX, refused when the tree grows past a size cap (the page then
falls back to numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from calc_core.expressions import ExpressionError, expression_latex, with_real_symbols
from calc_core.limits import MAX_DERIVATIVE_NODES

__all__ = [
    "DerivativeStep",
    "DerivativeTooLargeError",
    "DifferentiationError",
    "SymbolicDerivative",
    "derivative",
    "derivative_steps",
    "symbolic_derivative",
    "tree_size",
]

MAX_STEPS = 60
MAX_WORKING_NODES = 400


class DifferentiationError(ValueError):
    """Bad input for a differentiation routine, with a learner-readable reason."""


class DerivativeTooLargeError(DifferentiationError):
    """f′ has more nodes than can be shown or compiled within the caps."""

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
        if tree_size(after, MAX_WORKING_NODES) > MAX_WORKING_NODES:
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


def tree_size(expr: sympy.Expr, limit: int | None = None) -> int:
    """Nodes of an expression tree, counting repeated subtrees each time; stops counting past ``limit``."""
    count = 0
    for count, _ in enumerate(sympy.preorder_traversal(expr), start=1):
        if limit is not None and count > limit:
            break
    return count


@dataclass(frozen=True)
class SymbolicDerivative:
    """f′ by the rules, ready to show.

    Attributes
    ----------
    expr : sympy.Expr
        f′(x).
    latex : str
        Its LaTeX, or "" when it is too long to display.
    nodes : int
        Size of its tree.
    """

    expr: sympy.Expr
    latex: str
    nodes: int


def symbolic_derivative(expr: sympy.Expr, var: str = "x", max_nodes: int = MAX_DERIVATIVE_NODES) -> SymbolicDerivative:
    """f′ and its LaTeX, refusing derivatives larger than ``max_nodes`` nodes.

    Parameters
    ----------
    expr : sympy.Expr
        The function f.
    var : str
        Variable to differentiate by.
    max_nodes : int
        Largest derivative tree that is printed; beyond it the formula would not be
        readable and printing or compiling it would cost more than it teaches.

    Returns
    -------
    SymbolicDerivative
        With the LaTeX left empty when even a readable-size f′ prints too long
        (see :func:`calc_core.expressions.expression_latex`).

    Raises
    ------
    DerivativeTooLargeError
        When f′ has more than ``max_nodes`` nodes.

    Notes
    -----
    The product and chain rules copy parts of f into f′, so f′ can be far larger
    than f (a product of n factors has an n-term derivative, each term n factors
    long). Meant to run under :func:`calc_core.budget.run_with_budget`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> symbolic_derivative(x**3).latex
    '3 x^{2}'
    """
    d = derivative(expr, var)
    nodes = tree_size(d, max_nodes)
    if nodes > max_nodes:
        raise DerivativeTooLargeError(
            f"f′ written out has more than {max_nodes:,} parts, too long to read; it is computed numerically instead."
        )
    try:
        latex = expression_latex(d)
    except ExpressionError:
        latex = ""
    return SymbolicDerivative(expr=d, latex=latex, nodes=nodes)

