"""Safe parsing of typed math into sympy expressions.

Learners type ordinary math (``x^3 - 2x^2 + 1``, ``2 sin(x)``, ``e^-x``). The text
is tokenised, implicit multiplication is made explicit, and the result is read by
Python's :mod:`ast` in ``eval`` mode. The tree is then walked against a whitelist
and sympy objects are built node by node. Nothing the user typed is ever handed to
``eval``, ``exec``, ``sympify``, ``parse_expr`` or ``lambdify`` as text.

Limits (length, nesting, node count, literal size, size of folded constants) keep a
public server safe from inputs such as ``9^9^9^9``.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import sympy

__all__ = [
    "ExpressionError",
    "FUNCTIONS",
    "parse_expression",
    "to_function",
    "with_real_symbols",
]

MAX_LENGTH = 300
MAX_DEPTH = 30
MAX_NODES = 300
MAX_INTEGER_DIGITS = 20
MAX_EXPONENT = 1000
MAX_RESULT_DIGITS = 1000

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


def _digits(value: sympy.Expr) -> float:
    """Approximate number of decimal digits of a rational's numerator/denominator."""
    if value.is_Integer:
        return len(str(abs(int(value))))
    if value.is_Rational:
        return max(len(str(abs(value.p))), len(str(value.q)))
    return 0.0


class _Builder:
    def __init__(self, symbols: dict[str, sympy.Symbol], origin: list[int]):
        self.symbols = symbols
        self.origin = origin
        self.nodes = 0

    def position(self, node) -> int | None:
        col = getattr(node, "col_offset", None)
        if col is None or not self.origin:
            return None
        return self.origin[min(col, len(self.origin) - 1)]

    def fail(self, message: str, node) -> ExpressionError:
        pos = self.position(node)
        where = f" (at position {pos + 1})" if pos is not None else ""
        return ExpressionError(message + where, pos)

    def build(self, node) -> sympy.Expr:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"The expression is too long (more than {MAX_NODES} parts).")
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        words = _NODE_WORDS.get(type(node), f"'{type(node).__name__}'")
        raise self.fail(f"{words[0].upper() + words[1:]} are not allowed in a math expression.", node)

    def constant(self, node: ast.Constant) -> sympy.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail("Only numbers are allowed as literals (no strings, complex numbers or True/False).", node)
        if isinstance(value, int):
            if len(str(value)) > MAX_INTEGER_DIGITS:
                raise self.fail(f"Numbers may have at most {MAX_INTEGER_DIGITS} digits.", node)
            return sympy.Integer(value)
        if not math.isfinite(value):
            raise self.fail("That number is too large to represent.", node)
        return sympy.Float(value)

    def name(self, node: ast.Name) -> sympy.Expr:
        if node.id in self.symbols:
            return self.symbols[node.id]
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        if node.id in FUNCTIONS:
            raise self.fail(f"'{node.id}' is a function: write {node.id}(...) with parentheses.", node)
        allowed = ", ".join(self.symbols) or "none"
        raise self.fail(
            f"Unknown name '{node.id[:20]}'. Variables you can use: {allowed}; constants: e, pi; "
            f"functions: {', '.join(sorted(FUNCTIONS))}.",
            node,
        )

    def unary(self, node: ast.UnaryOp) -> sympy.Expr:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.fail("Only + and - may stand in front of a term.", node)

    def binary(self, node: ast.BinOp) -> sympy.Expr:
        left = self.build(node.left)
        right = self.build(node.right)
        op = node.op
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Div):
            return left / right
        if isinstance(op, ast.Pow):
            return self.power(left, right, node)
        symbol = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitXor: "^", ast.BitAnd: "&",
                  ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>"}.get(type(op), type(op).__name__)
        raise self.fail(f"The operator '{symbol}' is not allowed; use + - * / and ^.", node)

    def power(self, base: sympy.Expr, exponent: sympy.Expr, node) -> sympy.Expr:
        if exponent.is_number:
            if exponent.has(sympy.zoo, sympy.nan) or not exponent.is_finite:
                raise self.fail("That exponent is not a finite number.", node)
            size = abs(float(exponent)) if exponent.is_real else math.inf
            if size > MAX_EXPONENT:
                raise self.fail(f"Exponents may be at most {MAX_EXPONENT} in size.", node)
            if base.is_number and base.is_Rational:
                digits = _digits(base) * size
                if digits > MAX_RESULT_DIGITS:
                    raise self.fail("That power would be an astronomically large number.", node)
        return sympy.Pow(base, exponent)

    def call(self, node: ast.Call) -> sympy.Expr:
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
        return builder(*args)


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
        expr = builder.build(tree)
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
    if not isinstance(expr, sympy.Basic):
        raise ExpressionError("Only sympy expressions can be compiled.")
    unknown = sorted(str(s) for s in expr.free_symbols if str(s) not in names)
    if unknown:
        raise ExpressionError(f"The expression uses {', '.join(unknown)}, which has no value here.")
    symbols = [sympy.Symbol(n) for n in names]
    # Symbols with assumptions (real=True) print the same, so map them too.
    plain = expr.xreplace({s: sympy.Symbol(str(s)) for s in expr.free_symbols})
    compiled = sympy.lambdify(symbols, plain, modules=_NUMPY_MODULES)

    def function(*args):
        arrays = [np.asarray(a, dtype=float) for a in args]
        with np.errstate(all="ignore"):
            value = compiled(*arrays)
            value = np.asarray(value)
            if np.iscomplexobj(value):
                value = np.where(np.abs(value.imag) < 1e-12, value.real, np.nan)
            value = np.asarray(value, dtype=float)
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        value = np.broadcast_to(value, shape).copy() if value.shape != shape else value
        value[~np.isfinite(value)] = np.nan
        return float(value) if value.ndim == 0 else value

    return function


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
