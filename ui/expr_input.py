"""The expression box every lesson uses: type math, see what was understood."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
import sympy

from calc_core.expressions import MAX_LENGTH
from ui import compute, widgets
from ui.controls import Control, Kind
from ui.errors import literal

EXPRESSION_HELP = ("Use ^ for powers, implicit products like 2x, and functions such as sin, exp, ln, sqrt, abs, "
                   "sigmoid.")


def expression_control(key: str, label: str, default: str) -> Control:
    """The declaration of an expression box: its text control, as :func:`expression_input` draws it."""
    return Control(key, label, Kind.TEXT, default, max_chars=MAX_LENGTH, help=EXPRESSION_HELP)


def typed_text(key: str, default: str) -> str:
    """The text the expression box ``key`` holds: what cached views take as their key.

    Read from the session, or from the link when a teacher hid the box.
    """
    if key in st.session_state:
        return str(st.session_state[key])
    values = st.query_params.get_all(key)
    return str(values[-1]) if values else default


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
    if presets:
        widgets.examples(f"{key}_preset", presets, lambda choice: {key: choice}, guards=(key,),
                         help="Pick an example to copy it into the box below.", container=container)
    value = widgets.text(label, key=key, value=default, max_chars=MAX_LENGTH, container=container,
                         help=EXPRESSION_HELP)
    parsed = compute.parse(value, tuple(variables), tuple(parameters))
    if parsed.error:
        container.error(f"Could not read “{literal(value[:60])}”: {literal(parsed.error)}")
        if stop_on_error:
            st.stop()
        return None
    if show_latex:
        args = ", ".join(variables)
        if parsed.latex:
            container.latex(rf"{name}({args}) = {parsed.latex}")
        else:
            container.caption(f"{name}({args}) is too long to display as a formula.")
    return parsed.expr


def remembered_function_box(control: Control, presets: Sequence[str], variables: Sequence[str] = ("x",)) -> str | None:
    """The page's function box (``control``, with its examples): the text of f when it reads, else None (the
    message is under the box). The last text that read is remembered for :func:`last_good_function`."""
    parsed = expression_input(control.label, key=control.key, default=control.default, variables=variables,
                              presets=presets, stop_on_error=False)
    if parsed is None:
        return None
    text = typed_text(control.key, control.default)
    st.session_state[_last_good_key(control)] = text
    return text


def last_good_function(control: Control) -> str | None:
    """The last text of ``control``'s box that read in this session: the charts keep it while the box holds one
    that does not (session only, never in the link)."""
    return st.session_state.get(_last_good_key(control))


def _last_good_key(control: Control) -> str:
    return f"_{control.key}_last_good"
