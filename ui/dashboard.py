"""The teacher's dashboard on the Class page: who joined, each lesson's results, and the teacher's controls.

- **One read for every teacher tab.** The class report is read through one process-wide cache
  (:class:`ReportCache`) keyed by the SHA-256 of the teacher token, reused for ``REPORT_TTL`` seconds,
  so several tabs of a class (a laptop and a projector) share each read. Only the dashboard reads it:
  a student's rerun never does, so its cost does not grow with how often students move a slider.
- **Live.** The counts and tables sit in a fragment that reruns every ``REFRESH_SECONDS`` while the
  page is open; the controls (anonymize, send a view, close, delete, remove a student) are drawn
  outside it, so the refresh never disturbs something being typed.
- **Literal.** Nicknames, class names and answers are shown as plain text: in tables (never markdown)
  or through :func:`ui.errors.literal`.
"""

from __future__ import annotations

import collections
import hashlib
import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import segno
import streamlit as st

from classroom import ClassReport, ClassroomError, InvalidInput, WrongTeacherToken, database_url
from ui.app_links import CLASS_URL_PATH, app_address, app_path
from ui.course import ordered_lessons
from ui.errors import literal
from ui.membership import forget_teacher, store_gate

__all__ = [
    "REFRESH_SECONDS",
    "REPORT_TTL",
    "ReportCache",
    "anonymous_names",
    "join_link",
    "qr_png",
    "read_report",
    "render_dashboard",
    "report_cache",
    "teacher_link",
    "view_path",
]

#: Seconds between two refreshes of the dashboard's counts while the page is open.
REFRESH_SECONDS = 3.0
#: Seconds a class report is reused by every tab of the process before the database is read again.
REPORT_TTL = 2.0
#: Wrong answers listed per lesson (most common first).
WRONG_ANSWERS_SHOWN = 5
#: Reports the process keeps at once (one per class with a dashboard open).
REPORTS_KEPT = 256

_COURSE = tuple(lesson.url_path for lesson in ordered_lessons())
_NOTICE = "class_dashboard_notice"  # (kind, text) said after a control's callback
_ANONYMIZE = "class_anonymize"


@dataclass
class _Entry:
    lock: threading.Lock = field(default_factory=threading.Lock)
    report: ClassReport | None = None
    read_at: float = float("-inf")


class ReportCache:
    """Class reports shared by every session of the process, keyed by the teacher token's hash.

    :meth:`get` returns the report read within the last ``ttl`` seconds, else reads it (one read per class
    at a time: tabs asking meanwhile wait for it and share it). Refusals are never kept.
    """

    def __init__(self, ttl: float = REPORT_TTL, entries: int = REPORTS_KEPT,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self._entries_kept = entries
        self._clock = clock
        self._entries: collections.OrderedDict[str, _Entry] = collections.OrderedDict()
        self._lock = threading.Lock()
        #: Reports read from the database by this cache.
        self.reads = 0

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()

    def get(self, token: str, read: Callable[[], ClassReport]) -> ClassReport:
        """The class's report, fresh within ``ttl`` seconds; ``read()`` reads it (its refusals propagate)."""
        key = self._key(token)
        with self._lock:
            entry = self._entries.pop(key, None) or _Entry()
            self._entries[key] = entry
            while len(self._entries) > self._entries_kept:
                self._entries.popitem(last=False)
        with entry.lock:
            if entry.report is not None and self._clock() - entry.read_at < self.ttl:
                return entry.report
            try:
                report = read()
            except BaseException:
                if entry.report is None:  # a wrong token keeps no entry
                    self.forget(token)
                raise
            self.reads += 1
            entry.report, entry.read_at = report, self._clock()
            return report

    def forget(self, token: str) -> None:
        """Drop the class's report, so the next :meth:`get` reads it (after the teacher changed something)."""
        with self._lock:
            self._entries.pop(self._key(token), None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@st.cache_resource(show_spinner=False, max_entries=4)
def _report_cache_for(url: str) -> ReportCache:
    return ReportCache()


def report_cache() -> ReportCache:
    """The process's report cache for the configured database."""
    return _report_cache_for(database_url())


def read_report(token: str) -> ClassReport:
    """The class's report (every lesson of the course listed), at most ``REPORT_TTL`` seconds old.

    Raises
    ------
    WrongTeacherToken
        No live class has this token.
    StoreUnavailable
        The database does not answer.
    """
    return report_cache().get(token, lambda: store_gate().call(
        "report", token, lessons=_COURSE, wrong_answers=WRONG_ANSWERS_SHOWN))


# --- links and the QR code --------------------------------------------------------------------------------------------


def join_link(code: str) -> str:
    """``<app>/class?join=CODE``: what students open (or scan) to join."""
    return f"{app_address()}/{CLASS_URL_PATH}?join={code}"


def teacher_link(token: str) -> str:
    """``<app>/class?teach=TOKEN``: the teacher's private link."""
    return f"{app_address()}/{CLASS_URL_PATH}?teach={token}"


@st.cache_data(show_spinner=False, max_entries=64)
def qr_png(text: str) -> bytes:
    """A PNG of the QR code of ``text``, large enough to scan from the back of a room when projected."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=4, dark="#000000", light="#ffffff")
    return buffer.getvalue()


def view_path(link: str, app: str) -> str:
    """The path and query of a lesson view of this app, from its full link (``app`` is this app's address) or path.

    ``https://host/lab/derivatives?deriv_f=x^2`` with ``app = "https://host/lab"`` gives
    ``/derivatives?deriv_f=x^2``; so do ``/lab/derivatives?deriv_f=x^2`` and ``derivatives?deriv_f=x^2``.

    Raises
    ------
    InvalidInput
        A link to another site, or to a page that is not a lesson.
    """
    text = link.strip()
    if not text:
        raise InvalidInput("Paste the link of a lesson page first.")
    parts = urlsplit(text)
    home = urlsplit(app)
    prefix = home.path.rstrip("/")
    if parts.scheme or parts.netloc:
        same_site = (parts.scheme.lower(), parts.netloc.lower()) == (home.scheme.lower(), home.netloc.lower())
        if not app or not same_site:
            raise InvalidInput("Only a link to a page of this app can be sent to the class.")
    path = parts.path if parts.path.startswith("/") else f"/{parts.path}"
    if prefix and app_path(path) == prefix:
        path = path[len(prefix):]
    page = path.strip("/")
    if page not in _COURSE:
        raise InvalidInput("Only a lesson page can be sent to the class: open the lesson, set it up, and copy "
                           "its address.")
    return f"/{page}" + (f"?{parts.query}" if parts.query else "")


# --- the dashboard ----------------------------------------------------------------------------------------------------


def anonymous_names(count: int) -> list[str]:
    """What the anonymize switch shows instead of nicknames: "Student 1".."Student N", in join order."""
    return [f"Student {i}" for i in range(1, count + 1)]


def _shown_names(report: ClassReport) -> list[str]:
    if st.session_state.get(_ANONYMIZE):
        return anonymous_names(len(report.students))
    return [student.nickname for student in report.students]


def _browser_zone():
    try:
        name = st.context.timezone
    except Exception:  # no browser connection
        name = None
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _clock_time(moment: datetime, zone, now: datetime) -> str:
    local = moment.astimezone(zone)
    return local.strftime("%H:%M") if local.date() == now.astimezone(zone).date() else local.strftime("%d %b %H:%M")


def _ago(moment: datetime, now: datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86_400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86_400} days ago"


def students_table(report: ClassReport, names: list[str], zone=UTC, now: datetime | None = None) -> pd.DataFrame:
    """One row per student, in join order: the name shown, joined, last seen, lessons solved and attempted."""
    now = now or datetime.now(UTC)
    total = len(_COURSE)
    return pd.DataFrame({
        "Student": names,
        "Joined": [_clock_time(s.joined_at, zone, now) for s in report.students],
        "Last seen": [_ago(s.last_seen_at, now) for s in report.students],
        "Solved": [f"{len(s.solved)} of {total}" for s in report.students],
        "Tried": [f"{len(s.attempted)} of {total}" for s in report.students],
    }, dtype=object)


def lessons_table(report: ClassReport) -> pd.DataFrame:
    """One row per lesson of the course, in order: students who attempted, solved, solved at the first try."""
    rows = []
    for lesson in ordered_lessons():
        summary = report.lessons.get(lesson.url_path)
        rows.append({
            "Lesson": f"{lesson.number}. {lesson.title}",
            "Attempted": summary.attempted if summary else 0,
            "Solved": summary.solved if summary else 0,
            "Solved at the first try": summary.solved_first_try if summary else 0,
            "Answers": summary.attempts if summary else 0,
        })
    return pd.DataFrame(rows)


def wrong_answers_table(report: ClassReport) -> pd.DataFrame:
    """The most common wrong answers per lesson, in course order: the answer as typed and how many gave it."""
    rows = []
    for lesson in ordered_lessons():
        summary = report.lessons.get(lesson.url_path)
        for answer, students in (summary.wrong_answers if summary else ())[:WRONG_ANSWERS_SHOWN]:
            rows.append({"Lesson": f"{lesson.number}. {lesson.title}", "Wrong answer": answer, "Students": students})
    return pd.DataFrame(rows, columns=["Lesson", "Wrong answer", "Students"]).astype(
        {"Lesson": object, "Wrong answer": object})


@st.fragment(run_every=REFRESH_SECONDS)
def _live_results(token: str) -> None:
    """The counts and tables, re-read every ``REFRESH_SECONDS`` while the page is open."""
    try:
        report = read_report(token)
    except WrongTeacherToken:
        st.info("This class no longer exists: it was deleted or has expired.")
        return
    except ClassroomError as refusal:
        st.warning(literal(str(refusal)), icon=":material/cloud_off:")
        return
    names = _shown_names(report)
    solved_any = sum(bool(student.solved) for student in report.students)
    left, right = st.columns(2)
    left.metric("Students", len(report.students))
    right.metric("Solved at least one task", solved_any)
    st.subheader("Who joined")
    if report.students:
        st.dataframe(students_table(report, names, _browser_zone()), hide_index=True, key="class_students_table")
    else:
        st.caption("Nobody has joined yet. Share the join code or the link above.")
    st.subheader("Tasks")
    st.dataframe(lessons_table(report), hide_index=True, key="class_lessons_table")
    st.markdown("**Most common wrong answers**")
    wrong = wrong_answers_table(report)
    if len(wrong):
        st.dataframe(wrong, hide_index=True, key="class_wrong_table")
    else:
        st.caption("No wrong answers yet.")
    st.caption(f"Updated every {REFRESH_SECONDS:g} seconds while this page is open.")


@st.fragment(run_every=REFRESH_SECONDS)
def _wait_for_the_database(token: str) -> None:
    """While the database does not answer: try again every ``REFRESH_SECONDS``, and draw the dashboard once it does."""
    try:
        read_report(token)
    except ClassroomError:
        st.caption(f"Trying again every {REFRESH_SECONDS:g} seconds.")
        return
    st.rerun(scope="app")


def _say(part: str, kind: str, text: str) -> None:
    st.session_state[_NOTICE] = (part, kind, text)


def _show_notice(part: str | None = None) -> None:
    """What the last control said, under it (``part``: the controls' group; None: whichever it was)."""
    notice = st.session_state.get(_NOTICE)
    if notice is not None and part in (None, notice[0]):
        del st.session_state[_NOTICE]
        (st.success if notice[1] == "success" else st.error)(literal(notice[2]))


def _act(token: str, part: str, method: str, *args, done: str) -> bool:
    """Run a teacher's store call; say what happened under the controls of ``part``. True when it went through."""
    try:
        store_gate().call(method, token, *args)
    except ClassroomError as refusal:
        _say(part, "error", str(refusal))
        return False
    finally:
        report_cache().forget(token)
    _say(part, "success", done)
    return True


def _send_view(token: str) -> None:
    try:
        view = view_path(st.session_state.get("class_view", ""), app_address())
    except ClassroomError as refusal:
        _say("view", "error", str(refusal))
        return
    if _act(token, "view", "share_view", view, done="Sent: students now see a link to this view at the top of every page."):
        st.session_state["class_view"] = ""


def _delete(token: str) -> None:
    if not st.session_state.get("class_delete_confirm"):
        _say("class", "error", "Tick the box first to confirm.")
        return
    if _act(token, "class", "delete_class", done="The class and everything recorded in it were deleted."):
        forget_teacher()
        st.session_state["class_delete_confirm"] = False


def _forget(token: str) -> None:
    forget_teacher()
    report_cache().forget(token)
    _say("class", "success", "This browser no longer holds the class. The teacher link still opens it.")


def _teacher_controls(token: str, report: ClassReport) -> None:
    st.subheader("Send a view to the class")
    st.caption("Open a lesson, set it up as the class should see it (the link builder at the bottom of each lesson "
               "can hide or lock controls), copy its address and paste it here. Students see a link to it at the "
               "top of every page.")
    if report.shared_view is not None:
        st.markdown("Sending now:")
        st.code(report.shared_view.view, language=None, wrap_lines=True)
    st.text_input("Link of the lesson view", key="class_view", placeholder="https://…/derivatives?…",
                  max_chars=4000)
    left, right = st.columns(2)
    left.button("Send to the class", key="class_send", icon=":material/cast:", on_click=_send_view, args=(token,))
    if report.shared_view is not None:
        right.button("Stop sending", key="class_stop_sending", icon=":material/cancel_presentation:",
                     on_click=_act, args=(token, "view", "share_view", None),
                     kwargs={"done": "Students no longer see a view."})
    _show_notice("view")

    st.subheader("The class")
    if report.closed:
        st.info("This class is closed: nobody can join and answers are not recorded. The results stay here.")
        st.button("Reopen the class", key="class_reopen", icon=":material/lock_open:", on_click=_act,
                  args=(token, "class", "reopen_class"), kwargs={"done": "The class is open again."})
    else:
        st.button("Close the class", key="class_close", icon=":material/lock:", on_click=_act,
                  args=(token, "class", "close_class"),
                  kwargs={"done": "The class is closed: nobody can join and answers are no longer recorded."})
    if report.students:
        with st.expander("Remove a student", icon=":material/person_remove:"):
            names = dict(zip((s.student_id for s in report.students), _shown_names(report), strict=True))
            who = st.selectbox("Student", list(names), format_func=names.__getitem__, key="class_remove_who",
                               index=None, placeholder="Choose a student")
            st.button("Remove this student and their answers", key="class_remove", disabled=who is None,
                      on_click=_act, args=(token, "class", "remove_student", who),
                      kwargs={"done": "The student and their answers were removed."})
    with st.expander("Delete the class", icon=":material/delete_forever:"):
        st.caption(f"The class is deleted by itself on {report.expires_at:%d %B %Y}. Deleting it now removes the "
                   "students, their answers and the join code at once; it cannot be undone.")
        st.checkbox("Yes, delete this class and all its data", key="class_delete_confirm")
        st.button("Delete the class and all its data", key="class_delete",
                  icon=":material/delete_forever:", on_click=_delete, args=(token,),
                  disabled=not st.session_state.get("class_delete_confirm"))
    st.button("Forget this class on this browser", key="class_forget_teacher", icon=":material/logout:",
              on_click=_forget, args=(token,),
              help="This browser stops showing the dashboard. The teacher link still opens it.")
    _show_notice("class")


def join_details(code: str) -> None:
    """The join code in large type, the join link and its QR code, to project."""
    link = join_link(code)
    left, right = st.columns([3, 2])
    with left:
        st.metric("Join code", code)
        st.markdown("Students open this link, or type the code on the Class page:")
        st.code(link, language=None, wrap_lines=True)
    with right:
        st.image(qr_png(link), width=240, caption="Scan to join",
                 alt=f"QR code of the join link {link}")


def teacher_link_panel(token: str, just_started: bool) -> None:
    """The private teacher link, with a plain warning; folded, so that projecting the page never shows it."""
    if just_started:
        st.info("Class started. Save your private teacher link (under “Your private teacher link”, below) to open "
                "this dashboard on another device; do not project it.", icon=":material/key:")
    with st.expander("Your private teacher link", icon=":material/key:"):
        st.warning("Anyone who has this link is the teacher of this class: they can see every answer and delete "
                   "the class. Keep it private (do not project it), and save it to open the dashboard on another "
                   "device.", icon=":material/lock:")
        st.code(teacher_link(token), language=None, wrap_lines=True)


def render_dashboard(token: str, just_started: bool = False) -> bool:
    """The dashboard of the class whose teacher token this is; False (and nothing drawn) when no class has it.

    While the database does not answer, says so and returns True (the page shows nothing else of the class).
    """
    try:
        report = read_report(token)
    except WrongTeacherToken:
        return False
    except ClassroomError as refusal:
        st.warning(literal(str(refusal)), icon=":material/cloud_off:")
        _wait_for_the_database(token)
        return True
    st.header(f"Your class: {literal(report.name)}", anchor=False)
    with st.expander("Join code, link and QR code", icon=":material/qr_code_2:", expanded=True):
        join_details(report.code)
    teacher_link_panel(token, just_started)
    if report.closed:
        st.caption(":material/lock: Closed: nobody can join and answers are not recorded.")
    st.toggle("Anonymize names", key=_ANONYMIZE,
              help="Shows Student 1, Student 2, … in the order they joined instead of nicknames, for projecting.")
    _live_results(token)
    _teacher_controls(token, report)
    return True


def deleted_notice() -> None:
    """What a control said after the dashboard went away (the class was deleted, or forgotten on this browser)."""
    _show_notice()
