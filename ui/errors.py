"""Turning failures into messages a learner can act on, never a traceback."""

from __future__ import annotations

import logging
import re
import string
from contextlib import contextmanager

import streamlit as st

_log = logging.getLogger("calc_lab")

_MARKDOWN_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# Streamlit's own text directives (:red[...], :material/icon:, emoji shortcodes) are matched in text that
# markdown has already unescaped, so a word joiner (invisible) after each colon breaks them too.
_WORD_JOINER = "\u2060"


def literal(text: str) -> str:
    """``text`` made safe to place inside Streamlit markdown: shown exactly as typed, never as markup.

    Every ASCII punctuation character is backslash-escaped (CommonMark renders an
    escaped character as itself), so links, images, autolinks, HTML, emphasis,
    headings, tables and ``$`` maths cannot form; line breaks become spaces.

    Examples
    --------
    >>> "](" in literal("[click](https://evil.example)")
    False
    """
    flat = " ".join(str(text).split())
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", flat).replace(":", ":" + _WORD_JOINER)


def show_user_error(exc: BaseException) -> None:
    """Show ``exc`` as ``st.error``: its own words for ``ValueError``, generic otherwise."""
    if isinstance(exc, ValueError):
        st.error(literal(str(exc)) or "That input cannot be used.")
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
