"""Teacher mode as a teacher uses it: the task stays private to each browser and answerable under any lock."""

from __future__ import annotations

from tests.app.conftest import as_read, run_page, shown_text
from ui.views.derivatives import CONTROLS

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


def teacher_notes(at) -> str:
    """The teacher's notice in the sidebar (as the reader sees it), or ""."""
    return "\n".join(as_read(w.value) for w in at.sidebar.warning)


def test_a_name_the_page_does_not_know_is_listed_for_the_teacher():
    at = run_page(PAGE, {"teacher": "1", "hide": "deriv_nope,deriv_dx", "lock": "deriv_x0,integ_n"})
    assert not at.exception
    notes = teacher_notes(at)
    assert "deriv_nope" in notes and "integ_n" in notes
    assert "deriv_dx" not in notes and "deriv_x0" not in notes  # both are this page's controls


def test_the_task_and_shared_toggles_are_names_the_page_knows():
    at = run_page(PAGE, {"teacher": "1", "hide": f"{TASK}_reveal,deriv_code", "lock": "all"})
    assert not at.exception
    assert teacher_notes(at) == ""


def test_a_link_value_out_of_range_is_listed_for_the_teacher():
    at = run_page(PAGE, {"teacher": "1", "deriv_x0": "999"})
    assert not at.exception
    notes = teacher_notes(at)
    assert "x₀" in notes and "deriv_x0" in notes and "999" in notes
    assert at.slider(key="deriv_x0").value == CONTROLS["deriv_x0"].default


def test_a_hidden_controls_unusable_link_value_is_listed_too():
    at = run_page(PAGE, {"teacher": "1", "hide": "deriv_x0", "deriv_x0": "lots"})
    assert not at.exception
    assert "lots" in teacher_notes(at)


def test_good_link_values_are_not_listed():
    at = run_page(PAGE, {"teacher": "1", "deriv_x0": "2", "deriv_dx": "0.1"})
    assert not at.exception
    assert teacher_notes(at) == ""


def test_without_teacher_mode_nothing_is_listed():
    at = run_page(PAGE, {"hide": "deriv_nope", "lock": "deriv_typo", "deriv_x0": "999"})
    assert not at.exception
    assert not at.sidebar.warning
    assert "deriv_nope" not in shown_text(at) and "999" not in shown_text(at)


def test_link_text_in_the_notice_is_shown_literally():
    at = run_page(PAGE, {"teacher": "1", "deriv_scheme": "[x](https://evil.example)"})
    assert not at.exception
    raw = "\n".join(w.value for w in at.sidebar.warning)
    assert "evil.example" in as_read(raw)
    assert "](https://evil" not in raw


def test_the_optimizers_settings_are_names_lesson_6_knows():
    from calc_core.optimization.optimizers import OPTIMIZERS, hyperparameters
    from ui.views.optimization import control_key

    optimizer = next(iter(OPTIMIZERS.values()))
    key = control_key(optimizer, hyperparameters(optimizer)[0])
    at = run_page("optimization", {"teacher": "1", "lock": f"{key},opt2_nope"})
    assert not at.exception
    notes = teacher_notes(at)
    assert "opt2_nope" in notes and key not in notes


def test_a_teacher_moving_a_control_is_not_listed():
    at = run_page(PAGE, {"teacher": "1", "deriv_x0": "2"})
    at.slider(key="deriv_x0").set_value(3.5).run()
    at.radio(key="deriv_scheme").set_value("central").run()
    assert not at.exception
    assert teacher_notes(at) == ""


def built_link(at) -> str:
    return next(c.value for c in at.code if "teacher=1" in c.value)


def link_params(link: str) -> dict[str, list[str]]:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(link).query)


def test_the_link_builder_lists_controls_by_label_and_builds_the_link():
    from ui.lessons import lesson_for
    from ui.teacher_tools import BUILDER_HIDE, BUILDER_LOCK, builder_choices

    at = run_page(PAGE, {"deriv_x0": "2"})
    assert not at.exception
    choices = builder_choices(lesson_for(f"lessons/{PAGE}.py"))
    hide_box = at.multiselect(key=BUILDER_HIDE)
    assert CONTROLS["deriv_x0"].label in hide_box.proto.options
    assert not hide_box.proto.query_param_key
    hide_box.select("deriv_dx").run()
    at.multiselect(key=BUILDER_LOCK).select("deriv_x0").run()
    assert not at.exception
    params = link_params(built_link(at))
    assert params["teacher"] == ["1"]
    assert params["hide"] == ["deriv_dx"]
    assert params["lock"] == ["deriv_x0"]
    assert params["deriv_x0"] == ["2"]  # the view as it is now
    assert set(choices) >= set(CONTROLS)


def test_the_built_link_hides_and_locks_what_was_chosen():
    from ui.teacher_tools import BUILDER_HIDE, BUILDER_LOCK_ALL

    at = run_page(PAGE)
    at.multiselect(key=BUILDER_HIDE).select(f"{TASK}_reveal").run()
    at.checkbox(key=BUILDER_LOCK_ALL).check().run()
    params = link_params(built_link(at))
    assert params["lock"] == ["all"] and params["hide"] == [f"{TASK}_reveal"]
    opened = run_page(PAGE, {name: values[0] for name, values in params.items()})
    assert not opened.exception
    assert f"{TASK}_reveal" not in {t.key for t in opened.toggle}
    assert opened.slider(key="deriv_x0").disabled
    assert not opened.text_input(key=f"{TASK}_answer").disabled
    assert teacher_notes(opened) == ""


def test_every_lesson_has_the_link_builder_with_its_declared_controls():
    from ui.lessons import LESSONS
    from ui.teacher_tools import BUILDER_HIDE, declared_controls

    for lesson in LESSONS:
        at = run_page(lesson.url_path)
        assert not at.exception, lesson.url_path
        options = set(at.multiselect(key=BUILDER_HIDE).proto.options)
        assert set(declared_controls(lesson).values()) <= options, lesson.url_path


def test_the_code_toggle_is_a_choice_of_every_lesson():
    from ui.lessons import LESSONS
    from ui.teacher_tools import builder_choices, code_key

    for lesson in LESSONS:
        at = run_page(lesson.url_path)
        assert code_key(lesson) in {t.key for t in at.toggle if t.label == "Show the code"}, lesson.url_path
        assert builder_choices(lesson)[code_key(lesson)] == "Show the code"
