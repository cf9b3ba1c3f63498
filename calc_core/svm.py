"""The support vector machine as a constrained optimisation problem.

A line ``a x + b y + c = 0`` (in any dimension: ``w·x + c = 0``) separates two
classes labelled ``y = -1`` and ``y = +1`` when every point satisfies
``yᵢ (w·xᵢ + c) ≥ 1``. The distance between the two margin lines
``w·x + c = ±1`` is ``2 / ‖w‖``, so the widest margin is the smallest ``‖w‖``.
Following the course, this module minimises ``a² + b² = ‖w‖²`` (not the
``½‖w‖²`` of most textbooks and of scikit-learn); the minimiser is the same
line, only the objective value and the Lagrange multipliers differ by a factor
of two.

:func:`fit_hard_margin` solves the problem twice, independently:

* the primal exactly as the course poses it, with SciPy's SLSQP;
* the dual, giving one multiplier λᵢ ≥ 0 per point, as a non-negative least
  squares problem;

and checks that the two agree and that the Karush–Kuhn–Tucker (KKT)
conditions hold. Data that no line separates is detected first with a linear
program and reported in words. :func:`fit_soft_margin` allows points inside
the margin or on the wrong side at a price ``C`` per unit of slack (the hinge
loss).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog, minimize, nnls

__all__ = [
    "HARD_MARGIN_FORM",
    "MAX_COORDINATE",
    "MAX_POINTS",
    "SOFT_MARGIN_FORM",
    "HardMarginResult",
    "KKTCheck",
    "KKTCondition",
    "SVMDataError",
    "SoftMarginResult",
    "fit_hard_margin",
    "fit_soft_margin",
    "format_points_text",
    "parse_points_text",
    "random_points",
    "validate_points",
]

MAX_POINTS = 1000
"""Largest data set accepted (the dual pairs every +1 point with every −1 point)."""

MAX_COORDINATE = 1e6
# Points of opposite classes closer than this would need a margin no solver can resolve.
MIN_GAP = 1e-9
"""Largest absolute coordinate accepted (squares of larger values lose the margin's digits)."""

HARD_MARGIN_FORM = "a² + b² = ‖w‖²  (multipliers: 2w = Σ λᵢ yᵢ xᵢ)"
"""The objective minimised by :func:`fit_hard_margin`: the course's, not ½‖w‖²."""

SOFT_MARGIN_FORM = "a² + b² + C Σ ξᵢ = ‖w‖² + C Σ ξᵢ  (multipliers: 2w = Σ λᵢ yᵢ xᵢ, 0 ≤ λᵢ ≤ C)"
"""The objective minimised by :func:`fit_soft_margin` (scikit-learn's ``SVC(C=C/2)``)."""

SEPARABILITY_TOL = 1e-9
"""Classes whose best separation is below this fraction of the data's extent count as touching."""

KKT_TOL = 1e-6
"""Relative tolerance of every KKT condition."""

SUPPORT_TOL = 1e-7
"""A multiplier counts as positive above this fraction of the largest one (soft margin: of C)."""

SLACK_TOL = 1e-9
"""Soft margin: a shortfall ``1 − yᵢ (w·xᵢ + c)`` below this is rounding, reported as ξᵢ = 0."""


class SVMDataError(ValueError):
    """Points or labels that no support vector machine can be fitted to, in a learner's words."""


@dataclass(frozen=True)
class KKTCondition:
    """One Karush–Kuhn–Tucker condition, checked numerically.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"stationarity"``.
    statement : str
        The condition in symbols.
    residual : float
        Its worst violation (0 when it holds exactly).
    tolerance : float
        The largest residual accepted.
    passed : bool
        ``residual <= tolerance``.
    """

    name: str
    statement: str
    residual: float
    tolerance: float
    passed: bool


@dataclass(frozen=True)
class KKTCheck:
    """The KKT conditions of a fitted SVM, per point and overall.

    Attributes
    ----------
    constraint_values : ndarray, shape (n,)
        ``gᵢ = yᵢ (w·xᵢ + c) − 1`` (plus ``ξᵢ`` for the soft margin); feasible when ≥ 0.
    complementarity : ndarray, shape (n,)
        ``λᵢ gᵢ``; zero at a solution (λᵢ > 0 only where the constraint is active).
    stationarity_residual : float
        ``‖2w − Σ λᵢ yᵢ xᵢ‖``: how far w is from the one the multipliers rebuild.
    balance_residual : float
        ``|Σ λᵢ yᵢ|``, zero at a solution (from ∂L/∂c = 0).
    conditions : tuple of KKTCondition
        Every condition with its residual, tolerance and verdict.
    """

    constraint_values: np.ndarray
    complementarity: np.ndarray
    stationarity_residual: float
    balance_residual: float
    conditions: tuple[KKTCondition, ...]

    @property
    def passed(self) -> bool:
        """True when every condition holds within its tolerance."""
        return all(c.passed for c in self.conditions)


@dataclass(frozen=True)
class HardMarginResult:
    """Maximum-margin line through separable data.

    Attributes
    ----------
    w : ndarray, shape (d,)
        Normal of the line (the course's ``(a, b)``); NaN when not separable.
    b : float
        Bias: the course's ``c`` in ``a x + b y + c = 0``; NaN when not separable.
    margin : float
        Width ``2 / ‖w‖`` between the two margin lines.
    support_indices : ndarray of int
        Points with λᵢ > 0, in increasing order.
    multipliers : ndarray, shape (n,)
        Lagrange multipliers λᵢ ≥ 0 of the constraints, for the objective ``‖w‖²``.
    objective : float
        ``a² + b² = ‖w‖²`` at the solution (the course's 0.8889).
    success : bool
        True when the data is separable and primal, dual and KKT check agree.
    message : str
        What happened, in words.
    objective_form : str
        Which objective the figures belong to (:data:`HARD_MARGIN_FORM`).
    separable : bool
        Whether any line separates the two classes.
    dual_w : ndarray, shape (d,)
        ``½ Σ λᵢ yᵢ xᵢ``: w rebuilt from the dual solution.
    dual_b : float
        The bias from the dual solution.
    dual_objective : float
        ``Σ λᵢ − ¼ ‖Σ λᵢ yᵢ xᵢ‖²``; equals ``objective`` (strong duality).
    primal_iterations : int
        SLSQP iterations.
    kkt : KKTCheck or None
        The KKT check of (w, b, λ); None when not separable.
    overlap_point : ndarray or None
        When not separable: a point that is an average of +1 points and also of −1 points.
    margin_values : ndarray, shape (n,)
        ``yᵢ (w·xᵢ + c)`` for each point: 1 on the margin, above 1 beyond it.
    """

    w: np.ndarray
    b: float
    margin: float
    support_indices: np.ndarray
    multipliers: np.ndarray
    objective: float
    success: bool
    message: str
    objective_form: str
    separable: bool
    dual_w: np.ndarray
    dual_b: float
    dual_objective: float
    primal_iterations: int
    kkt: KKTCheck | None
    overlap_point: np.ndarray | None
    margin_values: np.ndarray

    @property
    def abc(self) -> tuple[float, float, float]:
        """The course's ``(a, b, c)`` of ``a x + b y + c = 0`` (two-dimensional data)."""
        return float(self.w[0]), float(self.w[1]), float(self.b)


@dataclass(frozen=True)
class SoftMarginResult:
    """Soft-margin line: hinge loss ``C Σ ξᵢ`` plus ``‖w‖²``.

    Attributes
    ----------
    w, b, margin, support_indices, multipliers, objective, success, message, objective_form
        As in :class:`HardMarginResult`; here ``0 ≤ λᵢ ≤ C`` and
        ``objective = ‖w‖² + C Σ ξᵢ`` (:data:`SOFT_MARGIN_FORM`).
    C : float
        Price per unit of slack.
    slack : ndarray, shape (n,)
        ``ξᵢ = max(0, 1 − yᵢ (w·xᵢ + c))``: 0 outside the margin, between 0 and 1 inside it
        on the right side, above 1 on the wrong side.
    hinge_loss : float
        ``Σ ξᵢ``.
    dual_objective : float
        ``Σ λᵢ − ¼ ‖Σ λᵢ yᵢ xᵢ‖²``; equals ``objective`` at the solution.
    iterations : int
        Interior-point iterations.
    kkt : KKTCheck
        The KKT check of (w, b, ξ, λ).
    margin_values : ndarray, shape (n,)
        ``yᵢ (w·xᵢ + c)`` for each point: below 1 exactly where ξᵢ > 0.
    """

    w: np.ndarray
    b: float
    margin: float
    support_indices: np.ndarray
    multipliers: np.ndarray
    objective: float
    success: bool
    message: str
    objective_form: str
    C: float
    slack: np.ndarray
    hinge_loss: float
    dual_objective: float
    iterations: int
    kkt: KKTCheck
    margin_values: np.ndarray

    @property
    def sklearn_C(self) -> float:
        """The C giving the same line in scikit-learn's ``SVC``, which minimises ½‖w‖² + C Σ ξᵢ."""
        return self.C / 2.0

    @property
    def abc(self) -> tuple[float, float, float]:
        """The course's ``(a, b, c)`` of ``a x + b y + c = 0`` (two-dimensional data)."""
        return float(self.w[0]), float(self.w[1]), float(self.b)


def _fmt(p: np.ndarray) -> str:
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
                f"Points {j + 1} and {i + 1} are both at {_fmt(X[i])} but in different classes; "
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


def _standardization(X: np.ndarray) -> tuple[np.ndarray, float]:
    """Centre and one scale factor putting the points at unit RMS distance from their mean.

    A line ``w'·x' + c' = 0`` in the coordinates ``x' = (x − shift) / scale`` is the line
    ``w = w'/scale``, ``c = c' − w·shift``; ‖w‖² only changes by the constant factor
    scale², so every problem here keeps its solution, and its multipliers scale by 1/scale².
    Solvers then see numbers near 1 whatever units the points are in.
    """
    shift = X.mean(axis=0)
    scale = float(np.sqrt(np.mean(np.sum((X - shift) ** 2, axis=1))))
    return shift, scale if scale > 0 else 1.0


def _separation_lp(X: np.ndarray, y: np.ndarray) -> tuple[bool, float, np.ndarray, float, np.ndarray]:
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
        raise RuntimeError(f"separation LP failed: {res.message}")
    t = -float(res.fun)
    separable = t > SEPARABILITY_TOL * float(np.ptp(X, axis=0).sum())
    return separable, t, res.x[:d], float(res.x[d]), -res.ineqlin.marginals


def _primal_slsqp(X: np.ndarray, y: np.ndarray, start: np.ndarray):
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
        options={"ftol": 1e-14, "maxiter": 500},
    )


def _dual_nnls(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
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
    u, _ = nnls(E, f, maxiter=50 * E.shape[1])
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


def _condition(name: str, statement: str, residual: float, tolerance: float) -> KKTCondition:
    residual = float(residual)
    return KKTCondition(name, statement, residual, float(tolerance), bool(residual <= tolerance))


def _kkt_check(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lam: np.ndarray, C: float | None = None):
    """KKT conditions of ``‖w‖²`` (hard margin, ``C=None``) or ``‖w‖² + C Σ ξ`` with multipliers λ.

    Tolerances are :data:`KKT_TOL` relative to the size of the terms compared.
    """
    margin_values = y * (X @ w + b)
    xi = np.zeros(y.size) if C is None else np.maximum(0.0, 1.0 - margin_values)
    g = margin_values - 1.0 + xi
    comp = lam * g
    rebuilt = (lam * y) @ X
    stat = float(np.linalg.norm(2.0 * w - rebuilt))
    balance = float(abs(lam @ y))
    scale_g = 1.0 + float(np.max(np.abs(margin_values)))
    scale_lam = 1.0 + float(np.max(lam))
    plus_xi = " + ξᵢ" if C is not None else ""
    dual_violation = max(0.0, -float(lam.min()), float(lam.max()) - C if C is not None else 0.0)
    conditions = [
        _condition("primal feasibility", f"yᵢ(w·xᵢ + c) − 1{plus_xi} ≥ 0", max(0.0, -g.min()), KKT_TOL * scale_g),
        _condition(
            "dual feasibility", "0 ≤ λᵢ ≤ C" if C is not None else "λᵢ ≥ 0", dual_violation, KKT_TOL * scale_lam
        ),
        _condition(
            "complementary slackness",
            f"λᵢ · (yᵢ(w·xᵢ + c) − 1{plus_xi}) = 0",
            np.max(np.abs(comp)),
            KKT_TOL * scale_lam * scale_g,
        ),
    ]
    if C is not None:
        conditions.append(
            _condition(
                "slack complementarity",
                "(C − λᵢ) · ξᵢ = 0",
                np.max(np.abs((C - lam) * xi)),
                KKT_TOL * (1.0 + C) * scale_g,
            )
        )
    conditions += [
        _condition("stationarity in w", "2w = Σ λᵢ yᵢ xᵢ", stat, KKT_TOL * (1.0 + float(np.linalg.norm(rebuilt)))),
        _condition("stationarity in c", "Σ λᵢ yᵢ = 0", balance, KKT_TOL * scale_lam),
    ]
    return KKTCheck(g, comp, stat, balance, tuple(conditions))


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
            f"No straight line separates the two classes: the point {_fmt(np.round(overlap, 3))} is an average "
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
    shift, scale = _standardization(X)
    Xs = (X - shift) / scale
    separable, t, w_lp, c_lp, weights = _separation_lp(Xs, y)
    if not separable:
        return _not_separable(X, y, weights)

    primal = _primal_slsqp(Xs, y, np.r_[w_lp, c_lp] / t)
    w = primal.x[:-1] / scale
    b = float(primal.x[-1] - w @ shift)
    _, dual_b_s, lam_s = _dual_nnls(Xs, y)
    lam = lam_s / scale**2
    support = np.flatnonzero(lam > SUPPORT_TOL * float(lam.max()))
    rebuilt = 0.5 * ((lam * y) @ X)
    dual_b = float(dual_b_s - rebuilt @ shift)
    dual_objective = float(lam.sum() - np.sum(rebuilt**2))
    objective = float(w @ w)
    kkt = _kkt_check(X, y, w, b, lam)

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

    shift, scale = _standardization(X)
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
    kkt = _kkt_check(X, y, w, b, lam, C=C)
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
        inside = int(np.count_nonzero(slack > 1e-9))
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
        shown = chunk if len(chunk) <= 30 else chunk[:30] + "…"
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
        shift, scale = _standardization(X)
        if not _separation_lp((X - shift) / scale, y)[0]:
            return X, y
