"""What a learner may type: the functions, the constants, the names of variables, and the caps on size.

The caps are those of :mod:`calc_core.limits`, under the short names the
parser and its tests use.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Iterable

import sympy
from mpmath import iv

from calc_core import limits
from calc_core.expressions.errors import ExpressionError

MAX_LENGTH = limits.MAX_EXPRESSION_LENGTH
MAX_DEPTH = limits.MAX_EXPRESSION_DEPTH
MAX_NODES = limits.MAX_EXPRESSION_NODES
MAX_INTEGER_DIGITS = limits.MAX_INTEGER_DIGITS
MAX_EXPONENT = limits.MAX_EXPONENT
MAX_RESULT_DIGITS = limits.MAX_RESULT_DIGITS
MAX_POWER_TOWER = limits.MAX_POWER_TOWER
MAX_CONSTANT_NESTING = limits.MAX_CONSTANT_NESTING

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,11}$")


def _sigmoid(z):
    return 1 / (1 + sympy.exp(-z))


def _log(z, base=None):
    return sympy.log(z) if base is None else sympy.log(z, base)


# name -> (builder, allowed argument counts)
FUNCTIONS: dict[str, tuple[Callable, tuple[int, ...]]] = {
    "sin": (sympy.sin, (1,)),
    "cos": (sympy.cos, (1,)),
    "tan": (sympy.tan, (1,)),
    "cot": (sympy.cot, (1,)),
    "sec": (sympy.sec, (1,)),
    "csc": (sympy.csc, (1,)),
    "asin": (sympy.asin, (1,)),
    "acos": (sympy.acos, (1,)),
    "atan": (sympy.atan, (1,)),
    "arcsin": (sympy.asin, (1,)),
    "arccos": (sympy.acos, (1,)),
    "arctan": (sympy.atan, (1,)),
    "sinh": (sympy.sinh, (1,)),
    "cosh": (sympy.cosh, (1,)),
    "tanh": (sympy.tanh, (1,)),
    "asinh": (sympy.asinh, (1,)),
    "acosh": (sympy.acosh, (1,)),
    "atanh": (sympy.atanh, (1,)),
    "exp": (sympy.exp, (1,)),
    "log": (_log, (1, 2)),
    "ln": (sympy.log, (1,)),
    "sqrt": (sympy.sqrt, (1,)),
    "abs": (sympy.Abs, (1,)),
    "sigmoid": (_sigmoid, (1,)),
}

CONSTANTS = {"e": sympy.E, "pi": sympy.pi}
CONSTANT_VALUES = {"e": iv.e, "pi": iv.pi}


def validate_names(names: Iterable[str], what: str) -> tuple[str, ...]:
    """``names`` as a tuple, when each is a short plain name that is not a function, constant or keyword.

    ``what`` ("Variable", "Parameter") starts the message of the :class:`ExpressionError` raised otherwise.
    """
    out = tuple(names)
    for name in out:
        if not isinstance(name, str) or not _NAME_RE.match(name):
            raise ExpressionError(f"{what} name {name!r} is not a plain letter-and-digit name.")
        if name in FUNCTIONS or name in CONSTANTS or keyword.iskeyword(name):
            raise ExpressionError(f"{what} name {name!r} clashes with a function or constant.")
    return out
