"""Every control a lesson shows, declared once; the lesson's text beside it.

In the spirit of TensorFlow Playground's ``PROPS`` table (``src/state.ts``), a lesson's view module
declares each control that shapes its view as one :class:`Control` (URL key, label, kind, range or
options, default, help) in a :class:`Controls` table, and its words (title, summary, task) as one
:class:`LessonText`. Everything else is derived from the declaration:

- the widget: :func:`draw` picks the URL-bound, teacher-aware wrapper of :mod:`ui.widgets` for its kind;
- URL binding: the key is the query parameter, and a value arriving from a link is checked against the
  declared range or options by that wrapper;
- teacher mode: ``hide=``/``lock=`` name declared keys, which :meth:`Controls.labels` lists by label;
- the page script reads the text and the task from the declaration.

What depends on the data at run time (a slider whose maximum is the number of training points, a
control disabled while a file is loaded) is passed to :func:`draw` as an override of the declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import streamlit as st

from ui import widgets
from ui.declarations import Declarations


class Kind(StrEnum):
    """How a control is drawn (one wrapper of :mod:`ui.widgets` each)."""

    SLIDER = "slider"  # a number on an even scale: ``lo``..``hi`` in ``step``s
    LOG_SLIDER = "log_slider"  # a number on powers of ten: ``lo``..``hi`` are exponents, ``step`` stops per decade
    NUMBER = "number"  # a number typed in a box, within ``lo``..``hi``
    SELECT = "select"  # one of ``options`` from a drop-down
    RADIO = "radio"  # one of ``options``, all shown
    SELECT_SLIDER = "select_slider"  # one of ``options`` on a slider
    MULTISELECT = "multiselect"  # several of ``options``
    TOGGLE = "toggle"  # on or off
    TEXT = "text"  # a line of text, at most ``max_chars``


@dataclass(frozen=True)
class Control:
    """One control as a lesson declares it.

    Attributes
    ----------
    key : str
        The URL parameter and session-state key, ``<page>_<name>`` (``deriv_x0``).
    label : str
        What the learner reads beside it; teacher mode lists controls by it.
    kind : Kind
        How it is drawn.
    default : Any
        Its value when no link or learner sets it (an option for the option kinds, a tuple of options for
        ``MULTISELECT``).
    lo, hi : float, optional
        The range of a number (exponents for ``LOG_SLIDER``).
    step : float, optional
        The step of a number (stops per decade for ``LOG_SLIDER``).
    options : tuple
        The choices of the option kinds.
    format : callable, optional
        How an option is shown, and written in the URL.
    help : str
        The tooltip.
    max_chars : int
        The longest ``TEXT`` value.
    """

    key: str
    label: str
    kind: Kind
    default: Any
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    options: tuple = ()
    format: Callable[[Any], str] | None = None
    help: str = ""
    max_chars: int = 300

    def __post_init__(self):
        if self.kind in _NUMBER_KINDS and (self.lo is None or self.hi is None or not self.lo <= self.hi):
            raise ValueError(f"{self.key}: a {self.kind} needs a range lo <= hi")
        if self.kind in _OPTION_KINDS and not self.options:
            raise ValueError(f"{self.key}: a {self.kind} needs options")
        if self.kind in _SINGLE_OPTION_KINDS and self.default not in self.options:
            raise ValueError(f"{self.key}: its default {self.default!r} is not one of its options")
        if self.kind is Kind.MULTISELECT and not set(self.default) <= set(self.options):
            raise ValueError(f"{self.key}: its defaults are not all among its options")
        if self.kind in (Kind.SLIDER, Kind.NUMBER) and not self.lo <= self.default <= self.hi:
            raise ValueError(f"{self.key}: its default {self.default!r} is outside {self.lo}..{self.hi}")


_NUMBER_KINDS = (Kind.SLIDER, Kind.LOG_SLIDER, Kind.NUMBER)
_SINGLE_OPTION_KINDS = (Kind.SELECT, Kind.RADIO, Kind.SELECT_SLIDER)
_OPTION_KINDS = (*_SINGLE_OPTION_KINDS, Kind.MULTISELECT)


class Controls(Declarations[Control]):
    """A lesson's controls by key, in the order declared; a key declared twice is an error."""

    kind = "control"


@dataclass(frozen=True)
class TaskText:
    """A lesson's task as the learner reads it: the question, a hint and the worked solution (markdown)."""

    key: str  # the task box's key (``deriv_task``); its answer never travels in a link
    prompt: str
    hint: str
    solution: str
    placeholder: str = ""


@dataclass(frozen=True)
class LessonText:
    """A lesson's words: its heading, the point it makes, and its task."""

    title: str
    summary: str
    task: TaskText


def _option_index(control: Control) -> int:
    return list(control.options).index(control.default)


def _draw_slider(c: Control, **kw):
    return widgets.slider(c.label, c.key, c.lo, c.hi, c.default, c.step, **kw)


def _draw_log_slider(c: Control, **kw):
    return widgets.log_slider(c.label, c.key, (int(c.lo), int(c.hi)), c.default,
                              per_decade=int(c.step) if c.step else 4, **kw)


def _draw_number(c: Control, **kw):
    return widgets.number(c.label, c.key, c.lo, c.hi, c.default, c.step, **kw)


def _draw_select(c: Control, **kw):
    return widgets.select(c.label, c.options, c.key, _option_index(c), format_func=c.format or str, **kw)


def _draw_radio(c: Control, **kw):
    return widgets.radio(c.label, c.options, c.key, _option_index(c), format_func=c.format or str, **kw)


def _draw_select_slider(c: Control, **kw):
    return widgets.select_slider(c.label, c.options, c.key, c.default, format_func=c.format or str, **kw)


def _draw_multiselect(c: Control, **kw):
    return widgets.multiselect(c.label, c.options, c.key, c.default, format_func=c.format or str, **kw)


def _draw_toggle(c: Control, **kw):
    return widgets.toggle(c.label, c.key, c.default, **kw)


def _draw_text(c: Control, **kw):
    return widgets.text(c.label, c.key, c.default, max_chars=c.max_chars, **kw)


_DRAW: dict[Kind, Callable[..., Any]] = {
    Kind.SLIDER: _draw_slider,
    Kind.LOG_SLIDER: _draw_log_slider,
    Kind.NUMBER: _draw_number,
    Kind.SELECT: _draw_select,
    Kind.RADIO: _draw_radio,
    Kind.SELECT_SLIDER: _draw_select_slider,
    Kind.MULTISELECT: _draw_multiselect,
    Kind.TOGGLE: _draw_toggle,
    Kind.TEXT: _draw_text,
}
_DECLARED = frozenset(Control.__dataclass_fields__) - {"key", "kind"}


def draw(control: Control, container=st, **changes):
    """Draw ``control`` through its URL-bound, teacher-aware wrapper and return its value.

    ``changes`` may replace declared fields for this run (``hi=len(points) - 1``, ``label=...``); anything
    else (``disabled``, ``horizontal``, ``on_change``) goes to the widget as it is.
    """
    declared = {name: value for name, value in changes.items() if name in _DECLARED}
    passed = {name: value for name, value in changes.items() if name not in _DECLARED}
    if declared:
        control = replace(control, **declared)
    if control.help and "help" not in passed:
        passed["help"] = control.help
    return _DRAW[control.kind](control, container=container, **passed)


def draw_range(axis: str, low: Control, high: Control, containers=None) -> tuple[float, float]:
    """Two declared ``NUMBER`` controls as the ends of a range, side by side (``containers``, else two columns).

    Stops the page with an error unless the first is smaller (:func:`ui.widgets.ordered_range`).
    """
    containers = containers or st.columns(2)
    return widgets.ordered_range(axis, draw(low, container=containers[0]), draw(high, container=containers[1]))

