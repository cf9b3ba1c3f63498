"""What a learner in a class sees on every page: their class, the view the teacher sent, and whether
their answers are being recorded.

Learners outside any class see nothing of it (the home page shows their progress instead).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import streamlit as st

from classroom import SharedView
from ui.errors import literal
from ui.lessons import HOME, LESSONS
from ui.membership import learner, recorder

_DISMISSED = "class_banner_dismissed"  # shared_at of the sent view this session dismissed


def class_banner() -> None:
    """The learner's class in the sidebar, the recording state, and a banner for a view the teacher sent."""
    student = learner()
    if student is None:
        return
    writer = recorder()
    with st.sidebar:
        if student.class_code is not None:
            name = student.class_name or student.class_code
            st.caption(f":material/groups: In the class {literal(name)} as {literal(student.nickname or '')}")
            if student.class_closed:
                st.caption("The teacher closed this class: answers are no longer sent to them.")
        if writer.paused_since is not None:
            st.warning("Recording is paused: the class database is not answering. Your answers wait on the "
                       "server and are sent as soon as it is back.", icon=":material/pause_circle:")
        refusal = writer.refusal(student.student_id)
        if refusal:
            st.warning(literal(refusal), icon=":material/error:")
    if student.class_code is not None:
        _sent_view_live()


#: Seconds between two looks for a view the teacher sent, while a class member's page is open.
SENT_VIEW_POLL = 15.0


@st.fragment(run_every=SENT_VIEW_POLL)
def _sent_view_live() -> None:
    """The sent view's banner, looked for again every ``SENT_VIEW_POLL`` seconds, so a student who sits still on
    a page sees it too (the class's details are read at most every ``membership.REFRESH_AFTER`` seconds)."""
    student = learner()
    if student is not None and student.shared_view is not None:
        sent_view(student.shared_view)


def _page_of(path: str) -> str | None:
    """The script serving the app path ``path`` (``/derivatives``), or None for a page the app does not have."""
    slug = path.strip("/")
    if not slug:
        return HOME
    return next((lesson.path for lesson in LESSONS if lesson.url_path == slug), None)


def sent_view(shared: SharedView) -> None:
    """"Your teacher sent a view": a link to it, until the learner dismisses it."""
    if st.session_state.get(_DISMISSED) == shared.shared_at:
        return
    parts = urlsplit(shared.view)
    page = _page_of(parts.path)
    if page is None:
        return
    query: dict[str, list[str]] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(name, []).append(value)
    with st.container(border=True):
        st.markdown(":material/campaign: **Your teacher sent a view to the class.**")
        left, right = st.columns([3, 1])
        left.page_link(page, label="Open the view your teacher sent", icon=":material/open_in_new:",
                       query_params=query)
        if right.button("Dismiss", key="class_banner_dismiss"):
            st.session_state[_DISMISSED] = shared.shared_at
            st.rerun()
