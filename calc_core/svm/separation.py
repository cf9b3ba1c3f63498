"""Whether a line separates two classes at all, found by linear programming, in unit-free coordinates."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

SEPARABILITY_TOL = 1e-9
"""Classes whose best separation is below this fraction of the data's extent count as touching."""


class SolverError(RuntimeError):
    """A solver failed on data that passed validation (a bug, not a learner's mistake)."""


def standardization(X: np.ndarray) -> tuple[np.ndarray, float]:
    """Centre and one scale factor putting the points at unit RMS distance from their mean.

    A line ``w'·x' + c' = 0`` in the coordinates ``x' = (x − shift) / scale`` is the line
    ``w = w'/scale``, ``c = c' − w·shift``; ‖w‖² only changes by the constant factor
    scale², so every problem here keeps its solution, and its multipliers scale by 1/scale².
    Solvers then see numbers near 1 whatever units the points are in.
    """
    shift = X.mean(axis=0)
    scale = float(np.sqrt(np.mean(np.sum((X - shift) ** 2, axis=1))))
    return shift, scale if scale > 0 else 1.0


def separation_lp(X: np.ndarray, y: np.ndarray) -> tuple[bool, float, np.ndarray, float, np.ndarray]:
    """Widest separation ``t`` with ``yᵢ (w·xᵢ + c) ≥ t`` and ``|wₖ| ≤ 1``, by linear programming.

    Returns ``(separable, t, w, c, weights)``: separable when t exceeds
    :data:`SEPARABILITY_TOL` times the points' extent; ``weights`` are the LP's dual
    values, a convex combination of the points that comes as close as possible to
    lying in both classes.
    """
    n, d = X.shape
    A = y[:, None] * np.hstack([X, np.ones((n, 1))])
    cost = np.zeros(d + 2)
    cost[-1] = -1.0
    res = linprog(
        cost,
        A_ub=np.hstack([-A, np.ones((n, 1))]),
        b_ub=np.zeros(n),
        bounds=[(-1.0, 1.0)] * d + [(None, None), (None, None)],
        method="highs",
    )
    if res.status != 0:
        raise SolverError(f"separation LP failed: {res.message}")
    t = -float(res.fun)
    separable = t > SEPARABILITY_TOL * float(np.ptp(X, axis=0).sum())
    return separable, t, res.x[:d], float(res.x[d]), -res.ineqlin.marginals
