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
    assert "deriv_nope" not in shown_text(at)
    # The dropped value is named at the top of the page for every visitor (tests/app/test_link_notes.py).
    assert "“999” is outside" in as_read(shown_text(at))


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


# --------------------------------------------------------------------------- sections a teacher may hide

TASK_FUNCTION = {"deriv_f": "x^3 - 2x^2 + 1"}
ANSWER_TEXTS = ("3 x^{2} - 4 x", "3x² − 4x", "3x^2 - 4x")


def test_hiding_the_rules_leaves_the_derivative_tasks_answer_nowhere_on_the_page():
    shown = run_page(PAGE, TASK_FUNCTION)
    assert any(answer in shown_text(shown) for answer in ANSWER_TEXTS)  # the section gives it away
    at = run_page(PAGE, {**TASK_FUNCTION, "teacher": "1", "hide": "deriv_rules"})
    assert not at.exception
    text = shown_text(at) + "\n".join(str(c.value) for c in at.code)
    assert not any(answer in text for answer in ANSWER_TEXTS)
    assert "By the rules, step by step" not in text
    assert "deriv_working" not in {t.key for t in at.toggle}  # the section's own control is not drawn either
    assert not at.text_input(key=f"{TASK}_answer").disabled
    assert teacher_notes(at) == ""


# A task's function set in a link, the sections that show its answer, and the answer as the page writes it.
ANSWER_SECTIONS = [
    ("integrals", {"integ_f": "3x^2 - 4x"}, "integ_rules", ("x^{3} - 2 x^{2}",)),
    ("gradient", {"grad_f": "x^2 + y^2", "grad_x0": "1", "grad_y0": "1"},
     "grad_gradient,grad_scan,grad_course_note", ("(2,\\ 2)", "(2, 2)", "(2x, 2y)", "2 x,\\ 2 y")),
]


def test_hiding_the_sections_that_give_a_tasks_answer_away_leaves_it_nowhere():
    for page, link, hide, answers in ANSWER_SECTIONS:
        assert any(answer in shown_text(run_page(page, link)) for answer in answers), page
        at = run_page(page, {**link, "teacher": "1", "hide": hide})
        assert not at.exception, page
        text = shown_text(at)
        assert not any(answer in text for answer in answers), (page, [a for a in answers if a in text])
        assert teacher_notes(at) == "", page


# One piece of each section's content that nothing else on its page shows: (page, link, words).
SECTION_MARKS = {
    "deriv_error": ("derivatives", {}, "The dashed line is your δx"),
    "deriv_rules": ("derivatives", {}, "Each step applies one rule"),
    "integ_convergence": ("integrals", {}, "Error against n on log-log axes"),
    "integ_running": ("integrals", {}, "The running sum is an antiderivative"),
    "integ_rules": ("integrals", {}, r"\int 2 x\,dx = x^{2} + C"),
    "grad_course_note": ("gradient", {}, "The course's quiver code computes"),
    "grad_gradient": ("gradient", {}, "The gradient at the point"),
    "grad_scan": ("gradient", {}, "Step a distance s from the point in each direction"),
    "jac_matrix": ("jacobian", {}, "The Jacobian matrix"),
    "jac_determinant": ("jacobian", {}, "The determinant"),
    "jac_linear_map": ("jacobian", {}, "The Jacobian as a linear map"),
    "jac_bridge": ("jacobian", {}, "From Jacobians to backpropagation"),
    "opt_critical": ("optimization", {}, "▼ minimum, ▲ maximum, ◆ inflection"),
    "opt_descent": ("optimization", {}, "Gradient descent on f"),
    "opt2_hessian": ("optimization", {"opt_part": "Two variables"}, "det H > 0 with f_xx > 0"),
    "svm_multipliers": ("svm", {}, "**Multipliers λᵢ**"),
    "svm_kkt": ("svm", {}, "The Karush–Kuhn–Tucker conditions"),
    "svm_reference": ("svm", {}, "stands in for the hard margin"),
    "backprop_check": ("backprop", {}, "**Gradient check.**"),
    "backprop_calculus": ("backprop", {}, "The calculus: backpropagation is a chain of Jacobian products"),
    "backprop_reference": ("backprop", {}, "Reference: scikit-learn"),
    "backprop_compare": ("backprop", {}, "Compare runs"),
    "backprop_sweep": ("backprop", {}, "Sweep a hyperparameter"),
    "backprop_export": ("backprop", {}, "Export"),
}


def test_every_declared_section_has_a_mark_to_test_it_by():
    from ui.lessons import LESSONS
    from ui.task import task_keys
    from ui.teacher_tools import code_key, declared_controls, declared_sections

    declared = {key: lesson.url_path for lesson in LESSONS for key in declared_sections(lesson)}
    assert declared == {key: page for key, (page, _, _) in SECTION_MARKS.items()}
    assert "deriv_rules" in declared and "backprop_sweep" in declared and "backprop_export" in declared
    for lesson in LESSONS:  # a section's key names nothing else on its page, and carries the page's prefix
        sections = set(declared_sections(lesson))
        others = set(declared_controls(lesson)) | set(task_keys(lesson.task)) | {code_key(lesson)}
        assert not sections & others, lesson.url_path
        prefix = lesson.task.removesuffix("_task")
        assert all(key.split("_")[0].rstrip("2") == prefix for key in sections), lesson.url_path


def _marks(page: str, query: dict) -> dict[str, str]:
    return {key: words for key, (p, q, words) in SECTION_MARKS.items() if p == page and q == query}


def test_each_section_is_on_its_page_until_a_link_hides_it():
    for page, query in {(p, tuple(sorted(q.items()))) for p, q, _ in SECTION_MARKS.values()}:
        query = dict(query)
        marks = _marks(page, query)
        at = run_page(page, query)
        assert not at.exception, page
        text = shown_text(at)
        for key, words in marks.items():
            assert words in text, (key, words)
        for key, words in marks.items():
            hidden = run_page(page, {**query, "teacher": "1", "hide": key})
            assert not hidden.exception, key
            text = shown_text(hidden)
            assert words not in text, key
            others = [w for k, w in marks.items() if k != key and w != words]
            assert all(w in text for w in others), (key, [w for w in others if w not in text])
            assert teacher_notes(hidden) == "", key


def test_a_hidden_sweep_draws_none_of_its_controls():
    from ui.views.backprop.settings import CONTROLS as BACKPROP

    sweep_keys = {key for key in BACKPROP if key.startswith("backprop_sweep_")}
    shown = run_page("backprop")
    drawn = {w.key for kind in ("slider", "select_slider", "selectbox") for w in getattr(shown, kind)}
    assert drawn & sweep_keys
    at = run_page("backprop", {"teacher": "1", "hide": "backprop_sweep,backprop_export,backprop_reference"})
    assert not at.exception
    drawn = {w.key for kind in ("slider", "select_slider", "selectbox") for w in getattr(at, kind)}
    assert not drawn & sweep_keys
    buttons = {b.key for b in at.button}
    assert not {"backprop_sweep_run", "backprop_reference"} & buttons
    assert not any(getattr(d, "key", "").startswith("backprop_download") for d in at.get("download_button"))


def test_the_link_builder_lists_every_pages_sections_by_label_to_hide_not_to_lock():
    from ui.lessons import LESSONS
    from ui.teacher_tools import BUILDER_HIDE, BUILDER_LOCK, SECTION_PREFIX, declared_sections

    for lesson in LESSONS:
        sections = declared_sections(lesson)
        if not sections:
            continue
        at = run_page(lesson.url_path)
        hide_options = set(at.multiselect(key=BUILDER_HIDE).proto.options)
        lock_options = set(at.multiselect(key=BUILDER_LOCK).proto.options)
        for label in sections.values():
            assert SECTION_PREFIX + label in hide_options, (lesson.url_path, label)
            assert SECTION_PREFIX + label not in lock_options, (lesson.url_path, label)
    assert "Section: By the rules, step by step" in set(run_page(PAGE).multiselect(key=BUILDER_HIDE).proto.options)


def test_a_section_chosen_in_the_builder_is_hidden_by_the_link():
    from ui.teacher_tools import BUILDER_HIDE

    at = run_page(PAGE, TASK_FUNCTION)
    at.multiselect(key=BUILDER_HIDE).select("deriv_rules").run()
    params = link_params(built_link(at))
    assert params["hide"] == ["deriv_rules"]
    opened = run_page(PAGE, {name: values[0] for name, values in params.items()})
    assert not opened.exception
    assert not any(answer in shown_text(opened) for answer in ANSWER_TEXTS)
    assert teacher_notes(opened) == ""


def test_a_mistyped_section_is_listed_and_a_locked_one_is_named_too():
    at = run_page(PAGE, {"teacher": "1", "hide": "deriv_rulez,deriv_rules", "lock": "deriv_error"})
    assert not at.exception
    notes = teacher_notes(at)
    assert "deriv_rulez" in notes
    assert "deriv_rules" not in notes.replace("deriv_rulez", "")
    assert "Sections cannot be locked" in notes and "deriv_error" in notes
    assert "The dashed line is your δx" in shown_text(at)  # lock= does nothing to a section


# --------------------------------------------------------------------------- prose never points at what is gone

# Per page: the link, and a sentence that points at what the link hides or locks (shown without the link).
POINTING = [
    ("derivatives", {"hide": "deriv_dx"}, "Move x₀ and shrink δx below"),
    ("derivatives", {"lock": "deriv_x0"}, "Move x₀ and shrink δx below"),
    ("integrals", {"hide": "integ_running"}, "to compare the running sum with it"),
    ("integrals", {"lock": "integ_f"}, "Then choose the example 3x^2 - 4x for f(x)"),
    ("gradient", {"hide": "grad_x0"}, "the point to (1, 1) to confirm it"),
    ("gradient", {"hide": "grad_scan"}, "confirm it with the direction scan"),
    ("gradient", {"lock": "grad_y0"}, "Moving the point does not redraw it."),
    ("jacobian", {"hide": "jac_outputs"}, "Pick the “Dense layer” example"),
    ("jacobian", {"hide": "jac_matrix"}, "Pick the “Dense layer” example"),
    ("jacobian", {"hide": "jac_radius"}, "Shrink the grid and the two agree"),
    ("optimization", {"hide": "opt_f"}, "load the example “Course task: log(x)”"),
    ("optimization", {"hide": "opt_critical"}, "load the example “Course task: log(x)”"),
    ("svm", {"lock": "svm_points"}, "Load “Course task: 6 points”"),
    ("svm", {"hide": "svm_points"}, "edit the points and watch the line move"),
    ("backprop", {"hide": "backprop_course_bug"}, "switch in the Network settings brings the bug back"),
    ("backprop", {"lock": "backprop_sample"}, "Pick a training point"),
]


def test_a_sentence_pointing_at_a_hidden_or_locked_control_or_section_is_gone():
    seen_pages = set()
    for page, link, sentence in POINTING:
        if page not in seen_pages:
            assert sentence in shown_text(run_page(page)), (page, sentence)
        seen_pages.add(page)
        at = run_page(page, {"teacher": "1", **link})
        assert not at.exception, (page, link)
        assert sentence not in shown_text(at), (page, link, sentence)
    assert seen_pages == {"derivatives", "integrals", "gradient", "jacobian", "optimization", "svm", "backprop"}


def test_pointing_sentences_are_shown_in_full_without_teacher_mode():
    first = {}
    for page, link, sentence in POINTING:
        first.setdefault(page, (link, sentence))
    for page, (link, sentence) in first.items():
        at = run_page(page, link)  # a stray hide= or lock= without teacher=1 changes nothing
        assert sentence in shown_text(at), (page, link, sentence)


def test_a_sentence_that_loses_its_control_reads_its_replacement():
    at = run_page(PAGE, {"teacher": "1", "hide": "deriv_dx"})
    text = shown_text(at)
    assert "shrink δx below, and watch" not in text and "Shrink δx and the secant" not in text
    assert "As δx shrinks the secant turns into the tangent" in text


def test_lock_all_drops_sentences_pointing_at_controls_but_keeps_those_pointing_at_sections():
    from ui.prose import Points, Prose
    from ui.teacher import TeacherSettings

    prose = Prose("Plain.", Points("Move x₀.", ("deriv_x0",)), Points("See the rules.", sections=("deriv_rules",)),
                  Points("Drag it.", ("deriv_dx",), otherwise="It moves."))
    assert prose == "Plain. Move x₀. See the rules. Drag it."
    assert prose.words(TeacherSettings()) == "Plain. Move x₀. See the rules. Drag it."
    locked = TeacherSettings(active=True, lock_all=True)
    assert prose.words(locked) == "Plain. See the rules. It moves."
    hidden = TeacherSettings(active=True, hidden=frozenset({"deriv_rules"}))
    assert prose.words(hidden) == "Plain. Move x₀. Drag it."
    assert prose.words(TeacherSettings(active=False, hidden=frozenset({"deriv_x0"}))) == str(prose)


def _lesson_prose(lesson):
    """Every Points of a lesson's view modules: module constants, dict values and the lesson's TEXT."""
    import importlib
    import sys

    from ui.controls import LessonText
    from ui.prose import Points, Prose

    base = ".".join(lesson.view.split(".")[:3])
    importlib.import_module(lesson.view)
    modules = [m for name, m in list(sys.modules.items()) if name == base or name.startswith(base + ".")]
    found = []

    def visit(value):
        if isinstance(value, Points):
            found.append(value)
        elif isinstance(value, Prose):
            found.extend(value.pointers())
        elif isinstance(value, LessonText):
            for text in (value.summary, value.task.prompt, value.task.hint, value.task.solution):
                visit(text)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    for module in modules:
        for value in vars(module).values():
            visit(value)
    return found


def test_every_pointing_sentence_names_controls_and_sections_its_page_declares():
    from ui.lessons import LESSONS
    from ui.teacher_tools import declared_controls, declared_sections

    total = 0
    for lesson in LESSONS:
        controls, sections = set(declared_controls(lesson)), set(declared_sections(lesson))
        pointers = _lesson_prose(lesson)
        assert pointers, lesson.url_path  # every page says at least one thing about a control
        for pointer in pointers:
            assert set(pointer.controls) <= controls, (lesson.url_path, pointer.text)
            assert set(pointer.sections) <= sections, (lesson.url_path, pointer.text)
        total += len(pointers)
    assert total >= len(POINTING)
