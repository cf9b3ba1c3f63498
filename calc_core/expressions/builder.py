"""The whitelisted walk over Python's syntax tree of typed math, building sympy objects node by node.

Only numbers, the allowed names, ``+ - * / **``, unary signs and calls of the
functions in :data:`~calc_core.expressions.vocabulary.FUNCTIONS` are accepted;
every other kind of node is refused with words a learner understands. Each
part is checked against the caps as it is built (:mod:`calc_core.expressions.sizes`),
so no step ever works on a number or tree that is too large.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterable

import sympy
from mpmath import iv, mp
from mpmath.libmp import ComplexResult

from calc_core.expressions.errors import ExpressionError
from calc_core.expressions.sizes import (
    MAX_BITS,
    MAX_LN,
    Part,
    Sizes,
    clip,
    endpoints,
    is_symbolic,
    magnitude,
    monotone,
    straddles_zero,
)
from calc_core.expressions.vocabulary import (
    CONSTANT_VALUES,
    CONSTANTS,
    FUNCTIONS,
    MAX_CONSTANT_NESTING,
    MAX_EXPONENT,
    MAX_INTEGER_DIGITS,
    MAX_NODES,
    MAX_POWER_TOWER,
    MAX_RESULT_DIGITS,
)

_NODE_WORDS = {
    ast.Attribute: "attribute access with '.'",
    ast.Subscript: "indexing with [ ]",
    ast.Lambda: "lambda functions",
    ast.ListComp: "list comprehensions",
    ast.SetComp: "set comprehensions",
    ast.DictComp: "dict comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.JoinedStr: "f-strings",
    ast.NamedExpr: "assignment with ':='",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "'if ... else'",
    ast.List: "lists",
    ast.Tuple: "tuples (a comma outside a function call)",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.Starred: "'*' unpacking",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
}


# A name read as the one free constant when the parser is asked for one: a letter, perhaps with a digit (C, k, C1).
_CONSTANT_NAME = re.compile(r"[A-Za-z][0-9]?")


class Builder:
    def __init__(self, symbols: dict[str, sympy.Symbol], origin: list[int], free_constant: bool = False):
        self.symbols = symbols
        self.origin = origin
        self.nodes = 0
        self.sizes = Sizes()
        self.free_constant = free_constant
        self.constant_name: str | None = None

    def position(self, node) -> int | None:
        col = getattr(node, "col_offset", None)
        if col is None or not self.origin:
            return None
        return self.origin[min(col, len(self.origin) - 1)]

    def fail(self, message: str, node) -> ExpressionError:
        pos = self.position(node)
        where = f" (at position {pos + 1})" if pos is not None else ""
        return ExpressionError(message + where, pos)

    def too_large(self, node) -> ExpressionError:
        return self.fail(f"A number here would be astronomically large (beyond 10^{MAX_RESULT_DIGITS}).", node)

    def near_zero(self, node) -> ExpressionError:
        return self.fail("A number here cancels to (nearly) zero, so its sign cannot be told; simplify it first.",
                         node)

    def not_real(self, node) -> ExpressionError:
        return self.fail("This part is not a real number (a root or log of a negative number?).", node)

    def build(self, node) -> Part:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"The expression is too long (more than {MAX_NODES} parts).")
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.Constant):
            part = self.constant(node)
        elif isinstance(node, ast.Name):
            part = self.name(node)
        elif isinstance(node, ast.UnaryOp):
            part = self.unary(node)
        elif isinstance(node, ast.BinOp):
            part = self.binary(node)
        elif isinstance(node, ast.Call):
            part = self.call(node)
        else:
            words = _NODE_WORDS.get(type(node), f"'{type(node).__name__}'")
            raise self.fail(f"{words[0].upper() + words[1:]} are not allowed in a math expression.", node)
        return self.checked(part, node)

    def checked(self, part: Part, node) -> Part:
        """Refuse a part whose size would make later work on it expensive."""
        if part.value is not None:
            self.bounded(part.value, node)
        bits, tower, _ = self.sizes.of(part.expr)
        if bits > MAX_BITS:
            raise self.fail(f"That would be a number with more than {MAX_RESULT_DIGITS} digits.", node)
        if tower > MAX_POWER_TOWER:
            raise self.fail(f"Too many stacked powers of a variable (at most {MAX_POWER_TOWER}, as in "
                            f"x^x^x^x^x).", node)
        return part

    def bounded(self, value, node):
        """``value`` when every number in it is below 10^MAX_RESULT_DIGITS in size."""
        if iv.mag(value) > MAX_BITS:
            raise self.too_large(node)
        return value

    def nested(self, args: Iterable[Part], node) -> int:
        """Nesting of a function or power of constants, checked before sympy builds it."""
        nesting = 1 + max(arg.nesting for arg in args)
        if nesting > MAX_CONSTANT_NESTING:
            # sympy decides the sign of a nested constant with evalf, whose cost doubles with each level.
            raise self.fail(f"Functions of a number are nested too deeply (at most {MAX_CONSTANT_NESTING} levels); "
                            f"use a decimal value instead.", node)
        return nesting

    def constant(self, node: ast.Constant) -> Part:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail("Only numbers are allowed as literals (no strings, complex numbers or True/False).", node)
        if isinstance(value, int):
            if len(str(value)) > MAX_INTEGER_DIGITS:
                raise self.fail(f"Numbers may have at most {MAX_INTEGER_DIGITS} digits.", node)
            return Part(sympy.Integer(value), iv.mpf(value))
        if not math.isfinite(value):
            raise self.fail("That number is too large to represent.", node)
        return Part(sympy.Float(value), iv.mpf(value))

    def name(self, node: ast.Name) -> Part:
        if node.id in self.symbols:
            return Part(self.symbols[node.id], None)
        if node.id in CONSTANTS:
            return Part(CONSTANTS[node.id], CONSTANT_VALUES[node.id])
        if node.id in FUNCTIONS:
            raise self.fail(f"'{node.id}' is a function: write {node.id}(...) with parentheses.", node)
        if self.free_constant and _CONSTANT_NAME.fullmatch(node.id):
            return Part(self.constant_symbol(node), None)
        allowed = ", ".join(self.symbols) or "none"
        product = (f" For a product, put * or a space between the names: {' '.join(node.id[:4])}."
                   if 1 < len(node.id) <= 4 and node.id.isalpha() else "")
        raise self.fail(
            f"Unknown name '{node.id[:20]}'.{product} Variables you can use: {allowed}; constants: e, pi; "
            f"functions: {', '.join(sorted(FUNCTIONS))}.",
            node,
        )

    def constant_symbol(self, node: ast.Name) -> sympy.Symbol:
        """The one free constant (``C`` in ``x^2 + C``); a second name is refused."""
        if self.constant_name is None:
            self.constant_name = node.id
        elif node.id != self.constant_name:
            raise self.fail(f"Use one constant: '{self.constant_name}' and '{node.id}' are both unknown names. "
                            f"Variables you can use: {', '.join(self.symbols) or 'none'}.", node)
        return sympy.Symbol(node.id)

    def unary(self, node: ast.UnaryOp) -> Part:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return Part(-operand.expr, None if is_symbolic(operand) else -operand.value, operand.nesting)
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.fail("Only + and - may stand in front of a term.", node)

    def binary(self, node: ast.BinOp) -> Part:
        op = node.op
        if not isinstance(op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            symbol = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitXor: "^", ast.BitAnd: "&",
                      ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>"}.get(type(op), type(op).__name__)
            raise self.fail(f"The operator '{symbol}' is not allowed; use + - * / and ^.", node)
        left = self.build(node.left)
        right = self.build(node.right)
        if isinstance(op, ast.Pow):
            return self.power(left, right, node)
        if isinstance(op, ast.Div):
            if right.expr == 0:
                raise self.fail("The expression contains a division by zero.", node)
            if straddles_zero(right):
                raise self.near_zero(node.right)
        combine = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                   ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}[type(op)]
        expr = combine(left.expr, right.expr)
        if is_symbolic(left) or is_symbolic(right):
            return Part(expr, None)
        if isinstance(op, ast.Div) and not right.expr.is_Rational:
            # 1/c is c^-1: a power, nested like one.
            return Part(expr, combine(left.value, right.value), self.nested((left, right), node))
        return Part(expr, combine(left.value, right.value), max(left.nesting, right.nesting))

    def power(self, base: Part, exponent: Part, node) -> Part:
        if not is_symbolic(exponent):
            size = magnitude(exponent.value)
            if size > MAX_EXPONENT:
                raise self.fail(f"Exponents may be at most {MAX_EXPONENT} in size.", node)
            if base.expr.is_Rational and base.expr != 0:
                bits = max(math.log2(abs(base.expr.p)), math.log2(base.expr.q))
                if bits * size > MAX_BITS:
                    raise self.fail("That power would be an astronomically large number.", node)
            if not is_symbolic(base):
                nesting = self.nested((base, exponent), node)
                try:
                    value = self.bounded(self.power_value(base, exponent, node), node)
                except ComplexResult:
                    raise self.not_real(node) from None
                return Part(sympy.Pow(base.expr, exponent.expr), value, nesting)
        return Part(sympy.Pow(base.expr, exponent.expr), None)

    def power_value(self, base: Part, exponent: Part, node):
        """Enclose base^exponent for two constants, refusing before anything is evaluated."""
        if exponent.expr == 0:
            return iv.mpf(1)
        if base.expr == 0:
            if endpoints(exponent.value)[0] > 0:
                return iv.mpf(0)
            raise self.fail("Zero to a power that is not positive is undefined.", node)
        if exponent.expr.is_Integer:
            n = int(exponent.expr)
            if n < 0 and straddles_zero(base):
                raise self.near_zero(node)
            # |b^n| <= 2^(|n| * log2 bound of |b| or of 1/|b|), an integer product, before any power.
            if abs(n) * iv.mag(base.value if n > 0 else 1 / base.value) > MAX_BITS:
                raise self.too_large(node)
            return base.value ** n
        if endpoints(base.value)[1] < 0:
            raise self.not_real(node)
        if straddles_zero(base):
            raise self.near_zero(node)
        scaled = exponent.value * iv.log(base.value)
        if magnitude(scaled) > MAX_LN:
            raise self.too_large(node)
        return iv.exp(scaled)

    def call(self, node: ast.Call) -> Part:
        if not isinstance(node.func, ast.Name):
            raise self.fail("Only named functions such as sin(x) can be called.", node)
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.fail(
                f"Unknown function '{name[:20]}'. Functions you can use: {', '.join(sorted(FUNCTIONS))}.", node
            )
        if node.keywords:
            raise self.fail(f"{name}() takes no named arguments.", node)
        builder, arities = FUNCTIONS[name]
        if len(node.args) not in arities:
            expected = " or ".join(str(a) for a in arities)
            raise self.fail(f"{name}() takes {expected} argument(s), got {len(node.args)}.", node)
        args = [self.build(arg) for arg in node.args]
        if any(is_symbolic(arg) for arg in args):
            return Part(builder(*(arg.expr for arg in args)), None)
        nesting = self.nested(args, node)
        try:
            value = self.bounded(self.function_value(name, args, node), node)
        except ComplexResult:
            raise self.not_real(node) from None
        return Part(builder(*(arg.expr for arg in args)), value, nesting)

    def function_value(self, name: str, args: list[Part], node):
        """Enclose a function of constants, refusing arguments that would make sympy work hard."""
        z = args[0].value
        lo, hi = endpoints(z)
        if name in ("exp", "sinh", "cosh", "sigmoid"):
            if magnitude(z) > MAX_LN:
                raise self.too_large(node)
            if name == "exp":
                return iv.exp(z)
            if name == "sigmoid":
                return 1 / (1 + iv.exp(-z))
            return (iv.exp(z) - iv.exp(-z)) / 2 if name == "sinh" else (iv.exp(z) + iv.exp(-z)) / 2
        if name in ("log", "ln", "sqrt", "abs") and straddles_zero(args[0]):
            raise self.near_zero(node)
        if name in ("log", "ln"):
            if args[0].expr == 0:
                raise self.fail("The logarithm of 0 is undefined.", node)
            if hi < 0:
                raise self.not_real(node)
            value = iv.log(z)
            if len(args) == 2:
                base = args[1]
                if straddles_zero(base) or base.expr == 0:
                    raise self.near_zero(node)
                if endpoints(base.value)[1] < 0:
                    raise self.not_real(node)
                log_base = iv.log(base.value)
                if 0 in log_base:
                    raise self.near_zero(node)
                value = value / log_base
            return value
        if name == "sqrt":
            if hi < 0:
                raise self.not_real(node)
            return iv.sqrt(clip(z, lo=0))
        if name == "abs":
            return abs(z)
        if name in ("sin", "cos", "tan", "cot", "sec", "csc"):
            return getattr(iv, name)(z)
        if name in ("atan", "arctan", "asinh", "tanh"):
            return monotone({"atan": mp.atan, "arctan": mp.atan, "asinh": mp.asinh, "tanh": mp.tanh}[name], z)
        if name in ("asin", "arcsin", "acos", "arccos"):
            if lo > 1 or hi < -1:
                raise self.not_real(node)
            clipped = clip(z, -1, 1)
            if name in ("asin", "arcsin"):
                return monotone(mp.asin, clipped)
            return monotone(mp.acos, clipped, increasing=False)
        if name == "acosh":
            if hi < 1:
                raise self.not_real(node)
            return monotone(mp.acosh, clip(z, lo=1))
        if name == "atanh":
            if hi <= -1 or lo >= 1:
                raise self.not_real(node)
            if lo <= -1 or hi >= 1:
                raise self.too_large(node)
            return monotone(mp.atanh, z)
        raise AssertionError(f"no enclosure for {name}")
