"""First and second derivatives of a typed function, exact while they stay small, numeric otherwise.

Differentiating twice can make a formula many times longer than the one typed
(each product rule doubles a term), and sympy's cost grows with it. So, unless f
is small, the formulas are built in the killable worker under a wall-clock budget and kept only
while all of them together have at most ``limits.MAX_COMPILE_NODES`` nodes, which
bounds what compiling and printing them costs in the server. Past either bound the
derivatives are central differences of f itself: as accurate as the critical
points and descent paths need, at a cost independent of the formula.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from calc_core.budget import DEFAULT_TIMEOUT, run_with_budget
from calc_core.expressions import to_function, with_real_symbols
from calc_core.limits import INLINE_DERIVATIVE_NODES, MAX_COMPILE_NODES

# Central-difference steps relative to 1 + |x|: about the cube root (first derivative) and the fourth root
# (second derivative) of machine epsilon, which balance rounding against truncation error.
FIRST_STEP = 6e-6
SECOND_STEP = 1.2e-4

TOO_LARGE = "its derivatives grow too large to write out"
TOO_SLOW = "sympy did not differentiate it within the time budget"


@dataclass(frozen=True)
class Derivatives:
    """The formulas of f's first and second partial derivatives, where they were kept.

    Attributes
    ----------
    gradient : tuple of sympy.Expr or None
        ∂f/∂v for each variable v (f′ alone for one variable); None when not kept.
    hessian : tuple of tuple of sympy.Expr or None
        ∂²f/∂u∂v, one row per variable; None when not kept.
    reason : str
        Why a formula is missing (empty when both are kept).
    """

    gradient: tuple[sympy.Expr, ...] | None
    hessian: tuple[tuple[sympy.Expr, ...], ...] | None
    reason: str = ""


def _size(exprs) -> int:
    return sum(sum(1 for _ in sympy.preorder_traversal(e)) for e in exprs)


def _partials(expr: sympy.Expr, names: tuple[str, ...]) -> tuple[sympy.Expr, ...]:
    return with_real_symbols(expr, names, lambda e, *symbols: tuple(sympy.diff(e, s) for s in symbols))


def symbolic_derivatives(expr: sympy.Expr, variables: Sequence[str]) -> Derivatives:
    """The gradient and Hessian formulas of ``expr``, each kept only while the total stays small.

    Meant for the worker process (it may run long). A delta spike (the derivative of
    ``sign``, from ``|x|``) is zero wherever it has a value, so the Hessian drops it.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> symbolic_derivatives(x**3, ("x",)).hessian
    ((6*x,),)
    """
    names = tuple(variables)
    gradient = _partials(expr, names)
    budget = MAX_COMPILE_NODES - _size((expr,))
    used = _size(gradient)
    if used > budget:
        return Derivatives(None, None, TOO_LARGE)
    hessian = tuple(tuple(h.replace(sympy.DiracDelta, lambda *args: sympy.S.Zero) for h in _partials(g, names))
                    for g in gradient)
    if used + _size(entry for row in hessian for entry in row) > budget:
        return Derivatives(gradient, None, TOO_LARGE)
    return Derivatives(gradient, hessian)


def bounded_derivatives(expr: sympy.Expr, variables: Sequence[str], timeout: float = DEFAULT_TIMEOUT,
                        owner: Hashable | None = None) -> Derivatives:
    """:func:`symbolic_derivatives`, in the killable worker unless f is small; no formulas when the budget runs out.

    A function of at most ``limits.INLINE_DERIVATIVE_NODES`` nodes is differentiated in
    the calling process: that costs less than starting a worker.
    """
    if _size((expr,)) <= INLINE_DERIVATIVE_NODES:
        return symbolic_derivatives(expr, variables)
    budget = run_with_budget(symbolic_derivatives, expr, tuple(variables), timeout=timeout, owner=owner)
    if budget.ok:
        return budget.value
    return Derivatives(None, None, TOO_SLOW if budget.timed_out else TOO_LARGE)


def central_partial(f: Callable, axis: int) -> Callable:
    """∂f/∂v along argument ``axis`` by the central difference (f(v + h) − f(v − h)) / 2h, vectorised."""

    def partial(*coords):
        point = [np.asarray(c, dtype=float) for c in coords]
        h = FIRST_STEP * (1.0 + np.abs(point[axis]))
        ahead, behind = list(point), list(point)
        ahead[axis], behind[axis] = point[axis] + h, point[axis] - h
        return (np.asarray(f(*ahead)) - np.asarray(f(*behind))) / (2.0 * h)

    return partial


def central_second_partial(f: Callable, first: int, second: int) -> Callable:
    """∂²f/∂u∂v by central differences: the three-point rule on the diagonal, four corners off it."""

    def partial(*coords):
        point = [np.asarray(c, dtype=float) for c in coords]

        def at(shifts):
            moved = list(point)
            for axis, step in shifts:
                moved[axis] = moved[axis] + step
            return np.asarray(f(*moved))

        h = SECOND_STEP * (1.0 + np.abs(point[first]))
        if first == second:
            return (at([(first, h)]) - 2.0 * np.asarray(f(*point)) + at([(first, -h)])) / (h * h)
        k = SECOND_STEP * (1.0 + np.abs(point[second]))
        corners = at([(first, h), (second, k)]) - at([(first, h), (second, -k)]) \
            - at([(first, -h), (second, k)]) + at([(first, -h), (second, -k)])
        return corners / (4.0 * h * k)

    return partial


@dataclass(frozen=True)
class CompiledDerivatives:
    """f, its partial derivatives and its second partials as vectorised numpy functions.

    Attributes
    ----------
    value : callable
        f(*coords), NaN outside the domain.
    gradient : tuple of callable
        One function per variable, each taking the same coordinates as ``value``.
    hessian : tuple of tuple of callable
        Second partials, one row per variable.
    formulas : Derivatives
        The formulas behind them; a missing one means central differences of f.
    """

    value: Callable
    gradient: tuple[Callable, ...]
    hessian: tuple[tuple[Callable, ...], ...]
    formulas: Derivatives

    @property
    def exact(self) -> bool:
        """True when both orders come from formulas."""
        return self.formulas.hessian is not None


def compile_derivatives(expr: sympy.Expr, variables: Sequence[str], timeout: float = DEFAULT_TIMEOUT,
                        owner: Hashable | None = None) -> CompiledDerivatives:
    """Compile f with its first and second partials (formulas where kept, central differences otherwise).

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> d = compile_derivatives(x**3, ("x",))
    >>> float(d.gradient[0](2.0)), float(d.hessian[0][0](2.0))
    (12.0, 12.0)
    """
    names = tuple(variables)
    formulas = bounded_derivatives(expr, names, timeout, owner)
    value = to_function(expr, names)
    axes = range(len(names))
    if formulas.gradient is not None:
        gradient = tuple(to_function(g, names) for g in formulas.gradient)
    else:
        gradient = tuple(central_partial(value, i) for i in axes)
    if formulas.hessian is not None:
        hessian = tuple(tuple(to_function(h, names) for h in row) for row in formulas.hessian)
    else:
        hessian = tuple(tuple(central_second_partial(value, i, j) for j in axes) for i in axes)
    return CompiledDerivatives(value, gradient, hessian, formulas)
