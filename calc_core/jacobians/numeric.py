"""The Jacobian in numbers: central differences, and what a Jacobian at a point says.

Numeric helpers take ``f`` mapping an array whose first axis holds the inputs
to an array whose first axis holds the outputs: a 1-D point gives a 1-D value,
and an array of shape (n, k) of k points gives shape (m, k).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "SINGULAR_RTOL",
    "JacobianError",
    "JacobianSummary",
    "VectorFunction",
    "as_point",
    "evaluate_map",
    "numeric_jacobian",
    "stack_components",
    "summarize_jacobian",
]

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



def as_point(point: Sequence[float]) -> np.ndarray:
    """``point`` as a 1-D float array of finite coordinates; :class:`JacobianError` otherwise."""
    try:
        p = np.asarray(point, dtype=float).ravel()
    except (TypeError, ValueError):
        raise JacobianError("The point must be a list of numbers.") from None
    if p.size == 0 or not np.all(np.isfinite(p)):
        raise JacobianError("The point needs at least one coordinate, all finite numbers.")
    return p


def evaluate_map(f: VectorFunction, points: np.ndarray) -> np.ndarray:
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
    p = as_point(point)
    h = float(h)
    if not (np.isfinite(h) and h > 0):
        raise JacobianError("The step h must be a positive number, such as 1e-6.")
    centre = np.atleast_1d(evaluate_map(f, p)).ravel()
    columns = []
    for j in range(p.size):
        e = np.zeros_like(p)
        e[j] = h
        forward = np.atleast_1d(evaluate_map(f, p + e)).ravel()
        backward = np.atleast_1d(evaluate_map(f, p - e)).ravel()
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


def stack_components(components: Sequence[Callable[..., np.ndarray]],
                     constants: Sequence[float] = ()) -> VectorFunction:
    """Build a vector function from vectorised scalar components.

    Parameters
    ----------
    components : sequence of callable
        Each ``g(x1, ..., xn)`` vectorised over numpy arrays (for example from
        ``calc_core.expressions.to_function``), or ``g(x1, ..., xn, c1, ..., ck)`` when
        ``constants`` are given.
    constants : sequence of float
        Values passed after the inputs on every call (weights and the like), so a
        component compiled once serves every setting of its constants.

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
    >>> stack_components([lambda x, a: a * x], constants=(3.0,))(np.array([2.0])).tolist()
    [6.0]
    """
    funcs = tuple(components)
    extra = tuple(float(c) for c in constants)
    if not funcs:
        raise JacobianError("The vector function needs at least one component.")

    def f(points: np.ndarray) -> np.ndarray:
        points = np.asarray(points, dtype=float)
        shape = points.shape[1:]
        with np.errstate(all="ignore"):
            return np.stack([np.broadcast_to(np.asarray(g(*points, *extra), dtype=float), shape) for g in funcs])

    return f
