"""What a teacher sees on a lesson page in teacher mode: what the link asked for and did not get.

``hide=``/``lock=`` name controls by their keys; a name the page does not know (a typo, a key of
another page) would otherwise do nothing without a word, and so would a link value a control dropped
(invalid, out of range, not an option) or cut. With ``teacher=1`` the sidebar lists both, quoting the
link's text literally. Learners (no ``teacher=1``) see nothing of it.

The names a page knows are its declared controls (the ``CONTROLS`` table of its view; lesson 6 adds
each registered optimizer's hyperparameters), its declared sections (the ``SECTIONS`` table, hide only:
:mod:`ui.sections`), the task box's toggles, and every control drawn this run (the shared "Show the code"
and "Show the numbers" toggles).
"""

from __future__ import annotations

import importlib
from urllib.parse import urlencode

import streamlit as st

from classroom import ClassroomError
from ui.app_links import app_address
from ui.dashboard import read_report, report_cache, view_path
from ui.errors import literal
from ui.lessons import Lesson, lesson_for
from ui.membership import store_gate, teacher_token
from ui.task import task_keys
from ui.teacher import TeacherSettings, teacher_settings
from ui.widgets import LINK_NOTES, SEEN_KEYS, LinkNote

_SHOWN_RAW = 60  # characters of a link value quoted back


def declared_controls(lesson: Lesson) -> dict[str, str]:
    """Key -> label of every control ``lesson`` declares: its view's ``CONTROLS``, or its ``control_labels()``
    where the page also draws controls declared elsewhere (lesson 6's optimizers)."""
    module = importlib.import_module(lesson.view)
    return dict(getattr(module, "control_labels", module.CONTROLS.labels)())


def declared_sections(lesson: Lesson) -> dict[str, str]:
    """Key -> heading of every section ``lesson`` lets a teacher hide: its view's ``SECTIONS`` (none if absent)."""
    module = importlib.import_module(lesson.view)
    sections = getattr(module, "SECTIONS", None)
    return sections.labels() if sections is not None else {}


def known_keys(lesson: Lesson) -> set[str]:
    """Every name ``hide=`` may use on ``lesson``'s page (``lock=`` takes them all but the sections)."""
    seen = st.session_state.get(SEEN_KEYS, set())
    return (set(declared_controls(lesson)) | set(declared_sections(lesson)) | set(task_keys(lesson.task))
            | {code_key(lesson)} | set(seen))


def unknown_names(settings: TeacherSettings, known: set[str]) -> list[str]:
    """The names in ``hide=`` and ``lock=`` that the page does not know, sorted."""
    return sorted((settings.hidden | settings.locked) - known)


def locked_sections(settings: TeacherSettings, sections: set[str]) -> list[str]:
    """The section keys ``lock=`` names: a section can be hidden, not locked, so they do nothing; sorted."""
    return sorted(settings.locked & sections)


def _link_notes() -> list[LinkNote]:
    """The link values this run did not take as given (Streamlit takes a dropped one out of the URL, so each is
    listed on the run that met it); forgotten once listed."""
    notes = st.session_state.pop(LINK_NOTES, {})
    return [notes[key] for key in sorted(notes)]


def _quoted(raw: str) -> str:
    return literal(raw if len(raw) <= _SHOWN_RAW else raw[:_SHOWN_RAW] + "…")


def for_teachers(page: str) -> None:
    """A lesson page's teacher tools: the notice (teacher mode only) and the link builder at the page's foot.
    ``page`` is the lesson script's ``__file__``. Call it last on the page."""
    lesson = lesson_for(page)
    if lesson is None:
        return
    teacher_notice(lesson)
    link_builder(lesson)


def teacher_notice(lesson: Lesson) -> None:
    """In teacher mode, list in the sidebar the unknown ``hide=``/``lock=`` names and the link values the page
    did not take as they were."""
    settings = teacher_settings()
    if not settings.active:
        st.session_state.pop(LINK_NOTES, None)
        return
    unknown = unknown_names(settings, known_keys(lesson))
    unlockable = locked_sections(settings, set(declared_sections(lesson)))
    notes = _link_notes()
    if not unknown and not unlockable and not notes:
        return
    lines = []
    if unknown:
        lines.append("**Not on this page** (hide/lock names it does not know, so they do nothing):")
        lines.extend(f"- {literal(name)}" for name in unknown)
    if unlockable:
        lines.append("**Sections cannot be locked** (use hide= to take them away):")
        lines.extend(f"- {literal(name)}" for name in unlockable)
    if notes:
        lines.append("**Link values not used as given** (invalid, out of range or cut to length):")
        lines.extend(f"- {literal(note.label)} ({literal(note.key)}): the link says “{_quoted(note.raw)}”, "
                     f"the page shows {_quoted(note.shown)}" for note in notes)
    st.sidebar.warning("\n".join(lines), icon=":material/school:")


# The link builder's own widgets: plain session widgets, never in the link they build.
BUILDER_HIDE = "teacher_link_hide"
BUILDER_LOCK = "teacher_link_lock"
BUILDER_LOCK_ALL = "teacher_link_lock_all"
_TEACHER_PARAMS = ("teacher", "hide", "lock")


def code_key(lesson: Lesson) -> str:
    """The key of the lesson's "Show the code" toggle (``deriv_code`` beside the task ``deriv_task``)."""
    return lesson.task.removesuffix("_task") + "_code"


SECTION_PREFIX = "Section: "


def builder_choices(lesson: Lesson) -> dict[str, str]:
    """Key -> the words the link builder lists it by: the page's declared controls, its sections (by heading),
    then the task's toggles. A label shared by two choices gets a number, so each choice reads differently."""
    hint, reveal = task_keys(lesson.task)[1:]
    sections = {key: SECTION_PREFIX + label for key, label in declared_sections(lesson).items()}
    choices = {**declared_controls(lesson), **sections, code_key(lesson): "Show the code",
               hint: "Task: the hint", reveal: "Task: the solution"}
    seen: dict[str, int] = {}
    for key, label in choices.items():
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            choices[key] = f"{label} ({seen[label]})"
    return choices


def teacher_link(lesson: Lesson, hide: list[str], lock: list[str], lock_all: bool = False) -> str:
    """The link to this view (the current URL's settings) with ``teacher=1`` and the given hide and lock keys."""
    params = [(name, str(value)) for name in st.query_params if name not in _TEACHER_PARAMS
              for value in st.query_params.get_all(name)]
    params.append(("teacher", "1"))
    if hide:
        params.append(("hide", ",".join(hide)))
    locked = ["all"] if lock_all else lock
    if locked:
        params.append(("lock", ",".join(locked)))
    return f"{app_address()}/{lesson.url_path}?{urlencode(params, safe=',')}"


def link_builder(lesson: Lesson) -> str:
    """"For teachers": pick controls and sections by their labels to hide (or controls to lock), and copy the
    link that does it. Returns that link (drawn in one place, at the end, so more options can come before it)."""
    settings = teacher_settings()
    choices = builder_choices(lesson)
    sections = set(declared_sections(lesson))
    with st.expander("For teachers: share this view with controls hidden or locked",
                     icon=":material/school:", expanded=False):
        st.caption("Set the page up as the class should see it, choose what to hide or lock, then copy the link. "
                   "Hidden controls keep the value they have now; locked ones are shown but cannot be moved; "
                   "a hidden section is not drawn and its work is skipped. The task's answer box always stays open.")
        keys = list(choices)
        lockable = [k for k in keys if k not in sections]
        hide = st.multiselect("Hide", keys, format_func=choices.__getitem__, key=BUILDER_HIDE,
                              default=[k for k in keys if k in settings.hidden] if settings.active else [])
        lock_all = st.checkbox("Lock every control", key=BUILDER_LOCK_ALL,
                               value=settings.active and settings.lock_all)
        lock = st.multiselect("Lock", lockable, format_func=choices.__getitem__, key=BUILDER_LOCK,
                              disabled=lock_all,
                              default=[k for k in lockable if k in settings.locked] if settings.active else [])
        lock = [k for k in lock if k not in hide]  # hidden wins: a hidden control is not shown to lock
        link = teacher_link(lesson, hide, lock, lock_all)
        st.code(link, language=None, wrap_lines=True)
        send_to_class(lesson, link)
    return link


SEND_BUTTON = "teacher_link_send"


def send_to_class(lesson: Lesson, link: str) -> None:
    """"Send this view to <class>": the link just built, sent to the class this browser teaches (if any)."""
    token = teacher_token()
    if not token:
        st.caption("Teaching a class? Start one on the Class page, and this view can be sent to every student "
                   "from here.")
        return
    try:
        report = read_report(token)
    except ClassroomError:
        return  # no live class on this token, or the database does not answer: only the link to copy
    if st.button(f"Send this view to {report.name}", key=SEND_BUTTON, icon=":material/campaign:"):
        try:
            store_gate().call("share_view", token, view_path(link, app_address()))
        except ClassroomError as refusal:
            st.warning(literal(str(refusal)))
        else:
            report_cache().forget(token)
            st.success(f"Sent: every student of {literal(report.name)} sees a link to this view.")
