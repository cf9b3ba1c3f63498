"""The Class page (``<app>/class``): join a class, continue on another device, start a class and teach it.

What the address may carry:

- ``?join=CODE`` (the join link a teacher shares, or its QR code): the join form with the code filled
  in. Once joined, ``join`` leaves the address, so the address bar never shows more than the page.
- ``?teach=TOKEN`` (the teacher's private link): this browser becomes the class's teacher and the
  token leaves the address at once (a projected address bar must not show it). A token that opens no
  class shows that one sentence and nothing of any class.

Everything the page reads or writes goes through :func:`ui.membership.store_gate`, so while the
database does not answer, each part says so and the rest of the app is untouched. Attempts to join,
resume or start a class are rate-limited (:mod:`ui.class_limits`).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from classroom import MAX_CLASS_NAME_LENGTH, MAX_NICKNAME_LENGTH, ClassroomError, WrongTeacherToken
from classroom.config import limits_from_environment
from classroom.tokens import normalize_code
from ui.class_limits import JOIN_PER_CLASS, JOIN_PER_SESSION, START_PER_SESSION
from ui.course import ordered_lessons
from ui.dashboard import deleted_notice, read_report, render_dashboard
from ui.errors import literal
from ui.membership import (
    adopt,
    adopt_teacher,
    forget_learner,
    forget_teacher,
    learner,
    resume_with_code,
    store_gate,
    teacher_token,
)
from ui.rate_limit import RateLimited, SharedRateLimit, check_session_rate

__all__ = ["render"]

#: The longest join or resume code the boxes take (codes are 6 and 12 letters; dashes and spaces are allowed).
MAX_CODE_CHARS = 20

_JOINED = "class_just_joined"  # Joined, shown once
_STARTED = "class_just_started"  # the teacher link is shown open once
_SAID = "class_page_notice"  # (part, kind, text) said by a button's callback
_LINK_CODE = "class_code_from_link"  # the join link's code last put in the box


@dataclass(frozen=True)
class Joined:
    """What a student sees once, right after joining."""

    class_code: str
    nickname: str
    resume_code: str


@st.cache_resource(show_spinner=False)
def _joins_per_class() -> SharedRateLimit:
    return SharedRateLimit(JOIN_PER_CLASS)


def _say(part: str, kind: str, text: str) -> None:
    st.session_state[_SAID] = (part, kind, text)


def _notice(part: str) -> None:
    said = st.session_state.get(_SAID)
    if said is not None and said[0] == part:
        del st.session_state[_SAID]
        kind, text = said[1], said[2]
        {"error": st.error, "success": st.success}.get(kind, st.info)(literal(text))


# --- callbacks (run before the page is drawn again) ------------------------------------------------------------------


def _join() -> None:
    code = str(st.session_state.get("class_code") or "")
    nickname = str(st.session_state.get("class_nickname") or "")
    subject = normalize_code(code)[:MAX_CODE_CHARS]
    if not subject:
        _say("join", "error", "Type the join code your teacher gave you.")
        return
    try:
        check_session_rate("class_join", JOIN_PER_SESSION)
        _joins_per_class().check(subject)
        enrolment = store_gate().call("enrol", code, nickname)
    except (RateLimited, ClassroomError) as refusal:
        _say("join", "error", str(refusal))
        return
    adopt(enrolment)
    st.session_state[_JOINED] = Joined(enrolment.class_code or subject, enrolment.nickname or "",
                                       enrolment.resume_code)
    st.session_state["class_nickname"] = ""
    if "join" in st.query_params:
        del st.query_params["join"]


def _resume() -> None:
    typed = str(st.session_state.get("class_resume") or "")
    code = normalize_code(typed)[:40]
    if not code:
        _say("resume", "error", "Type the resume code you got when you joined.")
        return
    try:
        student = resume_with_code(code)
    except (RateLimited, ClassroomError) as refusal:
        _say("resume", "error", str(refusal))
        return
    st.session_state["class_resume"] = ""
    if student.class_code is None:
        _say("resume", "success", "Welcome back: this browser continues your progress. You are not in a class.")
    else:
        _say("member", "success", "Welcome back: this device continues where you left off.")


def _leave() -> None:
    forget_learner()
    _say("join", "success", "This browser left the class. Your answers stay with it; your resume code brings "
                            "you back.")


def _start() -> None:
    name = str(st.session_state.get("class_name") or "")
    try:
        check_session_rate("class_start", START_PER_SESSION)
        new = store_gate().call("create_class", name)
    except (RateLimited, ClassroomError) as refusal:
        _say("start", "error", str(refusal))
        return
    adopt_teacher(new.teacher_token)
    st.session_state[_STARTED] = True
    st.session_state["class_name"] = ""


# --- the page's parts ------------------------------------------------------------------------------------------------


def _open_teacher_link(token: str) -> bool:
    """``?teach=TOKEN``: adopt the token if it opens a class (and take it out of the address); False otherwise."""
    try:
        read_report(token)
    except WrongTeacherToken:
        st.error("This teacher link does not open any class: it is mistyped, or its class was deleted or has "
                 "expired.", icon=":material/key_off:")
        return False
    except ClassroomError as refusal:
        st.warning(literal(str(refusal)), icon=":material/cloud_off:")
        return False
    adopt_teacher(token)
    del st.query_params["teach"]
    return True


def _lesson_links() -> None:
    for lesson in ordered_lessons():
        st.page_link(lesson.path, label=f"{lesson.number}. {lesson.title}", icon=lesson.icon)


def _joined_panel(joined: Joined, class_name: str | None) -> None:
    with st.container(border=True):
        st.success(f"You joined **{literal(class_name or joined.class_code)}** as **{literal(joined.nickname)}**.",
                   icon=":material/how_to_reg:")
        st.markdown("Your personal resume code. **Write it down** to continue on another device; it is shown "
                    "only now:")
        st.code(joined.resume_code, language=None)
        st.caption("On another device, open this page and type it under “Continue on another device”. "
                   "This browser remembers you by itself.")
        st.markdown("**The lessons**")
        _lesson_links()


def _member_panel(student, show_whom: bool) -> None:
    st.subheader("Your class", anchor=False)
    _notice("member")
    if show_whom:
        st.markdown(f"You are in **{literal(student.class_name or student.class_code)}** as "
                    f"**{literal(student.nickname or '')}**.")
    if student.class_closed:
        st.info("Your teacher closed this class: your answers are no longer recorded.", icon=":material/lock:")
    else:
        st.caption("Your checked task answers reach your teacher. Your nickname is all they see.")
    st.button("Leave this class", key="class_leave", icon=":material/logout:", on_click=_leave)
    if show_whom:
        st.markdown("**The lessons**")
        _lesson_links()


def _join_form(student, code_from_link: str | None) -> None:
    st.subheader("Join a class", anchor=False)
    if code_from_link is not None and st.session_state.get(_LINK_CODE) != code_from_link:
        st.session_state[_LINK_CODE] = code_from_link  # a new link fills the box once; typing over it is kept
        st.session_state["class_code"] = code_from_link[:MAX_CODE_CHARS]
    if student is not None and student.class_code is not None:
        st.caption(f"This browser is in {literal(student.class_name or student.class_code)} as "
                   f"{literal(student.nickname or '')}; joining another class moves it there.")
    elif code_from_link is not None:
        st.caption("Your teacher's link filled in the code. Choose a nickname, or leave it empty. No account, "
                   "no e-mail.")
    else:
        st.caption("Type the code your teacher shows. No account, no e-mail.")
    st.text_input("Join code", key="class_code", max_chars=MAX_CODE_CHARS, placeholder="KQWHTZ")
    st.text_input("Nickname (optional)", key="class_nickname", max_chars=MAX_NICKNAME_LENGTH,
                  placeholder="Ada", help="What your teacher sees. Leave it empty to be “Student 1”, “Student 2”, …")
    st.button("Join", key="class_join", icon=":material/login:", on_click=_join)
    _notice("join")


def _resume_form() -> None:
    st.subheader("Continue on another device", anchor=False)
    st.caption("Type the resume code you got when you joined.")
    st.text_input("Resume code", key="class_resume", max_chars=MAX_CODE_CHARS + 10, placeholder="KQWH-TZMA-PRXE")
    st.button("Continue", key="class_resume_go", icon=":material/devices:", on_click=_resume)
    _notice("resume")


def _start_form() -> None:
    days = limits_from_environment().class_retention.days
    st.subheader("Start a class", anchor=False)
    st.caption("For teachers: students join with a code or a link, without an account. You get a live dashboard "
               f"of who joined and how each lesson's task goes. A class is deleted after {days} days, or "
               "when you delete it.")
    st.text_input("Class name (optional)", key="class_name", max_chars=MAX_CLASS_NAME_LENGTH,
                  placeholder="Period 3")
    st.button("Start a class", key="class_start", icon=":material/groups:", on_click=_start)
    _notice("start")


def _join_code_in_link() -> str | None:
    code = st.query_params.get("join")
    return None if code is None else code.strip()


def render() -> None:
    """The whole page, from the address's ``join`` or ``teach`` and what this browser holds."""
    st.title("Class")
    teach = st.query_params.get("teach")
    if teach is not None and not _open_teacher_link(teach):
        return
    code_from_link = _join_code_in_link()
    joined = st.session_state.pop(_JOINED, None)
    token = teacher_token()
    if token and code_from_link is None and joined is None:
        if render_dashboard(token, just_started=bool(st.session_state.pop(_STARTED, False))):
            return
        forget_teacher()
        st.info("The class this browser was teaching no longer exists: it was deleted or has expired.")
    deleted_notice()

    student = learner()
    if joined is not None:
        _joined_panel(joined, student.class_name if student is not None else None)
    in_class = student is not None and student.class_code is not None
    if code_from_link is not None:
        if not (in_class and normalize_code(code_from_link) == student.class_code):
            _join_form(student, code_from_link)
            return
        del st.query_params["join"]
    if in_class:
        _member_panel(student, show_whom=joined is None)
        return
    if store_gate().unavailable:
        st.warning("The class database is not answering right now: joining and starting a class wait until it "
                   "is back. The lessons work as usual.", icon=":material/cloud_off:")
    left, right = st.columns(2, gap="large")
    with left:
        _join_form(student, None)
    with right:
        _resume_form()
    st.divider()
    _start_form()
