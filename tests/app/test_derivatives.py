"""Derivatives page under AppTest: every control by key, URL round trip, bad input, undefined points, charts."""

from __future__ import annotations

import json

import altair as alt
import pyarrow as pa
import pytest

from tests.app.conftest import assert_drawn_as_declared, run_page, shown_text
from ui.views.derivatives import CONTROLS, TEXT

PAGE = "derivatives"


def charts(at) -> list:
    """The page's Vega-Lite charts, in page order."""
    return list(at.get("vega_lite_chart"))


def _not_json(constant: str):
    raise AssertionError(f"chart spec contains {constant}, which browsers reject as JSON")


def chart_spec(chart) -> dict:
    """The chart's Vega-Lite spec, which must be strict JSON (no NaN or Infinity)."""
    return json.loads(chart.proto.spec, parse_constant=_not_json)


def chart_data(chart) -> dict[str, list[dict]]:
    """Each named dataset of a rendered chart, as rows."""
    out = {}
    for dataset in chart.proto.datasets:
        raw = dataset.data.data
        out[dataset.name] = pa.ipc.open_stream(raw).read_all().to_pylist() if raw else []
    return out


def assert_valid_charts(at) -> None:
    """Each chart is valid Vega-Lite and every dataset a layer reads was sent."""
    for chart in charts(at):
        spec = chart_spec(chart)
        alt.LayerChart.from_dict(spec)  # raises on a schema violation
        wanted = {layer["data"]["name"] for layer in spec["layer"] if "data" in layer}
        assert wanted <= {d.name for d in chart.proto.datasets}


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# The course's figure: f = x² on −5…5 (the page's defaults before it opened on the task's function).
SQUARE = {"deriv_f": "x^2", "deriv_xmin": "-5", "deriv_xmax": "5"}


def test_default_view_shows_the_task_function_with_its_maximum_and_minimum():
    at = run_page(PAGE)
    assert not at.exception
    assert not at.error
    assert at.text_input(key="deriv_f").value == "x^3 - 2x^2 + 1"
    values = metrics(at)
    # f = x³ − 2x² + 1, x0 = 1: f(1) = 0, f′(1) = 3 − 4 = −1.
    assert values["f(x₀)"] == "0"
    assert values["f′(x₀) by the rules"] == "-1"
    curve = chart_data(charts(at)[0])["curve"]
    xs = [row["x"] for row in curve]
    # Both extrema (x = 0 and x = 4/3) lie inside the plotted range, with room on either side.
    assert xs[0] < -0.5 and xs[-1] > 2.0
    slopes = [row["y"] for row in chart_data(charts(at)[1])["curves"] if row["series"].startswith("f′")]
    signs = [s > 0 for s in slopes if s is not None and abs(s) > 1e-9]
    assert signs.count(True) and signs.count(False)
    assert sum(a != b for a, b in zip(signs, signs[1:])) == 2  # f′ changes sign twice: a maximum and a minimum
    assert_valid_charts(at)


def test_the_course_figure_link_still_shows_x_squared():
    at = run_page(PAGE, SQUARE)
    assert not at.exception
    assert not at.error
    values = metrics(at)
    # f = x², x0 = 1, forward step 1: f'(1) = 2 and the secant slope is (4 − 1)/1 = 3.
    assert values["f(x₀)"] == "1"
    assert values["f′(x₀) by the rules"] == "2"
    assert values["Rate of change (forward)"] == "3"
    assert len(charts(at)) == 3
    assert_valid_charts(at)
    assert "f'(x) = 2 x" in shown_text(at)


def test_moving_x0_moves_the_point_and_the_tangent():
    at = run_page(PAGE, SQUARE)
    at.slider(key="deriv_x0").set_value(2.0).run()
    assert not at.exception
    data = chart_data(charts(at)[0])
    assert data["point"] == [{"x": 2.0, "y": 4.0, "label": "x₀"}]
    tangent = [row for row in data["lines"] if row["series"] == "tangent at x₀"]
    # Tangent of x² at 2 is y = 4x − 4; at the right end of the range (5) it is 16.
    assert tangent[-1]["x"] == 5.0 and tangent[-1]["y"] == pytest.approx(16.0)
    assert metrics(at)["f′(x₀) by the rules"] == "4"


def test_shrinking_dx_turns_the_secant_into_the_tangent():
    at = run_page(PAGE, SQUARE)
    at.select_slider(key="deriv_dx").set_value(1e-06).run()
    assert not at.exception
    assert float(metrics(at)["Rate of change (forward)"]) == pytest.approx(2.0, abs=1e-5)
    rates = [row["y"] for row in chart_data(charts(at)[1])["curves"] if row["series"].startswith("rate")]
    slopes = [row["y"] for row in chart_data(charts(at)[1])["curves"] if row["series"].startswith("f′")]
    assert max(abs(r - s) for r, s in zip(rates, slopes)) < 1e-4


@pytest.mark.parametrize(("scheme", "rate"), [("backward", "1"), ("central", "2")])
def test_scheme_choice(scheme, rate):
    at = run_page(PAGE, SQUARE)
    at.radio(key="deriv_scheme").set_value(scheme).run()
    assert not at.exception
    assert metrics(at)[f"Rate of change ({scheme})"] == rate
    secant = chart_data(charts(at)[0])["secant_points"]
    expected = {"backward": [0.0, 1.0], "central": [0.0, 2.0]}[scheme]
    assert [row["x"] for row in secant] == expected


def test_range_controls_set_the_axes():
    at = run_page(PAGE)
    at.number_input(key="deriv_xmin").set_value(-2.0).run()
    at.number_input(key="deriv_xmax").set_value(3.0).run()
    assert not at.exception
    curve = chart_data(charts(at)[0])["curve"]
    assert curve[0]["x"] == -2.0 and curve[-1]["x"] == 3.0


def test_empty_range_is_an_error_not_an_exception():
    at = run_page(PAGE, {"deriv_xmin": "4", "deriv_xmax": "-4"})
    assert not at.exception
    assert at.error and "smaller number" in at.error[0].value


def test_preset_course_task_shows_its_steps():
    at = run_page(PAGE)
    at.selectbox(key="deriv_f_preset").set_value("x^3 - 2x^2 + 1").run()
    assert not at.exception
    text = shown_text(at)
    assert "f'(x) = 3 x^{2} - 4 x" in text
    for rule in ("Sum rule", "Power rule", "Constant multiple rule", "Constant rule"):
        assert rule in text


def test_whole_working_toggle_shows_each_intermediate_expression():
    at = run_page(PAGE, {"deriv_f": "x^3 - 2x^2 + 1"})
    before = len(at.latex)
    at.toggle(key="deriv_working").set_value(True).run()
    assert not at.exception
    assert len(at.latex) == before + 5
    assert any(r"\Rightarrow" in latex.value and "3 x^{2} - 4 x" in latex.value for latex in at.latex)


def test_url_round_trip_sets_every_control():
    query = {"deriv_f": "sin(x)", "deriv_xmin": "-3", "deriv_xmax": "4", "deriv_x0": "0.5", "deriv_dx": "0.01",
             "deriv_scheme": "central", "deriv_working": "true", "deriv_code": "true"}
    at = run_page(PAGE, query)
    assert not at.exception
    assert at.text_input(key="deriv_f").value == "sin(x)"
    assert at.number_input(key="deriv_xmin").value == -3.0
    assert at.number_input(key="deriv_xmax").value == 4.0
    assert at.slider(key="deriv_x0").value == 0.5
    assert at.select_slider(key="deriv_dx").value == 0.01
    assert at.radio(key="deriv_scheme").value == "central"
    assert at.toggle(key="deriv_working").value is True
    assert at.toggle(key="deriv_code").value is True
    assert any("def finite_difference" in code.value for code in at.code)


def test_garbage_url_values_fall_back_to_defaults():
    at = run_page(PAGE, {"deriv_x0": "1e999", "deriv_dx": "banana", "deriv_scheme": "sideways"})
    assert not at.exception
    assert at.slider(key="deriv_x0").value == 1.0
    assert at.select_slider(key="deriv_dx").value == 1.0
    assert at.radio(key="deriv_scheme").value == "forward"


@pytest.mark.parametrize("text", ["x^", "__import__('os').system('id')", "foo(x)", "9^9^9^9"])
def test_bad_expression_shows_an_error(text):
    at = run_page(PAGE, {"deriv_f": text})
    assert not at.exception
    assert at.error
    assert not charts(at)


def test_corner_of_abs_at_zero_is_explained():
    at = run_page(PAGE, {"deriv_f": "abs(x)", "deriv_x0": "0"})
    assert not at.exception
    assert metrics(at)["f′(x₀) by the rules"] == "does not exist"
    assert any("f′ does not exist" in w.value for w in at.warning)
    assert "not differentiable" in shown_text(at)
    assert "There is no exact f′(x₀)" in shown_text(at)
    assert_valid_charts(at)


def test_pole_of_reciprocal_leaves_a_gap():
    at = run_page(PAGE, {"deriv_f": "1/x"})
    assert not at.exception
    assert "unbounded (a vertical asymptote)" in shown_text(at)
    curve = chart_data(charts(at)[0])["curve"]
    at_zero = [row for row in curve if row["x"] == 0.0]
    assert at_zero and at_zero[0]["y"] is None


def test_log_is_blank_where_undefined():
    at = run_page(PAGE, {**SQUARE, "deriv_f": "log(x)", "deriv_x0": "-2"})
    assert not at.exception
    assert "no real value for x between -5 and 0" in shown_text(at)
    assert metrics(at)["f(x₀)"] == "undefined"


def test_overflow_is_not_called_undefined():
    at = run_page(PAGE, {"deriv_f": "exp(exp(exp(x)))", "deriv_x0": "3"})
    assert not at.exception
    assert metrics(at)["f(x₀)"] == "too large"
    assert any("larger than any number a computer can store" in w.value for w in at.warning)


@pytest.mark.parametrize("text", ["5", "0", "1/x", "log(x)", "sqrt(x)", "tan(x)", "abs(x)", "sin(1/x)",
                                  "exp(exp(exp(x)))", "x^x"])
def test_charts_stay_valid_for_awkward_functions(text):
    at = run_page(PAGE, {"deriv_f": text, "deriv_x0": "0"})
    assert not at.exception
    assert len(charts(at)) >= 2
    assert_valid_charts(at)


def test_error_study_caption_for_a_curved_function():
    at = run_page(PAGE, {"deriv_f": "sin(x)"})
    assert not at.exception
    text = shown_text(at)
    assert "falls like h for forward and h² for central" in text
    assert "best steps" in text


def test_task_accepts_equivalent_answers_and_rejects_wrong_ones():
    at = run_page(PAGE)
    at.text_input(key="deriv_task_answer").set_value("x(3x - 4)").run()
    assert not at.exception
    assert at.success and "Correct" in at.success[0].value
    at.text_input(key="deriv_task_answer").set_value("3x^2 - 2x").run()
    assert not at.success and at.warning
    at.text_input(key="deriv_task_answer").set_value("3x^^2").run()
    assert not at.exception and any("Could not read" in w.value for w in at.warning)


def test_task_hint_and_solution_toggles():
    at = run_page(PAGE)
    at.toggle(key="deriv_task_hint").set_value(True).run()
    at.toggle(key="deriv_task_reveal").set_value(True).run()
    assert not at.exception
    text = shown_text(at)
    assert "power rule gives n·xⁿ⁻¹" in text
    assert "f′(x) = 3x² − 4x" in text


def test_teacher_mode_hides_and_locks_controls():
    at = run_page(PAGE, {**SQUARE, "teacher": "1", "hide": "deriv_dx", "lock": "deriv_x0", "deriv_dx": "0.1",
                         "deriv_x0": "2"})
    assert not at.exception
    assert "deriv_dx" not in {w.key for w in at.select_slider}
    assert at.slider(key="deriv_x0").disabled
    assert metrics(at)["Rate of change (forward)"] == "4.1"


def test_every_control_the_page_draws_is_declared_with_its_label_and_help_and_shown_at_its_default():
    at = run_page(PAGE)
    assert not at.error
    assert_drawn_as_declared(at, CONTROLS, TEXT.task.key)
    assert at.text_input(key="deriv_f").max_chars == CONTROLS["deriv_f"].max_chars


# --------------------------------------------------------------------------- one bad input, the rest of the page


@pytest.mark.parametrize("text", ["x^", "3x^^2", "foo(x)"])
def test_a_malformed_f_is_marked_and_the_task_and_code_still_work(text):
    at = run_page(PAGE, {"deriv_f": text})
    assert not at.exception
    assert len(at.error) == 1 and "Could not read" in at.error[0].value
    assert any("The charts need a function" in info.value for info in at.info)
    # The task and the code are still there and still answer.
    at.text_input(key="deriv_task_answer").set_value("3x^2 - 4x").run()
    assert not at.exception
    assert at.success and "Correct" in at.success[0].value
    assert at.toggle(key="deriv_code").value is False


def test_a_typo_after_a_good_function_keeps_its_charts():
    at = run_page(PAGE, {"deriv_f": "sin(x)"})
    at.text_input(key="deriv_f").set_value("sin(x").run()
    assert not at.exception
    assert len(at.error) == 1 and "Could not read" in at.error[0].value
    assert len(charts(at)) == 3
    assert_valid_charts(at)
    assert "last function that read" in shown_text(at)
    # The charts and numbers are those of sin: f(1) = sin(1).
    assert metrics(at)["f(x₀)"] == "0.841471"
    at.text_input(key="deriv_f").set_value("cos(x)").run()
    assert not at.error and "last function that read" not in shown_text(at)
    assert metrics(at)["f(x₀)"] == "0.540302"


def test_an_empty_range_keeps_the_charts_on_the_default_range():
    at = run_page(PAGE, {"deriv_xmin": "4", "deriv_xmax": "-4"})
    assert not at.exception
    assert len(at.error) == 1 and "smaller number" in at.error[0].value
    assert len(charts(at)) == 3
    curve = chart_data(charts(at)[0])["curve"]
    assert curve[0]["x"] == CONTROLS["deriv_xmin"].default and curve[-1]["x"] == CONTROLS["deriv_xmax"].default
    assert at.text_input(key="deriv_task_answer")


def test_deeper_material_sits_in_closed_boxes_and_a_link_asking_for_the_working_opens_it():
    at = run_page(PAGE)
    labels = {e.label: e for e in at.expander}
    assert "How small should δx be?" in labels and "By the rules, step by step" in labels
    assert not any(e.proto.expanded for e in at.expander if e.label in (
        "How small should δx be?", "By the rules, step by step"))
    at = run_page(PAGE, {"deriv_working": "true"})
    rules = next(e for e in at.expander if e.label == "By the rules, step by step")
    assert rules.proto.expanded
