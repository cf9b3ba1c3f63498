"""The Jacobian of a vector function: its derivative as a matrix.

For f: Rⁿ → Rᵐ the Jacobian J has one row per output and one column per
input, J[i, j] = ∂fᵢ/∂xⱼ. Near a point p, f(p + d) ≈ f(p) + J d: J is the best
linear approximation of f there, and for a square J, |det J| is how much f
scales small areas (or volumes) near p.

Numeric helpers take ``f`` mapping an array whose first axis holds the inputs
to an array whose first axis holds the outputs: a 1-D point gives a 1-D value,
and an array of shape (n, k) of k points gives shape (m, k).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from calc_core.expressions import parse_expression, to_function, with_real_symbols

__all__ = [
    "JacobianError",
    "JacobianSummary",
    "LinearMapPicture",
    "jacobian",
    "jacobian_at",
    "linear_map_picture",
    "numeric_jacobian",
    "parse_matrix",
    "stack_components",
    "summarize_jacobian",
]

MAX_MATRIX_SIDE = 6
"""Largest number of rows or columns accepted in a typed matrix."""

SINGULAR_RTOL = 1e-9
"""Smallest singular value / largest below which a Jacobian is called singular."""

VectorFunction = Callable[[np.ndarray], np.ndarray]


class JacobianError(ValueError):
    """Bad input to a Jacobian computation, with a message a learner can act on."""


@dataclass(frozen=True)
class JacobianSummary:
    """What a numeric Jacobian says about the map near a point.

    Attributes
    ----------
    shape : (int, int)
        (outputs, inputs).
    is_defined : bool
        False if any entry is NaN or infinite (f or a derivative undefined at the point).
    determinant : float or None
        det J for a square J (NaN if undefined); None when J is not square.
    rank : int or None
        Numerical rank; None when J is undefined.
    singular_values : tuple of float
        Singular values, largest first (empty when undefined).
    is_singular : bool
        Square J that is not invertible: it squashes some direction to nothing (numerically).
    is_full_rank : bool
        Rank equals min(outputs, inputs).
    """

    shape: tuple[int, int]
    is_defined: bool
    determinant: float | None
    rank: int | None
    singular_values: tuple[float, ...]
    is_singular: bool
    is_full_rank: bool


@dataclass(frozen=True)
class LinearMapPicture:
    """A grid around a point, its image under f and under f's linearization (2 → 2 maps).

    Attributes
    ----------
    point : ndarray, shape (2,)
        The point p.
    value : ndarray, shape (2,)
        f(p).
    jacobian : ndarray, shape (2, 2)
        J at p (central differences).
    domain : ndarray, shape (lines, samples, 2)
        Grid lines around p: the first half parallel to x, the second half parallel to y.
    image : ndarray, shape (lines, samples, 2)
        f applied to every grid point (NaN where f is undefined).
    linear : ndarray, shape (lines, samples, 2)
        f(p) + J (q − p) for every grid point q.
    determinant : float
        det J: the area scale of the linear map (negative if it flips orientation).
    area_ratio : float
        Signed area of the image of the grid's border divided by the grid's area; tends to det J
        as the grid shrinks. NaN where f is undefined on the border.
    """

    point: np.ndarray
    value: np.ndarray
    jacobian: np.ndarray
    domain: np.ndarray
    image: np.ndarray
    linear: np.ndarray
    determinant: float
    area_ratio: float


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
    p = _as_point(point)
    names = tuple(str(v) for v in variables)
    if p.size != len(names):
        raise JacobianError(f"The point needs {len(names)} coordinates, one per variable.")
    J = jacobian(exprs, names)
    values = np.array([[to_function(J[i, j], names)(*p) for j in range(J.cols)] for i in range(J.rows)],
                      dtype=float)
    undefined = [not np.isfinite(to_function(e, names)(*p)) for e in exprs]
    values[undefined] = np.nan
    return values


def _as_point(point: Sequence[float]) -> np.ndarray:
    try:
        p = np.asarray(point, dtype=float).ravel()
    except (TypeError, ValueError):
        raise JacobianError("The point must be a list of numbers.") from None
    if p.size == 0 or not np.all(np.isfinite(p)):
        raise JacobianError("The point needs at least one coordinate, all finite numbers.")
    return p


def _call(f: VectorFunction, points: np.ndarray) -> np.ndarray:
    """f at points (first axis = inputs) as floats; non-real or invalid values become NaN."""
    with np.errstate(all="ignore"):
        values = np.asarray(f(points))
    if np.iscomplexobj(values):
        values = np.where(np.abs(values.imag) > 0, np.nan, values.real)
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, np.nan)


def numeric_jacobian(f: VectorFunction, point: Sequence[float], h: float = 1e-6) -> np.ndarray:
    """Jacobian of f at a point by central differences.

    Parameters
    ----------
    f : callable
        Takes a 1-D array (the inputs) and returns a 1-D array (the outputs); a scalar
        output counts as one component.
    point : sequence of float
        The point p, length n.
    h : float
        Step h > 0 along each input axis.

    Returns
    -------
    ndarray, shape (m, n)
        Rows are outputs, columns are inputs; NaN where f is undefined at or near p.

    Notes
    -----
    Column j is (f(p + h eⱼ) − f(p − h eⱼ)) / (2h), whose error is O(h²) for
    smooth f (plus rounding of order ε·|f| / h).

    Examples
    --------
    >>> import numpy as np
    >>> J = numeric_jacobian(lambda v: np.array([2*v[0]*v[1], v[0]**2*v[1]]), [1.0, 2.0])
    >>> np.round(J, 6).tolist()
    [[4.0, 2.0], [4.0, 1.0]]
    """
    p = _as_point(point)
    h = float(h)
    if not (np.isfinite(h) and h > 0):
        raise JacobianError("The step h must be a positive number, such as 1e-6.")
    centre = np.atleast_1d(_call(f, p)).ravel()
    columns = []
    for j in range(p.size):
        e = np.zeros_like(p)
        e[j] = h
        forward = np.atleast_1d(_call(f, p + e)).ravel()
        backward = np.atleast_1d(_call(f, p - e)).ravel()
        columns.append((forward - backward) / (2 * h))
    J = np.column_stack(columns)
    # A quotient straddling a pole (y/x at x = 0) is finite but meaningless: an output that is
    # undefined at p has no derivative there.
    J[np.isnan(centre)] = np.nan
    return J


def summarize_jacobian(J: np.ndarray, rtol: float = SINGULAR_RTOL) -> JacobianSummary:
    """Determinant, rank and singularity of a numeric Jacobian.

    Parameters
    ----------
    J : array_like, shape (m, n)
        A Jacobian evaluated at a point.
    rtol : float
        Singular values below ``rtol`` times the largest count as zero.

    Returns
    -------
    JacobianSummary

    Notes
    -----
    With singular values σ₁ ≥ … ≥ σₖ, the rank is the number with σᵢ > rtol·σ₁
    (0 for the zero matrix). A square J is singular when its rank is below n;
    then det J = 0 and the map flattens some direction near the point.

    Examples
    --------
    >>> summarize_jacobian([[1.0, 2.0], [2.0, 4.0]]).is_singular
    True
    """
    J = np.atleast_2d(np.asarray(J, dtype=float))
    if J.ndim != 2:
        raise JacobianError("A Jacobian is a 2-D table of numbers.")
    m, n = J.shape
    square = m == n
    if not np.all(np.isfinite(J)):
        return JacobianSummary((m, n), False, float("nan") if square else None, None, (), False, False)
    sigma = np.linalg.svd(J, compute_uv=False)
    largest = float(sigma[0]) if sigma.size else 0.0
    rank = int(np.sum(sigma > rtol * largest)) if largest > 0 else 0
    determinant = float(np.linalg.det(J)) if square else None
    full = rank == min(m, n)
    return JacobianSummary(
        shape=(m, n),
        is_defined=True,
        determinant=determinant,
        rank=rank,
        singular_values=tuple(float(s) for s in sigma),
        is_singular=square and not full,
        is_full_rank=full,
    )


def stack_components(components: Sequence[Callable[..., np.ndarray]]) -> VectorFunction:
    """Build a vector function from vectorised scalar components.

    Parameters
    ----------
    components : sequence of callable
        Each ``g(x1, ..., xn)`` vectorised over numpy arrays (for example from
        ``calc_core.expressions.to_function``).

    Returns
    -------
    callable
        ``f(points)`` with the inputs on the first axis, returning the outputs on the first axis;
        constant components are broadcast to the points' shape.

    Notes
    -----
    f(p) = (g₁(p), …, gₘ(p)).

    Examples
    --------
    >>> import numpy as np
    >>> f = stack_components([lambda x, y: x * y, lambda x, y: 3.0])
    >>> f(np.array([2.0, 5.0])).tolist()
    [10.0, 3.0]
    """
    funcs = tuple(components)
    if not funcs:
        raise JacobianError("The vector function needs at least one component.")

    def f(points: np.ndarray) -> np.ndarray:
        points = np.asarray(points, dtype=float)
        shape = points.shape[1:]
        with np.errstate(all="ignore"):
            return np.stack([np.broadcast_to(np.asarray(g(*points), dtype=float), shape) for g in funcs])

    return f


def _signed_area(loop: np.ndarray) -> float:
    """Shoelace area of a closed polygon given as (k, 2) vertices."""
    x, y = loop[:, 0], loop[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def linear_map_picture(
    f: VectorFunction,
    point: Sequence[float],
    radius: float = 0.5,
    lines: int = 5,
    samples: int = 25,
    h: float = 1e-6,
) -> LinearMapPicture:
    """Grid around a point and its images under f and under the linearization of f.

    Parameters
    ----------
    f : callable
        A map R² → R²: takes an array of shape (2, ...) and returns shape (2, ...).
    point : (float, float)
        Centre p of the grid.
    radius : float
        Half-width of the square grid [x0 − r, x0 + r] × [y0 − r, y0 + r].
    lines : int
        Grid lines in each direction (2 to 21).
    samples : int
        Points along each grid line (2 to 200).
    h : float
        Step for the central-difference Jacobian.

    Returns
    -------
    LinearMapPicture

    Notes
    -----
    The linearization is L(q) = f(p) + J(p)(q − p). The image of a small square
    of area A under L is a parallelogram of signed area det J · A, and the image
    under f approaches it as the square shrinks.

    Examples
    --------
    >>> import numpy as np
    >>> pic = linear_map_picture(lambda v: np.stack([2 * v[0], 3 * v[1]]), (0, 0), radius=0.1)
    >>> round(pic.determinant, 6), round(pic.area_ratio, 6)
    (6.0, 6.0)
    """
    p = _as_point(point)
    if p.size != 2:
        raise JacobianError("The grid picture is for maps of two variables.")
    radius = float(radius)
    if not (np.isfinite(radius) and radius > 0):
        raise JacobianError("The grid radius must be a positive number.")
    if not (2 <= int(lines) <= 21 and 2 <= int(samples) <= 200):
        raise JacobianError("Use 2 to 21 grid lines with 2 to 200 samples each.")
    offsets = np.linspace(-radius, radius, int(lines))
    along = np.linspace(-radius, radius, int(samples))
    horizontal = np.stack(np.broadcast_arrays(along[None, :], offsets[:, None]), axis=-1)
    vertical = np.stack(np.broadcast_arrays(offsets[:, None], along[None, :]), axis=-1)
    domain = np.concatenate([horizontal, vertical]) + p

    value = np.atleast_1d(_call(f, p)).ravel()
    if value.size != 2:
        raise JacobianError("The grid picture needs a map with two outputs.")
    J = numeric_jacobian(f, p, h=h)
    points = np.moveaxis(domain, -1, 0)
    image = np.moveaxis(_call(f, points), 0, -1)
    linear = value + (domain - p) @ J.T

    border = np.concatenate([along, np.full_like(along, radius), along[::-1], np.full_like(along, -radius)])
    other = np.concatenate([np.full_like(along, -radius), along, np.full_like(along, radius), along[::-1]])
    loop = np.stack([border, other]) + p[:, None]
    mapped = np.moveaxis(_call(f, loop), 0, -1)
    area = _signed_area(mapped) if np.all(np.isfinite(mapped)) else float("nan")
    area_ratio = area / (2 * radius) ** 2
    determinant = float(np.linalg.det(J)) if np.all(np.isfinite(J)) else float("nan")
    return LinearMapPicture(p, value, J, domain, image, linear, determinant, area_ratio)


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
