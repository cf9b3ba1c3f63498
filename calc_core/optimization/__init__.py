"""Where a function is flat: critical points, their classification, and descent.

A differentiable function can only reach a local maximum or minimum where its
rate of change is zero, so the candidates are the solutions of ``f'(x) = 0``
(one variable) or ``grad f = 0`` (two variables). Whether a candidate is a
minimum, a maximum or neither is read from higher derivatives: the second
derivative in one variable, the Hessian matrix in two. Gradient descent turns
the same derivative into an algorithm.

One module per concept:

- :mod:`~calc_core.optimization.presets`: the lesson's ready-made functions;
- :mod:`~calc_core.optimization.derivatives`: f′, f″, ∇f and H, bounded;
- :mod:`~calc_core.optimization.one_variable`: critical points of f(x);
- :mod:`~calc_core.optimization.optimizers`: the update rules, each declaring its controls and colour, and
  the registry :data:`OPTIMIZERS` the lesson loops over;
- :mod:`~calc_core.optimization.descent`: running one and naming how it ended;
- :mod:`~calc_core.optimization.surface` and :mod:`~calc_core.optimization.two_variables`:
  f(x, y) and its critical points by the Hessian;
- :mod:`~calc_core.optimization.answers`: checking the lesson's task.
"""

from calc_core.optimization.answers import extremum_verdict
from calc_core.optimization.common import OptimizationError
from calc_core.optimization.derivatives import CompiledDerivatives, Derivatives, compile_derivatives
from calc_core.optimization.descent import OptimizationPath, Status, descent_path, gradient_descent, run_optimizer
from calc_core.optimization.one_variable import (
    KINDS,
    CriticalPoint,
    CriticalPointAnalysis,
    NoCriticalPoints,
    analyze_critical_points,
    critical_points,
)
from calc_core.optimization.optimizers import (
    OPTIMIZERS,
    Adam,
    ControlKind,
    GradientDescent,
    Hyperparameter,
    Momentum,
    Nesterov,
    RMSProp,
    hyperparameters,
    make_optimizer,
    optimizer_class,
)
from calc_core.optimization.presets import FUNCTION_PRESETS, SURFACE_PRESETS, Preset
from calc_core.optimization.surface import Surface, make_surface
from calc_core.optimization.two_variables import (
    KINDS_2D,
    CriticalPoint2D,
    SurfaceAnalysis,
    analyze_critical_points_2d,
    critical_points_2d,
)

__all__ = [
    "Adam",
    "CompiledDerivatives",
    "ControlKind",
    "CriticalPoint",
    "CriticalPoint2D",
    "CriticalPointAnalysis",
    "Derivatives",
    "FUNCTION_PRESETS",
    "GradientDescent",
    "Hyperparameter",
    "KINDS",
    "KINDS_2D",
    "Momentum",
    "Nesterov",
    "NoCriticalPoints",
    "OPTIMIZERS",
    "OptimizationError",
    "OptimizationPath",
    "Preset",
    "RMSProp",
    "SURFACE_PRESETS",
    "Status",
    "Surface",
    "SurfaceAnalysis",
    "analyze_critical_points",
    "analyze_critical_points_2d",
    "compile_derivatives",
    "critical_points",
    "critical_points_2d",
    "descent_path",
    "extremum_verdict",
    "gradient_descent",
    "hyperparameters",
    "make_optimizer",
    "make_surface",
    "optimizer_class",
    "run_optimizer",
]
