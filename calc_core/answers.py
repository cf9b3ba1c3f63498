"""Checking a learner's typed answer against the expected one.

An answer is read by the same safe parser, under the same caps, as every
expression box. Two formulas are compared first at sample points, which is cheap
and bounded; only when they agree there may a symbolic check confirm that they
are identical. That check (``sympy.simplify``, and differentiating a typed
antiderivative) can run for minutes, so it is never run here: the caller passes
``confirm``, which runs :func:`simplifies_to_zero` or :func:`is_antiderivative`
under a wall-clock budget and returns None when the budget runs out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from calc_core.expressions import MAX_LENGTH, ExpressionError, parse_expression, to_function, with_real_symbols

__all__ = [
    "Confirm",
    "Verdict",
    "antiderivative_checker",
    "expressions_agree",
    "is_antiderivative",
    "parse_vector",
    "sample_points",
    "simplifies_to_zero",
    "strip_answer_prefix",
    "symbolic_checker",
    "vector_checker",
]

#: Values at which two formulas are compared; spread over negatives and positives so that
#: sign-sensitive answers (abs, log) are exercised as well as general ones.
SAMPLES = np.array([-2.3, -1.7, -0.9, -0.35, 0.2, 0.45, 0.8, 1.3, 1.9, 2.6, 3.4])
#: Relative and absolute tolerance of "equal at a point".
RTOL = 1e-6
ATOL = 1e-9
#: Points where the expected formula is defined needed before any verdict is given.
MIN_POINTS = 4

#: Central-difference step (relative to max(1, |x|)) and tolerances for "F' = f at a point": the
#: difference quotient is off by about step² times the third derivative plus 1e-16 |F| / step,
#: far below these.
FD_STEP = 1e-5
FD_RTOL = 1e-5
FD_ATOL = 1e-6

#: ``confirm(function, *args)`` runs a symbolic check such as :func:`simplifies_to_zero` (whose
#: cost is unbounded, so in a worker under a budget) and returns its result: True when the
#: formulas were shown identical, False or None when that was not shown (for example, the
#: budget ran out).
Confirm = Callable[..., "bool | None"]


@dataclass(frozen=True)
class Verdict:
    """The result of checking a learner's answer.

    Attributes
    ----------
    ok : bool
        True when the answer is accepted.
    message : str
        What to tell the learner, in plain words (it may quote what they typed).
    """

    ok: bool
    message: str


def simplifies_to_zero(difference: sympy.Expr) -> bool:
    """True when ``sympy.simplify`` reduces ``difference`` to 0.

    Module-level so that a worker process can run it (see :mod:`calc_core.budget`);
    its cost is unbounded, so never call it in the server process.
    """
    return sympy.simplify(difference) == 0


def is_antiderivative(F: sympy.Expr, f: sympy.Expr, var: str) -> bool:
    """True when ``F' - f`` simplifies to 0 (``var`` taken as real); for a worker, like :func:`simplifies_to_zero`."""
    derivative = with_real_symbols(F, (var,), lambda e, v: e.diff(v))
    return simplifies_to_zero(derivative - f)


# What a learner writes before the answer itself: "f'(x) =", "F(x) =", "y =", "dy/dx =", "∇f(1, 1) =", "x =".
_PREFIX = re.compile(
    r"^\s*∇?\s*(?:[A-Za-z][A-Za-z0-9_]{0,11}|d\s*[A-Za-z]?\s*/\s*d\s*[A-Za-z])\s*['′’ʹ]*\s*"
    r"(?:\([^()=]{0,40}\))?\s*=(?!=)"
)


def strip_answer_prefix(text: str) -> str:
    """``text`` without a leading ``name =`` (``f'(x) = 3x^2`` reads as ``3x^2``, ``x = 4/3`` as ``4/3``).

    Examples
    --------
    >>> strip_answer_prefix("f′(x) = 3x^2 - 4x")
    '3x^2 - 4x'
    >>> strip_answer_prefix("∇f(1, 1) = (2, 2)")
    '(2, 2)'
    """
    match = _PREFIX.match(text)
    rest = text[match.end():] if match else text
    return rest.strip() if match and rest.strip() else text


def sample_points(n_vars: int, seed: int = 7) -> list[np.ndarray]:
    """One array of :data:`SAMPLES` per variable, each in its own shuffled order.

    Shuffling decorrelates the variables, so that ``x*y`` and ``x^2`` differ at the points.
    """
    rng = np.random.default_rng(seed)
    return [rng.permutation(SAMPLES) for _ in range(n_vars)]


def _shown(value: float) -> str:
    return f"{value:.6g}" if np.isfinite(value) else "no value"


def _compare(got: np.ndarray, want: np.ndarray, grid: list[np.ndarray], variables: Sequence[str],
             rtol: float, atol: float) -> Verdict:
    """Not ok at the first sample point where ``got`` and ``want`` differ; ok (with the count) otherwise."""
    got, want = np.broadcast_to(got, SAMPLES.shape), np.broadcast_to(want, SAMPLES.shape)
    usable = np.isfinite(want)
    if usable.sum() < MIN_POINTS:
        return Verdict(False, "This answer cannot be checked at enough points.")
    with np.errstate(all="ignore"):
        close = np.isclose(got[usable], want[usable], rtol=rtol, atol=atol)
    if not close.all():
        i = int(np.flatnonzero(usable)[np.argmin(close)])
        where = ", ".join(f"{v}={g[i]:g}" for v, g in zip(variables, grid))
        return Verdict(False, f"Not quite: at {where} your answer gives {_shown(got[i])}, "
                              f"the correct one {_shown(want[i])}.")
    return Verdict(True, f"Correct — equal to the expected answer at {int(usable.sum())} test points.")


def expressions_agree(answer: sympy.Expr, expected: sympy.Expr, variables: Sequence[str],
                      confirm: Confirm | None = None) -> Verdict:
    """Decide whether ``answer`` is the same function as ``expected``.

    Parameters
    ----------
    answer, expected : sympy.Expr
        Formulas in ``variables``.
    variables : sequence of str
        Every name either formula uses.
    confirm : callable, optional
        Runs ``simplifies_to_zero(answer - expected)`` once the two agree at every
        sample point (see :data:`Confirm`); without it the verdict rests on the points alone.

    Returns
    -------
    Verdict
        Not ok, naming a point where they differ; or ok, saying whether the
        agreement was confirmed symbolically or holds at the sample points.

    Raises
    ------
    ExpressionError
        When either formula is too large to evaluate numerically.

    Notes
    -----
    The formulas are equal at a point :math:`p` when
    :math:`|a(p) - e(p)| \\le` ``ATOL`` + ``RTOL`` :math:`|e(p)|`, checked at every point of
    :func:`sample_points` where :math:`e` is defined; at least :data:`MIN_POINTS` are needed.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> expressions_agree(2 * sympy.sin(x) * sympy.cos(x), sympy.sin(2 * x), ("x",)).ok
    True
    >>> expressions_agree(x**2, x**3, ("x",)).message
    'Not quite: at x=0.2 your answer gives 0.04, the correct one 0.008.'
    """
    grid = sample_points(len(variables))
    verdict = _compare(to_function(answer, variables)(*grid), to_function(expected, variables)(*grid), grid,
                       variables, RTOL, ATOL)
    if verdict.ok and confirm is not None and confirm(simplifies_to_zero, answer - expected):
        return Verdict(True, "Correct — equal to the expected answer symbolically.")
    return verdict


def symbolic_checker(expected: sympy.Expr, variables: Sequence[str] = ("x",), parameters: Sequence[str] = (),
                     confirm: Confirm | None = None) -> Callable[[str], Verdict]:
    """A checker accepting any typed formula equivalent to ``expected``.

    Parameters
    ----------
    expected : sympy.Expr
        The right answer, in ``variables`` and ``parameters``.
    variables, parameters : sequence of str
        Names the answer may use; parameters are sampled like variables.
    confirm : callable, optional
        See :func:`expressions_agree`.

    Returns
    -------
    callable
        ``check(text) -> Verdict``; raises :class:`~calc_core.expressions.ExpressionError`
        when the text cannot be read.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> symbolic_checker(3 * x**2)("3x^2 + 0").ok
    True
    """

    def check(text: str) -> Verdict:
        answer = parse_expression(strip_answer_prefix(text), variables, parameters or None)
        return expressions_agree(answer, expected, (*variables, *parameters), confirm)

    return check


#: Values given to a learner's constant (``C`` in ``x^2 + C``) to see that it is only added.
CONSTANT_VALUES = (0.5, 1.5, 2.5)


def _constant_only_added(F: Callable, points: np.ndarray) -> bool:
    """True when ``F(x, C) - F(x, C₀)`` is the same at every sample point for each value of ``C``: the constant
    shifts ``F`` without changing its slope (``x^2 + C``, ``x^2 + 2C``; not ``C x``)."""
    base = CONSTANT_VALUES[0]
    with np.errstate(all="ignore"):
        for value in CONSTANT_VALUES[1:]:
            shift = np.broadcast_to(F(points, value) - F(points, base), points.shape)
            usable = shift[np.isfinite(shift)]
            if usable.size and not np.allclose(usable, usable[0], rtol=FD_RTOL, atol=FD_ATOL):
                return False
    return True


def antiderivative_checker(f: sympy.Expr, var: str = "x", confirm: Confirm | None = None) -> Callable[[str], Verdict]:
    """A checker accepting any ``F`` with ``F' = f``, so any added constant is fine.

    The constant may be a number (``x^2 + 7``) or one name the task's variable is not
    (``x^2 + C``, ``+ c``, ``+ K``, ``+ C1``), as long as it is only added: ``C x`` is refused
    with a message saying so. ``F'`` is compared with ``f`` by central differences of ``F`` at
    the sample points, so nothing is differentiated symbolically in the caller's process;
    ``confirm`` may then run :func:`is_antiderivative`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> antiderivative_checker(2 * x)("x^2 + 7").ok
    True
    >>> antiderivative_checker(2 * x)("x^2 + C").ok
    True
    """
    expected = to_function(f, (var,))

    def check(text: str) -> Verdict:
        answer = parse_expression(strip_answer_prefix(text), (var,), free_constant=True)
        (points,) = sample_points(1)
        constants = sorted(str(s) for s in answer.free_symbols if str(s) != var)
        if constants:
            (name,) = constants
            with_constant = to_function(answer, (var, name))
            if not _constant_only_added(with_constant, points):
                return Verdict(False, f"{name} is the constant here, so it may only be added: write your "
                                      f"antiderivative in {var}, then + {name} (for example {var}^2 + {name}); "
                                      f"{name}·{var} or {var}^{name} is not a constant.")

            def F(at):
                return with_constant(at, CONSTANT_VALUES[0])
        else:
            F = to_function(answer, (var,))
        h = FD_STEP * np.maximum(1.0, np.abs(points))
        slope = (F(points + h) - F(points - h)) / (2 * h)
        verdict = _compare(slope, expected(points), [points], (var,), FD_RTOL, FD_ATOL)
        if not verdict.ok:
            return Verdict(False, f"Differentiating your answer does not give f(x). {verdict.message}")
        if confirm is not None and confirm(is_antiderivative, answer, f, var):
            return Verdict(True, "Correct — its derivative is f(x), symbolically. Any constant C may be added.")
        return Verdict(True, "Correct — its derivative is f(x). Any constant C may be added.")

    return check


def parse_vector(text: str, size: int) -> tuple[float, ...]:
    """Read ``(a, b)``, ``[a, b]``, ``⟨a, b⟩`` or ``a, b`` of numbers (``2/3`` or ``sqrt(2)`` allowed), after an
    optional ``name =`` (``∇f(1, 1) = (2, 2)``).

    Raises
    ------
    ExpressionError
        When there are not ``size`` entries or one is not a finite number.

    Examples
    --------
    >>> parse_vector("(1/2, sqrt(4))", 2)
    (0.5, 2.0)
    """
    if len(text) > size * (MAX_LENGTH + 1) + 2:
        raise ExpressionError(f"That is too long for {size} numbers.")
    inner = re.sub(r"^\s*[\(\[⟨<]|[\)\]⟩>]\s*$", "", strip_answer_prefix(text).strip())
    parts = inner.split(",")
    if len(parts) != size:
        raise ExpressionError(f"Give {size} numbers separated by commas, e.g. ({', '.join(['1'] * size)}).")
    values = []
    for part in parts:
        value = to_function(parse_expression(part, ()), ())()
        if not np.isfinite(value):
            raise ExpressionError(f"“{part.strip()[:30]}” is not a finite number.")
        values.append(float(value))
    return tuple(values)


def vector_checker(expected: Sequence[float], tol: float = 1e-6) -> Callable[[str], Verdict]:
    """A checker for a vector answer such as a gradient at a point (relative and absolute ``tol``).

    Examples
    --------
    >>> vector_checker((1.0, -2.0))("[1, -2]").ok
    True
    """
    want = np.asarray(expected, dtype=float)

    def check(text: str) -> Verdict:
        got = np.array(parse_vector(text, len(want)))
        close = np.isclose(got, want, rtol=tol, atol=tol)
        if close.all():
            return Verdict(True, "Correct.")
        wrong = [str(i + 1) for i in np.flatnonzero(~close)]
        return Verdict(False, f"Not quite: component {', '.join(wrong)} is off.")

    return check
