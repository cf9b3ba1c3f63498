"""Jacobian page under AppTest: every control, URL round trip, bad input, and what is shown."""

from __future__ import annotations

import json

from calc_core.jacobians import symbolic as jacobian_symbolic
from tests.app.conftest import assert_shown_as_declared, run_page, run_workers_in_process, shown_text
from ui.views import jacobian as lesson

TASK_ANSWER = "p a1(1 - a1), q a1(1 - a1); r a2(1 - a2), s a2(1 - a2); t a3(1 - a3), u a3(1 - a3)"


def _charts(at):
    return at.get("vega_lite_chart")


def _strict_json(text: str):
    """Parse as a browser would: NaN and Infinity are not JSON."""
    def refuse(name):
        raise ValueError(f"{name} in a chart spec")

    return json.loads(text, parse_constant=refuse)


def test_default_view_is_the_course_example():
    at = run_page("jacobian")
    assert not at.exception and not at.error
    text = shown_text(at)
    assert r"J(x, y) = \begin{bmatrix}2 y & 2 x \\ 2 x y & x^{2}\end{bmatrix}\," in text
    assert r"J(1, 2) = \begin{bmatrix}4 & 2 \\ 4 & 1\end{bmatrix}" in text
    assert r"J \approx \begin{bmatrix}4 & 2 \\ 4 & 1\end{bmatrix}" in text
    assert r"\det J(x, y) = - 2 x^{2} y" in text
    assert r"\det J(1, 2) = -4" in text
    assert "Largest difference between the two" in text
    assert "Wᵀ" in text  # the bridge to backpropagation
    assert len(_charts(at)) == 1


def test_every_example_renders():
    at = run_page("jacobian")
    for option in at.selectbox(key="jac_example").options[1:]:
        at.selectbox(key="jac_example").set_value(option).run()
        assert not at.exception, option
        assert not at.error, option


def test_task_example_fills_three_sigmoid_outputs_with_parameter_sliders():
    at = run_page("jacobian")
    at.selectbox(key="jac_example").set_value("Task: three sigmoids of weighted sums").run()
    assert not at.exception
    assert at.radio(key="jac_outputs").value == 3
    assert at.text_input(key="jac_f3").value == "sigmoid(t x + u y)"
    assert {s.key for s in at.slider} >= {"jac_p", "jac_q", "jac_r", "jac_s", "jac_t", "jac_u"}
    assert "3 × 2 here" in shown_text(at)
    assert not _charts(at)  # the grid picture is for 2 → 2 maps only
    at.slider(key="jac_p").set_value(2.0).run()
    assert not at.exception


def test_every_control_changes_the_view():
    at = run_page("jacobian")
    at.radio(key="jac_inputs").set_value(3)
    at.radio(key="jac_outputs").set_value(3)
    at.run()
    at.text_input(key="jac_f1").set_value("x y z")
    at.text_input(key="jac_f2").set_value("x + p z")
    at.text_input(key="jac_f3").set_value("exp(y)")
    at.run()
    at.slider(key="jac_p").set_value(2.0)
    at.slider(key="jac_x0").set_value(1.0)
    at.slider(key="jac_y0").set_value(1.0)
    at.slider(key="jac_z0").set_value(3.0)
    at.toggle(key="jac_code").set_value(True)
    at.run()
    assert not at.exception and not at.error
    text = shown_text(at)
    assert r"J(1, 1, 3) = \begin{bmatrix}3 & 3 & 1 \\ 1 & 0 & 2 \\ 0 & 2.71828 & 0\end{bmatrix}" in text
    assert "volumes" in text  # det J = e·y·(x − p z) = −5e here, not singular
    assert any("def numeric_jacobian" in c.value for c in at.code)

    at = run_page("jacobian")
    at.slider(key="jac_radius").set_value(0.05).run()
    assert not at.exception
    assert "det J = -4" in shown_text(at)


def test_singular_and_non_square_jacobians_are_described():
    at = run_page("jacobian", {"jac_f1": "x + y", "jac_f2": "2x + 2y"})
    assert not at.exception
    assert any("singular" in w.value for w in at.warning)
    at = run_page("jacobian", {"jac_outputs": "1", "jac_f1": "x^2 y"})
    assert not at.exception
    assert "not square" in shown_text(at)


def test_task_is_checked_entry_by_entry():
    at = run_page("jacobian")
    at.text_input(key="jac_task_answer").set_value(TASK_ANSWER).run()
    assert at.success and "σ(1 − σ)" in at.success[0].value
    wrong = TASK_ANSWER.replace("r a2(1 - a2)", "r a2")
    at.text_input(key="jac_task_answer").set_value(wrong).run()
    assert at.warning and "row 2, column 1" in at.warning[0].value
    at.text_input(key="jac_task_answer").set_value("p, q; r, s").run()
    assert at.warning and "3 × 2" in at.warning[0].value
    at.text_input(key="jac_task_answer").set_value("p, q; r").run()
    assert not at.exception and at.warning
    written_out = ("p sigmoid(p x + q y)(1 - sigmoid(p x + q y)), q a1 (1 - a1); r a2 (1 - a2), s a2(1 - a2); "
                   "t a3 (1 - a3), u a3 (1 - a3)")
    at.text_input(key="jac_task_answer").set_value(written_out).run()
    assert at.success
    at.toggle(key="jac_task_hint").set_value(True)
    at.toggle(key="jac_task_reveal").set_value(True)
    at.run()
    text = shown_text(at)
    assert "chain rule" in text and r"\sigma' = \sigma(1 - \sigma)" in text


def test_url_round_trip_sets_every_control():
    query = {
        "jac_inputs": "2",
        "jac_outputs": "2",
        "jac_f1": "p x + q y + r",
        "jac_f2": "s x + t y + u",
        "jac_p": "1.5",
        "jac_t": "-2.0",
        "jac_x0": "0.5",
        "jac_y0": "-1.5",
        "jac_radius": "1.0",
        "jac_code": "true",
    }
    at = run_page("jacobian", query)
    assert not at.exception and not at.error
    assert at.text_input(key="jac_f1").value == "p x + q y + r"
    assert at.slider(key="jac_p").value == 1.5
    assert at.slider(key="jac_t").value == -2.0
    assert at.slider(key="jac_x0").value == 0.5
    assert at.slider(key="jac_radius").value == 1.0
    assert at.toggle(key="jac_code").value is True
    # a dense layer's Jacobian is its weight matrix W = [[p, q], [s, t]]
    assert r"J(0.5, -1.5) = \begin{bmatrix}1.5 & -1 \\ 2 & -2\end{bmatrix}" in shown_text(at)


def test_a_bad_component_from_a_link_marks_its_box_and_keeps_the_rest():
    at = run_page("jacobian", {"jac_f2": "x^^2"})
    assert not at.exception
    assert len(at.error) == 1 and "x^^2" in at.error[0].value.replace("\\", "")
    assert not _charts(at)
    # f1's box, the shape controls, the task and the errata are all still there.
    assert at.text_input(key="jac_f1").value == "2x y"
    assert at.radio(key="jac_inputs")
    assert any(lesson.NEEDS_COMPONENTS in c.value for c in at.caption)
    assert at.text_input(key="jac_task_answer")
    assert "Where the course's code differs" in [e.label for e in at.expander]


def test_a_typo_in_f1_keeps_f2_and_the_last_picture():
    at = run_page("jacobian")
    at.text_input(key="jac_f1").set_value("2x *").run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.text_input(key="jac_f2").value == "x^2 y"
    assert "last components it could read" in shown_text(at)
    assert _charts(at)
    assert any("J(" in t for t in shown_text(at).splitlines())


def test_variable_outside_the_chosen_inputs_is_refused():
    at = run_page("jacobian", {"jac_inputs": "1"})
    assert not at.exception
    assert at.error  # the default components use y


def test_undefined_point_gives_a_note_not_an_error():
    at = run_page("jacobian", {"jac_f1": "log(x)", "jac_f2": "y / x", "jac_x0": "-1.0"})
    assert not at.exception and not at.error
    assert "undefined" in shown_text(at)
    _strict_json(_charts(at)[0].proto.spec)


def test_grid_partly_outside_the_domain_leaves_gaps():
    at = run_page("jacobian", {"jac_f1": "sqrt(x)", "jac_f2": "y", "jac_x0": "0.0"})
    assert not at.exception and not at.error
    assert "undefined (f is undefined on the border)" in shown_text(at)
    _strict_json(_charts(at)[0].proto.spec)


def test_teacher_mode_hides_and_locks_controls():
    at = run_page("jacobian", {"teacher": "1", "hide": "jac_x0", "lock": "jac_f1", "jac_x0": "2.0"})
    assert not at.exception
    assert "jac_x0" not in {s.key for s in at.slider}
    assert at.text_input(key="jac_f1").disabled
    assert not any(s.key == "jac_example" for s in at.selectbox)
    assert r"J(2, 2)" in shown_text(at)


def test_a_jacobian_too_large_to_compile_shows_central_differences_alone(monkeypatch):
    run_workers_in_process(monkeypatch)  # so that the worker's work sees the lowered cap
    monkeypatch.setattr(jacobian_symbolic, "MAX_COMPILE_NODES", 5)
    at = run_page("jacobian", {"jac_f1": "x cos(y) + 1/8", "jac_f2": "x sin(y) + 1/8", "jac_x0": "2.0", "jac_y0": "0.0"})
    assert not at.exception and not at.error
    text = shown_text(at)
    assert "too large to show" in text and "central differences alone" in text
    assert r"J \approx \begin{bmatrix}1 & 0 \\ 0 & 2\end{bmatrix}" in text
    assert r"\det J(2, 0) = 2" in text  # from the differences: the polar map scales areas by the radius
    assert "from the formulas" not in text


# Links that together draw every control: the defaults, three inputs and four outputs, and all six constants.
DRAWING_EVERY_CONTROL = ({}, {"jac_inputs": "3", "jac_outputs": "4"},
                         {"jac_f1": "p x + q y + r", "jac_f2": "s x + t y + u"})


def test_every_control_the_page_draws_is_declared_and_starts_at_its_default():
    drawn = set()
    for query in DRAWING_EVERY_CONTROL:
        at = run_page("jacobian", query)
        assert not at.error, query
        # A component box's label names the inputs of the run: f2(x, y, z).
        drawn |= assert_shown_as_declared(at, lesson.CONTROLS, lesson.TEXT.task.key, query,
                                          relabelled=frozenset(k for k in lesson.CONTROLS if k.startswith("jac_f")))
    assert drawn == set(lesson.CONTROLS)


def test_examples_fill_declared_controls_only():
    for name in lesson.EXAMPLES:
        assert set(lesson._fill(name)) <= set(lesson.CONTROLS), name
