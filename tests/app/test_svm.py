"""The SVM page under AppTest: presets, the points table and text, URL round trips, soft margin, task."""

from __future__ import annotations

import pytest

from tests.app.conftest import as_read, assert_shown_as_declared, run_page, shown_text
from ui.views import svm as lesson

COURSE = "0,0,-1;1,2,1;2,1,1"
TASK = COURSE + ";-1,-1,-1;-3,-1,-1;3,3,1"
XOR = "0,0,-1;1,1,-1;1,0,1;0,1,1"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_default_view_reproduces_the_course_answer():
    at = run_page("svm")
    assert not at.exception
    values = metrics(at)
    assert values["a (w₁)"] == "0.6667" and values["b (w₂)"] == "0.6667" and values["c (bias)"] == "-1"
    assert values["a² + b²"] == "0.8889"
    assert values["margin 2/‖w‖"] == "2.121"
    assert "held up by 3 support vectors" in at.success[0].value
    text = shown_text(at)
    assert "Support vectors (λᵢ > 0): points 1, 2, 3" in text
    # The λ table: 8/9, 4/9, 4/9 for the course's objective a² + b².
    table = next(df.value for df in at.dataframe if "λᵢ" in df.value.columns)
    assert table["λᵢ"].round(4).tolist() == [0.8889, 0.4444, 0.4444]
    kkt = next(df.value for df in at.dataframe if "condition" in df.value.columns)
    assert kkt["holds"].tolist() == ["✓ yes"] * 5
    assert kkt.set_index("condition").loc["stationarity in w", "statement"] == "2w = Σ λᵢ yᵢ xᵢ"
    assert at.data_editor[0].value[["x", "y", "class"]].values.tolist() == [[0, 0, -1], [1, 2, 1], [2, 1, 1]]


def test_six_point_preset_keeps_the_line_and_explains_why():
    at = run_page("svm")
    at.button(key="svm_preset_task").click().run()
    assert not at.exception
    assert at.text_input(key="svm_points").value == TASK
    assert metrics(at)["a² + b²"] == "0.8889"
    assert any("Points 4, 5, 6 have λ = 0" in info.value for info in at.info)
    at.button(key="svm_preset_course").click().run()
    assert at.text_input(key="svm_points").value == COURSE


def test_random_separable_preset_gives_a_verified_line():
    at = run_page("svm")
    at.button(key="svm_preset_random").click().run()
    assert not at.exception
    assert at.text_input(key="svm_points").value.count(";") == 23
    assert "Separable" in at.success[0].value
    assert "No separating line" not in [s.value for s in at.subheader]


def test_not_separable_preset_says_so_and_offers_the_soft_margin():
    at = run_page("svm")
    at.button(key="svm_preset_overlap").click().run()
    assert not at.exception
    assert "No straight line separates the two classes" in at.warning[0].value
    assert "SLSQP" not in shown_text(at)
    assert "Soft margin: paying for slack" in [s.value for s in at.subheader]
    assert at.select_slider(key="svm_C").value == 1.0
    before = metrics(at)["hinge loss Σ ξᵢ"]
    # Cheap slack (C = 0.01) buys a wide margin that most points fall into. (Raising C instead
    # can leave the hinge loss unchanged: some random overlapping sets reach their least
    # slack already at C = 1.)
    at.select_slider(key="svm_C").set_value(0.01).run()
    assert not at.exception
    assert float(metrics(at)["hinge loss Σ ξᵢ"]) > float(before)
    assert "C = 0.01" in at.success[0].value


def test_soft_margin_toggle_on_separable_data_matches_the_hard_margin_for_large_c():
    at = run_page("svm")
    at.toggle(key="svm_soft").set_value(True).run()
    at.select_slider(key="svm_C").set_value(1000.0).run()
    assert not at.exception
    values = [m.value for m in at.metric if m.label == "a (w₁)"]
    assert values == ["0.6667", "0.6667"]
    assert metrics(at)["hinge loss Σ ξᵢ"] == "0"


def test_points_round_trip_through_the_url():
    at = run_page("svm", {"svm_points": "0,0,-1; 0,2,1"})
    assert not at.exception
    assert at.text_input(key="svm_points").value == "0,0,-1; 0,2,1"
    values = metrics(at)
    assert values["a (w₁)"] == "0" and values["b (w₂)"] == "1" and values["c (bias)"] == "-1"
    assert at.data_editor[0].value[["x", "y", "class"]].values.tolist() == [[0, 0, -1], [0, 2, 1]]


def test_soft_settings_round_trip_through_the_url():
    at = run_page("svm", {"svm_points": XOR, "svm_C": "10"})
    assert not at.exception
    assert at.select_slider(key="svm_C").value == 10.0
    assert "no line" in metrics(at)["margin 2/‖w‖"]
    at = run_page("svm", {"svm_soft": "true"})
    assert at.toggle(key="svm_soft").value is True
    assert "Soft margin: paying for slack" in [s.value for s in at.subheader]


def test_editing_a_cell_in_the_table_rewrites_the_points():
    at = run_page("svm")
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": {2: {"y": 3.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert at.text_input(key="svm_points").value == "0,0,-1;1,2,1;2,3,1"
    assert at.data_editor[0].value[["x", "y"]].values.tolist() == [[0, 0], [1, 2], [2, 3]]


def test_adding_and_deleting_rows_in_the_table():
    at = run_page("svm")
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": {}, "added_rows": [{"x": 4.0, "y": 4.0, "class": 1}],
                             "deleted_rows": [1]}
    at.run()
    assert not at.exception
    assert at.text_input(key="svm_points").value == "0,0,-1;2,1,1;4,4,1"


def test_uploading_a_csv_loads_its_points_with_labels_mapped_to_plus_minus_one():
    at = run_page("svm")
    at.file_uploader(key="svm_csv").set_value(("pts.csv", b"x,y,label\n0,0,0\n1,2,1\n2,1,1\n", "text/csv")).run()
    assert not at.exception
    assert at.text_input(key="svm_points").value == COURSE
    assert any("Loaded 3 points" in s.value for s in at.success)


def test_a_bad_csv_is_refused_in_words():
    at = run_page("svm")
    at.file_uploader(key="svm_csv").set_value(("bad.csv", b"x,y,label\n0,zero,0\n1,2,1\n", "text/csv")).run()
    assert not at.exception
    assert any("not a number" in e.value for e in at.error)
    assert at.text_input(key="svm_points").value == COURSE


@pytest.mark.parametrize(
    ("points", "words"),
    [
        ("0,0,1;abc", "needs three values"),
        ("0,0,-1;1,1,2", "class must be −1 or +1"),
        ("0,0,-1;0,0,1", "both at (0, 0) but in different classes"),
        ("0,0,1;1,1,1", "at least one point of each class"),
        ("__import__('os').system('x'),0,1", "not a number"),
        ("", "no points"),
        (";".join(f"{i},0,1" for i in range(201)), "at most 200"),
    ],
)
def test_bad_points_show_an_error_not_a_traceback(points, words):
    at = run_page("svm", {"svm_points": points} if points else None)
    if not points:
        at.text_input(key="svm_points").set_value("").run()
    assert not at.exception
    assert any(words in as_read(e.value) for e in at.error), [e.value for e in at.error]


def test_garbage_c_in_the_url_falls_back_to_the_default():
    at = run_page("svm", {"svm_points": XOR, "svm_C": "1e99"})
    assert not at.exception
    assert at.select_slider(key="svm_C").value == 1.0


@pytest.mark.parametrize(
    ("answer", "kind", "words"),
    [
        ("1, 2, 3", "success", "Correct"),
        ("3 and 2 and 1", "success", "Correct"),
        ("1, 2, 4", "warning", "point 4 (-1, -1) is not"),
        ("1, 2", "warning", "point 3 (2, 1) is one"),
        ("seven", "warning", "Could not read your answer"),
        ("1, 9", "warning", "from 1 to 6"),
    ],
)
def test_support_vector_task(answer, kind, words):
    at = run_page("svm")
    at.text_input(key="svm_task_answer").set_value(answer).run()
    assert not at.exception
    assert any(words in as_read(element.value) for element in getattr(at, kind))


def test_task_hint_solution_and_code_toggles():
    at = run_page("svm")
    at.toggle(key="svm_task_hint").set_value(True).run()
    at.toggle(key="svm_task_reveal").set_value(True).run()
    at.toggle(key="svm_code").set_value(True).run()
    assert not at.exception
    text = shown_text(at)
    assert "Points **1, 2 and 3**" in text
    assert any("def primal_slsqp" in code.value for code in at.code)


def test_teacher_lock_freezes_the_points():
    at = run_page("svm", {"teacher": "1", "lock": "svm_points", "svm_points": TASK})
    assert not at.exception
    assert at.text_input(key="svm_points").disabled
    assert all(at.button(key=k).disabled for k in ("svm_preset_course", "svm_preset_task"))
    assert at.text_input(key="svm_points").value == TASK


def test_teacher_hide_keeps_the_shared_points_without_the_editor():
    at = run_page("svm", {"teacher": "1", "hide": "svm_points", "svm_points": TASK})
    assert not at.exception
    assert not at.data_editor
    assert any("Points 4, 5, 6 have λ = 0" in info.value for info in at.info)


def test_every_control_the_page_draws_is_declared_and_starts_at_its_default():
    drawn = set()
    for query in ({}, {"svm_soft": "true"}, {"svm_points": XOR}):
        at = run_page("svm", query)
        drawn |= assert_shown_as_declared(at, lesson.CONTROLS, lesson.TEXT.task.key, query)
    assert drawn == set(lesson.CONTROLS)


def test_bad_points_from_a_link_leave_the_task_and_the_buttons():
    at = run_page("svm", {"svm_points": "0,0,1;zzz"})
    assert not at.exception
    assert len(at.error) == 1 and "needs three values" in as_read(at.error[0].value)
    assert any(lesson.NEEDS_POINTS in c.value for c in at.caption)
    assert at.button(key="svm_preset_course")
    at.text_input(key="svm_task_answer").set_value("1, 2, 3").run()
    assert any("Correct" in s.value for s in at.success)


def test_a_typo_in_the_points_keeps_the_last_fit():
    at = run_page("svm")
    at.text_input(key="svm_points").set_value("0,0,-1;1,2,1;2,1,").run()
    assert not at.exception
    assert len(at.error) == 1
    assert "last 3 points" in shown_text(at)
    assert metrics(at)["a² + b²"] == "0.8889"
    assert at.get("vega_lite_chart")


def test_the_tables_and_the_errata_sit_in_closed_boxes():
    at = run_page("svm")
    labels = [e.label for e in at.expander]
    for key in ("svm_multipliers", "svm_kkt", "svm_reference"):
        assert lesson.SECTIONS[key].label in labels
    assert "Where the course's code differs" in labels
