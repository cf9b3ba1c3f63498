"""Page furniture shared by every lesson."""

from __future__ import annotations

import streamlit as st


def page_header(title: str, lesson_no: int | None, summary: str) -> None:
    """Title, lesson number and a one-paragraph summary."""
    st.title(title)
    if lesson_no is not None:
        st.caption(f"Lesson {lesson_no} of 7 · every setting on this page is kept in the URL, so a copied link "
                   "reproduces this view.")
    st.markdown(summary)


def course_note(text: str) -> None:
    """A short note where the course's text or code differs from what this page shows."""
    st.info(text, icon=":material/menu_book:")
