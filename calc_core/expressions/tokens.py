"""The first pass over typed text: tokens, balanced parentheses, and the products a learner implies.

``2x``, ``3(x+1)``, ``(x+1)(x-1)`` and ``x y`` become explicit products, and
``^`` becomes ``**``, so that Python's :mod:`ast` can read the result. Each
character of the rebuilt text remembers its position in what was typed, for
error messages.
"""

from __future__ import annotations

import re

from calc_core.expressions.errors import ExpressionError
from calc_core.expressions.vocabulary import FUNCTIONS, MAX_DEPTH

_TOKEN_RE = re.compile(
    r"""
    (?P<space>[ \t]+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),])
    """,
    re.VERBOSE,
)


# Characters of printed math that a learner copies or types, read as the plain text they stand for:
# the minus sign, the multiplication and division signs, and Greek letters used as names (θ becomes theta).
_PRINTED = {
    "\u2212": ("op", "-"), "\u2013": ("op", "-"),
    "×": ("op", "*"), "·": ("op", "*"), "\u22c5": ("op", "*"), "\u2219": ("op", "*"),
    "÷": ("op", "/"),
    "π": ("name", "pi"), "θ": ("name", "theta"), "ϑ": ("name", "theta"), "φ": ("name", "phi"),
    "ϕ": ("name", "phi"),
}
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_RE = re.compile(f"(⁻?)([{_SUPERSCRIPT_DIGITS}]+)")
# What to type instead of a character that is not read.
_INSTEAD = {"√": " Write sqrt(...) for a square root.", "∞": " Infinity is not a number here.",
            "⁻": " Write ^(-1) for a power of minus one.", "=": " Type only the expression, without '='.",
            "[": " Use round parentheses ( ).", "]": " Use round parentheses ( )."}


def _superscript(match: re.Match, pos: int) -> list[tuple[str, str, int]]:
    """``x²`` is ``x^2`` and ``x⁻¹`` is ``x^(-1)``."""
    digits = "".join(str(_SUPERSCRIPT_DIGITS.index(ch)) for ch in match.group(2))
    if not match.group(1):
        return [("op", "^", pos), ("number", digits, pos)]
    return [("op", "^", pos), ("op", "(", pos), ("op", "-", pos), ("number", digits, pos), ("op", ")", pos)]


def tokenise(text: str) -> list[tuple[str, str, int]]:
    """Split ``text`` into ``(kind, value, position)`` tokens; any other character is an :class:`ExpressionError`.

    Printed math reads as typed math: ``−`` is ``-``, ``×`` and ``·`` are ``*``, ``÷`` is ``/``, ``x²`` is
    ``x^2``, ``π`` is ``pi`` and ``θ`` is ``theta``.
    """
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char in _PRINTED:
            tokens.append((*_PRINTED[char], pos))
            pos += 1
            continue
        superscript = _SUPERSCRIPT_RE.match(text, pos)
        if superscript is not None:
            tokens.extend(_superscript(superscript, pos))
            pos = superscript.end()
            continue
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            hint = _INSTEAD.get(char, "")
            raise ExpressionError(f"The character {shown} at position {pos + 1} is not allowed.{hint}", pos)
        kind = match.lastgroup
        if kind != "space":
            tokens.append((kind, match.group(), pos))
        pos = match.end()
    return tokens


def implicit_products(tokens, function_names) -> tuple[str, list[int]]:
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


def split_letters(tokens, known: set[str]) -> list[tuple[str, str, int]]:
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


def check_nesting(tokens) -> None:
    """Refuse unbalanced parentheses and nesting deeper than ``MAX_DEPTH``, before Python parses anything."""
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
