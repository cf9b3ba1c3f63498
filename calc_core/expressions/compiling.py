"""Parsed expressions to fast numeric functions: vectorised numpy, or ``math`` for one point at a time.

The only place in the code base that calls ``sympy.lambdify``, and only on
sympy trees (never on text), after checking them against
``MAX_COMPILE_NODES`` of :mod:`calc_core.limits`. Points outside the real
domain, and overflows, give NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import sympy

from calc_core import limits
from calc_core.expressions.errors import ExpressionError
from calc_core.expressions.sizes import node_count
from calc_core.expressions.vocabulary import validate_names


def _dirac_delta(z, *order):
    # Derivatives of abs/sign contain a point mass at 0; as a function value it is 0 elsewhere
    # and undefined at 0, which plots as a gap.
    z = np.asarray(z, dtype=float)
    return np.where(z == 0, np.nan, 0.0)


def _heaviside(z, at_zero=0.5):
    return np.heaviside(np.asarray(z, dtype=float), at_zero)


_NUMPY_MODULES = [{"sign": np.sign, "DiracDelta": _dirac_delta, "Heaviside": _heaviside}, "numpy", "scipy"]


def _compile(expr: sympy.Basic, names: tuple[str, ...], modules) -> tuple[list[sympy.Symbol], Callable]:
    """Check ``expr`` against the compile caps and lambdify it over ``names`` with ``modules``."""
    if not isinstance(expr, sympy.Basic):
        raise ExpressionError("Only sympy expressions can be compiled.")
    if node_count(expr, limits.MAX_COMPILE_NODES) > limits.MAX_COMPILE_NODES:
        raise ExpressionError("This formula is too large to evaluate numerically.")
    too_deep = ExpressionError("This formula is too deeply nested to evaluate numerically.")
    try:
        free = expr.free_symbols
    except RecursionError:
        raise too_deep from None
    unknown = sorted(str(s) for s in free if str(s) not in names)
    if unknown:
        raise ExpressionError(f"The expression uses {', '.join(unknown)}, which has no value here.")
    symbols = [sympy.Symbol(n) for n in names]
    # Symbols with assumptions (real=True) print the same, so map them too. Exact numbers beyond
    # float precision become floats: numpy cannot take huge Python ints (TypeError, OverflowError),
    # and a float that overflows becomes inf, then NaN, like any other overflow.
    try:
        plain = expr.xreplace({s: sympy.Symbol(str(s)) for s in free})
        plain = plain.xreplace({r: sympy.Float(r) for r in plain.atoms(sympy.Rational) if _beyond_float(r)})
        return symbols, sympy.lambdify(symbols, plain, modules=modules)
    except (RecursionError, SyntaxError, MemoryError, ValueError, TypeError):
        raise too_deep from None


def _scalar_sign(v: float) -> float:
    return v if v != v else float((v > 0) - (v < 0))


def _scalar_dirac_delta(v: float, *order) -> float:
    return math.nan if v == 0 else 0.0


def _scalar_heaviside(v: float, at_zero: float = 0.5) -> float:
    if v != v:
        return v
    return 1.0 if v > 0 else 0.0 if v < 0 else float(at_zero)


# Python's math module evaluates one point about ten times faster than numpy's per-call
# overhead allows; these fill in what it lacks. Functions outside this table (none the
# parser builds) make to_scalar_function fall back to the numpy function.
_MATH_MODULES = [{"sign": _scalar_sign, "DiracDelta": _scalar_dirac_delta, "Heaviside": _scalar_heaviside,
                  "cot": lambda v: 1.0 / math.tan(v), "sec": lambda v: 1.0 / math.cos(v),
                  "csc": lambda v: 1.0 / math.sin(v)}, "math"]
_MATH_FUNCTIONS = frozenset({"sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "sinh", "cosh",
                             "tanh", "asinh", "acosh", "atanh", "exp", "log", "Abs", "sign", "Heaviside",
                             "DiracDelta"})


def to_scalar_function(expr: sympy.Expr, variables: Sequence[str] = ("x",)) -> Callable[..., float]:
    """Compile an expression into a function of Python floats, for many single-point calls.

    Same argument checks and values as :func:`to_function` (NaN outside the domain
    or on overflow), but evaluated with the ``math`` module, which costs far less
    per call than numpy when the input is one point (an optimizer's step).
    ``expr`` and ``variables`` are as for :func:`to_function`.

    Returns
    -------
    callable
        ``f(*floats) -> float``.

    Examples
    --------
    >>> from calc_core.expressions import parse_expression
    >>> f = to_scalar_function(parse_expression("log(x) + y", ("x", "y")), ("x", "y"))
    >>> f(1.0, 2.0), f(-1.0, 2.0)
    (2.0, nan)
    """
    names = validate_names(variables, "Variable")
    try:
        functions = {type(f).__name__ for f in expr.atoms(sympy.Function)} if isinstance(expr, sympy.Basic) else set()
    except RecursionError:
        raise ExpressionError("This formula is too deeply nested to evaluate numerically.") from None
    if not functions <= _MATH_FUNCTIONS:
        vectorised = to_function(expr, names)
        return lambda *args: float(vectorised(*args))
    symbols, compiled = _compile(expr, names, _MATH_MODULES)

    def function(*args):
        if len(args) != len(symbols):
            raise TypeError(f"expected {len(symbols)} arguments ({', '.join(names)}), got {len(args)}")
        try:
            value = compiled(*(float(a) for a in args))
        except (ArithmeticError, ValueError, TypeError, RecursionError):
            # Outside the domain (math raises there) or an overflow: no finite value.
            return math.nan
        # A negative number to a fractional power is complex in Python; numpy gives NaN.
        if not isinstance(value, (float, int)) or isinstance(value, bool):
            return math.nan
        value = float(value)
        return value if math.isfinite(value) else math.nan

    return function


def to_function(expr: sympy.Expr, variables: Sequence[str] = ("x",)) -> Callable:
    """Compile an expression built by :mod:`calc_core.expressions` into a vectorised numpy function.

    Parameters
    ----------
    expr : sympy.Expr
        An expression from :func:`parse_expression` or sympy operations on one.
    variables : sequence of str
        Argument order of the returned function.

    Returns
    -------
    callable
        ``f(*arrays)`` returning a float ndarray (or float for scalar input) of the
        broadcast shape. Points outside the real domain (``log(-1)``, ``1/0``,
        overflow) give NaN, silently.

    Examples
    --------
    >>> from calc_core.expressions import parse_expression
    >>> f = to_function(parse_expression("sqrt(x)"))
    >>> f(np.array([4.0, -1.0]))
    array([ 2., nan])
    """
    names = validate_names(variables, "Variable")
    symbols, compiled = _compile(expr, names, _NUMPY_MODULES)

    def function(*args):
        if len(args) != len(symbols):
            raise TypeError(f"expected {len(symbols)} arguments ({', '.join(names)}), got {len(args)}")
        arrays = [np.asarray(a, dtype=float) for a in args]
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        with np.errstate(all="ignore"):
            try:
                value = np.asarray(compiled(*arrays))
                if np.iscomplexobj(value):
                    value = np.where(np.abs(value.imag) < 1e-12, value.real, np.nan)
                value = np.asarray(value, dtype=float)
            except (ArithmeticError, TypeError, ValueError, RecursionError):
                # Whatever numpy cannot evaluate in floats has no finite value here.
                value = np.full(shape, np.nan)
        value = np.broadcast_to(value, shape).copy() if value.shape != shape else value
        value[~np.isfinite(value)] = np.nan
        return float(value) if value.ndim == 0 else value

    return function


def _beyond_float(number: sympy.Rational) -> bool:
    return abs(number.p).bit_length() > 53 or number.q.bit_length() > 53
