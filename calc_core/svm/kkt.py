"""The Karush–Kuhn–Tucker conditions of a fitted SVM, checked numerically."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KKT_TOL = 1e-6
"""Relative tolerance of every KKT condition."""


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


def _condition(name: str, statement: str, residual: float, tolerance: float) -> KKTCondition:
    residual = float(residual)
    return KKTCondition(name, statement, residual, float(tolerance), bool(residual <= tolerance))


def kkt_check(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lam: np.ndarray, C: float | None = None):
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
