"""Turning failures into messages a learner can act on, never a traceback."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import streamlit as st

_log = logging.getLogger("calc_lab")


def show_user_error(exc: BaseException) -> None:
    """Show ``exc`` as ``st.error``: its own words for ``ValueError``, generic otherwise."""
    if isinstance(exc, ValueError):
        st.error(str(exc) or "That input cannot be used.")
    else:
        _log.exception("Unexpected error while rendering a page", exc_info=exc)
        st.error("Something went wrong computing this view. Try other values; the rest of the page still works.")


@contextmanager
def user_errors(stop: bool = True):
    """Run a block; a ``ValueError`` becomes ``st.error`` (and stops the page if ``stop``).

    Other exceptions are logged on the server and shown as a short generic error.
    Streamlit's control flow (``st.stop``, reruns) derives from ``BaseException``
    and passes through untouched.
    """
    try:
        yield
    except ArithmeticError as exc:
        show_user_error(ValueError(f"The computation failed: {exc}"))
        if stop:
            st.stop()
    except Exception as exc:
        show_user_error(exc)
        if stop:
            st.stop()
