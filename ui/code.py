"""Show the source of the calc_core functions a page calls."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import streamlit as st

from ui import widgets


def show_code(key: str, *functions: Callable) -> None:
    """A "Show the code" toggle that renders each function's source."""
    if widgets.toggle("Show the code", key=key, help="The pure-Python functions behind this view."):
        for function in functions:
            st.caption(f"`{function.__module__}.{function.__qualname__}`")
            st.code(inspect.getsource(function), language="python")
