"""Safe parsing of typed math into sympy expressions, and what the pages do with them.

Learners type ordinary math (``x^3 - 2x^2 + 1``, ``2 sin(x)``, ``e^-x``). The text
is tokenised, implicit multiplication is made explicit, and the result is read by
Python's :mod:`ast` in ``eval`` mode. The tree is then walked against a whitelist
and sympy objects are built node by node. Nothing the user typed is ever handed to
``eval``, ``exec``, ``sympify``, ``parse_expr`` or ``lambdify`` as text.

The caps in :mod:`calc_core.limits` bound what parsing may cost on a public
server. Sizes are checked before sympy computes anything: every constant part is
enclosed in a 53-bit interval (cheap whatever the number), so ``9^9^9^9``,
``exp(exp(exp(13)))`` or a division by a difference that cancels to nearly zero
are refused by looking at bounds, never by evaluating a huge number.

One module per concept:

- :mod:`~calc_core.expressions.parsing`: :func:`parse_expression`, text to sympy;
- :mod:`~calc_core.expressions.vocabulary`: the functions, constants and names a
  learner may type, and the caps on size;
- :mod:`~calc_core.expressions.tokens`: tokens, parentheses and implied products;
- :mod:`~calc_core.expressions.builder`: the whitelisted walk over the syntax tree;
- :mod:`~calc_core.expressions.sizes`: interval enclosures of constants and the
  sizes of trees, checked before anything is computed;
- :mod:`~calc_core.expressions.compiling`: :func:`to_function` (numpy) and
  :func:`to_scalar_function` (``math``), the only calls of ``lambdify``;
- :mod:`~calc_core.expressions.display`: :func:`expression_latex`;
- :mod:`~calc_core.expressions.real_symbols`: :func:`with_real_symbols`;
- :mod:`~calc_core.expressions.errors`: :class:`ExpressionError`.
"""

from calc_core.expressions.compiling import to_function, to_scalar_function
from calc_core.expressions.display import expression_latex
from calc_core.expressions.errors import ExpressionError
from calc_core.expressions.parsing import parse_expression
from calc_core.expressions.real_symbols import with_real_symbols
from calc_core.expressions.vocabulary import (
    FUNCTIONS,
    MAX_CONSTANT_NESTING,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_INTEGER_DIGITS,
    MAX_LENGTH,
    MAX_NODES,
    MAX_POWER_TOWER,
    MAX_RESULT_DIGITS,
)

__all__ = [
    "FUNCTIONS",
    "MAX_CONSTANT_NESTING",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_INTEGER_DIGITS",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_POWER_TOWER",
    "MAX_RESULT_DIGITS",
    "ExpressionError",
    "expression_latex",
    "parse_expression",
    "to_function",
    "to_scalar_function",
    "with_real_symbols",
]
