"""Checking a typed Jacobian: read a matrix row by row, compare it with J entry by entry."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sympy as sp

from calc_core.answers import Verdict, expressions_agree
from calc_core.expressions import parse_expression
from calc_core.jacobians.numeric import JacobianError
from calc_core.jacobians.symbolic import jacobian

__all__ = ["MAX_MATRIX_SIDE", "check_jacobian_answer", "parse_matrix"]

MAX_MATRIX_SIDE = 6
"""Largest number of rows or columns accepted in a typed matrix."""


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split at ``separator`` where it is not inside parentheses (so sigmoid(a, b) stays whole)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def parse_matrix(
    text: str, variables: Sequence[str], parameters: Sequence[str] | None = None
) -> tuple[tuple[sp.Expr, ...], ...]:
    """Read a typed matrix of expressions, row by row.

    Parameters
    ----------
    text : str
        Rows separated by ``;`` and entries by ``,`` (``2y, 2x; 2xy, x^2``), or nested
        brackets (``[[2y, 2x], [2xy, x^2]]``).
    variables, parameters : sequence of str
        Names allowed in the entries, passed to ``calc_core.expressions.parse_expression``.

    Returns
    -------
    tuple of tuple of sympy.Expr
        The rows, all of the same length.

    Notes
    -----
    Each entry is parsed on its own by the safe expression parser; nothing is evaluated.

    Examples
    --------
    >>> parse_matrix("2y, 2x; 2x y, x^2", ("x", "y"))
    ((2*y, 2*x), (2*x*y, x**2))
    """
    if not isinstance(text, str) or not text.strip():
        raise JacobianError("Type the matrix row by row: entries separated by commas, rows by semicolons.")
    flat = re.sub(r"\]\s*,\s*\[", ";", text.strip()).replace("[", "").replace("]", "")
    rows = [row for row in _split_top_level(flat, ";") if row.strip()]
    if not rows:
        raise JacobianError("Type the matrix row by row: entries separated by commas, rows by semicolons.")
    cells = [_split_top_level(row, ",") for row in rows]
    if len(cells) > MAX_MATRIX_SIDE or any(len(row) > MAX_MATRIX_SIDE for row in cells):
        raise JacobianError(f"A matrix here has at most {MAX_MATRIX_SIDE} rows and columns.")
    widths = {len(row) for row in cells}
    if len(widths) != 1:
        raise JacobianError("Every row needs the same number of entries (commas between entries, "
                            "semicolons between rows).")
    matrix = []
    for i, row in enumerate(cells, start=1):
        entries = []
        for j, cell in enumerate(row, start=1):
            if not cell.strip():
                raise JacobianError(f"Row {i}, column {j} is empty.")
            try:
                entries.append(parse_expression(cell, variables, parameters))
            except ValueError as exc:
                raise JacobianError(f"Row {i}, column {j}: {exc}") from None
        matrix.append(tuple(entries))
    return tuple(matrix)


def check_jacobian_answer(text: str, outputs: Sequence[sp.Expr], inputs: Sequence[str],
                          constants: Sequence[str] = (), shorthands: Sequence[str] = ()) -> Verdict:
    """Compare a typed matrix with the Jacobian of ``outputs``, entry by entry.

    Parameters
    ----------
    text : str
        The learner's matrix, as :func:`parse_matrix` reads it.
    outputs : sequence of sympy.Expr
        The components f₁, …, fₘ.
    inputs : sequence of str
        The input variables, in column order.
    constants : sequence of str
        Other names the outputs use (weights and the like).
    shorthands : sequence of str
        Names the learner may write for the outputs themselves (``a1`` for f₁, …), one per output
        from the first; empty when the task offers none.

    Returns
    -------
    Verdict
        Correct when every entry agrees with ∂fᵢ/∂xⱼ (shorthands replaced by their outputs);
        otherwise which entries are off, or why the shape is wrong.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> check_jacobian_answer("2y, 2x; 2x y, x^2", [2*x*y, x**2*y], ("x", "y")).ok
    True
    """
    inputs, constants = tuple(inputs), tuple(constants)
    expected = jacobian(outputs, inputs)
    answer = parse_matrix(text, inputs, (*constants, *shorthands) or None)
    shape = (len(answer), len(answer[0]))
    if shape != expected.shape:
        rows, columns = expected.shape
        return Verdict(False, f"Your matrix is {shape[0]} × {shape[1]}; this Jacobian is {rows} × {columns}: one "
                              f"row per output, one column per input ({', then '.join(inputs)}).")
    by_output = dict(zip((sp.Symbol(name) for name in shorthands), outputs))
    names = (*inputs, *constants)
    wrong = [f"row {i + 1}, column {j + 1}" for i in range(shape[0]) for j in range(shape[1])
             if not expressions_agree(answer[i][j].xreplace(by_output), expected[i, j], names).ok]
    if wrong:
        return Verdict(False, f"Not yet: {', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} off. Entry (i, j) "
                              "is the derivative of output i with respect to input j.")
    return Verdict(True, "Correct, entry by entry.")
