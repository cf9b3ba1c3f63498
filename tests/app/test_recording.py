"""Task answers reach the class store: once per checked answer, for a self-learner and a class member,
and the home page shows the record across visits; with the database down, lessons keep working."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from classroom import ClassStore
from tests.app.conftest import ROOT, TIMEOUT_S, run_page, shown_text
from ui import membership

RIGHT, WRONG = "3x^2 - 4x", "3x^2 - 2x"  # the derivative task at its default function
FLUSH_S = 60


@pytest.fixture
def store():
    with ClassStore() as opened:  # the test process's own SQLite file (tests/conftest.py)
        yield opened


def _in_app(page: str) -> AppTest:
    """``lessons/<page>.py`` run through app.py, as the browser gets it (banner, sidebar, cookie script)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S).run()
    at.switch_page(f"lessons/{page}.py")
    return at.run()


def _answer(at: AppTest, text: str) -> AppTest:
    return at.text_input(key="deriv_task_answer").set_value(text).run()


def _learner_id(at: AppTest) -> str:
    student, _ = at.session_state[membership._LEARNER]
    return student.student_id


def _flush() -> None:
    assert membership.recorder().flush(FLUSH_S), "the recorder did not write the queued answers"


def _returning(monkeypatch, at: AppTest) -> None:
    """A later visit of the same browser: its cookie holds the token the first visit was given."""
    token = at.session_state[membership._COOKIES_TO_SET][membership.LEARNER_COOKIE]
    monkeypatch.setattr(membership, "_cookie", lambda name: token if name == membership.LEARNER_COOKIE else None)


def test_each_checked_answer_is_recorded_once_and_progress_outlives_the_session(store, monkeypatch):
    at = _answer(_in_app("derivatives"), WRONG)
    at = _answer(at, RIGHT)
    at.run()  # a rerun with the same answer in the box records nothing
    at.slider(key="deriv_x0").set_value(1.5).run()
    assert not at.exception
    script = " ".join(element.proto.body for element in at.html)
    assert membership.LEARNER_COOKIE in script  # the browser is told to keep the learner's token
    _flush()
    record = store.progress(_learner_id(at))["derivatives"]
    assert (record.attempts, record.solved, record.solved_first_try) == (2, True, False)

    _returning(monkeypatch, at)
    home = run_page("home")
    assert not home.exception
    text = shown_text(home)
    assert "Tasks solved: 1 of 7" in text
    assert "kept on this browser" in text


def test_a_class_members_answers_reach_the_teachers_report(store, monkeypatch):
    new = store.create_class("Period 3")
    enrolment = store.enrol(new.code, "Ada <b>")
    monkeypatch.setattr(membership, "_cookie",
                        lambda name: enrolment.token if name == membership.LEARNER_COOKIE else None)
    at = _answer(_in_app("derivatives"), "3 x ^ 2 - 2 x")
    at = _answer(at, RIGHT)
    assert not at.exception
    _flush()
    lesson = store.report(new.teacher_token).lessons["derivatives"]
    assert (lesson.attempted, lesson.solved, lesson.solved_first_try) == (1, 1, 0)
    assert lesson.wrong_answers == [("3 x ^ 2 - 2 x", 1)]
    app = run_page("home")
    sidebar = " ".join(str(element.value) for element in app.sidebar.caption)
    assert "Period 3" in sidebar and "Ada \\<b\\>" in sidebar  # the nickname shown literally


def test_a_view_sent_to_the_class_shows_a_banner_linking_to_it(store, monkeypatch):
    new = store.create_class("Period 3")
    enrolment = store.enrol(new.code, "Ada")
    store.share_view(new.teacher_token, "/integrals?integ_n=40")
    monkeypatch.setattr(membership, "_cookie",
                        lambda name: enrolment.token if name == membership.LEARNER_COOKIE else None)
    at = run_page("home")
    assert not at.exception
    links = [link for link in at.get("page_link") if "teacher sent" in link.proto.label]
    assert links and (links[0].proto.page, links[0].proto.query_string) == ("integrals", "integ_n=40")
    at.button(key="class_banner_dismiss").click().run()
    assert not [link for link in at.get("page_link") if "teacher sent" in link.proto.label]


def test_a_closed_class_records_nothing_more(store, monkeypatch):
    new = store.create_class("Period 3")
    enrolment = store.enrol(new.code, "Ada")
    store.close_class(new.teacher_token)
    monkeypatch.setattr(membership, "_cookie",
                        lambda name: enrolment.token if name == membership.LEARNER_COOKIE else None)
    at = _answer(_in_app("derivatives"), RIGHT)
    assert not at.exception
    _flush()
    assert store.report(new.teacher_token).lessons.get("derivatives") is None or \
        store.report(new.teacher_token).lessons["derivatives"].attempted == 0


def test_with_the_database_down_a_lesson_still_checks_answers(monkeypatch):
    monkeypatch.setenv("CALC_LAB_DATABASE_URL", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    at = _answer(_in_app("derivatives"), RIGHT)
    assert not at.exception
    assert at.success and "correct" in at.success[0].value.lower()
    home = run_page("home")
    assert not home.exception
    assert "Tasks solved:" in shown_text(home)


def test_a_teacher_sends_the_built_view_to_the_class_from_the_lesson_page(store, monkeypatch):
    new = store.create_class("Period 3")
    monkeypatch.setattr(membership, "_cookie",
                        lambda name: new.teacher_token if name == membership.TEACHER_COOKIE else None)
    at = _in_app("derivatives")
    at.multiselect(key="teacher_link_hide").set_value(["deriv_rules"]).run()
    at.button(key="teacher_link_send").click().run()
    assert not at.exception
    assert any("Period 3" in element.value for element in at.success)
    sent = store.report(new.teacher_token).shared_view.view
    assert sent.startswith("/derivatives?") and "teacher=1" in sent and "hide=deriv_rules" in sent


def test_a_learner_without_a_class_is_offered_no_send_button(store):
    at = _in_app("derivatives")
    assert not at.exception
    assert not [button for button in at.button if button.key == "teacher_link_send"]


def test_a_resume_code_typed_on_the_home_page_continues_the_learners_progress(store):
    drawn = store.start_learner()
    store.record_attempt(drawn.student_id, "integrals", "x^2", True)
    at = run_page("home")
    at.text_input(key="home_resume_code").set_value("not a code").run()
    assert any("12 letters" in element.value for element in at.warning)
    at.text_input(key="home_resume_code").set_value(drawn.resume_code.lower().replace("-", " ")).run()
    at.button(key="home_resume").click().run()
    assert not at.exception
    assert "Welcome back" in shown_text(at)
    assert "Tasks solved: 1 of 7" in shown_text(at)
    assert _learner_id(at) == drawn.student_id
