"""The one box per lesson where the course's text or code differs from what the page shows.

Every lesson that has such notes ("the course's text says X, it means Y", a bug in the course's code) draws
them with :func:`course_differences`, so the learner finds them under the same closed heading on every page
and opens them by choice.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

TITLE = "Where the course's code differs"


def course_differences(*notes: str | Callable[[], None], expanded: bool = False) -> None:
    """One expander titled :data:`TITLE` holding ``notes``: each a markdown string (trusted lesson text, never user
    text) or a function that draws its part. Nothing is drawn when there is no note (or every callable is None)."""
    parts = [note for note in notes if note]
    if not parts:
        return
    with st.expander(TITLE, icon=":material/menu_book:", expanded=expanded):
        for part in parts:
            if callable(part):
                part()
            else:
                st.markdown(part)
