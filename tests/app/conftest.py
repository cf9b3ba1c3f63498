"""AppTest helpers shared by the page tests."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60


def run_page(name: str, query: dict[str, str | list[str]] | None = None) -> AppTest:
    """Run ``lessons/<name>.py`` once, with optional URL query parameters.

    The home page links to the other pages, which only resolve under the app's
    navigation, so "home" runs through ``app.py`` (whose default page it is).
    """
    script = ROOT / "app.py" if name == "home" else ROOT / "lessons" / f"{name}.py"
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def shown_text(at: AppTest) -> str:
    """All markdown, captions, LaTeX and alerts of a run, joined (for content assertions)."""
    parts = []
    for kind in ("markdown", "caption", "latex", "error", "warning", "info", "success", "title", "subheader"):
        parts.extend(str(element.value) for element in getattr(at, kind))
    return "\n".join(parts)


def as_read(markdown: str) -> str:
    """A message as the learner reads it: echoed text is backslash-escaped markdown (``ui.errors.literal``)."""
    return re.sub(r"\\([" + re.escape(string.punctuation) + "])", r"\1", markdown).replace("\u2060", "")


def run_workers_in_process(monkeypatch) -> None:
    """Run what pages send to the killable worker in this process instead, for a test that patches a cap the
    work reads: workers start from a fork server, which does not see a test's ``monkeypatch``."""
    from calc_core.budget import BudgetResult
    from ui import compute

    def in_process(function, *args, timeout=None):
        return BudgetResult(value=function(*args), ok=True)

    monkeypatch.setattr(compute, "bounded", in_process)


URL_WIDGET_KINDS = ("slider", "select_slider", "number_input", "text_input", "radio", "selectbox", "multiselect",
                    "toggle")
SHARED_TOGGLES = ("Show the code", "Show the numbers")  # ui.code.show_code, ui.charts.show.numbers


def url_controls(at: AppTest) -> dict[str, object]:
    """Every URL-bound widget of a run, by key (its URL parameter), with the value it shows."""
    return {w.key: w.value for kind in URL_WIDGET_KINDS for w in getattr(at, kind) if w.proto.query_param_key}


def lesson_controls(at: AppTest, task_key: str) -> dict[str, object]:
    """The URL-bound widgets the lesson draws itself: not its task box's, nor the shared code and numbers toggles."""
    shared = {w.key for w in at.toggle if w.label in SHARED_TOGGLES}
    return {key: value for key, value in url_controls(at).items()
            if key not in shared and not key.startswith(f"{task_key}_")}


def assert_drawn_as_declared(at: AppTest, controls, task_key: str) -> None:
    """A run without a link draws exactly the lesson's declared controls, each with its declared label, help
    and default (``controls`` is the view's ``ui.controls.Controls`` table)."""
    assert not at.exception
    shown_default = {key: list(c.default) if c.kind == "multiselect" else c.default for key, c in controls.items()}
    assert lesson_controls(at, task_key) == shown_default
    drawn = [w for kind in URL_WIDGET_KINDS for w in getattr(at, kind) if w.key in controls]
    assert {w.key: w.label for w in drawn} == controls.labels()
    assert {w.key: w.help or "" for w in drawn} == {key: control.help for key, control in controls.items()}


def assert_shown_as_declared(at: AppTest, controls, task_key: str, query: dict | None = None,
                             others: frozenset[str] = frozenset(), relabelled: frozenset[str] = frozenset()) -> set:
    """For a page that draws some controls only in some states: every lesson control a run draws is declared
    (or one of ``others``, declared elsewhere), with its declared label (unless ``relabelled`` at run time) and
    help, and its declared default unless ``query`` (the run's link) set it. Returns the declared keys drawn."""
    assert not at.exception
    shown = lesson_controls(at, task_key)
    assert set(shown) <= set(controls) | others
    drawn = [w for kind in URL_WIDGET_KINDS for w in getattr(at, kind) if w.key in controls]
    for widget in drawn:
        control = controls[widget.key]
        if widget.key not in (query or {}):
            assert widget.value == (list(control.default) if control.kind == "multiselect" else control.default), \
                widget.key
        if widget.key not in relabelled:
            assert widget.label == control.label, widget.key
        assert (widget.help or "") == control.help, widget.key
    return {w.key for w in drawn}


@pytest.fixture(autouse=True)
def _sweep_budget_for_a_loaded_machine(monkeypatch):
    """A sweep's budget is wall-clock time (6 s on the server); page tests give it 2 minutes, so a sweep they
    run finishes on a loaded machine too. A test about the budget sets its own after this."""
    from ui.views.backprop import sweep

    monkeypatch.setattr(sweep, "SWEEP_TIMEOUT", 120.0)
