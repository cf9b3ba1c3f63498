"""The support vector machine as a constrained optimisation problem.

A line ``a x + b y + c = 0`` (in any dimension: ``w·x + c = 0``) separates two
classes labelled ``y = -1`` and ``y = +1`` when every point satisfies
``yᵢ (w·xᵢ + c) ≥ 1``. The distance between the two margin lines
``w·x + c = ±1`` is ``2 / ‖w‖``, so the widest margin is the smallest ``‖w‖``.
Following the course, the objective is ``a² + b² = ‖w‖²`` (not ``½‖w‖²``).

One module per concept:

- :mod:`~calc_core.svm.data`: points as text, checked, or drawn at random;
- :mod:`~calc_core.svm.separation`: whether any line separates the classes (a linear program);
- :mod:`~calc_core.svm.hard_margin`: :func:`fit_hard_margin`, the primal by SLSQP and the dual by NNLS;
- :mod:`~calc_core.svm.soft_margin`: :func:`fit_soft_margin`, paying C per unit of slack;
- :mod:`~calc_core.svm.kkt`: the Karush–Kuhn–Tucker conditions, checked;
- :mod:`~calc_core.svm.results`: what a fit reports;
- :mod:`~calc_core.svm.reference`: scikit-learn's SVC on the same points;
- :mod:`~calc_core.svm.answers`: checking the lesson's task.
"""

from calc_core.svm.answers import point_numbers, support_vector_verdict
from calc_core.svm.data import (
    MAX_COORDINATE,
    MAX_POINTS,
    MIN_GAP,
    SVMDataError,
    format_points_text,
    parse_points_text,
    random_points,
    validate_points,
)
from calc_core.svm.hard_margin import SUPPORT_TOL, dual_nnls, fit_hard_margin, primal_slsqp
from calc_core.svm.kkt import KKT_TOL, KKTCheck, KKTCondition, kkt_check
from calc_core.svm.reference import HARD_REFERENCE_C, ReferenceLine, reference_line
from calc_core.svm.results import HARD_MARGIN_FORM, SOFT_MARGIN_FORM, HardMarginResult, MarginFit, SoftMarginResult
from calc_core.svm.separation import SEPARABILITY_TOL
from calc_core.svm.soft_margin import SLACK_TOL, fit_soft_margin

__all__ = [
    "HARD_MARGIN_FORM",
    "HARD_REFERENCE_C",
    "KKT_TOL",
    "MAX_COORDINATE",
    "MAX_POINTS",
    "MIN_GAP",
    "SEPARABILITY_TOL",
    "SLACK_TOL",
    "SOFT_MARGIN_FORM",
    "SUPPORT_TOL",
    "HardMarginResult",
    "KKTCheck",
    "KKTCondition",
    "MarginFit",
    "ReferenceLine",
    "SVMDataError",
    "SoftMarginResult",
    "dual_nnls",
    "fit_hard_margin",
    "fit_soft_margin",
    "format_points_text",
    "kkt_check",
    "parse_points_text",
    "point_numbers",
    "primal_slsqp",
    "random_points",
    "reference_line",
    "support_vector_verdict",
    "validate_points",
]
