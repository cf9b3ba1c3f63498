"""What a teacher sees on a lesson page in teacher mode: what the link asked for and did not get.

``hide=``/``lock=`` name controls by their keys; a name the page does not know (a typo, a key of
another page) would otherwise do nothing without a word, and so would a link value a control dropped
(invalid, out of range, not an option) or cut. With ``teacher=1`` the sidebar lists both, quoting the
link's text literally. Learners (no ``teacher=1``) see nothing of it.

The names a page knows are its declared controls (the ``CONTROLS`` table of its view; lesson 6 adds
each registered optimizer's hyperparameters), the task box's toggles, and every control drawn this run
(the shared "Show the code" and "Show the numbers" toggles).
"""

from __future__ import annotations

import importlib

import streamlit as st

from ui.errors import literal
from ui.lessons import Lesson, lesson_for
from ui.task import task_keys
from ui.teacher import TeacherSettings, teacher_settings
from ui.widgets import LINK_NOTES, SEEN_KEYS, LinkNote

# Where each lesson declares its controls (``CONTROLS``), by the lesson's address.
_VIEWS = {
    "derivatives": "ui.views.derivatives",
    "integrals": "ui.views.integrals",
    "gradient": "ui.views.gradient",
    "jacobian": "ui.views.jacobian",
    "backprop": "ui.views.backprop.settings",
    "optimization": "ui.views.optimization",
    "svm": "ui.views.svm",
}
_SHOWN_RAW = 60  # characters of a link value quoted back


def declared_controls(lesson: Lesson) -> dict[str, str]:
    """Key -> label of every control ``lesson`` declares (lesson 6: with each optimizer's hyperparameters)."""
    module = importlib.import_module(_VIEWS[lesson.url_path])
    labels = dict(module.CONTROLS.labels())
    if lesson.url_path == "optimization":
        from calc_core.optimization.optimizers import OPTIMIZERS, hyperparameters

        for optimizer in OPTIMIZERS.values():
            for control in hyperparameters(optimizer):
                labels[module.control_key(optimizer, control)] = f"{optimizer.name}: {control.label}"
    return labels


def known_keys(lesson: Lesson) -> set[str]:
    """Every name ``hide=``/``lock=`` may use on ``lesson``'s page."""
    seen = st.session_state.get(SEEN_KEYS, set())
    return set(declared_controls(lesson)) | set(task_keys(lesson.task)) | set(seen)


def unknown_names(settings: TeacherSettings, known: set[str]) -> list[str]:
    """The names in ``hide=`` and ``lock=`` that the page does not know, sorted."""
    return sorted((settings.hidden | settings.locked) - known)


def _link_notes() -> list[LinkNote]:
    """The link values this run did not take as given (Streamlit takes a dropped one out of the URL, so each is
    listed on the run that met it); forgotten once listed."""
    notes = st.session_state.pop(LINK_NOTES, {})
    return [notes[key] for key in sorted(notes)]


def _quoted(raw: str) -> str:
    return literal(raw if len(raw) <= _SHOWN_RAW else raw[:_SHOWN_RAW] + "…")


def teacher_notice(page: str) -> None:
    """In teacher mode, list in the sidebar the unknown ``hide=``/``lock=`` names and the link values the page
    did not take as they were. ``page`` is the lesson script's ``__file__``. Call it last on the page."""
    settings = teacher_settings()
    lesson = lesson_for(page)
    if not settings.active or lesson is None:
        st.session_state.pop(LINK_NOTES, None)
        return
    unknown = unknown_names(settings, known_keys(lesson))
    notes = _link_notes()
    if not unknown and not notes:
        return
    lines = []
    if unknown:
        lines.append("**Not on this page** (hide/lock names it does not know, so they do nothing):")
        lines.extend(f"- {literal(name)}" for name in unknown)
    if notes:
        lines.append("**Link values not used as given** (invalid, out of range or cut to length):")
        lines.extend(f"- {literal(note.label)} ({literal(note.key)}): the link says “{_quoted(note.raw)}”, "
                     f"the page shows {_quoted(note.shown)}" for note in notes)
    st.sidebar.warning("\n".join(lines), icon=":material/school:")
