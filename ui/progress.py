"""The home page's record of a learner: the tasks solved across visits, and continuing on another device.

Progress comes from the class store (:mod:`ui.membership`), so it outlives the tab and the browser's
restarts; the session's own solved tasks count too, so a task solved while the database is down still
shows as solved here.
"""

from __future__ import annotations

import streamlit as st

from classroom import ClassroomError
from ui.course import solved_tasks
from ui.errors import literal
from ui.lessons import Lesson
from ui.membership import learner, lesson_progress, new_resume_code, resume_code_problem, resume_with_code
from ui.rate_limit import RateLimited

RESUME_CODE_INPUT = "home_resume_code"
RESUME_BUTTON = "home_resume"
SHOW_CODE_BUTTON = "home_show_resume_code"
_SHOWN_CODE = "home_shown_resume_code"
_WELCOME = "home_resumed"


def learner_progress(lessons: list[Lesson]) -> dict[str, str]:
    """Draw the count of tasks solved; return a line per lesson answered (by its URL path) to show beside it."""
    recorded = lesson_progress() or {}
    solved_here = solved_tasks()
    lines: dict[str, str] = {}
    done = 0
    for lesson in lessons:
        record = recorded.get(lesson.url_path)
        if lesson.task in solved_here or (record is not None and record.solved):
            done += 1
            first = " at the first try" if record is not None and record.solved_first_try else ""
            lines[lesson.url_path] = f":material/check_circle: Task solved{first}."
        elif record is not None:
            tries = "1 try" if record.attempts == 1 else f"{record.attempts} tries"
            lines[lesson.url_path] = f":material/pending: Task attempted ({tries}), not solved yet."
    kept = ("Your progress is kept on this browser across visits." if learner() is not None else
            "Answer a task and your progress is kept on this browser across visits; no account needed.")
    st.caption(f"Tasks solved: {done} of {len(lessons)}. {kept} Each lesson ends with a link to the next one, "
               "so you can go through them in order.")
    return lines


def continue_elsewhere() -> None:
    """"Continue on another device": show a resume code for this learner, or type one from another device."""
    with st.expander("Continue on another device", icon=":material/devices:"):
        if learner() is not None:
            st.caption("A resume code carries your progress to another browser. Getting a new one retires the "
                       "previous code.")
            if st.button("Show a resume code", key=SHOW_CODE_BUTTON):
                try:
                    st.session_state[_SHOWN_CODE] = new_resume_code()
                except ClassroomError as refusal:
                    st.warning(literal(str(refusal)))
            if st.session_state.get(_SHOWN_CODE):
                st.code(st.session_state[_SHOWN_CODE], language=None)
                st.caption("Type it on the other device's home page. Keep it to yourself: it is your progress.")
        code = st.text_input("Have a resume code from another device? Type it here", key=RESUME_CODE_INPUT,
                             max_chars=40, placeholder="KQWH-TZMA-PRXE")
        problem = resume_code_problem(code)
        if problem:
            st.warning(problem)
        if st.button("Continue with this code", key=RESUME_BUTTON, disabled=not code.strip() or bool(problem)):
            try:
                student = resume_with_code(code)
            except (ClassroomError, RateLimited) as refusal:
                st.warning(literal(str(refusal)))
            else:
                st.session_state.pop(_SHOWN_CODE, None)
                st.session_state[_WELCOME] = student.class_name or ""
                st.rerun()  # the progress above is drawn again, as the code's learner
        if _WELCOME in st.session_state:
            name = st.session_state.pop(_WELCOME)
            where = f" in the class {literal(name)}" if name else ""
            st.success(f"Welcome back{where}: this browser now continues your progress.")
