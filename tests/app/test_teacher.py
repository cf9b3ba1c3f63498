"""Teacher mode as a teacher uses it: the task stays private to each browser and answerable under any lock."""

from __future__ import annotations

from tests.app.conftest import run_page, shown_text

PAGE = "derivatives"
TASK = "deriv_task"
SOLUTION_LINE = "f′(x) = 3x² − 4x"


def task_params(at) -> set[str]:
    return {name for name in at.query_params if name.startswith(f"{TASK}_")}


def test_a_link_carrying_task_values_fills_no_answer_and_opens_no_solution():
    at = run_page(PAGE, {f"{TASK}_answer": "3x^2 - 4x", f"{TASK}_reveal": "true", f"{TASK}_hint": "true"})
    assert not at.exception
    assert at.text_input(key=f"{TASK}_answer").value == ""
    assert at.toggle(key=f"{TASK}_reveal").value is False
    assert at.toggle(key=f"{TASK}_hint").value is False
    assert SOLUTION_LINE not in shown_text(at)
    assert not at.success
    assert not task_params(at)


def test_an_answer_and_an_open_solution_stay_out_of_the_address():
    at = run_page(PAGE)
    at.text_input(key=f"{TASK}_answer").set_value("3x^2 - 4x").run()
    at.toggle(key=f"{TASK}_hint").set_value(True).run()
    at.toggle(key=f"{TASK}_reveal").set_value(True).run()
    assert not at.exception
    assert at.success  # the answer was checked and is right
    assert SOLUTION_LINE in shown_text(at)
    assert not task_params(at)
    assert not at.text_input(key=f"{TASK}_answer").proto.query_param_key
    assert not at.toggle(key=f"{TASK}_hint").proto.query_param_key
    assert not at.toggle(key=f"{TASK}_reveal").proto.query_param_key


def test_lock_all_leaves_the_task_answerable():
    at = run_page(PAGE, {"teacher": "1", "lock": "all"})
    assert not at.exception
    assert at.slider(key="deriv_x0").disabled  # the lesson's controls are locked
    box = at.text_input(key=f"{TASK}_answer")
    assert not box.disabled
    box.set_value("3x^2 - 4x").run()
    assert at.success
    at.text_input(key=f"{TASK}_answer").set_value("3x^2").run()
    assert at.warning and not at.success


def test_a_teacher_may_hide_or_lock_the_solution_by_name():
    at = run_page(PAGE, {"teacher": "1", "hide": f"{TASK}_reveal", "lock": f"{TASK}_hint"})
    assert not at.exception
    assert f"{TASK}_reveal" not in {t.key for t in at.toggle}
    assert at.toggle(key=f"{TASK}_hint").disabled
    assert not at.text_input(key=f"{TASK}_answer").disabled
