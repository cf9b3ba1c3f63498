"""What a fitted SVM reports: the line, its margin, the multipliers and how they were checked."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calc_core.svm.kkt import KKTCheck

HARD_MARGIN_FORM = "a² + b² = ‖w‖²  (multipliers: 2w = Σ λᵢ yᵢ xᵢ)"
"""The objective minimised by the hard margin: the course's, not ½‖w‖²."""

SOFT_MARGIN_FORM = "a² + b² + C Σ ξᵢ = ‖w‖² + C Σ ξᵢ  (multipliers: 2w = Σ λᵢ yᵢ xᵢ, 0 ≤ λᵢ ≤ C)"
"""The objective minimised by the soft margin (scikit-learn's ``SVC(C=C/2)``)."""


@dataclass(frozen=True)
class MarginFit:
    """A separating line ``w·x + c = 0`` and the multipliers that certify it.

    Attributes
    ----------
    w : ndarray, shape (d,)
        Normal of the line (the course's ``(a, b)``); NaN when there is no line.
    b : float
        Bias: the course's ``c`` in ``a x + b y + c = 0``; NaN when there is no line.
    margin : float
        Width ``2 / ‖w‖`` between the two margin lines.
    support_indices : ndarray of int
        Points with λᵢ > 0, in increasing order.
    multipliers : ndarray, shape (n,)
        Lagrange multipliers λᵢ of the constraints, for the course's objective (``‖w‖²`` plus slack).
    objective : float
        The objective at the solution (for the hard margin, ``a² + b²``: the course's 0.8889).
    success : bool
        True when the solution passed every optimality check.
    message : str
        What happened, in words.
    objective_form : str
        Which objective the figures belong to (:data:`HARD_MARGIN_FORM` or :data:`SOFT_MARGIN_FORM`).
    dual_objective : float
        ``Σ λᵢ − ¼ ‖Σ λᵢ yᵢ xᵢ‖²``; equals ``objective`` at the solution (strong duality).
    kkt : KKTCheck or None
        The KKT check of the line with the multipliers; None when there is no line.
    margin_values : ndarray, shape (n,)
        ``yᵢ (w·xᵢ + c)`` for each point: 1 on the margin, above 1 beyond it, below 1 inside it.
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
    dual_objective: float
    kkt: KKTCheck | None
    margin_values: np.ndarray

    @property
    def abc(self) -> tuple[float, float, float]:
        """The course's ``(a, b, c)`` of ``a x + b y + c = 0`` (two-dimensional data)."""
        return float(self.w[0]), float(self.w[1]), float(self.b)

    @property
    def support_numbers(self) -> list[int]:
        """The support vectors as point numbers counted from 1, as a learner names them."""
        return [int(i) + 1 for i in self.support_indices]


@dataclass(frozen=True)
class HardMarginResult(MarginFit):
    """Maximum-margin line through separable data (fields of :class:`MarginFit`, and these).

    Attributes
    ----------
    separable : bool
        Whether any line separates the two classes.
    dual_w : ndarray, shape (d,)
        ``½ Σ λᵢ yᵢ xᵢ``: w rebuilt from the dual solution.
    dual_b : float
        The bias from the dual solution.
    primal_iterations : int
        SLSQP iterations.
    overlap_point : ndarray or None
        When not separable: a point that is an average of +1 points and also of −1 points.
    """

    separable: bool
    dual_w: np.ndarray
    dual_b: float
    primal_iterations: int
    overlap_point: np.ndarray | None


@dataclass(frozen=True)
class SoftMarginResult(MarginFit):
    """Soft-margin line: hinge loss ``C Σ ξᵢ`` plus ``‖w‖²`` (fields of :class:`MarginFit`, and these).

    Here ``0 ≤ λᵢ ≤ C`` and ``objective = ‖w‖² + C Σ ξᵢ`` (:data:`SOFT_MARGIN_FORM`).

    Attributes
    ----------
    C : float
        Price per unit of slack.
    slack : ndarray, shape (n,)
        ``ξᵢ = max(0, 1 − yᵢ (w·xᵢ + c))``: 0 outside the margin, between 0 and 1 inside it
        on the right side, above 1 on the wrong side.
    hinge_loss : float
        ``Σ ξᵢ``.
    iterations : int
        Interior-point iterations.
    """

    C: float
    slack: np.ndarray
    hinge_loss: float
    iterations: int

    @property
    def sklearn_C(self) -> float:
        """The C giving the same line in scikit-learn's ``SVC``, which minimises ½‖w‖² + C Σ ξᵢ."""
        return self.C / 2.0
