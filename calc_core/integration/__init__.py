"""Integrals: area as a sum of thin strips, and antiderivatives that undo d/dx.

The definite integral of f over [a, b] is the limit of Riemann sums

    ∫_a^b f(x) dx = lim_{n -> ∞} Σ_{i=0}^{n-1} f(x_i*) δx,   δx = (b − a)/n,

and, by the fundamental theorem of calculus, it equals F(b) − F(a) for any
antiderivative F (a function with F' = f). One module per side of that story:

- :mod:`~calc_core.integration.riemann`: :func:`riemann_sum`, the strips,
  :func:`running_integral` and :func:`convergence_study`, numerically;
- :mod:`~calc_core.integration.quadrature`: scipy's adaptive quadrature as the
  numerical reference;
- :mod:`~calc_core.integration.antiderivatives`, :mod:`~calc_core.integration.steps`
  and :mod:`~calc_core.integration.definite`: :func:`antiderivative`,
  :func:`integration_steps` and :func:`definite_integral` symbolically (run those
  under :func:`calc_core.budget.run_with_budget`, since symbolic integration can
  take very long);
- :mod:`~calc_core.integration.intervals`: :func:`interval_report` says when
  [a, b] makes the integral improper or undefined.
"""

from calc_core.integration.antiderivatives import (
    AntiderivativeCurve,
    AntiderivativeKind,
    AntiderivativeReport,
    antiderivative,
    antiderivative_curve,
    antiderivative_report,
)
from calc_core.integration.checks import MAX_PANELS, RULES, IntegrationError, NoClosedFormError
from calc_core.integration.definite import DefiniteIntegral, IntegralStatus, definite_integral
from calc_core.integration.intervals import IntervalKind, IntervalReport, interval_report
from calc_core.integration.quadrature import QuadResult, quad_integral
from calc_core.integration.riemann import (
    ConvergenceStudy,
    Panels,
    convergence_study,
    riemann_panels,
    riemann_sum,
    running_integral,
)
from calc_core.integration.steps import IntegrationStep, integration_steps

__all__ = [
    "MAX_PANELS",
    "RULES",
    "AntiderivativeCurve",
    "AntiderivativeKind",
    "AntiderivativeReport",
    "ConvergenceStudy",
    "DefiniteIntegral",
    "IntegralStatus",
    "IntegrationError",
    "IntegrationStep",
    "IntervalKind",
    "IntervalReport",
    "NoClosedFormError",
    "Panels",
    "QuadResult",
    "antiderivative",
    "antiderivative_curve",
    "antiderivative_report",
    "convergence_study",
    "definite_integral",
    "integration_steps",
    "interval_report",
    "quad_integral",
    "riemann_panels",
    "riemann_sum",
    "running_integral",
]
