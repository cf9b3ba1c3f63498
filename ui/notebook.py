"""The "Notebook (.ipynb)" download every lesson page draws: the page's current view as a Jupyter notebook.

The notebook is built when the button is clicked (Streamlit calls the builder in its download handler), never on
a rerun of the page. A page passes the settings it uses now; ``live`` names the ones drawn in a fragment (x₀ and
δx on the derivatives page), whose changes rerun only that fragment and not this button: their values are read
again from the session at the click, checked against their control's range or options.

The click's builder runs outside the script thread, where ``st.session_state`` has no session, so the session's
state is taken from Streamlit 1.67's script run context (``get_script_run_ctx``) when the button is drawn: one of
the app's two reaches past the public API, with its canary in ``tests/app/test_shell.py`` (docs/UPGRADING.md).
"""

from __future__ import annotations

import importlib
import logging
import math
from collections.abc import Mapping

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from calc_core import notebooks
from ui.controls import Control, Kind
from ui.lessons import LESSONS
from ui.teacher import teacher_settings

_log = logging.getLogger(__name__)

HIDDEN_PART = ("The notebook is not offered while part of this page is hidden: it would show the whole view, that "
               "part included.")

CAPTION = ("The notebook repeats this view (the same settings, numbers and charts) with numpy, sympy, scipy, "
           "matplotlib and scikit-learn alone; its first cell installs the versions it was made with.")


def checked_value(control: Control, value, fallback):
    """``value`` when it is one ``control`` can take (a number in its range, one or several of its options, a text
    within its length), else ``fallback``."""
    if control.kind in (Kind.SLIDER, Kind.NUMBER, Kind.LOG_SLIDER):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return fallback
        if control.kind is Kind.LOG_SLIDER:
            return float(value) if 10.0 ** control.lo <= value <= 10.0 ** control.hi else fallback
        return value if control.lo <= value <= control.hi else fallback
    if control.kind in (Kind.SELECT, Kind.RADIO, Kind.SELECT_SLIDER):
        return value if value in control.options else fallback
    if control.kind is Kind.TOGGLE:
        return value if isinstance(value, bool) else fallback
    if control.kind is Kind.MULTISELECT:
        chosen = isinstance(value, (list, tuple)) and all(v in control.options for v in value)
        return tuple(value) if chosen else fallback
    if control.kind is Kind.TEXT:  # the builder reads it with the page's own reader, as the page does
        return value if isinstance(value, str) and len(value) <= control.max_chars else fallback
    return fallback


def _from_link(control: Control, raw: str):
    """A link's text for ``control`` as the value it names (a number, the text itself, or the option shown as that
    text)."""
    if control.kind is Kind.TEXT:
        return raw
    if control.kind in (Kind.SLIDER, Kind.NUMBER, Kind.LOG_SLIDER):
        try:
            return float(raw)
        except ValueError:
            return None
    show = control.format or str
    return next((option for option in control.options if show(option) == raw or str(option) == raw), None)


def current_value(control: Control):
    """The value the page uses now: the control's session value, else (a control a teacher hid, which is not
    drawn) its link's value, when valid; else its default."""
    if control.key in st.session_state:
        return checked_value(control, st.session_state[control.key], control.default)
    raw = st.query_params.get_all(control.key)
    if control.kind is Kind.MULTISELECT:  # one link value per chosen option
        value = tuple(_from_link(control, str(r)) for r in raw) if raw else None
    else:
        value = _from_link(control, str(raw[-1])) if raw else None
    return checked_value(control, value, control.default)


def hides_a_section(lesson_slug: str) -> bool:
    """Whether a teacher's link hides one of the lesson's sections.

    A notebook repeats the whole view, the step-by-step rules or the reference included, so it is not offered
    while any part of the page is hidden (nor does the page name the hidden part).
    """
    settings = teacher_settings()
    lesson = next((lesson for lesson in LESSONS if lesson.url_path == lesson_slug), None)
    if not settings.active or lesson is None:
        return False
    sections = getattr(importlib.import_module(lesson.view), "SECTIONS", None) or {}
    return any(settings.is_hidden(key) for key in sections)


def notebook_bytes(lesson_slug: str, settings: Mapping) -> bytes:
    """The ``.ipynb`` bytes of the lesson's notebook for ``settings``; a notebook that says so if it cannot be built."""
    try:
        return notebooks.to_bytes(notebooks.build(lesson_slug, settings))
    except Exception:  # the learner never sees a traceback: the download is a notebook that explains
        _log.exception("The %s notebook could not be built", lesson_slug)
        failed = notebooks.notebook("This notebook could not be built",
                                    "The page could not write these settings as a notebook. Change a setting "
                                    "and download it again.", [])
        return notebooks.to_bytes(failed)


def notebook_download(prefix: str, lesson_slug: str, settings: Mapping, live: Mapping[str, Control] | None = None,
                      container=st) -> None:
    """A "Notebook (.ipynb)" download keyed ``<prefix>_notebook``, built when clicked.

    ``settings`` are the builder's (``calc_core.notebooks.<lesson>.build``); ``live`` maps a setting's name to the
    control drawn in a fragment that sets it: its value now is added, and read again at the click.
    """
    if hides_a_section(lesson_slug):
        container.caption(HIDDEN_PART)
        return
    live = dict(live or {})
    given = {**settings, **{name: current_value(control) for name, control in live.items()}}
    ctx = get_script_run_ctx()
    session = ctx.session_state if ctx is not None else None

    def build() -> bytes:
        values = dict(given)
        for name, control in live.items():
            try:
                latest = session[control.key] if session is not None else values[name]
            except Exception:  # not drawn (hidden by a teacher) or the session has ended: keep the value given
                continue
            values[name] = checked_value(control, latest, values[name])
        return notebook_bytes(lesson_slug, values)

    container.download_button(
        "Notebook (.ipynb)", build, file_name=f"{lesson_slug}.ipynb", mime="application/x-ipynb+json",
        key=f"{prefix}_notebook", icon=":material/description:", on_click="ignore", help=CAPTION)
