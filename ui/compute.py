"""The one way pages cache and bound their work.

Every cached function takes plain values only (the text a visitor typed, numbers,
tuples of them), so its cache key is exactly its arguments and cannot be built
wrong. A typed expression travels as its text; inside a cached function
:func:`expression` turns it back into the (cached, shared) sympy tree.

- :func:`cached` for results that are data (copied on each use): bounded
  ``st.cache_data``.
- :func:`shared` for read-only objects that cannot or need not be copied
  (parsed expressions, compiled numpy functions): bounded ``st.cache_resource``.

  Both keep a result for an hour, except one that a budgeted call left unfinished
  (out of time, no worker slot, a lost worker): that says as much about how busy
  the machine was as about the work, so it is used for
  :data:`~calc_core.limits.UNFINISHED_RETRY_AFTER` seconds and then computed again.
- :func:`per_session` for what one browser session holds that must be let go
  the moment the session disconnects (session-scoped ``st.cache_resource``).
- :func:`bounded` for work whose cost grows with what a visitor typed: it runs in
  a killable worker under a wall-clock budget, with worker slots shared fairly
  between browser sessions (:mod:`calc_core.budget`).
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st
import sympy

from calc_core.budget import BudgetResult, note_unfinished, noting_unfinished, run_with_budget
from calc_core.expressions import ExpressionError, expression_latex, parse_expression, to_function
from calc_core.limits import SYMBOLIC_TIMEOUT, UNFINISHED_RETRY_AFTER

_TTL_SECONDS = 3600
# The session-state key of the browser session's id (see session_id).
_SESSION_ID = "_calc_lab_session_id"
# The clock that dates unfinished results (a test moves it instead of waiting).
_now = time.monotonic


def _retrying_unfinished(store: Callable[[Callable], Callable]) -> Callable[[Callable], Callable]:
    """``store`` (a Streamlit cache decorator) around a function, except that a result computed while a
    budgeted call came back unfinished is recomputed once it is :data:`UNFINISHED_RETRY_AFTER` seconds old.

    The cache holds ``(result, retry_at)``; a reader past ``retry_at`` drops that one entry. A reader of an
    unfinished result also marks its own enclosing cached computation, so what is built on it is not kept
    for an hour either.
    """

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def noting(*args, **kwargs):
            with noting_unfinished() as note:
                result = function(*args, **kwargs)
            return result, (_now() + UNFINISHED_RETRY_AFTER if note.unfinished else None)

        stored = store(noting)

        @functools.wraps(function)
        def call(*args, **kwargs):
            result, retry_at = stored(*args, **kwargs)
            if retry_at is not None and _now() >= retry_at:
                stored.clear(*args, **kwargs)
                result, retry_at = stored(*args, **kwargs)
            if retry_at is not None:
                note_unfinished()
            return result

        call.clear = stored.clear
        return call

    return decorate


def cached(function: Callable | None = None, *, max_entries: int = 128):
    """Bounded ``st.cache_data``: use as ``@cached`` or ``@cached(max_entries=...)``."""
    decorator = _retrying_unfinished(st.cache_data(max_entries=max_entries, ttl=_TTL_SECONDS, show_spinner=False))
    return decorator if function is None else decorator(function)


def shared(function: Callable | None = None, *, max_entries: int = 64):
    """Bounded ``st.cache_resource`` for immutable results shared by every session."""
    decorator = _retrying_unfinished(st.cache_resource(max_entries=max_entries, ttl=_TTL_SECONDS,
                                                       show_spinner=False))
    return decorator if function is None else decorator(function)


def per_session(function: Callable | None = None, *, on_release: Callable[[Any], None], max_entries: int = 8):
    """Session-scoped ``st.cache_resource``: one value per browser session and arguments, handed to
    ``on_release`` as soon as the session disconnects (Streamlit keeps the session itself a while longer)."""
    decorator = st.cache_resource(scope="session", on_release=on_release, max_entries=max_entries,
                                  show_spinner=False)
    return decorator if function is None else decorator(function)


def session_id() -> str:
    """The current browser session's id: a random one, kept in its session state from its first call on.

    Worker slots and training slots are handed out per id, so it must stay the same
    for as long as the session does and differ between sessions. A browser that
    reconnects to another process starts a new session there, with a new id.
    (Outside a Streamlit run there is no session: Streamlit's stand-in session
    state gives every such caller in the process one shared id.)
    """
    return st.session_state.setdefault(_SESSION_ID, uuid.uuid4().hex)


def bounded(function: Callable, *args: Any, timeout: float = SYMBOLIC_TIMEOUT) -> BudgetResult:
    """``function(*args)`` in a killable worker, owned by this session (see :func:`run_with_budget`)."""
    return run_with_budget(function, *args, timeout=timeout, owner=session_id())


@dataclass(frozen=True)
class Parsed:
    """A typed expression as understood: the tree and its LaTeX, or why it was refused."""

    expr: sympy.Expr | None = None
    latex: str = ""
    error: str = ""


@shared(max_entries=512)
def parse(text: str, variables: tuple[str, ...] = ("x",), parameters: tuple[str, ...] = ()) -> Parsed:
    """Parse once per distinct text; sympy trees are immutable, so every session shares them."""
    try:
        expr = parse_expression(text, variables, parameters or None)
    except ExpressionError as exc:
        return Parsed(error=str(exc))
    try:
        latex = expression_latex(expr)
    except ExpressionError:
        latex = ""
    return Parsed(expr=expr, latex=latex)


def expression(text: str, variables: Sequence[str] = ("x",), parameters: Sequence[str] = ()) -> sympy.Expr:
    """The sympy tree of ``text`` (cached); raises :class:`ExpressionError` if it cannot be read."""
    parsed = parse(text, tuple(variables), tuple(parameters))
    if parsed.error:
        raise ExpressionError(parsed.error)
    return parsed.expr


@shared(max_entries=128)
def numeric_function(text: str, variables: tuple[str, ...] = ("x",), parameters: tuple[str, ...] = ()):
    """``text`` compiled to a vectorised numpy function of ``(*variables, *parameters)``, once per text."""
    return to_function(expression(text, variables, parameters), (*variables, *parameters))
