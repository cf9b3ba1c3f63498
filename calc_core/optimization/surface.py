"""A surface f(x, y) ready for numeric work: f, its gradient and its Hessian at any point."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import sympy

from calc_core.budget import DEFAULT_TIMEOUT
from calc_core.expressions import to_scalar_function
from calc_core.optimization.common import OptimizationError, check_variables
from calc_core.optimization.derivatives import compile_derivatives


@dataclass(frozen=True)
class Surface:
    """f(x, y) with its gradient and Hessian, symbolic where they stay small, and compiled.

    Attributes
    ----------
    expr : sympy.Expr
    variables : tuple of str
    gradient_exprs : tuple of sympy.Expr or None
        (f_x, f_y); None when too large to write out (then central differences of f).
    hessian_exprs : tuple of tuple of sympy.Expr or None
        ((f_xx, f_xy), (f_yx, f_yy)); None as above.
    value : callable
        f(x, y), vectorised (NaN outside the domain).
    gradient : callable
        ∇f at a point: array of shape (2,) -> array of shape (2,).
    hessian : callable
        H at a point: array of shape (2,) -> array of shape (2, 2).
    note : str
        Why the formulas are missing, when they are.
    point_value : callable, optional
        f(x, y) of two floats, cheaper per call than ``value`` (an optimizer's steps); ``value`` when None.
    """

    expr: sympy.Expr
    variables: tuple[str, str]
    gradient_exprs: tuple | None
    hessian_exprs: tuple | None
    value: Callable = field(repr=False, compare=False)
    gradient: Callable = field(repr=False, compare=False)
    hessian: Callable = field(repr=False, compare=False)
    note: str = ""
    point_value: Callable | None = field(default=None, repr=False, compare=False)

    def loss(self, p) -> float:
        """f at a point given as an array of shape (2,)."""
        value = self.point_value or self.value
        return float(value(float(p[0]), float(p[1])))


def make_surface(expr: sympy.Expr, variables: Sequence[str] = ("x", "y"), timeout: float = DEFAULT_TIMEOUT,
                 owner: Hashable | None = None) -> Surface:
    """Differentiate f(x, y) twice (in the killable worker) and compile f, ∇f and H for numeric use.

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
    check_variables(expr, names)
    compiled = compile_derivatives(expr, names, timeout, owner)
    formulas = compiled.formulas
    # An optimizer calls f and ∇f at one point per step, thousands of times per path: the math-module
    # versions cost a tenth of numpy's per call. Central differences (no formulas) stay vectorised.
    point_value = to_scalar_function(expr, names)
    g_funcs, h_funcs = compiled.gradient, compiled.hessian
    if formulas.gradient is not None:
        g_funcs = tuple(to_scalar_function(g, names) for g in formulas.gradient)

    def gradient(p):
        x, y = float(p[0]), float(p[1])
        return np.array([float(fn(x, y)) for fn in g_funcs])

    def hessian(p):
        return np.array([[float(fn(p[0], p[1])) for fn in row] for row in h_funcs])

    return Surface(expr, names, formulas.gradient, formulas.hessian, compiled.value, gradient, hessian,
                   formulas.reason, point_value)
