"""The course path through app.py: links between lessons, and solved tasks on the home page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, TIMEOUT_S, run_page
from ui.course import neighbours
from ui.lessons import LESSONS


def test_neighbours_follow_the_lesson_numbers():
    ordered = sorted(LESSONS, key=lambda lesson: lesson.number)
    assert neighbours(ordered[0].path) == (None, ordered[1])
    assert neighbours(ordered[3].path) == (ordered[2], ordered[4])
    assert neighbours(ordered[-1].path) == (ordered[-2], None)
    assert neighbours("lessons/home.py") == (None, None)


def test_home_counts_the_tasks_solved_in_this_session():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S).run()
    assert any("0 of 7" in caption.value for caption in at.caption)
    at.session_state["course_solved_tasks"] = frozenset({"deriv_task", "svm_task"})
    at.run()
    assert not at.exception
    captions = [caption.value for caption in at.caption]
    assert any("2 of 7" in caption for caption in captions)
    assert sum("Task solved" in caption for caption in captions) == 2


def test_a_correct_answer_marks_the_task_solved():
    at = run_page("derivatives")
    at.text_input(key="deriv_task_answer").set_value("3x^2").run()
    assert "course_solved_tasks" not in at.session_state
    at.text_input(key="deriv_task_answer").set_value("3x^2 - 4x").run()
    assert at.session_state["course_solved_tasks"] == frozenset({"deriv_task"})
