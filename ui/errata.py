"""The course's errata on a lesson page: one closed box with the same title on every page.

Where the course's text says one thing and means another, or its code has a bug, the page says so, but not on
the way to the experiment: the notes sit in one expander a learner opens by choice.
"""

from __future__ import annotations

import streamlit as st

TITLE = "Where the course's code differs"


def course_differs(*notes: str, container=st) -> None:
    """The page's errata box: each note (plain course prose, never user text) as its own paragraph."""
    notes = tuple(note for note in notes if note)
    if not notes:
        return
    with container.expander(TITLE, icon=":material/menu_book:"):
        for note in notes:
            st.markdown(note)
