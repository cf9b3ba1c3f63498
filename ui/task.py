"""The task box each lesson ends with: type an answer, get it checked, ask for a hint.

The checking itself lives in :mod:`calc_core.answers`; this module adds the
Streamlit parts: the box, and the symbolic confirmation run in the killable
worker under the answer-check budget, owned by the visitor's session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st
import sympy

from calc_core import answers
from calc_core.answers import Verdict, parse_vector, vector_checker
from calc_core.limits import ANSWER_CHECK_TIMEOUT
from ui.compute import bounded
from ui.course import mark_solved
from ui.errors import literal
from ui.membership import record_checked_answer
from ui.teacher import teacher_settings

__all__ = [
    "Verdict",
    "antiderivative_checker",
    "confirm_symbolically",
    "expressions_agree",
    "parse_vector",
    "symbolic_checker",
    "task_box",
    "vector_checker",
]


def confirm_symbolically(check: Callable[..., bool], *args) -> bool | None:
    """``check(*args)`` (a symbolic check from :mod:`calc_core.answers`) in the worker; None when out of budget."""
    result = bounded(check, *args, timeout=ANSWER_CHECK_TIMEOUT)
    return result.value if result.ok else None


def expressions_agree(answer: sympy.Expr, expected: sympy.Expr, variables: Sequence[str]) -> Verdict:
    """:func:`calc_core.answers.expressions_agree`, confirmed symbolically under the budget."""
    return answers.expressions_agree(answer, expected, variables, confirm_symbolically)


def symbolic_checker(expected: sympy.Expr, variables: Sequence[str] = ("x",),
                     parameters: Sequence[str] = ()) -> Callable[[str], Verdict]:
    """:func:`calc_core.answers.symbolic_checker`, confirmed symbolically under the budget."""
    return answers.symbolic_checker(expected, variables, parameters, confirm_symbolically)


def antiderivative_checker(f: sympy.Expr, var: str = "x") -> Callable[[str], Verdict]:
    """:func:`calc_core.answers.antiderivative_checker`, confirmed symbolically under the budget."""
    return answers.antiderivative_checker(f, var, confirm_symbolically)


def task_box(key: str, prompt: str, checker: Callable[[str], Verdict], hint: str, solution_md: str,
             placeholder: str = "", answer_label: str = "Your answer") -> Verdict | None:
    """Draw the lesson's task: prompt, answer box, verdict, hint and reveal toggles.

    ``checker`` may raise ``ValueError`` for unreadable answers; the message is
    shown as a warning (the rest of the page keeps working). Verdicts and such
    messages quote the visitor's text, so they are shown literally, never as markdown.
    """
    _forget_task_link_values(key)
    settings = teacher_settings()
    verdict = None
    with st.container(border=True):
        st.markdown(f"**Task.** {prompt}")
        # Plain session widgets, never bound to the URL: a copied address never carries a typed answer or an
        # open hint or solution, and no teacher lock (not even ``lock=all``) takes the answer box away.
        answer = st.text_input(answer_label, key=f"{key}_answer", placeholder=placeholder,
                               max_chars=ANSWER_MAX_CHARS) or ""
        if answer.strip():
            try:
                verdict = checker(answer)
            except ValueError as exc:
                st.warning(f"Could not read your answer: {literal(str(exc))}")
                record_checked_answer(key, answer, False)  # the teacher sees what the class could not write, too
            else:
                (st.success if verdict.ok else st.warning)(literal(verdict.message))
                if verdict.ok:
                    mark_solved(key)
                record_checked_answer(key, answer, verdict.ok)
        left, right = st.columns(2)
        if _help_toggle(left, "Hint", f"{key}_hint", settings):
            st.info(hint)
        if _help_toggle(right, "Show the solution", f"{key}_reveal", settings):
            st.markdown(solution_md)
    return verdict


ANSWER_MAX_CHARS = 300
_TASK_SUFFIXES = ("answer", "hint", "reveal")


def task_keys(key: str) -> tuple[str, ...]:
    """The session keys of the task box ``key``: its answer, hint and solution toggles (never URL parameters)."""
    return tuple(f"{key}_{suffix}" for suffix in _TASK_SUFFIXES)


def _forget_task_link_values(key: str) -> None:
    """Drop task values an address carries (a link copied before answers left the URL): they fill nothing."""
    for name in task_keys(key):
        if name in st.query_params:
            del st.query_params[name]


def _help_toggle(container, label: str, key: str, settings) -> bool:
    """The hint or solution toggle: a teacher may hide it (named in ``hide=``) or lock it shut (named in
    ``lock=``); ``lock=all`` leaves it alone, like the answer box."""
    if settings.is_hidden(key):
        return False
    locked = settings.active and key in settings.locked
    return bool(container.toggle(label, value=False, key=key, disabled=locked)) and not locked
