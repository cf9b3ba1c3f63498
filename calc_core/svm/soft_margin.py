"""The soft margin: the widest margin when points may fall inside it or on the wrong side, at a price C."""

from __future__ import annotations

import numpy as np

from calc_core.svm.data import SVMDataError, validate_points
from calc_core.svm.hard_margin import SUPPORT_TOL
from calc_core.svm.kkt import KKT_TOL, kkt_check
from calc_core.svm.results import SOFT_MARGIN_FORM, SoftMarginResult
from calc_core.svm.separation import standardization

SLACK_TOL = 1e-9
"""A shortfall ``1 − yᵢ (w·xᵢ + c)`` below this is rounding, reported as ξᵢ = 0."""


def _newton_step(Z, y, alpha, room, z, v, r_d, r_p, r_z, r_v):
    """One Newton direction of :func:`_box_dual_ipm` for complementarity targets ``r_z``, ``r_v``.

    Eliminating Δz and Δv leaves ``(ZZᵀ + D) Δα + y Δc = r``, ``yᵀΔα = −r_p`` with
    ``D = z/α + v/(u − α)``; ``(ZZᵀ + D)⁻¹`` comes from the Sherman–Morrison–Woodbury
    formula with a d × d core, so the step costs O(n d²).
    """
    D = z / alpha + v / room
    r = -r_d + r_z / alpha - r_v / room
    ZD = Z / D[:, None]
    core = np.linalg.inv(np.eye(Z.shape[1]) + Z.T @ ZD)
    Mr = r / D - ZD @ (core @ (ZD.T @ r))
    My = y / D - ZD @ (core @ (ZD.T @ y))
    dc = (y @ Mr + r_p) / (y @ My)
    da = Mr - dc * My
    return da, dc, (r_z - z * da) / alpha, (r_v + v * da) / room


def _max_step(x: np.ndarray, dx: np.ndarray) -> float:
    """Largest t with x + t·dx ≥ 0."""
    neg = dx < 0
    return float(np.min(-x[neg] / dx[neg])) if neg.any() else np.inf


def _box_dual_ipm(Z: np.ndarray, y: np.ndarray, u: float, tol: float = 1e-12, max_iter: int = 100):
    """Primal–dual interior point (Mehrotra) for ``min ½‖Zᵀα‖² − Σα`` s.t. ``0 ≤ α ≤ u``, ``yᵀα = 0``.

    ``Z`` has rows ``yᵢ xᵢ``. Returns ``(α, c, iterations, converged)``; the multiplier of
    ``yᵀα = 0`` is the bias c. ``z`` and ``v`` are the multipliers of ``α ≥ 0`` and
    ``α ≤ u``: at the solution they are the margin excess and the slack ξ. If the tolerance
    is not met, the best iterate is returned with ``converged=False``.
    """
    n = Z.shape[0]
    alpha = np.full(n, 0.5 * u)
    # u − α is carried as its own variable: recomputing it loses every digit when α is near u.
    room = np.full(n, 0.5 * u)
    z = np.ones(n)
    v = np.ones(n)
    c = 0.0
    zz = float(np.max(np.sum(Z * Z, axis=1)))
    best = (np.inf, alpha, c)
    for it in range(max_iter + 1):
        r_d = Z @ (Z.T @ alpha) - 1.0 + c * y - z + v
        r_p = float(y @ alpha)
        mu = float(alpha @ z + room @ v) / (2 * n)
        size = 1.0 + float(np.max(alpha))
        # Rounding in Σ αᵢ zᵢ grows with the multipliers, so the residual test is relative to it.
        error = max(float(np.max(np.abs(r_d))) / (1.0 + float(alpha.sum()) * zz), abs(r_p) / size, mu / size)
        if error < best[0]:
            best = (error, alpha, c)
        if error <= tol:
            return alpha, c, it, True
        if it == max_iter:
            break
        # Predictor: the pure Newton step towards the solution (σ = 0).
        da, _, dz, dv = _newton_step(Z, y, alpha, room, z, v, r_d, r_p, -alpha * z, -room * v)
        step = min(1.0, _max_step(alpha, da), _max_step(room, -da), _max_step(z, dz), _max_step(v, dv))
        mu_aff = float((alpha + step * da) @ (z + step * dz) + (room - step * da) @ (v + step * dv)) / (2 * n)
        sigma = (mu_aff / mu) ** 3
        # Corrector: re-centre by σμ and cancel the predictor's second-order terms.
        da, dc, dz, dv = _newton_step(
            Z, y, alpha, room, z, v, r_d, r_p, sigma * mu - alpha * z - da * dz, sigma * mu - room * v + da * dv
        )
        step = min(1.0, 0.995 * min(_max_step(alpha, da), _max_step(room, -da), _max_step(z, dz), _max_step(v, dv)))
        alpha = alpha + step * da
        room = room - step * da
        c = c + step * dc
        z = z + step * dz
        v = v + step * dv
    return best[1], best[2], max_iter, False


def fit_soft_margin(X, y, C: float) -> SoftMarginResult:
    """Soft-margin line: the widest margin, paying C for each unit of slack.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Points.
    y : array_like, shape (n,)
        Classes, each −1 or +1.
    C : float
        Price per unit of slack, > 0. Large C approaches the hard margin.

    Returns
    -------
    SoftMarginResult
        ``w``, ``b``, the slack ``ξᵢ`` of every point, multipliers ``0 ≤ λᵢ ≤ C`` and the
        KKT check.

    Raises
    ------
    SVMDataError
        Invalid points, labels or C.

    Notes
    -----
    Primal, with the course's ``a² + b²`` and the hinge loss::

        minimise ‖w‖² + C Σ ξᵢ   subject to   yᵢ (w·xᵢ + c) ≥ 1 − ξᵢ,  ξᵢ ≥ 0,

    so ``ξᵢ = max(0, 1 − yᵢ (w·xᵢ + c))``. Its dual differs from the hard margin's only
    by the upper bound::

        maximise Σ λᵢ − ¼ ‖Σ λᵢ yᵢ xᵢ‖²   subject to   0 ≤ λᵢ ≤ C,  Σ λᵢ yᵢ = 0,

    with ``2w = Σ λᵢ yᵢ xᵢ``. λᵢ = 0 outside the margin, λᵢ = C where ξᵢ > 0. Dividing
    the objective by two gives scikit-learn's ``½‖w‖² + (C/2) Σ ξᵢ``: ``SVC(C=C/2)``
    finds the same line. The dual is solved by a primal–dual interior-point method on
    centred and scaled points, then mapped back; multipliers within a relative 1e-7 of 0
    or C are set to the bound, and slacks below 1e-9 to 0.

    Examples
    --------
    >>> r = fit_soft_margin([[0, 0], [1, 2], [2, 1], [1.5, 1.5]], [-1, 1, 1, -1], C=1.0)
    >>> bool(r.success), r.slack.round(3).tolist()
    (True, [0.0, 0.0, 0.0, 2.0])
    """
    X, y = validate_points(X, y)
    try:
        C = float(C)
    except (TypeError, ValueError) as exc:
        raise SVMDataError("C must be a number.") from exc
    if not np.isfinite(C) or C <= 0:
        raise SVMDataError("C must be a positive number.")

    shift, scale = standardization(X)
    Xs = (X - shift) / scale
    # In scaled coordinates ‖w‖² shrinks by scale², so the same problem has C·scale².
    alpha, c_s, iterations, _ = _box_dual_ipm(y[:, None] * Xs, y, 0.5 * C * scale**2)
    w = (alpha * y) @ Xs / scale
    b = float(c_s - w @ shift)
    # Interior-point iterates approach the bounds 0 and C without reaching them: snap the last digits.
    lam = 2.0 * alpha / scale**2
    lam = np.where(lam < SUPPORT_TOL * C, 0.0, np.where(lam > C * (1.0 - SUPPORT_TOL), C, lam))
    margin_values = y * (X @ w + b)
    slack = np.where(margin_values > 1.0 - SLACK_TOL, 0.0, 1.0 - margin_values)
    objective = float(w @ w + C * slack.sum())
    rebuilt = (lam * y) @ X
    dual_objective = float(lam.sum() - 0.25 * rebuilt @ rebuilt)
    support = np.flatnonzero(lam > SUPPORT_TOL * C)
    kkt = kkt_check(X, y, w, b, lam, C=C)
    success = kkt.passed
    norm_w = float(np.sqrt(w @ w))
    # Symmetric overlaps (XOR-like) can make w = 0 optimal: no line beats predicting nothing.
    margin = 2.0 / norm_w if norm_w > KKT_TOL * (1.0 + abs(b)) else float("inf")
    if not success:
        message = "The soft-margin solver did not reach an optimal solution for this C; try a value of C closer to 1."
    elif np.isinf(margin):
        message = (
            f"With C = {C:g} the cheapest choice is w = 0, no line at all: every point pays slack, "
            f"total hinge loss {slack.sum():.4g}."
        )
    else:
        inside = int(np.count_nonzero(slack > SLACK_TOL))
        wrong = int(np.count_nonzero(slack > 1.0))
        message = (
            f"Soft margin {margin:.4g} with C = {C:g}: {inside} point{'s' if inside != 1 else ''} "
            f"inside the margin or beyond it, {wrong} on the wrong side; total hinge loss {slack.sum():.4g}."
        )
    return SoftMarginResult(
        w=w,
        b=b,
        margin=margin,
        support_indices=support,
        multipliers=lam,
        objective=objective,
        success=success,
        message=message,
        objective_form=SOFT_MARGIN_FORM,
        C=C,
        slack=slack,
        hinge_loss=float(slack.sum()),
        dual_objective=dual_objective,
        iterations=iterations,
        kkt=kkt,
        margin_values=margin_values,
    )
