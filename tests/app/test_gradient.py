"""Gradient page under AppTest: every control, URL round trip, bad input, and what is shown."""

from __future__ import annotations

import json
import math

import streamlit as st

from calc_core.gradients import symbolic as gradient_symbolic
from tests.app.conftest import assert_drawn_as_declared, run_page, run_workers_in_process, shown_text
from ui.charts import gradient as gradient_charts
from ui.views.gradient import CONTROLS, TEXT


def test_default_view_shows_the_course_example():
    at = run_page("gradient")
    assert not at.exception
    assert not at.error
    text = shown_text(at)
    assert r"\nabla f(x, y) = \left(2 x,\ 3 y^{2}\right)" in text
    assert r"\nabla f(2, 3) = (4,\ 27)" in text
    assert "8.4°" in text  # the course's bearing, converted
    assert "x² + y³" in text and "(2x, 3y²)" in text  # the note on the course's quiver
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["At θ (from +x)"] == "81.6°"
    assert metrics["The course's angle (from +y)"] == "8.4°"
    assert "Gradient estimate from the scan: (3.98742, 27.0028)" in text
    assert "exact: ∇f = (4, 27)" in text
    assert len(at.get("vega_lite_chart")) == 2
    assert len(at.get("image")) == 1


def test_every_control_changes_the_view():
    at = run_page("gradient")
    at.selectbox(key="grad_f_preset").set_value("x^2 - y^2").run()
    assert at.text_input(key="grad_f").value == "x^2 - y^2"
    at.number_input(key="grad_xmin").set_value(-2.0)
    at.number_input(key="grad_xmax").set_value(3.0)
    at.number_input(key="grad_ymin").set_value(-1.0)
    at.number_input(key="grad_ymax").set_value(2.5)
    at.slider(key="grad_x0").set_value(1.0)
    at.slider(key="grad_y0").set_value(1.0)
    at.select_slider(key="grad_step").set_value(1e-6)
    at.toggle(key="grad_table").set_value(True)
    at.toggle(key="grad_code").set_value(True)
    at.run()
    assert not at.exception and not at.error
    text = shown_text(at)
    assert r"\nabla f(1, 1) = (2,\ -2)" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["At θ (from +x)"] == "315.0°"
    assert len(at.dataframe) == 1
    assert any("def directional_scan" in c.value for c in at.code)

    at.toggle(key="grad_surface").set_value(False).run()
    assert not at.exception
    assert len(at.get("image")) == 0


def test_task_checks_the_vector_and_offers_hint_and_solution():
    at = run_page("gradient")
    at.text_input(key="grad_task_answer").set_value("(2, 2)").run()
    assert at.success and "Correct" in at.success[0].value
    at.text_input(key="grad_task_answer").set_value("(2, 3)").run()
    assert at.warning and "component 2" in at.warning[0].value
    at.text_input(key="grad_task_answer").set_value("two and two").run()
    assert not at.exception and at.warning
    at.toggle(key="grad_task_hint").set_value(True)
    at.toggle(key="grad_task_reveal").set_value(True)
    at.run()
    text = shown_text(at)
    assert "(2, 2)" in text and "holding y fixed" in text


def test_url_round_trip_sets_every_control():
    query = {
        "grad_f": "sin(x)*cos(y)",
        "grad_xmin": "-3.0",
        "grad_xmax": "3.0",
        "grad_ymin": "-2.0",
        "grad_ymax": "2.0",
        "grad_x0": "0.5",
        "grad_y0": "-1.5",
        "grad_step": "1e-06",
        "grad_surface": "false",
        "grad_table": "true",
    }
    at = run_page("gradient", query)
    assert not at.exception
    assert at.text_input(key="grad_f").value == "sin(x)*cos(y)"
    assert at.number_input(key="grad_xmin").value == -3.0
    assert at.number_input(key="grad_ymax").value == 2.0
    assert at.slider(key="grad_x0").value == 0.5
    assert at.slider(key="grad_y0").value == -1.5
    assert at.select_slider(key="grad_step").value == 1e-6
    assert at.toggle(key="grad_surface").value is False
    assert at.toggle(key="grad_table").value is True
    assert r"\nabla f(0.5, -1.5)" in shown_text(at)


def test_bad_expression_shows_an_error_and_no_pictures():
    at = run_page("gradient", {"grad_f": "x^^2 + y"})
    assert not at.exception
    assert at.error
    assert not at.get("vega_lite_chart")


def test_expression_with_an_unknown_variable_is_refused():
    at = run_page("gradient", {"grad_f": "x + z"})
    assert not at.exception
    assert at.error


def test_reversed_range_is_an_error_not_a_crash():
    at = run_page("gradient", {"grad_xmin": "3.0", "grad_xmax": "1.0"})
    assert not at.exception
    assert any("smaller number to a larger" in e.value for e in at.error)


def test_undefined_point_gives_notes_not_errors():
    at = run_page("gradient", {"grad_f": "log(x*y)", "grad_x0": "-1.0", "grad_y0": "1.0"})
    assert not at.exception
    assert not at.error
    text = shown_text(at)
    assert "undefined at this point" in text
    assert "no finite value on part of the window" in text
    assert r"\nabla f(-1, 1) = " not in text  # the formula (1/x, 1/y) has a value there, f does not

    def refuse(name):
        raise ValueError(f"{name} in a chart spec")

    for chart in at.get("vega_lite_chart"):
        json.loads(chart.proto.spec, parse_constant=refuse)  # NaN is not JSON; the browser would reject it


def test_point_outside_the_window_is_pointed_out():
    at = run_page("gradient", {"grad_x0": "9.0"})
    assert not at.exception
    assert "outside the plotted window" in shown_text(at)


def test_teacher_mode_hides_and_locks_controls():
    at = run_page("gradient", {"teacher": "1", "hide": "grad_x0", "lock": "grad_f", "grad_x0": "1.0"})
    assert not at.exception
    assert "grad_x0" not in {s.key for s in at.slider}
    assert at.text_input(key="grad_f").disabled
    assert r"\nabla f(1, 3)" in shown_text(at)


def test_moving_the_point_does_not_redraw_the_surface(monkeypatch):
    calls = []
    original = gradient_charts.surface_png

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(gradient_charts, "surface_png", counting)
    st.cache_data.clear()
    at = run_page("gradient")
    assert len(calls) == 1
    for x0 in (0.5, 1.0, -2.0):
        at.slider(key="grad_x0").set_value(x0).run()
        assert not at.exception
    at.slider(key="grad_y0").set_value(-1.0).run()
    assert len(calls) == 1
    at.number_input(key="grad_xmax").set_value(5.0).run()
    assert len(calls) == 2


def test_a_gradient_too_large_to_compile_falls_back_to_central_differences(monkeypatch):
    run_workers_in_process(monkeypatch)  # so that the worker's work sees the lowered cap
    monkeypatch.setattr(gradient_symbolic, "MAX_COMPILE_NODES", 5)
    at = run_page("gradient", {"grad_f": "sin(x y)^3 + exp(x) + 1/8", "grad_x0": "0.5", "grad_y0": "1.0"})
    assert not at.exception and not at.error
    text = shown_text(at)
    assert "too large to show" in text and "central differences" in text
    # ∇f(0.5, 1) = (3 sin²(xy) cos(xy) y + eˣ, 3 sin²(xy) cos(xy) x), to the six digits shown
    s, c = math.sin(0.5), math.cos(0.5)
    gx, gy = 3 * s * s * c + math.exp(0.5), 1.5 * s * s * c
    assert rf"\nabla f(0.5, 1) = ({gx:.6g},\ {gy:.6g})" in text


def test_every_control_the_page_draws_is_declared_with_its_label_and_help_and_shown_at_its_default():
    at = run_page("gradient")
    assert not at.error
    assert_drawn_as_declared(at, CONTROLS, TEXT.task.key)


# --------------------------------------------------------------------------- one bad input, the rest of the page


def test_a_malformed_f_is_marked_and_the_task_and_code_still_work():
    at = run_page("gradient", {"grad_f": "x^^2 + y"})
    assert not at.exception
    assert len(at.error) == 1 and "Could not read" in at.error[0].value
    assert any("The pictures need a function" in info.value for info in at.info)
    at.text_input(key="grad_task_answer").set_value("(2, 2)").run()
    assert not at.exception
    assert at.success and "Correct" in at.success[0].value
    assert at.toggle(key="grad_code").value is False
    assert "The course's quiver code computes" in shown_text(at)


def test_a_typo_after_a_good_function_keeps_its_pictures():
    at = run_page("gradient")
    at.text_input(key="grad_f").set_value("x^2 + y^").run()
    assert not at.exception
    assert len(at.error) == 1 and "Could not read" in at.error[0].value
    text = shown_text(at)
    assert "last function that read" in text
    assert r"\nabla f(2, 3) = (4,\ 27)" in text
    assert len(at.get("vega_lite_chart")) == 2
    at.text_input(key="grad_f").set_value("x^2 + y^2").run()
    assert not at.error and "last function that read" not in shown_text(at)
    assert r"\nabla f(2, 3) = (4,\ 6)" in shown_text(at)


def test_a_reversed_range_keeps_the_pictures_on_that_axis_default():
    at = run_page("gradient", {"grad_ymin": "3.0", "grad_ymax": "1.0"})
    assert not at.exception
    assert len(at.error) == 1 and "y range" in at.error[0].value
    assert len(at.get("vega_lite_chart")) == 2
    assert r"\nabla f(2, 3) = (4,\ 27)" in shown_text(at)
    assert at.text_input(key="grad_task_answer")


def test_the_scan_and_the_course_note_sit_in_closed_boxes_and_a_link_asking_for_the_table_opens_the_scan():
    at = run_page("gradient")
    boxes = {e.label: e.proto.expanded for e in at.expander}
    assert boxes.get("Scanning every direction") is False
    assert boxes.get("Where the course's code differs") is False
    at = run_page("gradient", {"grad_table": "true"})
    assert {e.label: e.proto.expanded for e in at.expander}["Scanning every direction"] is True
