"""The task box each lesson ends with: type an answer, get it checked, ask for a hint."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import streamlit as st
import sympy

from calc_core.budget import run_with_budget
from calc_core.expressions import ExpressionError, parse_expression, to_function, with_real_symbols
from ui import widgets

# Points where two formulas are compared; spread over negatives and positives so
# both sign-sensitive (abs, log) and general answers are exercised.
_SAMPLES = np.array([-2.3, -1.7, -0.9, -0.35, 0.2, 0.45, 0.8, 1.3, 1.9, 2.6, 3.4])
_RTOL = 1e-6
_MIN_POINTS = 4


@dataclass(frozen=True)
class Verdict:
    """The result of checking a learner's answer."""

    ok: bool
    message: str


def _sample_grid(n_vars: int, seed: int = 7) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.permutation(_SAMPLES) for _ in range(n_vars)]


def _simplifies_to_zero(expr: sympy.Expr) -> bool:
    return sympy.simplify(expr) == 0


def expressions_agree(answer: sympy.Expr, expected: sympy.Expr, variables: Sequence[str]) -> Verdict:
    """Compare two expressions numerically at sample points, then symbolically under a budget."""
    grid = _sample_grid(len(variables))
    with np.errstate(all="ignore"):
        want = np.broadcast_to(to_function(expected, variables)(*grid), _SAMPLES.shape)
        got = np.broadcast_to(to_function(answer, variables)(*grid), _SAMPLES.shape)
    usable = np.isfinite(want)
    if usable.sum() < _MIN_POINTS:
        return Verdict(False, "This answer cannot be checked at enough points.")
    close = np.isclose(got[usable], want[usable], rtol=_RTOL, atol=1e-9)
    if not close.all():
        i = int(np.flatnonzero(usable)[np.argmin(close)])
        where = ", ".join(f"{v}={g[i]:g}" for v, g in zip(variables, grid))
        return Verdict(False, f"Not quite: at {where} your answer gives {got[i]:.6g}, the correct one {want[i]:.6g}.")
    symbolic = run_with_budget(_simplifies_to_zero, answer - expected, timeout=1.5)
    if symbolic.ok and symbolic.value:
        return Verdict(True, "Correct — equal to the expected answer symbolically.")
    return Verdict(True, f"Correct — equal to the expected answer at {int(usable.sum())} test points.")


def symbolic_checker(expected: sympy.Expr, variables: Sequence[str] = ("x",),
                     parameters: Sequence[str] = ()) -> Callable[[str], Verdict]:
    """A checker accepting any expression equivalent to ``expected``."""

    def check(text: str) -> Verdict:
        answer = parse_expression(text, variables, parameters or None)
        return expressions_agree(answer, expected, (*variables, *parameters))

    return check


def antiderivative_checker(f: sympy.Expr, var: str = "x") -> Callable[[str], Verdict]:
    """A checker accepting any ``F`` with ``F' = f`` (so any constant is fine)."""

    def check(text: str) -> Verdict:
        answer = parse_expression(text, (var,))
        derivative = with_real_symbols(answer, (var,), lambda e, v: e.diff(v))
        verdict = expressions_agree(derivative, f, (var,))
        if verdict.ok:
            return Verdict(True, "Correct — its derivative is f(x). Any constant C may be added.")
        return Verdict(False, f"Differentiating your answer does not give f(x). {verdict.message}")

    return check


def parse_vector(text: str, size: int) -> tuple[float, ...]:
    """Read ``(a, b)``, ``[a, b]`` or ``a, b`` of plain numbers (expressions like 2/3 or sqrt(2) allowed)."""
    inner = re.sub(r"^\s*[\(\[]|[\)\]]\s*$", "", text.strip())
    parts = [p for p in inner.split(",")]
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
    """A checker for a vector answer such as a gradient at a point."""

    def check(text: str) -> Verdict:
        got = np.array(parse_vector(text, len(expected)))
        want = np.asarray(expected, dtype=float)
        if np.allclose(got, want, rtol=tol, atol=tol):
            return Verdict(True, "Correct.")
        wrong = [i + 1 for i in range(len(want)) if not np.isclose(got[i], want[i], rtol=tol, atol=tol)]
        return Verdict(False, f"Not quite: component {', '.join(map(str, wrong))} is off.")

    return check


def task_box(key: str, prompt: str, checker: Callable[[str], Verdict], hint: str, solution_md: str,
             placeholder: str = "", answer_label: str = "Your answer") -> Verdict | None:
    """Draw the lesson's task: prompt, answer box, verdict, hint and reveal toggles.

    ``checker`` may raise ``ValueError`` for unreadable answers; the message is
    shown as a warning (the rest of the page keeps working).
    """
    verdict = None
    with st.container(border=True):
        st.markdown(f"**Task.** {prompt}")
        answer = widgets.text(answer_label, key=f"{key}_answer", value="", placeholder=placeholder)
        if answer.strip():
            try:
                verdict = checker(answer)
            except ValueError as exc:
                st.warning(f"Could not read your answer: {exc}")
            else:
                (st.success if verdict.ok else st.warning)(verdict.message)
        left, right = st.columns(2)
        if widgets.toggle("Hint", key=f"{key}_hint", container=left):
            st.info(hint)
        if widgets.toggle("Show the solution", key=f"{key}_reveal", container=right):
            st.markdown(solution_md)
    return verdict
