"""The Jacobian as formulas: J[i, j] = ∂fᵢ/∂xⱼ, its determinant, and the form a lesson page shows.

For f: Rⁿ → Rᵐ the Jacobian J has one row per output and one column per
input. Near a point p, f(p + d) ≈ f(p) + J d: J is the best linear
approximation of f there, and for a square J, |det J| is how much f scales
small areas (or volumes) near p.

Differentiating, printing and compiling grow with the typed trees, and a
determinant of towers grows far faster, so a page runs :func:`jacobian_formula`
and :func:`determinant_latex` under a time budget, and both stay within the size
caps of :mod:`calc_core.limits`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from calc_core.expressions import to_function, with_real_symbols
from calc_core.gradients.symbolic import exceeds_nodes, formula_latex
from calc_core.jacobians.numeric import JacobianError, as_point
from calc_core.limits import MAX_COMPILE_NODES, MAX_LATEX_CHARS

__all__ = [
    "JacobianFormula",
    "determinant_latex",
    "jacobian",
    "jacobian_at",
    "jacobian_formula",
    "entries_latex",
    "jacobian_function",
]


def jacobian(exprs: Sequence[sp.Expr], variables: Sequence[str]) -> sp.Matrix:
    """Symbolic Jacobian matrix: rows are outputs, columns are inputs.

    Parameters
    ----------
    exprs : sequence of sympy.Expr
        The components f₁, …, fₘ.
    variables : sequence of str
        Input variable names x₁, …, xₙ (other symbols are constants).

    Returns
    -------
    sympy.Matrix, shape (m, n)

    Notes
    -----
    J[i, j] = ∂fᵢ/∂xⱼ. All symbols are taken as real, so the derivative of |x| is sign(x).

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> jacobian([2*x*y, x**2*y], ("x", "y"))
    Matrix([
    [  2*y,  2*x],
    [2*x*y, x**2]])
    """
    components = list(exprs)
    if not components:
        raise JacobianError("The vector function needs at least one component.")
    if isinstance(variables, (str, sp.Symbol)):
        variables = (variables,)
    symbols = [v if isinstance(v, sp.Symbol) else sp.Symbol(str(v)) for v in variables]
    if not symbols:
        raise JacobianError("Name at least one input variable.")
    if len(set(symbols)) != len(symbols):
        raise JacobianError("Each input variable may appear only once.")
    names = [str(s) for s in symbols]
    matrix = sp.Matrix(components)
    others = sorted({str(s) for s in matrix.free_symbols} - set(names))
    n = len(names)

    def differentiate(matrix: sp.Matrix, *real: sp.Symbol) -> sp.Matrix:
        return matrix.jacobian(real[:n])

    # Real symbols keep d|x|/dx = sign(x) instead of sympy's complex re/im form.
    return with_real_symbols(matrix, names + others, differentiate)


def jacobian_at(exprs: Sequence[sp.Expr], variables: Sequence[str], point: Sequence[float]) -> np.ndarray:
    """The symbolic Jacobian evaluated at a point; a row is NaN where its component is undefined.

    Parameters
    ----------
    exprs : sequence of sympy.Expr
        The components f₁, …, fₘ (only the listed variables may appear).
    variables : sequence of str
        Input variable names.
    point : sequence of float
        The point p, one coordinate per variable.

    Returns
    -------
    ndarray, shape (m, n)

    Notes
    -----
    J[i, j](p) = ∂fᵢ/∂xⱼ evaluated at p. The formula for a derivative can have a value
    where the function has none (d/dx log x = 1/x at x = −1); such rows are NaN.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> jacobian_at([2*x*y, sp.log(x)], ("x", "y"), (-1.0, 2.0)).tolist()
    [[4.0, -2.0], [nan, nan]]
    """
    names = tuple(str(v) for v in variables)
    return jacobian_function(jacobian(exprs, names), exprs, names)(point)


def jacobian_function(matrix: sp.Matrix | Sequence[Sequence[sp.Expr]], exprs: Sequence[sp.Expr],
                      arguments: Sequence[str]) -> Callable[[Sequence[float]], np.ndarray]:
    """Compile a symbolic Jacobian once; the result evaluates it at a point.

    Parameters
    ----------
    matrix : sympy.Matrix or rows of sympy.Expr
        J, as :func:`jacobian` returns it.
    exprs : sequence of sympy.Expr
        The components f₁, …, fₘ (a row of J is undefined where its component is).
    arguments : sequence of str
        The inputs, then any constants: the returned function takes their values in this order.

    Returns
    -------
    callable
        ``J_at(values) -> ndarray (m, n)``; a row is NaN where its component is undefined.

    Examples
    --------
    >>> import sympy as sp
    >>> x, a = sp.symbols("x a")
    >>> J_at = jacobian_function(jacobian([a * x**2], ("x",)), [a * x**2], ("x", "a"))
    >>> J_at((3.0, 2.0)).tolist()
    [[12.0]]
    """
    rows = [list(row) for row in (matrix.tolist() if isinstance(matrix, sp.MatrixBase) else matrix)]
    names = tuple(str(a) for a in arguments)
    entries = [[to_function(e, names) for e in row] for row in rows]
    components = [to_function(e, names) for e in exprs]

    def J_at(values: Sequence[float]) -> np.ndarray:
        p = as_point(values)
        if p.size != len(names):
            raise JacobianError(f"The point needs {len(names)} coordinates, one per variable.")
        J = np.array([[f(*p) for f in row] for row in entries], dtype=float).reshape(len(rows), -1)
        J[[not np.isfinite(g(*p)) for g in components]] = np.nan
        return J

    return J_at


def entries_latex(matrix: sp.Matrix, max_chars: int | None = None) -> tuple[tuple[str, ...], ...]:
    """The LaTeX of each entry of a sympy matrix, row by row; ``()`` when together they are longer than
    ``max_chars`` (``MAX_LATEX_CHARS``) or one cannot be printed. A page sets them as a matrix
    (``ui.latex.bmatrix``), as it does every matrix it shows.

    Examples
    --------
    >>> x, y = sp.symbols("x y")
    >>> entries_latex(sp.Matrix([[2*x*y, x**2]]))
    (('2 x y', 'x^{2}'),)
    >>> entries_latex(sp.Matrix([[x**2, y**2]]), max_chars=6)
    ()
    """
    left = MAX_LATEX_CHARS if max_chars is None else max_chars
    rows = []
    for i in range(matrix.rows):
        row = []
        for j in range(matrix.cols):
            text = formula_latex(matrix[i, j], max_chars=left)
            if not text:
                return ()
            left -= len(text) + 3  # and the " & " or " \\ " after it
            row.append(text)
        rows.append(tuple(row))
    return tuple(rows)


@dataclass(frozen=True)
class JacobianFormula:
    """J as a page shows it.

    Attributes
    ----------
    matrix : sympy.Matrix or None
        J; None when its entries exceed ``MAX_COMPILE_NODES`` nodes together (too large to compile
        or to take a determinant of: use central differences instead).
    entries : tuple of tuple of str
        The LaTeX of J's entries, row by row; ``()`` when too long to show.
    shape : (int, int)
        (outputs, inputs).
    """

    matrix: sp.Matrix | None
    entries: tuple[tuple[str, ...], ...]
    shape: tuple[int, int]

    @property
    def is_square(self) -> bool:
        """Whether J has a determinant."""
        return self.shape[0] == self.shape[1]


def jacobian_formula(exprs: Sequence[sp.Expr], variables: Sequence[str]) -> JacobianFormula:
    """The Jacobian with its LaTeX, each within the size caps (run it under a time budget).

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> formula = jacobian_formula([2*x*y, x**2*y], ("x", "y"))
    >>> formula.shape, formula.entries[1]
    ((2, 2), ('2 x y', 'x^{2}'))
    """
    J = jacobian(exprs, variables)
    if exceeds_nodes(list(J), MAX_COMPILE_NODES):
        return JacobianFormula(None, (), J.shape)
    return JacobianFormula(J, entries_latex(J), J.shape)


def determinant_latex(matrix: sp.Matrix, simplify: bool = False) -> str:
    """det J in LaTeX (simplified when asked); "" when too long to show (run it under a time budget).

    Notes
    -----
    Berkowitz's division-free algorithm: with symbolic entries it avoids the
    huge intermediate fractions that elimination builds.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> determinant_latex(sp.Matrix([[2*y, 2*x], [2*x*y, x**2]]))
    '- 2 x^{2} y'
    """
    det = matrix.det(method="berkowitz")
    if simplify and not exceeds_nodes([det], MAX_COMPILE_NODES):
        det = sp.simplify(det)
    return formula_latex(det)
