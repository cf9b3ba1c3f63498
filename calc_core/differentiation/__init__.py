"""Derivatives: by the rules (symbolically) and as a rate of change (numerically).

The derivative of f at x is the limit of the rate of change

    f'(x) = lim_{h -> 0} (f(x + h) - f(x)) / h.

One module per view of it:

- :mod:`~calc_core.differentiation.rules`: :func:`derivative` and
  :func:`derivative_steps` apply the rules of differentiation with sympy;
- :mod:`~calc_core.differentiation.finite_differences`: :func:`finite_difference`
  and :func:`step_size_study` compute the rate of change with a finite step h and
  measure how far it is from the exact value;
- :mod:`~calc_core.differentiation.curves`: f and f′ sampled for a chart.

Where f or f′ is undefined (so plots leave gaps) is :mod:`calc_core.domain`, and
plain curve sampling :mod:`calc_core.sampling`; both are re-exported here.
"""

from calc_core.differentiation.curves import DerivativeCurves, derivative_curves
from calc_core.differentiation.finite_differences import (
    SCHEME_FORMULAS,
    SCHEMES,
    StepSizeStudy,
    TangentSecant,
    finite_difference,
    numeric_derivative,
    step_size_study,
    tangent_secant,
)
from calc_core.differentiation.rules import (
    DerivativeStep,
    DerivativeTooLargeError,
    DifferentiationError,
    SymbolicDerivative,
    derivative,
    derivative_steps,
    symbolic_derivative,
    tree_size,
)
from calc_core.sampling import sample_curve

_FROM_DOMAIN = ("DomainReport", "domain_report")


def __getattr__(name: str):
    # calc_core.domain builds on the rules above, so it is imported on first use rather than at import time.
    if name in _FROM_DOMAIN:
        from calc_core import domain

        return getattr(domain, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "SCHEMES",
    "SCHEME_FORMULAS",
    "DerivativeCurves",
    "DerivativeStep",
    "DerivativeTooLargeError",
    "DifferentiationError",
    "DomainReport",
    "StepSizeStudy",
    "SymbolicDerivative",
    "TangentSecant",
    "derivative",
    "derivative_curves",
    "derivative_steps",
    "domain_report",
    "finite_difference",
    "numeric_derivative",
    "sample_curve",
    "step_size_study",
    "symbolic_derivative",
    "tangent_secant",
    "tree_size",
]
