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


def test_an_example_fills_its_controls_without_a_server_warning(streamlit_warnings):
    at = run_page("optimization", {"opt_part": "Two variables"})
    at.selectbox(key="opt2_example").set_value("Rosenbrock").run()
    assert not at.exception
    assert at.text_input(key="opt2_f").value == "(1 - x)^2 + 100(y - x^2)^2"
    assert at.number_input(key="opt2_ymax").value == 3.0
    assert (at.slider(key="opt2_x0").value, at.slider(key="opt2_y0").value) == (-1.5, 2.5)
    assert streamlit_warnings() == []


def test_a_points_preset_fills_the_box_without_a_server_warning(streamlit_warnings):
    at = run_page("svm")
    at.button(key="svm_preset_task").click().run()
    assert not at.exception
    assert at.text_input(key="svm_points").value.count(";") == 5
    assert streamlit_warnings() == []


def _set_by_buttons():
    from ui import widgets

    def fill(value_of: dict) -> None:
        for key, value in value_of.items():
            widgets.set_value(key, value)

    import streamlit as st

    st.button("Fill", key="t_fill", on_click=fill, args=({"t_slider": 7, "t_number": 3.5, "t_select": "c",
                                                           "t_radio": "a", "t_steps": 0.3, "t_text": "x^2"},))
    st.button("Lowest", key="t_lowest", on_click=fill, args=({"t_slider": 0, "t_steps": 0.1},))
    widgets.slider("Slider", "t_slider", 0, 10, 5)
    widgets.number("Number", "t_number", 0.0, 10.0, 1.0)
    widgets.select("Select", ["a", "b", "c"], "t_select", index=1)
    widgets.radio("Radio", ["a", "b", "c"], "t_radio", index=1)
    widgets.select_slider("Steps", [0.1, 0.2, 0.3], "t_steps", 0.2)
    widgets.text("Text", "t_text", "x")


def test_every_wrapper_takes_a_value_set_by_code_without_a_server_warning(streamlit_warnings):
    at = AppTest.from_function(_set_by_buttons, default_timeout=TIMEOUT_S).run()
    at.button(key="t_fill").click().run()
    assert not at.exception
    assert (at.slider(key="t_slider").value, at.number_input(key="t_number").value, at.selectbox(key="t_select").value,
            at.radio(key="t_radio").value, at.select_slider(key="t_steps").value, at.text_input(key="t_text").value) \
        == (7, 3.5, "c", "a", 0.3, "x^2")
    assert streamlit_warnings() == []
    at.run()
    assert at.slider(key="t_slider").value == 7, "the value stays on the next run, drawn with its default again"
    assert streamlit_warnings() == []


def test_a_value_set_equal_to_what_no_default_would_show_keeps_the_default(streamlit_warnings):
    """Without a default a slider shows its minimum, which the frontend would then leave out of the URL although
    the link's default differs; the wrapper keeps the default there and Streamlit warns (the one known case)."""
    at = AppTest.from_function(_set_by_buttons, default_timeout=TIMEOUT_S).run()
    at.button(key="t_lowest").click().run()
    assert not at.exception
    assert (at.slider(key="t_slider").value, at.select_slider(key="t_steps").value) == (0, 0.1)
    assert at.slider(key="t_slider").proto.default == [5], "drawn with its own default"


def test_the_check_sees_the_warning_it_guards_against(streamlit_warnings):
    """A widget given a default and a Session State value in one run: the warning the tests above rule out."""

    def both():
        import streamlit as st

        st.session_state["t_both"] = 3
        st.slider("Both", 0, 10, 0, key="t_both")

    AppTest.from_function(both, default_timeout=TIMEOUT_S).run()
    assert any('key "t_both"' in message for message in streamlit_warnings())
