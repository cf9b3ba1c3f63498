"""Safe parsing of typed math into sympy expressions.

Learners type ordinary math (``x^3 - 2x^2 + 1``, ``2 sin(x)``, ``e^-x``). The text
is tokenised, implicit multiplication is made explicit, and the result is read by
Python's :mod:`ast` in ``eval`` mode. The tree is then walked against a whitelist
and sympy objects are built node by node. Nothing the user typed is ever handed to
``eval``, ``exec``, ``sympify``, ``parse_expr`` or ``lambdify`` as text.

The caps in :mod:`calc_core.limits` bound what parsing may cost on a public
server. Sizes are checked before sympy computes anything: every constant part is
enclosed in a 53-bit interval (cheap whatever the number), so ``9^9^9^9``,
``exp(exp(exp(13)))`` or a division by a difference that cancels to nearly zero
are refused by looking at bounds, never by evaluating a huge number.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import numpy as np
import sympy
from mpmath import iv, mp
from mpmath.libmp import ComplexResult

from calc_core import limits

__all__ = [
    "ExpressionError",
    "FUNCTIONS",
    "expression_latex",
    "parse_expression",
    "to_function",
    "to_scalar_function",
    "with_real_symbols",
]

MAX_LENGTH = limits.MAX_EXPRESSION_LENGTH
MAX_DEPTH = limits.MAX_EXPRESSION_DEPTH
MAX_NODES = limits.MAX_EXPRESSION_NODES
MAX_INTEGER_DIGITS = limits.MAX_INTEGER_DIGITS
MAX_EXPONENT = limits.MAX_EXPONENT
MAX_RESULT_DIGITS = limits.MAX_RESULT_DIGITS
MAX_POWER_TOWER = limits.MAX_POWER_TOWER
MAX_CONSTANT_NESTING = limits.MAX_CONSTANT_NESTING

# |c| < 10^MAX_RESULT_DIGITS for every constant c, in bits and as a natural log.
_MAX_BITS = math.ceil(MAX_RESULT_DIGITS * math.log2(10))
_MAX_LN = MAX_RESULT_DIGITS * math.log(10)
# mpmath's real functions are accurate to about one unit in the last of 53 bits; enclosures
# built from them are widened by far more than that.
_WIDEN = mp.mpf(2) ** -40

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,11}$")


class ExpressionError(ValueError):
    """A typed expression that cannot be accepted, with a learner-readable reason.

    ``position`` is the 0-based character offset in the original text, when known.
    """

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


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

_CONSTANTS = {"e": sympy.E, "pi": sympy.pi}
_CONSTANT_VALUES = {"e": iv.e, "pi": iv.pi}

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

_TOKEN_RE = re.compile(
    r"""
    (?P<space>[ \t]+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),])
    """,
    re.VERBOSE,
)


def _validate_names(names: Iterable[str], what: str) -> tuple[str, ...]:
    out = tuple(names)
    for name in out:
        if not isinstance(name, str) or not _NAME_RE.match(name):
            raise ExpressionError(f"{what} name {name!r} is not a plain letter-and-digit name.")
        if name in FUNCTIONS or name in _CONSTANTS or keyword.iskeyword(name):
            raise ExpressionError(f"{what} name {name!r} clashes with a function or constant.")
    return out


def _tokenise(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            char = text[pos]
            shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            hint = " Use * for multiplication." if char in "×·" else ""
            raise ExpressionError(f"The character {shown} at position {pos + 1} is not allowed.{hint}", pos)
        kind = match.lastgroup
        if kind != "space":
            tokens.append((kind, match.group(), pos))
        pos = match.end()
    return tokens


def _implicit_products(tokens, function_names) -> tuple[str, list[int]]:
    """Join tokens into Python syntax, inserting '*' where a product is implied.

    Returns the rebuilt text and, for each of its characters, the position in the
    original text (for error messages).
    """
    pieces: list[str] = []
    origin: list[int] = []
    previous: tuple[str, str, int] | None = None
    for token in tokens:
        kind, value, pos = token
        if previous is not None:
            if previous[0] == "name" and previous[1] in function_names and value != "(":
                name = previous[1]
                raise ExpressionError(f"Write {name}(...) with parentheses after '{name}' (position {previous[2] + 1}).",
                                      previous[2])
            joint = " * " if _implies_product(previous, token, function_names) else " "
            pieces.append(joint)
            origin.extend([pos] * len(joint))
        if kind == "op" and value == "^":
            value = "**"
        pieces.append(value)
        origin.extend([pos] * len(value))
        previous = token
    if previous is not None and previous[0] == "name" and previous[1] in function_names:
        raise ExpressionError(f"Write {previous[1]}(...) with parentheses.", previous[2])
    return "".join(pieces), origin


def _split_letters(tokens, known: set[str]) -> list[tuple[str, str, int]]:
    """Read ``xy`` as ``x y`` when every letter is a one-letter variable or ``e``."""
    out = []
    for kind, value, pos in tokens:
        if kind == "name" and value not in known and value not in FUNCTIONS and all(ch in known for ch in value):
            out.extend(("name", ch, pos + i) for i, ch in enumerate(value))
        else:
            out.append((kind, value, pos))
    return out


def _implies_product(left, right, function_names) -> bool:
    left_kind, left_value, _ = left
    right_kind, right_value, _ = right
    left_ends_value = left_kind == "number" or (left_kind == "name" and left_value not in function_names) or (
        left_value == ")"
    )
    right_starts_value = right_kind in ("number", "name") or right_value == "("
    if not (left_ends_value and right_starts_value):
        return False
    # "2 3" is almost surely a typo, not a product.
    return not (left_kind == "number" and right_kind == "number")


def _check_nesting(tokens) -> None:
    depth = 0
    for _, value, pos in tokens:
        if value == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError(f"Too many nested parentheses (more than {MAX_DEPTH}).", pos)
        elif value == ")":
            depth -= 1
            if depth < 0:
                raise ExpressionError(f"Unmatched ')' at position {pos + 1}.", pos)
    if depth > 0:
        raise ExpressionError("A '(' is never closed.", None)


class _Part(NamedTuple):
    """A built subexpression and, when it is a constant, an interval enclosing its real value."""

    expr: sympy.Expr
    value: object  # mpmath iv.mpf, or None for a part that depends on a variable or parameter
    nesting: int = 0  # of a constant: functions and powers applied one inside another


def _is_symbolic(part: _Part) -> bool:
    return part.value is None


def _straddles_zero(part: _Part) -> bool:
    """True when a constant's enclosure holds 0 but sympy has not reduced it to exactly 0."""
    return part.value is not None and 0 in part.value and part.expr != 0


def _monotone(function: Callable, value, increasing: bool = True):
    """Enclose ``function`` of an interval from its two endpoints, widened outward."""
    ends = [function(mp.mpf(value.a)), function(mp.mpf(value.b))]
    lo, hi = (ends if increasing else ends[::-1])
    return iv.mpf([lo - abs(lo) * _WIDEN - _WIDEN ** 20, hi + abs(hi) * _WIDEN + _WIDEN ** 20])


def _ends(value) -> tuple:
    """The two endpoints of an interval as mpmath numbers."""
    return mp.mpf(value.a), mp.mpf(value.b)


def _size(value):
    """The largest absolute value in an interval."""
    return max(abs(end) for end in _ends(value))


def _clip(value, lo=None, hi=None):
    a, b = _ends(value)
    return iv.mpf([a if lo is None else max(a, lo), b if hi is None else min(b, hi)])


class _Sizes:
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


class _Builder:
    def __init__(self, symbols: dict[str, sympy.Symbol], origin: list[int]):
        self.symbols = symbols
        self.origin = origin
        self.nodes = 0
        self.sizes = _Sizes()

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

    def build(self, node) -> _Part:
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

    def checked(self, part: _Part, node) -> _Part:
        """Refuse a part whose size would make later work on it expensive."""
        if part.value is not None:
            self.bounded(part.value, node)
        bits, tower, _ = self.sizes.of(part.expr)
        if bits > _MAX_BITS:
            raise self.fail(f"That would be a number with more than {MAX_RESULT_DIGITS} digits.", node)
        if tower > MAX_POWER_TOWER:
            raise self.fail(f"Too many stacked powers of a variable (at most {MAX_POWER_TOWER}, as in "
                            f"x^x^x^x^x).", node)
        return part

    def bounded(self, value, node):
        """``value`` when every number in it is below 10^MAX_RESULT_DIGITS in size."""
        if iv.mag(value) > _MAX_BITS:
            raise self.too_large(node)
        return value

    def nested(self, args: Iterable[_Part], node) -> int:
        """Nesting of a function or power of constants, checked before sympy builds it."""
        nesting = 1 + max(arg.nesting for arg in args)
        if nesting > MAX_CONSTANT_NESTING:
            # sympy decides the sign of a nested constant with evalf, whose cost doubles with each level.
            raise self.fail(f"Functions of a number are nested too deeply (at most {MAX_CONSTANT_NESTING} levels); "
                            f"use a decimal value instead.", node)
        return nesting

    def constant(self, node: ast.Constant) -> _Part:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail("Only numbers are allowed as literals (no strings, complex numbers or True/False).", node)
        if isinstance(value, int):
            if len(str(value)) > MAX_INTEGER_DIGITS:
                raise self.fail(f"Numbers may have at most {MAX_INTEGER_DIGITS} digits.", node)
            return _Part(sympy.Integer(value), iv.mpf(value))
        if not math.isfinite(value):
            raise self.fail("That number is too large to represent.", node)
        return _Part(sympy.Float(value), iv.mpf(value))

    def name(self, node: ast.Name) -> _Part:
        if node.id in self.symbols:
            return _Part(self.symbols[node.id], None)
        if node.id in _CONSTANTS:
            return _Part(_CONSTANTS[node.id], _CONSTANT_VALUES[node.id])
        if node.id in FUNCTIONS:
            raise self.fail(f"'{node.id}' is a function: write {node.id}(...) with parentheses.", node)
        allowed = ", ".join(self.symbols) or "none"
        raise self.fail(
            f"Unknown name '{node.id[:20]}'. Variables you can use: {allowed}; constants: e, pi; "
            f"functions: {', '.join(sorted(FUNCTIONS))}.",
            node,
        )

    def unary(self, node: ast.UnaryOp) -> _Part:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return _Part(-operand.expr, None if _is_symbolic(operand) else -operand.value, operand.nesting)
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.fail("Only + and - may stand in front of a term.", node)

    def binary(self, node: ast.BinOp) -> _Part:
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
            if _straddles_zero(right):
                raise self.near_zero(node.right)
        combine = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                   ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}[type(op)]
        expr = combine(left.expr, right.expr)
        if _is_symbolic(left) or _is_symbolic(right):
            return _Part(expr, None)
        if isinstance(op, ast.Div) and not right.expr.is_Rational:
            # 1/c is c^-1: a power, nested like one.
            return _Part(expr, combine(left.value, right.value), self.nested((left, right), node))
        return _Part(expr, combine(left.value, right.value), max(left.nesting, right.nesting))

    def power(self, base: _Part, exponent: _Part, node) -> _Part:
        if not _is_symbolic(exponent):
            size = _size(exponent.value)
            if size > MAX_EXPONENT:
                raise self.fail(f"Exponents may be at most {MAX_EXPONENT} in size.", node)
            if base.expr.is_Rational and base.expr != 0:
                bits = max(math.log2(abs(base.expr.p)), math.log2(base.expr.q))
                if bits * size > _MAX_BITS:
                    raise self.fail("That power would be an astronomically large number.", node)
            if not _is_symbolic(base):
                nesting = self.nested((base, exponent), node)
                try:
                    value = self.bounded(self.power_value(base, exponent, node), node)
                except ComplexResult:
                    raise self.not_real(node) from None
                return _Part(sympy.Pow(base.expr, exponent.expr), value, nesting)
        return _Part(sympy.Pow(base.expr, exponent.expr), None)

    def power_value(self, base: _Part, exponent: _Part, node):
        """Enclose base^exponent for two constants, refusing before anything is evaluated."""
        if exponent.expr == 0:
            return iv.mpf(1)
        if base.expr == 0:
            if _ends(exponent.value)[0] > 0:
                return iv.mpf(0)
            raise self.fail("Zero to a power that is not positive is undefined.", node)
        if exponent.expr.is_Integer:
            n = int(exponent.expr)
            if n < 0 and _straddles_zero(base):
                raise self.near_zero(node)
            # |b^n| <= 2^(|n| * log2 bound of |b| or of 1/|b|), an integer product, before any power.
            if abs(n) * iv.mag(base.value if n > 0 else 1 / base.value) > _MAX_BITS:
                raise self.too_large(node)
            return base.value ** n
        if _ends(base.value)[1] < 0:
            raise self.not_real(node)
        if _straddles_zero(base):
            raise self.near_zero(node)
        scaled = exponent.value * iv.log(base.value)
        if _size(scaled) > _MAX_LN:
            raise self.too_large(node)
        return iv.exp(scaled)

    def call(self, node: ast.Call) -> _Part:
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
        if any(_is_symbolic(arg) for arg in args):
            return _Part(builder(*(arg.expr for arg in args)), None)
        nesting = self.nested(args, node)
        try:
            value = self.bounded(self.function_value(name, args, node), node)
        except ComplexResult:
            raise self.not_real(node) from None
        return _Part(builder(*(arg.expr for arg in args)), value, nesting)

    def function_value(self, name: str, args: list[_Part], node):
        """Enclose a function of constants, refusing arguments that would make sympy work hard."""
        z = args[0].value
        lo, hi = _ends(z)
        if name in ("exp", "sinh", "cosh", "sigmoid"):
            if _size(z) > _MAX_LN:
                raise self.too_large(node)
            if name == "exp":
                return iv.exp(z)
            if name == "sigmoid":
                return 1 / (1 + iv.exp(-z))
            return (iv.exp(z) - iv.exp(-z)) / 2 if name == "sinh" else (iv.exp(z) + iv.exp(-z)) / 2
        if name in ("log", "ln", "sqrt", "abs") and _straddles_zero(args[0]):
            raise self.near_zero(node)
        if name in ("log", "ln"):
            if args[0].expr == 0:
                raise self.fail("The logarithm of 0 is undefined.", node)
            if hi < 0:
                raise self.not_real(node)
            value = iv.log(z)
            if len(args) == 2:
                base = args[1]
                if _straddles_zero(base) or base.expr == 0:
                    raise self.near_zero(node)
                if _ends(base.value)[1] < 0:
                    raise self.not_real(node)
                log_base = iv.log(base.value)
                if 0 in log_base:
                    raise self.near_zero(node)
                value = value / log_base
            return value
        if name == "sqrt":
            if hi < 0:
                raise self.not_real(node)
            return iv.sqrt(_clip(z, lo=0))
        if name == "abs":
            return abs(z)
        if name in ("sin", "cos", "tan", "cot", "sec", "csc"):
            return getattr(iv, name)(z)
        if name in ("atan", "arctan", "asinh", "tanh"):
            return _monotone({"atan": mp.atan, "arctan": mp.atan, "asinh": mp.asinh, "tanh": mp.tanh}[name], z)
        if name in ("asin", "arcsin", "acos", "arccos"):
            if lo > 1 or hi < -1:
                raise self.not_real(node)
            clipped = _clip(z, -1, 1)
            if name in ("asin", "arcsin"):
                return _monotone(mp.asin, clipped)
            return _monotone(mp.acos, clipped, increasing=False)
        if name == "acosh":
            if hi < 1:
                raise self.not_real(node)
            return _monotone(mp.acosh, _clip(z, lo=1))
        if name == "atanh":
            if hi <= -1 or lo >= 1:
                raise self.not_real(node)
            if lo <= -1 or hi >= 1:
                raise self.too_large(node)
            return _monotone(mp.atanh, z)
        raise AssertionError(f"no enclosure for {name}")


def parse_expression(
    text: str,
    variables: Sequence[str] = ("x",),
    parameters: Iterable[str] | None = None,
) -> sympy.Expr:
    """Parse typed math into a sympy expression, safely.

    Parameters
    ----------
    text : str
        What the learner typed, e.g. ``"x^3 - 2x^2 + 1"``.
    variables : sequence of str
        Names that become ``sympy.Symbol`` objects (no assumptions).
    parameters : iterable of str, optional
        Extra symbol names (constants set by sliders), e.g. ``("p", "q")``.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        With a message naming the problem and, where possible, its position.

    Notes
    -----
    Grammar: numbers, the given names, ``e``, ``pi``, ``+ - * / ^`` (``**`` also),
    parentheses and the functions in :data:`FUNCTIONS`. A product is implied
    between a number or closing parenthesis and what follows (``2x``, ``3(x+1)``,
    ``(x+1)(x-1)``), and between two names (``x y``).

    Examples
    --------
    >>> parse_expression("x^3 - 2x^2 + 1")
    x**3 - 2*x**2 + 1
    >>> parse_expression("e^x")
    exp(x)
    """
    if not isinstance(text, str):
        raise ExpressionError("The expression must be text.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"The expression is too long ({len(text)} characters; at most {MAX_LENGTH}).")
    if not text.strip():
        raise ExpressionError("Type an expression, for example x^2 + 1.")
    names = _validate_names(variables, "Variable") + _validate_names(parameters or (), "Parameter")
    if len(set(names)) != len(names):
        raise ExpressionError("Variable and parameter names must be distinct.")
    tokens = _tokenise(text)
    _check_nesting(tokens)
    tokens = _split_letters(tokens, set(names) | set(_CONSTANTS))
    source, origin = _implicit_products(tokens, FUNCTIONS)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        col = (exc.offset or 1) - 1
        pos = origin[min(col, len(origin) - 1)] if origin else None
        where = f" near position {pos + 1}" if pos is not None else ""
        raise ExpressionError(f"This is not a complete expression{where}: check operators and parentheses.", pos) from None
    except (ValueError, MemoryError, RecursionError):
        raise ExpressionError("The expression could not be read.") from None
    builder = _Builder({name: sympy.Symbol(name) for name in names}, origin)
    try:
        expr = builder.build(tree).expr
    except RecursionError:
        raise ExpressionError("The expression is nested too deeply.") from None
    if not isinstance(expr, sympy.Expr):
        raise ExpressionError("That is not a numeric expression.")
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ExpressionError("The expression contains a division by zero or an infinite value.")
    if expr.has(sympy.I):
        raise ExpressionError("The expression is not a real number (a root of a negative number?).")
    return expr


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
    if _node_count(expr, limits.MAX_COMPILE_NODES) > limits.MAX_COMPILE_NODES:
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
    >>> f = to_scalar_function(parse_expression("log(x) + y"), ("x", "y"))
    >>> f(1.0, 2.0), f(-1.0, 2.0)
    (2.0, nan)
    """
    names = _validate_names(variables, "Variable")
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
    """Compile an expression built by this package into a vectorised numpy function.

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
    >>> f = to_function(parse_expression("sqrt(x)"))
    >>> f(np.array([4.0, -1.0]))
    array([ 2., nan])
    """
    names = _validate_names(variables, "Variable")
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


def _node_count(expr: sympy.Basic, limit: int) -> int:
    """Nodes of ``expr`` (shared subtrees counted each time), counting stops just past ``limit``."""
    count = 0
    stack = [expr]
    while stack and count <= limit:
        node = stack.pop()
        count += 1
        stack.extend(node.args)
    return count


def expression_latex(expr: sympy.Basic, max_chars: int = limits.MAX_LATEX_CHARS) -> str:
    r"""LaTeX for ``expr``, or :class:`ExpressionError` when it is too long to display.

    Parameters
    ----------
    expr : sympy.Basic
        Any expression, typically a parsed one or a derivative of one.
    max_chars : int
        Longest LaTeX returned.

    Returns
    -------
    str

    Raises
    ------
    ExpressionError
        When the LaTeX would exceed ``max_chars`` or sympy cannot print it
        (integers over 4 300 digits, trees deeper than Python's recursion limit).

    Notes
    -----
    Every node prints at least one character, so a tree of more than
    ``max_chars`` nodes is refused by counting alone, before printing starts;
    printing time is thus bounded by ``max_chars``.

    Examples
    --------
    >>> print(expression_latex(parse_expression("x^2/2")))
    \frac{x^{2}}{2}
    """
    too_long = ExpressionError("This formula is too long to display.")
    if _node_count(expr, max_chars) > max_chars:
        raise too_long
    try:
        text = sympy.latex(expr)
    except (ValueError, OverflowError, RecursionError, MemoryError):
        raise too_long from None
    if len(text) > max_chars:
        raise too_long
    return text


def with_real_symbols(expr: sympy.Expr, variables: Sequence[str], operation: Callable) -> sympy.Expr:
    """Apply ``operation(expr_real, *real_symbols)`` with variables assumed real.

    Plain symbols are complex in sympy, so ``diff(abs(x), x)`` would involve
    ``re`` and ``im``. This swaps in real symbols, runs the operation and swaps
    the plain ones back.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> with_real_symbols(sympy.Abs(x), ("x",), lambda e, xr: e.diff(xr))
    sign(x)
    """
    real = [sympy.Symbol(name, real=True) for name in variables]
    forward = {sympy.Symbol(name): r for name, r in zip(variables, real)}
    result = operation(expr.xreplace(forward), *real)
    back = {r: sympy.Symbol(name) for name, r in zip(variables, real)}
    if isinstance(result, (list, tuple)):
        return type(result)(item.xreplace(back) for item in result)
    return result.xreplace(back)
