"""Page furniture shared by every lesson."""

from __future__ import annotations

import streamlit as st


def ensure_app_navigation() -> None:
    """Make a deep link on a freshly started server render through ``app.py``.

    Streamlit decides once per server process whether a ``pages/`` folder means
    the legacy multipage mode, and only leaves it when ``st.navigation`` runs.
    If the first visitor after a restart opens a shared link such as
    ``/derivatives``, that page would run on its own (no page config, no
    sidebar). Leaving the legacy mode and rerunning sends the same URL through
    ``app.py`` instead, with every query parameter intact.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_header(title: str, lesson_no: int | None, summary: str) -> None:
    """Title, lesson number and a one-paragraph summary."""
    ensure_app_navigation()
    st.title(title)
    if lesson_no is not None:
        st.caption(f"Lesson {lesson_no} of 7 · every setting on this page is kept in the URL, so a copied link "
                   "reproduces this view.")
    st.markdown(summary)


def course_note(text: str) -> None:
    """A short note where the course's text or code differs from what this page shows."""
    st.info(text, icon=":material/menu_book:")
