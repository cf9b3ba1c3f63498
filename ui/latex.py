"""The LaTeX that pages build from numbers and formulas: one way to write a number and a matrix.

Every matrix a page shows goes through :func:`bmatrix`, whose trailing thin space keeps the closing
bracket inside its display's box: without it the bracket overhangs by a pixel or two, and KaTeX's
display becomes a horizontally scrollable region that a keyboard cannot reach (see docs/ACCESSIBILITY.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

UNDEFINED = r"\text{undefined}"


def number(value: float, digits: int = 3, undefined: str = UNDEFINED) -> str:
    r"""``value`` to ``digits`` significant digits, a power of ten written ``\cdot 10^{n}``; ``undefined``
    when it is not finite.

    Examples
    --------
    >>> number(0.0000123456), number(-0.0), number(2.5e7, 6), number(float("nan"))
    ('1.23\\cdot 10^{-5}', '0', '2.5\\cdot 10^{7}', '\\text{undefined}')
    """
    if not np.isfinite(value):
        return undefined
    text = f"{float(value) + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0.0
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\cdot 10^{{{int(exponent)}}}"
    return text


def bmatrix(rows: Sequence[Sequence[str]]) -> str:
    r"""A matrix of LaTeX cells, row by row, in square brackets.

    Examples
    --------
    >>> bmatrix([["1", "2"], ["x", "y"]])
    '\\begin{bmatrix}1 & 2 \\\\ x & y\\end{bmatrix}\\,'
    """
    # The trailing thin space keeps the closing bracket inside its display's box (see the module's docstring).
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(row) for row in rows) + r"\end{bmatrix}\,"


def matrix(values, digits: int = 3, max_rows: int | None = None, max_cols: int | None = None,
           undefined: str = UNDEFINED) -> str:
    r"""A numeric matrix (a 1-D vector as a column) by :func:`number`, with dots past ``max_rows``/``max_cols``.

    Examples
    --------
    >>> matrix([[4, 2], [4, 1]])
    '\\begin{bmatrix}4 & 2 \\\\ 4 & 1\\end{bmatrix}\\,'
    >>> matrix(np.arange(3.0), max_rows=2).count(r"\vdots")
    1
    """
    M = np.asarray(values, dtype=float)
    M = M[:, None] if M.ndim == 1 else np.atleast_2d(M)
    n_rows, n_cols = M.shape
    shown_rows = range(n_rows if max_rows is None else min(n_rows, max_rows))
    shown_cols = range(n_cols if max_cols is None else min(n_cols, max_cols))
    cut_cols = len(shown_cols) < n_cols
    rows = [[number(M[r, c], digits, undefined) for c in shown_cols] + [r"\cdots"] * cut_cols for r in shown_rows]
    if len(shown_rows) < n_rows:
        rows.append([r"\vdots"] * (len(shown_cols) + cut_cols))
    return bmatrix(rows)
