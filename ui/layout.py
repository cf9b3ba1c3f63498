"""Page furniture shared by every lesson."""

from __future__ import annotations

import streamlit as st

from ui.lessons import LESSONS, lesson_for
from ui.widgets import link_notice


def page_header(title: str, lesson: int | str | None, summary: str) -> None:
    """Title, the notice of link values the page could not use (:func:`ui.widgets.link_notice`), the lesson's
    place in the course and a one-paragraph summary.

    ``lesson`` is the page's path (pass ``__file__``), whose lesson number comes
    from ``ui/lessons.py``; a number is still accepted; None for pages that are
    not lessons.
    """
    st.title(title)
    link_notice(title)
    entry = lesson_for(lesson) if isinstance(lesson, str) else None
    number = entry.number if entry is not None else lesson if isinstance(lesson, int) else None
    if number is not None:
        st.caption(f"Lesson {number} of {len(LESSONS)} · every setting on this page is kept in the URL, so a "
                   "copied link reproduces this view.")
    st.markdown(summary)


def course_note(text: str) -> None:
    """A short note where the course's text or code differs from what this page shows."""
    st.info(text, icon=":material/menu_book:")
