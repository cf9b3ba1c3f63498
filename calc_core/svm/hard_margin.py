"""The hard margin: the widest line between separable classes, by the primal and by the dual.

The course minimises ``a² + b² = ‖w‖²`` (not the ``½‖w‖²`` of most textbooks and
of scikit-learn); the minimiser is the same line, only the objective value and
the Lagrange multipliers differ by a factor of two. The primal is solved as the
course poses it, with SciPy's SLSQP; the dual, one multiplier λᵢ ≥ 0 per point,
as a non-negative least squares problem; then the two are checked against each
other and against the KKT conditions.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize, nnls

from calc_core.svm.data import format_point, validate_points
from calc_core.svm.kkt import KKT_TOL, kkt_check
from calc_core.svm.results import HARD_MARGIN_FORM, HardMarginResult
from calc_core.svm.separation import separation_lp, standardization

SUPPORT_TOL = 1e-7
"""A multiplier counts as positive above this fraction of the largest one (soft margin: of C)."""

# SLSQP's stopping tolerance on the (unit-scaled) objective, and its iteration cap.
SLSQP_FTOL = 1e-14
SLSQP_MAX_ITER = 500
# NNLS iterations per column of its matrix.
NNLS_ITER_PER_COLUMN = 50


def primal_slsqp(X: np.ndarray, y: np.ndarray, start: np.ndarray):
    """The course's primal: minimise a² + b² subject to yᵢ (a xᵢ + b yᵢ + c) ≥ 1, by SLSQP.

    ``start`` must be feasible. The objective is divided by its value there, a constant, so
    SLSQP's stopping test sees numbers near 1 even for a very thin margin (huge ‖w‖).
    """
    n, d = X.shape
    A = y[:, None] * np.hstack([X, np.ones((n, 1))])
    on_w = np.r_[np.ones(d), 0.0]
    unit = 1.0 / float(np.sum(on_w * start * start))
    return minimize(
        lambda t: unit * float(np.sum(on_w * t * t)),
        start,
        jac=lambda t: 2.0 * unit * on_w * t,
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda t: A @ t - 1.0, "jac": lambda t: A}],
        options={"ftol": SLSQP_FTOL, "maxiter": SLSQP_MAX_ITER},
    )


def dual_nnls(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    """Hard-margin dual through its least-distance form; returns ``(w, c, λ)``.

    Subtracting the constraint of each −1 point j from that of each +1 point i
    removes c: ``w·(xᵢ − xⱼ) ≥ 2``. Minimising ‖w‖ under ``G w ≥ h`` is a
    least-distance problem, solved by non-negative least squares on
    ``E = [Gᵀ; hᵀ]``, ``f = (0, …, 0, 1)`` (Lawson & Hanson 1974, ch. 23): with
    ``r = E u − f``, ``w = −r[:d] / r[d]`` and the pair multipliers are
    ``μ = 2u / (1 − hᵀu)``. Each point's λ is the sum of the multipliers of its pairs,
    then :func:`_refine_on_support` restores the digits a thin margin costs.
    """
    d = X.shape[1]
    pos, neg = np.flatnonzero(y > 0), np.flatnonzero(y < 0)
    G = (X[pos][:, None, :] - X[neg][None, :, :]).reshape(-1, d)
    h = np.full(G.shape[0], 2.0)
    E = np.vstack([G.T, h])
    f = np.zeros(d + 1)
    f[-1] = 1.0
    u, _ = nnls(E, f, maxiter=NNLS_ITER_PER_COLUMN * E.shape[1])
    r = E @ u - f
    mu = (2.0 * u / (1.0 - h @ u)).reshape(pos.size, neg.size)
    lam = np.zeros(y.size)
    lam[pos] = mu.sum(axis=1)
    lam[neg] = mu.sum(axis=0)
    return _refine_on_support(X, y, -r[:d] / r[d], lam)


def _refine_on_support(X: np.ndarray, y: np.ndarray, w: np.ndarray, lam: np.ndarray):
    """Re-solve the KKT equations exactly on the points with λᵢ > 0; returns ``(w, c, λ)``.

    For a thin margin, ``1 − hᵀu`` above is a small difference and loses digits. With the
    support set S known, ``2w = Σ_S λᵢ yᵢ xᵢ``, ``Σ_S λᵢ yᵢ = 0`` and ``yᵢ (w·xᵢ + c) = 1`` on S
    form a square linear system; its solution is kept when every λᵢ stays ≥ 0.
    """
    d = X.shape[1]
    S = np.flatnonzero(lam > 0)
    k = S.size
    Z = y[S, None] * X[S]
    K = np.zeros((d + 1 + k, d + 1 + k))
    K[:d, :d] = 2.0 * np.eye(d)
    K[:d, d + 1 :] = -Z.T
    K[d, d + 1 :] = y[S]
    K[d + 1 :, :d] = Z
    K[d + 1 :, d] = y[S]
    rhs = np.r_[np.zeros(d + 1), np.ones(k)]
    sol = np.linalg.lstsq(K, rhs, rcond=None)[0]
    if np.all(sol[d + 1 :] >= 0):
        lam = np.zeros(y.size)
        lam[S] = sol[d + 1 :]
        return sol[:d], float(sol[d]), lam
    scores = X @ w
    return w, -0.5 * float(scores[y > 0].min() + scores[y < 0].max()), lam


def _not_separable(X: np.ndarray, y: np.ndarray, weights: np.ndarray) -> HardMarginResult:
    d = X.shape[1]
    pos = y > 0
    wp, wn = weights[pos].sum(), weights[~pos].sum()
    overlap = None
    message = (
        "No straight line separates the two classes: the region spanned by the +1 points "
        "overlaps the region spanned by the −1 points, so any line leaves some point on the wrong side. "
        "The hard-margin problem has no solution; a soft margin allows some points inside the margin "
        "or on the wrong side, at a price C for each unit of slack."
    )
    if wp > 0 and wn > 0:
        overlap = (weights[pos] @ X[pos]) / wp
        message = (
            f"No straight line separates the two classes: the point {format_point(np.round(overlap, 3))} is an average "
            "of +1 points and also of −1 points, so it would have to lie on both sides of the line. "
            "The hard-margin problem has no solution; a soft margin allows some points inside the margin "
            "or on the wrong side, at a price C for each unit of slack."
        )
    nan = float("nan")
    return HardMarginResult(
        w=np.full(d, nan),
        b=nan,
        margin=nan,
        support_indices=np.array([], dtype=int),
        multipliers=np.full(y.size, nan),
        objective=nan,
        success=False,
        message=message,
        objective_form=HARD_MARGIN_FORM,
        separable=False,
        dual_w=np.full(d, nan),
        dual_b=nan,
        dual_objective=nan,
        primal_iterations=0,
        kkt=None,
        overlap_point=overlap,
        margin_values=np.full(y.size, nan),
    )


def fit_hard_margin(X, y) -> HardMarginResult:
    """Widest-margin line between two classes, by the primal and by the dual.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Points (the course's (x, y) pairs have d = 2).
    y : array_like, shape (n,)
        Classes, each −1 or +1.

    Returns
    -------
    HardMarginResult
        ``w``, ``b`` from the primal (SLSQP, as in the course), ``multipliers`` from the
        dual, the KKT check of the three together, and ``success`` with a message.
        Data that no line separates gives ``success=False``, ``separable=False`` and NaN
        figures, with the reason in ``message``.

    Raises
    ------
    SVMDataError
        Invalid points or labels (see :func:`validate_points`).

    Notes
    -----
    Primal (the course's objective ``a² + b² = ‖w‖²``)::

        minimise ‖w‖²   subject to   yᵢ (w·xᵢ + c) ≥ 1,  i = 1..n.

    Lagrangian ``L = ‖w‖² − Σ λᵢ (yᵢ (w·xᵢ + c) − 1)`` with λᵢ ≥ 0 (the course writes
    the terms with a plus sign, which would make the multipliers negative).
    ``∂L/∂w = 0`` gives ``2w = Σ λᵢ yᵢ xᵢ``, ``∂L/∂c = 0`` gives ``Σ λᵢ yᵢ = 0``, and
    the dual is::

        maximise Σ λᵢ − ¼ ‖Σ λᵢ yᵢ xᵢ‖²   subject to   λᵢ ≥ 0,  Σ λᵢ yᵢ = 0.

    At the solution both objectives are equal and λᵢ > 0 only for points on the
    margin, the support vectors. With ½‖w‖² instead, every λᵢ halves.

    Separability is decided first by the linear program ``max t`` subject to
    ``yᵢ (w·xᵢ + c) ≥ t``, ``|wₖ| ≤ 1``; the classes are separable exactly when
    ``t > 0``. Its solution, scaled to ``t = 1``, is a feasible start for SLSQP.
    All three problems are solved on centred points scaled to unit size, which is
    the same problem in other units, and mapped back.

    Examples
    --------
    >>> r = fit_hard_margin([[0, 0], [1, 2], [2, 1]], [-1, 1, 1])
    >>> round(r.objective, 4), [round(v, 3) for v in r.abc]
    (0.8889, [0.667, 0.667, -1.0])
    >>> r.multipliers.round(4).tolist()
    [0.8889, 0.4444, 0.4444]
    """
    X, y = validate_points(X, y)
    shift, scale = standardization(X)
    Xs = (X - shift) / scale
    separable, t, w_lp, c_lp, weights = separation_lp(Xs, y)
    if not separable:
        return _not_separable(X, y, weights)

    primal = primal_slsqp(Xs, y, np.r_[w_lp, c_lp] / t)
    w = primal.x[:-1] / scale
    b = float(primal.x[-1] - w @ shift)
    _, dual_b_s, lam_s = dual_nnls(Xs, y)
    lam = lam_s / scale**2
    support = np.flatnonzero(lam > SUPPORT_TOL * float(lam.max()))
    rebuilt = 0.5 * ((lam * y) @ X)
    dual_b = float(dual_b_s - rebuilt @ shift)
    dual_objective = float(lam.sum() - np.sum(rebuilt**2))
    objective = float(w @ w)
    kkt = kkt_check(X, y, w, b, lam)

    gap = abs(objective - dual_objective) / max(objective, dual_objective)
    disagreement = float(np.max(np.abs(np.r_[w - rebuilt, b - dual_b]))) / (
        float(np.max(np.abs(np.r_[rebuilt, dual_b])))
    )
    if not kkt.passed or gap > KKT_TOL or disagreement > KKT_TOL:
        failed = ", ".join(c.name for c in kkt.conditions if not c.passed) or "primal and dual disagree"
        extent = float(np.linalg.norm(np.ptp(X, axis=0)))
        message = (
            f"The classes are only just separable: a margin of {2.0 / np.sqrt(objective):.2g} across points "
            f"spread over {extent:.2g}. At that ratio rounding errors swamp the solution, "
            f"and its check fails ({failed})."
        )
        success = False
    else:
        message = (
            f"Separable: the widest margin is {2.0 / np.sqrt(objective):.4g}, "
            f"held up by {support.size} support vector{'s' if support.size != 1 else ''}."
        )
        if not primal.success:
            message += " SLSQP stopped before its own test was met, but the line passes every optimality check."
        success = True
    return HardMarginResult(
        w=w,
        b=b,
        margin=float(2.0 / np.sqrt(objective)),
        support_indices=support,
        multipliers=lam,
        objective=objective,
        success=success,
        message=message,
        objective_form=HARD_MARGIN_FORM,
        separable=True,
        dual_w=rebuilt,
        dual_b=dual_b,
        dual_objective=dual_objective,
        primal_iterations=int(primal.nit),
        kkt=kkt,
        overlap_point=None,
        margin_values=y * (X @ w + b),
    )
