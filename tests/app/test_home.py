"""Home page under AppTest."""

from tests.app.conftest import run_page, shown_text
from ui.lessons import LESSONS


def test_home_runs_and_explains_sharing_and_teacher_mode():
    at = run_page("home")
    assert not at.exception
    text = shown_text(at)
    assert "Calculus for ML Lab" in text
    assert "teacher=1" in text
    assert "URL" in text


def test_home_lists_each_registered_lesson():
    at = run_page("home")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    for lesson in LESSONS:
        assert lesson.summary in captions
