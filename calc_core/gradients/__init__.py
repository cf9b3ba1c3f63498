"""Gradient of a function of two variables, and what it looks like.

The gradient of f(x, y) collects its partial derivatives. It points where f
grows fastest, its length is that fastest rate, and it is perpendicular to the
level curve through the point. One module per concept:

- :mod:`~calc_core.gradients.symbolic`: ∇f as formulas (:func:`gradient`) and as a page shows them;
- :mod:`~calc_core.gradients.directions`: the brute-force scan over directions
  (:func:`directional_scan`) and the gradient's length and angle;
- :mod:`~calc_core.gradients.sampling`: f on a grid, the gradient field, the level curve;
- :mod:`~calc_core.gradients.evaluation`: evaluating f where it may be undefined.
"""

from calc_core.gradients.directions import (
    DEFAULT_ANGLES_DEG,
    DirectionalScan,
    GradientDirection,
    course_bearing_deg,
    directional_scan,
    gradient_direction,
)
from calc_core.gradients.evaluation import Function2D, GradientError
from calc_core.gradients.sampling import (
    MAX_GRID_POINTS,
    FunctionGrid,
    GradientField,
    LevelCurve,
    central_difference_gradient,
    gradient_at,
    gradient_field,
    level_curve,
    level_lines,
    sample_grid,
)
from calc_core.gradients.symbolic import GradientFormula, exceeds_nodes, formula_latex, gradient, gradient_formula

__all__ = [
    "DEFAULT_ANGLES_DEG",
    "MAX_GRID_POINTS",
    "DirectionalScan",
    "Function2D",
    "FunctionGrid",
    "GradientDirection",
    "GradientError",
    "GradientField",
    "GradientFormula",
    "LevelCurve",
    "central_difference_gradient",
    "course_bearing_deg",
    "directional_scan",
    "exceeds_nodes",
    "formula_latex",
    "gradient",
    "gradient_at",
    "gradient_direction",
    "gradient_field",
    "gradient_formula",
    "level_curve",
    "level_lines",
    "sample_grid",
]
