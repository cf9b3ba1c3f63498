"""The course path: the lessons in order, links between them, and the tasks solved in this session.

A self-learner can go through the seven lessons without the sidebar: each lesson
ends with links to the previous and the next one, and the home page shows which
tasks this browser session has solved. Solved tasks live in the session only,
never in the URL, so a shared link never claims someone else's progress.
"""

from __future__ import annotations

import streamlit as st

from ui.lessons import HOME, LESSONS, SECTIONS, Lesson

_SOLVED = "course_solved_tasks"


def ordered_lessons() -> list[Lesson]:
    return sorted(LESSONS, key=lambda lesson: lesson.number)


def neighbours(path: str) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after the one at ``path`` (None at either end, or for a page that is no lesson)."""
    lessons = ordered_lessons()
    paths = [lesson.path for lesson in lessons]
    if path not in paths:
        return None, None
    i = paths.index(path)
    return (lessons[i - 1] if i > 0 else None), (lessons[i + 1] if i + 1 < len(lessons) else None)


def mark_solved(task_key: str) -> None:
    """Remember that this session solved the task ``task_key``."""
    st.session_state[_SOLVED] = solved_tasks() | {task_key}


def solved_tasks() -> frozenset[str]:
    return frozenset(st.session_state.get(_SOLVED, frozenset()))


def sidebar_navigation(home: st.Page, pages: dict[str, st.Page], class_page: st.Page | None = None) -> None:
    """The lessons grouped by section, as plain links (``pages`` maps a lesson's path to its page), and the
    Class page."""
    with st.sidebar:
        st.page_link(home)
        if class_page is not None:
            st.page_link(class_page)
        for section in SECTIONS:
            lessons = [lesson for lesson in ordered_lessons() if lesson.section == section]
            if lessons:
                st.caption(section)
                for lesson in lessons:
                    st.page_link(pages[lesson.path])


def lesson_footer(path: str) -> None:
    """Links to the previous lesson, the home page and the next lesson."""
    before, after = neighbours(path)
    if before is None and after is None:
        return
    st.divider()
    left, middle, right = st.columns(3)
    if before is not None:
        left.page_link(before.path, label=f"Previous: {before.number}. {before.title}",
                       icon=":material/arrow_back:")
    middle.page_link(HOME, label="All lessons", icon=":material/home:")
    if after is not None:
        right.page_link(after.path, label=f"Next: {after.number}. {after.title}", icon=":material/arrow_forward:")
