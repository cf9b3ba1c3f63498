"""Turning failures into messages a learner can act on, never a traceback."""

from __future__ import annotations

import logging
import re
import string
import unicodedata
from contextlib import contextmanager

import streamlit as st

_log = logging.getLogger("calc_lab")

# ASCII punctuation that can open or close markdown syntax (CommonMark, GFM, remark-math, remark-directive).
# The rest, ( ) , . ; ? ' " / %, is inert once every bracket is escaped, so it stays as typed.
MARKDOWN_ACTIVE = "".join(c for c in string.punctuation if c not in "(),.;?'\"/%")
_MARKDOWN_PUNCTUATION = re.compile("([" + re.escape(MARKDOWN_ACTIVE) + "])")
# Some of Streamlit's markdown runs on text that markdown has already unescaped: its directives and icons
# (:red[...], :material/icon:, emoji shortcodes), GFM's bare links (www.site, name@site) and its arrows
# (-> becomes →). An invisible word joiner after each colon, before each "@", between "w" and a dot
# and inside runs of <->=~ breaks every one of them without changing what a reader sees.
_WORD_JOINER = "\u2060"
_LIST_START = re.compile(r"^(\d+)([.)])")
_JOINS = re.compile(r"(?<=:)|(?=@)|(?<=[wW])(?=\.)|(?<=[<>=~-])(?=[<>=~-])")


def literal(text: str) -> str:
    r"""``text`` made safe to place inside Streamlit markdown: shown exactly as typed, never as markup.

    Every ASCII punctuation character that markdown gives a meaning is
    backslash-escaped (CommonMark renders an escaped character as itself), so
    links, images, autolinks, HTML, emphasis, headings, lists, tables, directives
    and ``$`` maths cannot form; whitespace runs and line breaks
    become one space; invisible control and format characters (such as
    right-to-left overrides) show as U+FFFD; word joiners break the patterns
    Streamlit matches after unescaping (see above).

    Examples
    --------
    >>> literal("[click](https://evil.example)")
    '\\[click\\](https\\:\u2060//evil.example)'
    >>> literal("x^2 + 1")
    'x\\^2 \\+ 1'
    """
    flat = " ".join(str(text).split())
    visible = "".join("\ufffd" if unicodedata.category(char) in ("Cc", "Cf") else char for char in flat)
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", _JOINS.sub(_WORD_JOINER, visible))
    # "1." or "1)" would open an ordered list only at the very start.
    return _LIST_START.sub(r"\1\\\2", escaped)


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
