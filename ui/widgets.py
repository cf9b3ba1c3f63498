"""URL-bound widgets with teacher mode.

Every control that shapes a view goes through these wrappers. Each one

- binds its value to the URL (``bind="query-params"``, the key is the parameter
  name), so a copied link reproduces the view;
- relies on Streamlit to drop URL values that are invalid or out of range, and
  re-validates what it returns (types, ranges, option membership);
- obeys teacher mode: a hidden control is not drawn but its shared value still
  applies; a locked control is drawn read-only;
- says what a link could not carry: a link value it dropped (unreadable, out of
  range, not an option) or cut is named at the top of the page, with what is used
  instead (:func:`link_notice`), for every visitor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.errors import literal
from ui.teacher import teacher_settings

_BIND = "query-params"
_TRUE = {"true", "1", "on", "yes"}
_FALSE = {"false", "0", "off", "no"}


def _url_value(key: str) -> str | None:
    values = st.query_params.get_all(key)
    return str(values[-1]) if values else None


def _option_from_url(key: str, options: list, format_func: Callable, default):
    """The option a hidden control's URL value names (by its shown text), else ``default``."""
    raw = _url_value(key)
    return next((o for o in options if format_func(o) == raw), default)


def _hidden_or_locked(key: str) -> tuple[bool, bool]:
    settings = teacher_settings()
    if settings.active:
        st.session_state.setdefault(SEEN_KEYS, set()).add(key)
    return settings.is_hidden(key), settings.is_locked(key)


# Teacher mode lists what a link asked for and did not get: every key a wrapper met (so the page knows it),
# and each link value that was dropped (invalid, out of range, not an option) or cut, by key (listed and
# forgotten at the page's foot, ui/teacher_tools.py).
SEEN_KEYS = "_teacher_seen_keys"
LINK_NOTES = "_teacher_link_notes"
# What every visitor reads at the top of the page: the page it belongs to, and its notes by key, each with
# the control's state when the note was made (a note goes once the visitor moves that control).
LINK_NOTICE = "_link_notice"
_NOTICE_SLOT = "_link_notice_slot"
_SHOWN_RAW = 40  # characters of a link value quoted back


@dataclass(frozen=True)
class LinkNote:
    """A link value the control did not take as it was: ``raw`` from the URL, ``shown`` what it shows, and
    ``reason`` why, in words that follow the value ("is not one of the choices")."""

    key: str
    label: str
    raw: str
    shown: str
    reason: str = "could not be used"


def _note_unless(kept: bool, key: str, label: str, raw: str | None, shown, reason: str = "could not be used") -> None:
    """Remember that the URL's value for ``key`` was not taken as it was: for teacher mode's list and for the
    notice at the top of the page, which is redrawn at once."""
    if kept or raw is None:
        return
    note = LinkNote(key, label, raw, str(shown), reason)
    st.session_state.setdefault(LINK_NOTES, {})[key] = note
    notice = st.session_state.get(LINK_NOTICE)
    if notice is not None:
        notice["notes"][key] = (note, st.session_state.get(key))
        _draw_notice(notice)


def _link_value(key: str) -> str | None:
    """The URL's value for ``key`` while the control has yet to take it (its first run, or hidden); read before
    drawing, since Streamlit takes a value it drops out of the URL. Once the control holds a value of its own,
    the visitor's moves drive the URL and there is no link value to check, so a rerun reads none: a session
    reads each link value once."""
    return None if key in st.session_state else _url_value(key)


def _same_number(raw: str | None, result) -> bool:
    try:
        return raw is None or float(raw) == float(result)
    except (TypeError, ValueError, OverflowError):
        return False


def _number_reason(raw: str | None, lo, hi) -> str:
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        return "is not a number"
    if not math.isfinite(value):
        return "is not a finite number"
    return f"is outside {lo:g} to {hi:g}" if not lo <= value <= hi else "is not one of the values this control takes"


def _check_number(key: str, label: str, result, raw: str | None, lo, hi) -> None:
    if not _same_number(raw, result):
        _note_unless(False, key, label, raw, result, _number_reason(raw, lo, hi))


def _check_option(key: str, label: str, result, format_func: Callable, raw: str | None) -> None:
    _note_unless(raw is None or raw == format_func(result), key, label, raw, format_func(result),
                 "is not one of the choices")


def _quoted(raw: str) -> str:
    """A link's text as the page quotes it: literal, and cut to :data:`_SHOWN_RAW` characters."""
    return literal(raw if len(raw) <= _SHOWN_RAW else raw[:_SHOWN_RAW] + "…")


def _lowered(label: str) -> str:
    """A control's label inside a sentence ("Learning rate" → "learning rate"; "L2 …" and "x₀" as they are)."""
    return label[0].lower() + label[1:] if label[:1].isupper() and label[1:2].islower() else label


def notice_text(notes) -> str:
    """One sentence per note: "The link's learning rate “0.03” is not one of the choices; 0.05 is used."."""
    return " ".join(f"The link's {literal(_lowered(note.label))} “{_quoted(note.raw)}” {note.reason}; "
                    f"{_quoted(note.shown)} is used." for note in notes)


def _draw_notice(notice: dict) -> None:
    slot = st.session_state.get(_NOTICE_SLOT)
    if slot is None or slot[0] != notice["page"]:
        return
    notes = [note for note, _ in notice["notes"].values()]
    if notes:
        slot[1].info(notice_text(notes), icon=":material/link:")


def link_notice(page: str) -> None:
    """At the top of a page's main area, before its controls: the notice of the link values this page could not
    use, each named with what is used instead, for every visitor.

    The controls drawn below add their notes to it as they meet them, on the session's first run of the page
    (a rerun reads no link value). A note stays until the visitor moves its control; another page starts
    afresh.
    """
    notice = st.session_state.get(LINK_NOTICE)
    if notice is None or notice["page"] != page:
        notice = st.session_state[LINK_NOTICE] = {"page": page, "notes": {}}
    notice["notes"] = {key: (note, state) for key, (note, state) in notice["notes"].items()
                       if st.session_state.get(key) == state}
    st.session_state[_NOTICE_SLOT] = (page, st.empty())
    _draw_notice(notice)


def _disabled(locked: bool, kwargs: dict) -> bool:
    """Locked by teacher mode, or disabled by the page; removes ``disabled`` from ``kwargs``."""
    disabled = kwargs.pop("disabled", False)
    return bool(locked or disabled)


def _number(raw: str | None, default, lo, hi, kind):
    if raw is None:
        return default
    try:
        value = kind(float(raw)) if kind is int else float(raw)
    except (TypeError, ValueError, OverflowError):
        return default
    if isinstance(value, float) and not math.isfinite(value):
        return default
    return value if lo <= value <= hi else default


_SET_BY_CODE = "_widgets_set_by_code"
_NO_FALLBACK = object()


def set_value(key: str, value) -> None:
    """Give the control ``key`` a value from code: an example, a button's callback, a clamp.

    Streamlit logs a warning with a stack trace when a widget is drawn with a default value in a run in
    which its value was set through Session State (it shows the Session State value either way), so the
    wrappers draw a control set here once without its default (``_default_unless_set``).
    """
    st.session_state[key] = value
    st.session_state.setdefault(_SET_BY_CODE, set()).add(key)


def _default_unless_set(key: str, default, fallback=_NO_FALLBACK):
    """``default``, or ``None`` (no default) when ``set_value`` gave ``key`` its value since it was last drawn.

    ``fallback`` is what Streamlit draws for ``None`` when that is a real value (a slider's minimum, a
    select slider's first option). The frontend leaves a value equal to the widget's default out of the
    URL, so a value set equal to the fallback, while ``default`` differs, keeps ``default``: the link
    must carry the value, and Streamlit logs its warning.
    """
    marked = st.session_state.get(_SET_BY_CODE)
    if not marked or key not in marked:
        return default
    marked.discard(key)
    if fallback is not _NO_FALLBACK and st.session_state.get(key) == fallback and default != fallback:
        return default
    return None


def _keep_in_range(key: str, lo, hi) -> None:
    """Clamp a remembered value when the range itself moved (e.g. fewer points to pick from)."""
    current = st.session_state.get(key)
    if isinstance(current, (int, float)) and not isinstance(current, bool) and not lo <= current <= hi:
        set_value(key, type(current)(clamp(current, lo, hi)))


def clamp(value, lo, hi):
    """Clamp ``value`` into ``[lo, hi]`` (NaN becomes ``lo``)."""
    if isinstance(value, float) and math.isnan(value):
        return lo
    return max(lo, min(hi, value))


def slider(label: str, key: str, min_value, max_value, value, step=None, container=st, **kwargs):
    """A URL-bound ``st.slider`` for one number; the result is clamped to the range."""
    kind = int if all(isinstance(v, int) for v in (min_value, max_value, value)) else float
    hidden, locked = _hidden_or_locked(key)
    raw = _link_value(key)
    if hidden:
        result = _number(_url_value(key), value, min_value, max_value, kind)
        _check_number(key, label, result, raw, min_value, max_value)
        return result
    if kind is float:
        min_value, max_value, value = float(min_value), float(max_value), float(value)
        step = float(step) if step is not None else None
    _keep_in_range(key, min_value, max_value)
    result = container.slider(label, min_value=min_value, max_value=max_value,
                              value=_default_unless_set(key, value, fallback=min_value), step=step,
                              key=key, bind=_BIND, disabled=_disabled(locked, kwargs), **kwargs)
    result = kind(clamp(result, min_value, max_value))
    _check_number(key, label, result, raw, min_value, max_value)
    return result


def number(label: str, key: str, min_value, max_value, value, step=None, container=st, **kwargs):
    """A URL-bound ``st.number_input``, clamped to ``[min_value, max_value]``.

    Whole-number boxes are drawn as float boxes without decimals: Streamlit's
    integer box fails on a URL value such as ``inf`` (it converts before its
    range check), while the float box ignores it.
    """
    kind = int if all(isinstance(v, int) for v in (min_value, max_value, value)) else float
    hidden, locked = _hidden_or_locked(key)
    raw = _link_value(key)
    if hidden:
        result = _number(_url_value(key), value, min_value, max_value, kind)
        _check_number(key, label, result, raw, min_value, max_value)
        return result
    if kind is int:
        kwargs.setdefault("format", "%.0f")
    _keep_in_range(key, min_value, max_value)
    result = container.number_input(label, min_value=float(min_value), max_value=float(max_value),
                                    value=_default_unless_set(key, float(value)),
                                    step=float(step) if step is not None else None,
                                    key=key, bind=_BIND, disabled=_disabled(locked, kwargs), **kwargs)
    if result is None or not math.isfinite(result):
        result = value
    result = clamp(result, min_value, max_value)
    result = int(round(result)) if kind is int else float(result)
    _check_number(key, label, result, raw, min_value, max_value)
    return result


def select(label: str, options: Sequence, key: str, index: int = 0, format_func: Callable = str,
           container=st, **kwargs):
    """A URL-bound ``st.selectbox``; always returns one of ``options``."""
    options = list(options)
    hidden, locked = _hidden_or_locked(key)
    raw = _link_value(key)
    if hidden:
        result = _option_from_url(key, options, format_func, options[index])
    else:
        result = container.selectbox(label, options, index=_default_unless_set(key, index), format_func=format_func,
                                     key=key, bind=_BIND, disabled=_disabled(locked, kwargs), **kwargs)
        result = result if result in options else options[index]
    _check_option(key, label, result, format_func, raw)
    return result


def radio(label: str, options: Sequence, key: str, index: int = 0, format_func: Callable = str,
          container=st, horizontal: bool = True, **kwargs):
    """A URL-bound ``st.radio``; always returns one of ``options``."""
    options = list(options)
    hidden, locked = _hidden_or_locked(key)
    raw = _link_value(key)
    if hidden:
        result = _option_from_url(key, options, format_func, options[index])
    else:
        result = container.radio(label, options, index=_default_unless_set(key, index), format_func=format_func,
                                 key=key, bind=_BIND, horizontal=horizontal, disabled=_disabled(locked, kwargs),
                                 **kwargs)
        result = result if result in options else options[index]
    _check_option(key, label, result, format_func, raw)
    return result


def select_slider(label: str, options: Sequence, key: str, value, format_func: Callable = str,
                  container=st, **kwargs):
    """A URL-bound ``st.select_slider`` over fixed options (URL holds ``format_func`` text)."""
    options = list(options)
    hidden, locked = _hidden_or_locked(key)
    raw = _link_value(key)
    if hidden:
        result = _option_from_url(key, options, format_func, value)
    else:
        result = container.select_slider(label, options=options, value=_default_unless_set(key, value, options[0]),
                                         format_func=format_func, key=key, bind=_BIND,
                                         disabled=_disabled(locked, kwargs), **kwargs)
        result = result if result in options else value
    _check_option(key, label, result, format_func, raw)
    return result


def log_slider(label: str, key: str, exponents: tuple[int, int], value: float, per_decade: int = 4,
               container=st, **kwargs) -> float:
    """A slider over powers of ten, ``10**lo … 10**hi`` with ``per_decade`` stops per decade.

    The URL holds the number as text (``1e-06``), so links stay readable.
    """
    lo, hi = exponents
    count = (hi - lo) * per_decade
    options = sorted({float(f"{10 ** (lo + i / per_decade):.3g}") for i in range(count + 1)})
    value = min(options, key=lambda o: abs(math.log10(o) - math.log10(value)))
    return select_slider(label, options, key, value, format_func=lambda v: f"{v:g}", container=container, **kwargs)


def toggle(label: str, key: str, value: bool = False, container=st, **kwargs) -> bool:
    """A URL-bound ``st.toggle``."""
    hidden, locked = _hidden_or_locked(key)
    raw = _link_value(key)
    if hidden:
        word = (_url_value(key) or "").lower()
        result = True if word in _TRUE else False if word in _FALSE else value
    else:
        result = bool(container.toggle(label, value=value, key=key, bind=_BIND,
                                       disabled=_disabled(locked, kwargs), **kwargs))
    _note_unless(raw is None or raw.lower() in (_TRUE if result else _FALSE), key, label, raw,
                 "on" if result else "off", "is neither on nor off")
    return result


def text(label: str, key: str, value: str = "", max_chars: int = 300, container=st, **kwargs) -> str:
    """A URL-bound ``st.text_input``; the result never exceeds ``max_chars``."""
    hidden, locked = _hidden_or_locked(key)
    raw = _link_value(key)
    if hidden:
        url = _url_value(key)
        result = (url if url is not None else value)[:max_chars]
    else:
        result = container.text_input(label, value=_default_unless_set(key, value), max_chars=max_chars, key=key,
                                      bind=_BIND, disabled=_disabled(locked, kwargs), **kwargs)
        result = (result if result is not None else value)[:max_chars]
    _note_unless(raw is None or raw == result, key, label, raw, result,
                 f"is longer than {max_chars} characters" if raw is not None and len(raw) > max_chars
                 else "could not be used")
    return result


def multiselect(label: str, options: Sequence, key: str, default: Sequence = (), format_func: Callable = str,
                container=st, **kwargs) -> list[Any]:
    """A URL-bound ``st.multiselect``; returns only known options, in option order."""
    options = list(options)
    hidden, locked = _hidden_or_locked(key)
    given = [] if key in st.session_state else [str(v) for v in st.query_params.get_all(key) if str(v)]
    if hidden:
        raw = set(st.query_params.get_all(key)) or None
        chosen = [o for o in options if format_func(o) in raw] if raw else list(default)
    else:
        chosen = container.multiselect(label, options, default=list(default), format_func=format_func, key=key,
                                       bind=_BIND, disabled=_disabled(locked, kwargs), **kwargs)
    chosen = [o for o in options if o in chosen]
    shown = {format_func(o) for o in chosen}
    _note_unless(all(v in shown for v in given), key, label, ", ".join(given) if given else None,
                 ", ".join(sorted(shown)) or "none", "names choices this page does not have")
    return chosen


def ordered_range(axis: str, lo: float, hi: float) -> tuple[float, float]:
    """``(lo, hi)``; stops the page with an error unless ``lo < hi``."""
    if not lo < hi:
        st.error(f"The {axis} range must go from a smaller number to a larger one.")
        st.stop()
    return lo, hi


def _fill_from_example(key: str, fill: Callable[[str], dict[str, Any]]) -> None:
    choice = st.session_state.get(key)
    if choice is None:
        return
    settings = teacher_settings()
    for target, value in fill(choice).items():
        # A control the teacher hid or locked keeps the value the link gave it.
        if not (settings.is_hidden(target) or settings.is_locked(target)):
            set_value(target, value)


EXAMPLE_PROMPT = "Custom…"


def examples(key: str, names: Sequence[str], fill: Callable[[str], dict[str, Any]], guards: Sequence[str],
             help: str = "Pick an example to fill in the controls below.", container=st) -> None:
    """An "Examples" box that fills other (URL-bound) controls; it is not part of the URL itself.

    ``fill(name)`` gives the values to write, keyed by widget key. The box is not
    drawn when a teacher hid or locked any of the ``guards`` (the main controls).
    """
    settings = teacher_settings()
    if any(settings.is_hidden(k) or settings.is_locked(k) for k in guards):
        return

    def on_change() -> None:
        if st.session_state.get(key) != EXAMPLE_PROMPT:
            _fill_from_example(key, fill)

    container.selectbox("Examples", [EXAMPLE_PROMPT, *names], key=key, on_change=on_change, help=help)
