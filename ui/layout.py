"""Page furniture shared by every lesson."""

from __future__ import annotations

import streamlit as st

from ui.lessons import LESSONS, lesson_for

_SHELL_RUN = "_calc_lab_shell_run"


@st.cache_resource(show_spinner=False)
def _leave_legacy_pages_mode() -> bool:
    """Once per process: leave Streamlit's legacy ``pages/`` mode; True if it was on.

    Streamlit 1.67 decides once per process, from the mere existence of a
    ``pages/`` folder next to ``app.py``, to run a deep link such as
    ``/derivatives`` as the page script alone (no ``app.py``: no page config, no
    sidebar, no teacher caption), and only leaves that mode when ``st.navigation``
    runs, which happens in ``app.py``. No option or public call turns it off
    before the first visitor arrives, and the folder name must stay because
    the URL paths of shared links come from it. So the first page view in a
    process clears the class attribute Streamlit keeps for it (the same thing
    ``st.navigation`` does). ``tests/app/test_shell.py`` fails if an upgrade
    renames the attribute or stops reading it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    was_legacy = bool(PagesManager.uses_pages_directory)
    PagesManager.uses_pages_directory = False
    return was_legacy


def mark_shell_run() -> None:
    """Called by ``app.py`` before it runs the page: this run draws the app's shell."""
    st.session_state[_SHELL_RUN] = True


def ensure_app_navigation() -> None:
    """Send a deep link that ran as a bare page script through ``app.py``, query string intact.

    Several sessions can start in legacy mode at once (a restarted server whose
    open tabs reconnect together), so each run checks for itself whether
    ``app.py`` drew it, rather than trusting the first one to have fixed it.
    """
    if _leave_legacy_pages_mode() and not st.session_state.pop(_SHELL_RUN, False):
        st.rerun()


def page_header(title: str, lesson: int | str | None, summary: str) -> None:
    """Title, the lesson's place in the course and a one-paragraph summary.

    ``lesson`` is the page's path (pass ``__file__``), whose lesson number comes
    from ``ui/lessons.py``; a number is still accepted; None for pages that are
    not lessons.
    """
    ensure_app_navigation()
    st.title(title)
    entry = lesson_for(lesson) if isinstance(lesson, str) else None
    number = entry.number if entry is not None else lesson if isinstance(lesson, int) else None
    if number is not None:
        st.caption(f"Lesson {number} of {len(LESSONS)} · every setting on this page is kept in the URL, so a "
                   "copied link reproduces this view.")
    st.markdown(summary)


def course_note(text: str) -> None:
    """A short note where the course's text or code differs from what this page shows."""
    st.info(text, icon=":material/menu_book:")
