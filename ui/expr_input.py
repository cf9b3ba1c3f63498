"""The expression box every lesson uses: type math, see what was understood."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
import sympy

from calc_core.expressions import MAX_LENGTH, ExpressionError, parse_expression, to_function
from ui import widgets
from ui.teacher import teacher_settings

CUSTOM = "Custom…"


@st.cache_data(max_entries=512, ttl=3600, show_spinner=False)
def _parse_cached(text: str, variables: tuple[str, ...], parameters: tuple[str, ...]) -> tuple[str, object, str]:
    """Parse once per distinct text; returns ("ok", expr, latex) or ("error", message, "")."""
    try:
        expr = parse_expression(text, variables, parameters or None)
    except ExpressionError as exc:
        return "error", str(exc), ""
    return "ok", expr, sympy.latex(expr)


@st.cache_resource(max_entries=128, ttl=3600, show_spinner=False)
def compiled(key: str, _expr: sympy.Expr, variables: tuple[str, ...] = ("x",)):
    """``to_function(_expr, variables)``, compiled once per expression and shared read-only.

    ``key`` is the expression's canonical text (e.g. ``sympy.srepr``); compiling with
    lambdify costs milliseconds, too much to repeat on every slider move.
    """
    return to_function(_expr, variables)


def _apply_preset(key: str) -> None:
    choice = st.session_state.get(f"{key}_preset")
    if choice and choice != CUSTOM:
        st.session_state[key] = choice


def expression_input(
    label: str,
    key: str,
    default: str,
    variables: Sequence[str] = ("x",),
    parameters: Sequence[str] = (),
    presets: Sequence[str] | None = None,
    name: str = "f",
    container=st,
    show_latex: bool = True,
    stop_on_error: bool = True,
) -> sympy.Expr | None:
    """Draw a URL-bound text box (with optional examples) and return the parsed expression.

    Picking an example copies it into the text box, which alone holds the value
    (and the URL). On a bad expression the error is shown with ``st.error`` and,
    when ``stop_on_error``, the page stops there; otherwise ``None`` is returned.
    The understood expression is echoed in LaTeX.
    """
    settings = teacher_settings()
    if presets and not (settings.is_hidden(key) or settings.is_locked(key)):
        container.selectbox("Examples", [CUSTOM, *presets], key=f"{key}_preset", on_change=_apply_preset,
                            args=(key,), help="Pick an example to copy it into the box below.")
    value = widgets.text(label, key=key, value=default, max_chars=MAX_LENGTH, container=container,
                         help="Use ^ for powers, implicit products like 2x, and functions such as "
                              "sin, exp, ln, sqrt, abs, sigmoid.")
    status, expr, latex = _parse_cached(value, tuple(variables), tuple(parameters))
    if status != "ok":
        error = expr
        container.error(f"Could not read “{value[:60]}”: {error}")
        if stop_on_error:
            st.stop()
        return None
    if show_latex:
        args = ", ".join(variables)
        container.latex(rf"{name}({args}) = {latex}")
    return expr
