"""Two-class points: reading them from text, writing them back, checking them, drawing random ones."""

from __future__ import annotations

import numpy as np

from calc_core.svm.separation import separation_lp, standardization

MAX_POINTS = 1000
"""Largest data set accepted (the dual pairs every +1 point with every −1 point)."""

MAX_COORDINATE = 1e6
"""Largest absolute coordinate accepted (squares of larger values lose the margin's digits)."""

MIN_GAP = 1e-9
"""Points of opposite classes closer than this would need a margin no solver can resolve."""

# Characters of a point's text quoted back in a message about it.
QUOTE_CHARS = 30


class SVMDataError(ValueError):
    """Points or labels that no support vector machine can be fitted to, in a learner's words."""


def format_point(p: np.ndarray) -> str:
    """A point as ``(x, y)`` with short numbers."""
    return "(" + ", ".join(f"{v:g}" for v in p) + ")"


def validate_points(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Check points and labels; return them as float arrays ``(n, d)`` and ``(n,)``.

    Raises
    ------
    SVMDataError
        No points, too many, missing, infinite or huge values, labels other than −1 and +1,
        only one class, or the same point in both classes.

    Examples
    --------
    >>> X, y = validate_points([[0, 0], [1, 2]], [-1, 1])
    >>> X.shape, y.tolist()
    ((2, 2), [-1.0, 1.0])
    """
    try:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise SVMDataError("Coordinates and classes must be numbers.") from exc
    if X.ndim == 1 and X.size == 0:
        X = X.reshape(0, 2)
    if X.ndim != 2 or y.ndim != 1:
        raise SVMDataError("Give the points as rows of coordinates and one class per point.")
    n = X.shape[0]
    if n == 0:
        raise SVMDataError("There are no points: add at least one point of each class.")
    if y.shape[0] != n:
        raise SVMDataError(f"There are {n} points but {y.shape[0]} class labels.")
    if n > MAX_POINTS:
        raise SVMDataError(f"There are {n} points; at most {MAX_POINTS} are allowed.")
    if X.shape[1] == 0:
        raise SVMDataError("The points have no coordinates.")
    bad = ~np.isfinite(X).all(axis=1)
    if bad.any():
        raise SVMDataError(f"Point {int(np.argmax(bad)) + 1} has a missing or infinite coordinate.")
    far = np.abs(X).max(axis=1) > MAX_COORDINATE
    if far.any():
        raise SVMDataError(
            f"Point {int(np.argmax(far)) + 1} is too far out: coordinates must be between "
            f"−{MAX_COORDINATE:.0e} and {MAX_COORDINATE:.0e}."
        )
    if not np.isfinite(y).all():
        raise SVMDataError(f"Point {int(np.argmax(~np.isfinite(y))) + 1} has no class.")
    wrong = (y != 1.0) & (y != -1.0)
    if wrong.any():
        i = int(np.argmax(wrong))
        raise SVMDataError(f"Classes must be −1 or +1; point {i + 1} has class {y[i]:g}.")
    if (y == y[0]).all():
        raise SVMDataError(
            f"Every point is in class {int(y[0]):+d}; a separating line needs at least one point of each class."
        )
    _, first, inverse = np.unique(X, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    for i in range(n):
        j = first[inverse[i]]
        if y[i] != y[j]:
            raise SVMDataError(
                f"Points {j + 1} and {i + 1} are both at {format_point(X[i])} but in different classes; "
                "one point cannot be in both."
            )
    positive, negative = np.flatnonzero(y > 0), np.flatnonzero(y < 0)
    gaps = np.linalg.norm(X[positive][:, None, :] - X[negative][None, :, :], axis=2)
    i, j = np.unravel_index(np.argmin(gaps), gaps.shape)
    if gaps[i, j] < MIN_GAP:
        raise SVMDataError(
            f"Points {positive[i] + 1} and {negative[j] + 1} are in different classes but only {gaps[i, j]:.1e} "
            f"apart (less than {MIN_GAP:g}); a line between them would need a margin too thin to compute. "
            "Move them apart."
        )
    return X, y


def parse_points_text(text: str, max_points: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Read points written as ``"x,y,class; x,y,class; …"`` (the page's URL form).

    Points are separated by semicolons or line breaks, the three fields by commas;
    the class is −1 or +1 (``-1``, ``+1``, ``1``). Only plain decimal numbers are
    read (``float`` on each field); nothing is evaluated.

    Raises
    ------
    SVMDataError
        A field that is not a number, a point without three fields, a class other
        than ±1, or more than ``max_points`` points. The message names the point.

    Examples
    --------
    >>> X, y = parse_points_text("0,0,-1; 1,2,1; 2,1,+1")
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [1.0, 2.0], [2.0, 1.0]], [-1.0, 1.0, 1.0])
    """
    chunks = [c.strip() for c in str(text).replace("\n", ";").split(";")]
    chunks = [c for c in chunks if c]
    if not chunks:
        raise SVMDataError("There are no points: add at least one point of each class.")
    if len(chunks) > max_points:
        raise SVMDataError(f"There are {len(chunks)} points; at most {max_points} are allowed here.")
    rows = []
    for i, chunk in enumerate(chunks, 1):
        fields = [f.strip() for f in chunk.split(",")]
        shown = chunk if len(chunk) <= QUOTE_CHARS else chunk[:QUOTE_CHARS] + "…"
        if len(fields) != 3:
            raise SVMDataError(f"Point {i} (“{shown}”) needs three values: x, y and class (−1 or +1).")
        values = []
        for name, field in zip(("x", "y", "class"), fields):
            try:
                value = float(field.replace("−", "-"))
            except ValueError:
                raise SVMDataError(f"Point {i}: the {name} value “{field[:20]}” is not a number.") from None
            if not np.isfinite(value):
                raise SVMDataError(f"Point {i}: the {name} value “{field[:20]}” is not a finite number.")
            values.append(value)
        if values[2] not in (-1.0, 1.0):
            raise SVMDataError(f"Point {i}: the class must be −1 or +1, not {values[2]:g}.")
        rows.append(values)
    data = np.array(rows)
    return data[:, :2], data[:, 2]


def format_points_text(X, y) -> str:
    """The inverse of :func:`parse_points_text`, with 6 significant digits per coordinate.

    Examples
    --------
    >>> format_points_text([[0, 0], [1, 2.5]], [-1, 1])
    '0,0,-1;1,2.5,1'
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    return ";".join(f"{p[0]:.6g},{p[1]:.6g},{int(c):d}" for p, c in zip(X, y))


def random_points(n: int = 20, separable: bool = True, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Random two-class points with two decimals, separable by a line or overlapping.

    Separable sets are labelled by a random line, with a strip of half-width 0.3 around
    it left empty; overlapping sets are two unit clouds whose centres are 1 apart, drawn
    again in the rare case that a line separates them. ``seed=None`` draws fresh entropy.

    Examples
    --------
    >>> X, y = random_points(20, separable=True, seed=1)
    >>> from calc_core.svm.hard_margin import fit_hard_margin
    >>> X.shape, bool(fit_hard_margin(X, y).separable)
    ((20, 2), True)
    """
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    angle = rng.uniform(0, 2 * np.pi)
    normal = np.array([np.cos(angle), np.sin(angle)])
    if separable:
        along = rng.uniform(-3, 3, size=n)
        across = y * rng.uniform(0.3, 2.5, size=n)
        X = np.outer(along, [-normal[1], normal[0]]) + np.outer(across, normal)
        return np.round(X, 2), y
    while True:
        X = np.round(rng.normal(size=(n, 2)) + 0.5 * y[:, None] * normal, 2)
        shift, scale = standardization(X)
        if not separation_lp((X - shift) / scale, y)[0]:
            return X, y
