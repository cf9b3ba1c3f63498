"""The Jacobian of a vector function: its derivative as a matrix.

For f: Rⁿ → Rᵐ the Jacobian J has one row per output and one column per
input, J[i, j] = ∂fᵢ/∂xⱼ. One module per concept:

- :mod:`~calc_core.jacobians.symbolic`: J and det J as formulas, and compiled to numbers;
- :mod:`~calc_core.jacobians.numeric`: J by central differences, and what J at a point says;
- :mod:`~calc_core.jacobians.linear_map`: J as the linear map that approximates f near a point;
- :mod:`~calc_core.jacobians.answers`: reading and checking a typed matrix.
"""

from calc_core.jacobians.answers import MAX_MATRIX_SIDE, check_jacobian_answer, parse_matrix
from calc_core.jacobians.linear_map import LinearMapPicture, linear_map_picture
from calc_core.jacobians.numeric import (
    SINGULAR_RTOL,
    JacobianError,
    JacobianSummary,
    VectorFunction,
    numeric_jacobian,
    stack_components,
    summarize_jacobian,
)
from calc_core.jacobians.symbolic import (
    JacobianFormula,
    determinant_latex,
    entries_latex,
    jacobian,
    jacobian_at,
    jacobian_formula,
    jacobian_function,
)

__all__ = [
    "MAX_MATRIX_SIDE",
    "SINGULAR_RTOL",
    "JacobianError",
    "JacobianFormula",
    "JacobianSummary",
    "LinearMapPicture",
    "VectorFunction",
    "check_jacobian_answer",
    "determinant_latex",
    "entries_latex",
    "jacobian",
    "jacobian_at",
    "jacobian_formula",
    "jacobian_function",
    "linear_map_picture",
    "numeric_jacobian",
    "parse_matrix",
    "stack_components",
    "summarize_jacobian",
]
