"""The gradient as formulas: ∇f = (∂f/∂x, ∂f/∂y), and the form a lesson page shows.

Differentiating a large typed tree, printing the result and compiling it all
grow with the tree, so :func:`gradient_formula` (run in the killable worker by
the page) returns the formula only within the caps of :mod:`calc_core.limits`;
beyond them the page falls back to central differences of f
(:func:`calc_core.gradients.sampling.central_difference_gradient`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from calc_core.expressions import with_real_symbols
from calc_core.gradients.evaluation import GradientError
from calc_core.limits import MAX_COMPILE_NODES, MAX_LATEX_CHARS

__all__ = ["GradientFormula", "exceeds_nodes", "formula_latex", "gradient", "gradient_formula"]


def _symbols(variables: Sequence[str | sp.Symbol]) -> tuple[sp.Symbol, ...]:
    if isinstance(variables, (str, sp.Symbol)):
        variables = (variables,)
    symbols = tuple(v if isinstance(v, sp.Symbol) else sp.Symbol(str(v)) for v in variables)
    if not symbols:
        raise GradientError("Name at least one variable to differentiate with respect to.")
    if len(set(symbols)) != len(symbols):
        raise GradientError("Each variable may appear only once.")
    return symbols


def gradient(expr: sp.Expr, variables: Sequence[str] = ("x", "y")) -> tuple[sp.Expr, ...]:
    """Symbolic gradient: the partial derivative of ``expr`` in each variable.

    Parameters
    ----------
    expr : sympy.Expr
        The function f.
    variables : sequence of str
        Variable names, in the order of the gradient's components.

    Returns
    -------
    tuple of sympy.Expr
        (∂f/∂v₁, ∂f/∂v₂, …). Symbols not listed are treated as constants; all symbols are
        taken as real (so the derivative of |x| is sign(x)).

    Notes
    -----
    ∇f = (∂f/∂x, ∂f/∂y); each partial derivative treats the other variables
    as constants.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> gradient(x**2 + y**3)
    (2*x, 3*y**2)
    """
    symbols = _symbols(variables)
    # Real symbols keep d|x|/dx = sign(x) instead of sympy's complex re/im form.
    names = [str(s) for s in symbols] + sorted({str(s) for s in expr.free_symbols} - {str(s) for s in symbols})
    return with_real_symbols(expr, names, lambda e, *real: tuple(sp.diff(e, r) for r in real[: len(symbols)]))


def exceeds_nodes(exprs: Sequence[sp.Basic], limit: int) -> bool:
    """Whether the trees of ``exprs`` hold more than ``limit`` nodes together (stops counting there)."""
    count = 0
    for expr in exprs:
        for _ in sp.preorder_traversal(expr):
            count += 1
            if count > limit:
                return True
    return False


def formula_latex(expr: sp.Basic, max_chars: int | None = None, **settings) -> str:
    """LaTeX of a derived formula, or "" when it is longer than ``max_chars`` or cannot be printed.

    ``max_chars`` defaults to ``MAX_LATEX_CHARS``. Printing is skipped outright for
    trees with more nodes than characters allowed (each node prints at least one
    character), so a huge tree costs nothing here.
    """
    max_chars = MAX_LATEX_CHARS if max_chars is None else max_chars
    if exceeds_nodes([expr], max_chars):
        return ""
    try:
        text = sp.latex(expr, **settings)
    except (ValueError, OverflowError, RecursionError):
        # sympy refuses to print integers of more than 4 300 digits; such a formula is not readable anyway.
        return ""
    return text if len(text) <= max_chars else ""


@dataclass(frozen=True)
class GradientFormula:
    """∇f as a page shows it.

    Attributes
    ----------
    components : tuple of sympy.Expr, or None
        (∂f/∂x, ∂f/∂y); None when together they exceed ``MAX_COMPILE_NODES`` nodes (too large to
        compile in the server process: use central differences of f instead).
    latex : str
        The components in LaTeX, separated by ``,\\ ``; "" when too long to show.
    """

    components: tuple[sp.Expr, ...] | None
    latex: str


def gradient_formula(expr: sp.Expr, variables: Sequence[str] = ("x", "y")) -> GradientFormula:
    """The gradient with its LaTeX, each within the size caps (run it under a time budget).

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> gradient_formula(x**2 + y**3).latex
    '2 x,\\\\ 3 y^{2}'
    """
    components = gradient(expr, variables)
    if exceeds_nodes(components, MAX_COMPILE_NODES):
        return GradientFormula(None, "")
    latex = [formula_latex(c) for c in components]
    shown = ",\\ ".join(latex) if all(latex) else ""
    return GradientFormula(components, shown if len(shown) <= MAX_LATEX_CHARS else "")
