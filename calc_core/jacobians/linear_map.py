"""The Jacobian as a linear map: a grid around a point, its image under f and under f's linearization."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from calc_core.jacobians.numeric import JacobianError, VectorFunction, as_point, evaluate_map, numeric_jacobian

__all__ = ["LinearMapPicture", "linear_map_picture"]

#: Grid lines per direction, and samples along each line, that a picture may have.
MAX_GRID_LINES = 21
MAX_LINE_SAMPLES = 200


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
    p = as_point(point)
    if p.size != 2:
        raise JacobianError("The grid picture is for maps of two variables.")
    radius = float(radius)
    if not (np.isfinite(radius) and radius > 0):
        raise JacobianError("The grid radius must be a positive number.")
    if not (2 <= int(lines) <= MAX_GRID_LINES and 2 <= int(samples) <= MAX_LINE_SAMPLES):
        raise JacobianError(f"Use 2 to {MAX_GRID_LINES} grid lines with 2 to {MAX_LINE_SAMPLES} samples each.")
    offsets = np.linspace(-radius, radius, int(lines))
    along = np.linspace(-radius, radius, int(samples))
    horizontal = np.stack(np.broadcast_arrays(along[None, :], offsets[:, None]), axis=-1)
    vertical = np.stack(np.broadcast_arrays(offsets[:, None], along[None, :]), axis=-1)
    domain = np.concatenate([horizontal, vertical]) + p

    value = np.atleast_1d(evaluate_map(f, p)).ravel()
    if value.size != 2:
        raise JacobianError("The grid picture needs a map with two outputs.")
    J = numeric_jacobian(f, p, h=h)
    points = np.moveaxis(domain, -1, 0)
    image = np.moveaxis(evaluate_map(f, points), 0, -1)
    linear = value + (domain - p) @ J.T

    border = np.concatenate([along, np.full_like(along, radius), along[::-1], np.full_like(along, -radius)])
    other = np.concatenate([np.full_like(along, -radius), along, np.full_like(along, radius), along[::-1]])
    loop = np.stack([border, other]) + p[:, None]
    mapped = np.moveaxis(evaluate_map(f, loop), 0, -1)
    area = _signed_area(mapped) if np.all(np.isfinite(mapped)) else float("nan")
    area_ratio = area / (2 * radius) ** 2
    determinant = float(np.linalg.det(J)) if np.all(np.isfinite(J)) else float("nan")
    return LinearMapPicture(p, value, J, domain, image, linear, determinant, area_ratio)
