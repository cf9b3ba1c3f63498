"""Widgets whose range moves log nothing on the server.

Streamlit logs a warning with a stack trace when a widget is created with a
default value while its value was also set through Session State in the same
run. The URL-bound wrappers clamp a remembered value whose range moved (the
backpropagation page's training point when the data shrinks) through Session
State, so they must draw that widget without a default.

Streamlit's loggers do not propagate to the root logger, where ``caplog``
listens, so the test attaches caplog's handler to each of them. The warning is
logged once per process (a module flag), which the test clears first so that an
earlier test cannot hide it.
"""

from __future__ import annotations

import logging

import pytest
import streamlit.logger
from streamlit.elements.lib import policies
from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT_S, run_page

# AppTest's constructor writes Session State outside any script run, which Streamlit notes as "bare mode"; only a
# test harness does that, so the notice is not the app's.
BARE_MODE = "missing ScriptRunContext"


@pytest.fixture
def streamlit_warnings(caplog, monkeypatch):
    """The WARNING-or-worse records Streamlit's loggers emit during the test (a callable returning them)."""
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    loggers = [logging.getLogger("streamlit"), *streamlit.logger._loggers.values()]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    yield lambda: [f"{r.name}: {r.getMessage()}" for r in caplog.records
                   if r.levelno >= logging.WARNING and r.name.startswith("streamlit")
                   and BARE_MODE not in r.getMessage()]
    for logger in loggers:
        logger.removeHandler(caplog.handler)


def test_shrinking_the_data_below_the_training_point_clamps_it_without_a_server_warning(streamlit_warnings):
    at = run_page("backprop")
    at.slider(key="backprop_sample").set_value(700).run()
    at.slider(key="backprop_samples").set_value(50).run()
    assert not at.exception
    point = at.slider(key="backprop_sample")
    assert point.max < 700
    assert point.value == point.max, "the point past the new end moves to the last point, not back to the first"
    assert streamlit_warnings() == []


def _moving_ranges():
    from ui import widgets

    top = widgets.slider("Top", "t_top", 1, 100, 100)
    widgets.slider("Point", "t_point", 0, top - 1, 0)
    widgets.number("Count", "t_count", 0, top, 5, 1)


@pytest.mark.parametrize(("key", "top", "expected"), [("t_point", 20, 19), ("t_count", 10, 10)])
def test_a_wrapper_clamps_a_value_whose_range_moved_without_a_server_warning(streamlit_warnings, key, top, expected):
    at = AppTest.from_function(_moving_ranges, default_timeout=TIMEOUT_S).run()
    widget = at.slider(key=key) if key == "t_point" else at.number_input(key=key)
    widget.set_value(60).run()
    at.slider(key="t_top").set_value(top).run()
    assert not at.exception
    assert at.session_state[key] == expected
    assert streamlit_warnings() == []


def test_the_check_sees_the_warning_it_guards_against(streamlit_warnings):
    """A widget given a default and a Session State value in one run: the warning the tests above rule out."""

    def both():
        import streamlit as st

        st.session_state["t_both"] = 3
        st.slider("Both", 0, 10, 0, key="t_both")

    AppTest.from_function(both, default_timeout=TIMEOUT_S).run()
    assert any('key "t_both"' in message for message in streamlit_warnings())
