"""scikit-learn's linear SVC on the same points: an independent reference for the line found here."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import SVC

from calc_core.limits import SVC_MAX_ITER
from calc_core.svm.data import validate_points
from calc_core.svm.separation import standardization

SVC_TOL = 1e-8
"""libsvm's stopping tolerance: tight, so its line agrees with ours to many digits."""

HARD_REFERENCE_C = 1e6
"""The C with which SVC stands in for the hard margin on unit-scaled points."""


@dataclass(frozen=True)
class ReferenceLine:
    """scikit-learn's line ``w·x + c = 0`` for the same points.

    Attributes
    ----------
    w : ndarray, shape (d,)
    b : float
        The bias c.
    converged : bool
        False when libsvm stopped at its iteration cap (:data:`calc_core.limits.SVC_MAX_ITER`).
    """

    w: np.ndarray
    b: float
    converged: bool


def reference_line(X, y, C: float) -> ReferenceLine:
    """Fit ``SVC(kernel="linear", C=C)``, which minimises ½‖w‖² + C Σ ξᵢ, once, with a bounded iteration count.

    The points are centred and scaled to unit size first, as :func:`fit_hard_margin`
    does, so the iteration cap means the same whatever their units; ‖w‖² scales by
    the square of that size, so C is scaled with it and the line mapped back.

    Examples
    --------
    >>> r = reference_line([[0, 0], [1, 2], [2, 1]], [-1, 1, 1], C=HARD_REFERENCE_C)
    >>> [round(float(v), 3) for v in (*r.w, r.b)], r.converged
    ([0.667, 0.667, -1.0], True)
    """
    X, y = validate_points(X, y)
    shift, scale = standardization(X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model = SVC(kernel="linear", C=C * scale**2, tol=SVC_TOL, max_iter=SVC_MAX_ITER).fit((X - shift) / scale, y)
    w = model.coef_[0] / scale
    b = float(model.intercept_[0] - w @ shift)
    converged = not any(issubclass(w_.category, ConvergenceWarning) for w_ in caught)
    return ReferenceLine(w, b, converged)
