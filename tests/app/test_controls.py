"""Declared controls: checked when declared, drawn by kind, bound to the URL, obeying teacher mode."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui.controls import Control, Controls, Kind


def _page():
    import streamlit as st

    from ui.controls import Control, Controls, Kind, draw

    table = Controls(
        Control("demo_x", "Point x", Kind.SLIDER, 1.0, lo=-5.0, hi=5.0, step=0.5, help="Where to look."),
        Control("demo_h", "Step h", Kind.LOG_SLIDER, 0.01, lo=-6, hi=0, step=2),
        Control("demo_n", "Strips", Kind.NUMBER, 10, lo=1, hi=100, step=1),
        Control("demo_rule", "Rule", Kind.RADIO, "left", options=("left", "right", "midpoint")),
        Control("demo_set", "Data set", Kind.SELECT, "moons", options=("circles", "moons")),
        Control("demo_show", "Show the numbers", Kind.TOGGLE, False),
        Control("demo_name", "Name", Kind.TEXT, "f", max_chars=5),
    )
    values = {key: draw(control) for key, control in table.items()}
    values["demo_limited"] = draw(Control("demo_k", "Point", Kind.SLIDER, 0, lo=0, hi=100, step=1), hi=3)
    st.session_state["values"] = values


def run(query: dict[str, str]) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_defaults_then_link_values_then_teacher_mode():
    at = run({})
    assert not at.exception
    assert at.session_state["values"] == {"demo_x": 1.0, "demo_h": 0.01, "demo_n": 10, "demo_rule": "left",
                                          "demo_set": "moons", "demo_show": False, "demo_name": "f",
                                          "demo_limited": 0}
    assert at.slider(key="demo_x").help == "Where to look."
    linked = run({"demo_x": "2.5", "demo_rule": "midpoint", "demo_set": "circles", "demo_show": "true",
                  "demo_name": "sin(x)", "demo_n": "1000", "demo_k": "50"})
    values = linked.session_state["values"]
    assert values["demo_x"] == 2.5 and values["demo_rule"] == "midpoint" and values["demo_set"] == "circles"
    assert values["demo_show"] is True
    assert len(values["demo_name"]) <= 5  # the declared max_chars
    assert values["demo_n"] == 10  # out of the declared range: the default
    assert values["demo_limited"] <= 3  # an override of the declared range holds for this run
    hidden = run({"teacher": "1", "hide": "demo_x", "lock": "demo_rule", "demo_x": "-2"})
    assert not any(s.key == "demo_x" for s in hidden.slider)
    assert hidden.session_state["values"]["demo_x"] == -2.0  # hidden, its shared value still applies
    assert hidden.radio(key="demo_rule").disabled


@pytest.mark.parametrize("bad", [
    dict(key="k", label="k", kind=Kind.SLIDER, default=9.0, lo=0.0, hi=1.0),
    dict(key="k", label="k", kind=Kind.SLIDER, default=0.5),
    dict(key="k", label="k", kind=Kind.RADIO, default="c", options=("a", "b")),
    dict(key="k", label="k", kind=Kind.SELECT, default="a"),
    dict(key="k", label="k", kind=Kind.MULTISELECT, default=("z",), options=("a",)),
])
def test_a_declaration_that_cannot_be_drawn_is_refused(bad):
    with pytest.raises(ValueError):
        Control(**bad)


def test_a_key_declared_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        Controls(Control("k", "a", Kind.TOGGLE, False), Control("k", "b", Kind.TOGGLE, True))


def _range_page():
    import streamlit as st

    from ui.controls import Control, Kind, draw_range

    low = Control("demo_xmin", "x from", Kind.NUMBER, -1.0, lo=-50.0, hi=50.0, step=0.5)
    high = Control("demo_xmax", "x to", Kind.NUMBER, 2.5, lo=-50.0, hi=50.0, step=0.5)
    st.session_state["range"] = draw_range("x", low, high)


def test_a_declared_range_is_drawn_as_two_boxes_and_must_be_ordered():
    at = AppTest.from_function(_range_page, default_timeout=60).run()
    assert not at.exception and at.session_state["range"] == (-1.0, 2.5)
    assert [box.label for box in at.number_input] == ["x from", "x to"]
    at = AppTest.from_function(_range_page, default_timeout=60)
    at.query_params.update({"demo_xmin": "3.0", "demo_xmax": "1.0"})
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["The x range must go from a smaller number to a larger one."]
    assert "range" not in at.session_state
