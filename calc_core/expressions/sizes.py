"""How large a part of an expression is, found before sympy computes anything.

A constant part is enclosed in a 53-bit interval (cheap whatever the number),
so ``9^9^9^9`` or ``exp(exp(exp(13)))`` is refused by looking at bounds, never
by evaluating a huge number. Exact numbers are measured in bits, towers of
powers of a variable in levels, and whole trees in nodes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import sympy
from mpmath import iv, mp

from calc_core.expressions.vocabulary import MAX_RESULT_DIGITS

# |c| < 10^MAX_RESULT_DIGITS for every constant c, in bits and as a natural log.
MAX_BITS = math.ceil(MAX_RESULT_DIGITS * math.log2(10))
MAX_LN = MAX_RESULT_DIGITS * math.log(10)

# mpmath's real functions are accurate to about one unit in the last of 53 bits; enclosures
# built from them are widened by far more than that.
_WIDEN = mp.mpf(2) ** -40


class Part(NamedTuple):
    """A built subexpression and, when it is a constant, an interval enclosing its real value."""

    expr: sympy.Expr
    value: object  # mpmath iv.mpf, or None for a part that depends on a variable or parameter
    nesting: int = 0  # of a constant: functions and powers applied one inside another


def is_symbolic(part: Part) -> bool:
    """True when the part depends on a variable or parameter (it has no enclosure)."""
    return part.value is None


def straddles_zero(part: Part) -> bool:
    """True when a constant's enclosure holds 0 but sympy has not reduced it to exactly 0."""
    return part.value is not None and 0 in part.value and part.expr != 0


def monotone(function: Callable, value, increasing: bool = True):
    """Enclose ``function`` of an interval from its two endpoints, widened outward."""
    ends = [function(mp.mpf(value.a)), function(mp.mpf(value.b))]
    lo, hi = (ends if increasing else ends[::-1])
    return iv.mpf([lo - abs(lo) * _WIDEN - _WIDEN ** 20, hi + abs(hi) * _WIDEN + _WIDEN ** 20])


def endpoints(value) -> tuple:
    """The two endpoints of an interval as mpmath numbers."""
    return mp.mpf(value.a), mp.mpf(value.b)


def magnitude(value):
    """The largest absolute value in an interval."""
    return max(abs(end) for end in endpoints(value))


def clip(value, lo=None, hi=None):
    """The interval ``value`` cut to ``[lo, hi]`` (either bound optional)."""
    a, b = endpoints(value)
    return iv.mpf([a if lo is None else max(a, lo), b if hi is None else min(b, hi)])


class Sizes:
    """Exact-number digits and tower heights of sympy trees, memoised for one parse."""

    def __init__(self):
        self.memo: dict[sympy.Basic, tuple[int, int, bool]] = {}

    def of(self, expr: sympy.Basic) -> tuple[int, int, bool]:
        """(largest exact number in bits, tower height, depends on a symbol)."""
        known = self.memo.get(expr)
        if known is not None:
            return known
        if expr.is_Rational:
            found = (max(abs(expr.p).bit_length(), expr.q.bit_length()), 0, False)
        elif expr.is_Symbol:
            found = (0, 0, True)
        elif not expr.args:
            found = (0, 0, False)
        else:
            parts = [self.of(arg) for arg in expr.args]
            bits = max(p[0] for p in parts)
            symbolic = any(p[2] for p in parts)
            tower = max(p[1] for p in parts)
            if isinstance(expr, (sympy.Pow, sympy.exp)):
                exponent = self.of(expr.as_base_exp()[1])
                if exponent[2]:
                    tower = max(tower, exponent[1] + 1)
            found = (bits, tower, symbolic)
        self.memo[expr] = found
        return found


def node_count(expr: sympy.Basic, limit: int) -> int:
    """Nodes of ``expr`` (shared subtrees counted each time), counting stops just past ``limit``."""
    count = 0
    stack = [expr]
    while stack and count <= limit:
        node = stack.pop()
        count += 1
        stack.extend(node.args)
    return count
