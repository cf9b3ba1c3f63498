"""The Class page under AppTest: joining, the teacher's dashboard and its controls, refusals and faults.

Pages run through ``app.py`` (the page links to the lessons, which resolve only under the app's
navigation). The class store is the worker's own SQLite file (``CALC_LAB_DATA_DIR``, tests/conftest.py);
tests read and write it through a :class:`ClassStore` of their own, as another process would.
"""

from __future__ import annotations

import re
import threading

import pytest
from streamlit.testing.v1 import AppTest

from classroom import MAX_STUDENTS_PER_CLASS, ClassClosed, ClassStore, InvalidInput, WrongTeacherToken
from tests.app.conftest import ROOT, TIMEOUT_S, as_read, shown_text
from ui import class_page, dashboard
from ui.class_limits import RESUME_TRIES
from ui.course import ordered_lessons
from ui.rate_limit import RateLimit

CLOSED_PORT_URL = "postgresql+psycopg://x:y@127.0.0.1:1/z"


@pytest.fixture(scope="module")
def store():
    with ClassStore() as opened:
        yield opened


@pytest.fixture(autouse=True)
def _fresh_reports():
    """Every run reads the class as it is now (the dashboard otherwise reuses a report for REPORT_TTL seconds)."""
    dashboard.report_cache().clear()
    yield
    dashboard.report_cache().clear()


def open_page(query: dict[str, str] | None = None, at: AppTest | None = None) -> AppTest:
    """The Class page in a new session (or ``at``'s), with the address's query ``query``."""
    if at is None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S).run()
    at.switch_page("lessons/class_page.py")
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def everything_shown(at: AppTest) -> str:
    """Text, codes, metrics, tables and selectbox options of a run, joined."""
    parts = [shown_text(at), *(str(c.value) for c in at.code), *(str(m.value) for m in at.metric),
             *(str(h.value) for h in at.header)]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [str(option) for box in at.selectbox for option in box.options]
    return "\n".join(parts)


def start_class(name: str = "") -> AppTest:
    at = open_page()
    at.text_input(key="class_name").set_value(name)
    at.button(key="class_start").click().run()
    assert not at.exception
    return at


def teacher_token_of(at: AppTest) -> str:
    links = [c.value for c in at.code if "?teach=" in c.value]
    assert len(links) == 1
    return links[0].split("?teach=", 1)[1]


def join(at: AppTest, code: str, nickname: str = "") -> AppTest:
    at.text_input(key="class_code").set_value(code)
    at.text_input(key="class_nickname").set_value(nickname)
    at.button(key="class_join").click().run()
    assert not at.exception
    return at


TABLES = {"class_students_table": "Student", "class_lessons_table": "Lesson", "class_wrong_table": "Wrong answer"}


def table(at: AppTest, key: str):
    """The dashboard's table ``key``, told apart by its columns."""
    return next(df.value for df in at.dataframe
                if TABLES[key] in df.value.columns and (key != "class_lessons_table" or "Attempted" in df.value))


# --- starting and teaching ------------------------------------------------------------------------------------------


def test_start_a_class_shows_the_join_code_links_qr_code_and_dashboard(store):
    at = start_class("Period 3")
    code = at.metric[0].value
    assert re.fullmatch(r"[A-HJKMNP-Z]{6}", code)
    codes = [c.value for c in at.code]
    assert f"/class?join={code}" in codes
    token = teacher_token_of(at)
    assert len(token) >= 43  # 256 bits, URL-safe
    assert store.report(token).code == code
    assert "Anyone who has this link is the teacher" in shown_text(at)
    assert at.get("image"), "the QR code of the join link"
    assert at.header[0].value == "Your class: Period 3"
    lessons = table(at, "class_lessons_table")
    assert list(lessons["Lesson"]) == [f"{lesson.number}. {lesson.title}" for lesson in ordered_lessons()]
    assert lessons[["Attempted", "Solved", "Solved at the first try"]].to_numpy().sum() == 0
    assert "Nobody has joined yet" in shown_text(at)


def test_the_qr_code_holds_the_join_link():
    png = dashboard.qr_png("http://lab.example/class?join=KQWHTZ")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_teacher_link_opens_the_dashboard_and_leaves_the_address(store):
    new = store.create_class("Linked")
    at = open_page({"teach": new.teacher_token})
    assert at.header[0].value == "Your class: Linked"
    assert "teach" not in at.query_params
    at.run()  # the browser keeps the token: the dashboard stays without the link
    assert at.header[0].value == "Your class: Linked"


def test_a_wrong_teacher_token_shows_nothing_of_any_class(store):
    at = start_class("Mine")
    own_code = at.metric[0].value
    at = open_page({"teach": "not-a-token-" + "x" * 40}, at=at)
    assert [e.value for e in at.error] == [
        "This teacher link does not open any class: it is mistyped, or its class was deleted or has expired."]
    shown = everything_shown(at)
    assert own_code not in shown and "Mine" not in shown
    assert not at.dataframe and not at.metric and not at.text_input and not at.button
    assert at.session_state["membership_teacher_token"] != "not-a-token-" + "x" * 40


def test_the_dashboard_counts_answers_recorded_through_the_store(store):
    at = start_class("Counting")
    code = at.metric[0].value
    ada, bo = store.join(code, "Ada"), store.join(code, "Bo")
    store.record_attempt(ada, "derivatives", "3x^2 - 4x", True)
    store.record_attempt(bo, "derivatives", "3x^2", False)
    store.record_attempt(bo, "derivatives", "3x ^2", False)
    store.record_attempt(bo, "derivatives", "3x^2 - 4x", True)
    store.record_attempt(bo, "svm", "1", False)
    dashboard.report_cache().clear()
    at.run()
    assert at.metric[1].value == "2"
    lessons = table(at, "class_lessons_table").set_index("Lesson")
    first = ordered_lessons()[0]
    row = lessons.loc[f"{first.number}. {first.title}"]
    assert (row["Attempted"], row["Solved"], row["Solved at the first try"], row["Answers"]) == (2, 2, 1, 4)
    wrong = table(at, "class_wrong_table")
    # Bo's two wrong answers differ only in spaces: one answer, one student.
    assert [(answer.replace(" ", ""), n) for answer, n in zip(wrong["Wrong answer"], wrong["Students"], strict=True)] \
        == [("3x^2", 1), ("1", 1)]
    students = table(at, "class_students_table")
    assert list(students["Student"]) == ["Ada", "Bo"]
    assert list(students["Solved"]) == ["1 of 7", "1 of 7"]
    assert list(students["Tried"]) == ["1 of 7", "2 of 7"]


def test_anonymize_hides_every_nickname(store):
    at = start_class()
    code = at.metric[0].value
    for nickname in ("Ada", "Grace", "Linus"):
        store.join(code, nickname)
    dashboard.report_cache().clear()
    at.run()
    assert list(table(at, "class_students_table")["Student"]) == ["Ada", "Grace", "Linus"]
    at.toggle(key="class_anonymize").set_value(True).run()
    assert list(table(at, "class_students_table")["Student"]) == ["Student 1", "Student 2", "Student 3"]
    shown = everything_shown(at)
    assert not any(name in shown for name in ("Ada", "Grace", "Linus"))


def test_markup_in_a_nickname_and_class_name_is_shown_as_typed(store):
    nickname = "<b>B</b>[x](//e.io)**y**"
    name = "<i>P3</i> $x^2$ :red[z]"
    teacher = start_class(name)
    code = teacher.metric[0].value
    student = open_page({"join": code})
    join(student, code, nickname)
    said = student.success[0].value
    assert as_read(said) == f"You joined **{name}** as **{nickname}**."
    assert "\\<b\\>B\\</b\\>" in said and "\\$x\\^2\\$" in said and "\\*\\*y\\*\\*" in said
    dashboard.report_cache().clear()
    teacher.run()
    assert list(table(teacher, "class_students_table")["Student"]) == [nickname]
    assert as_read(teacher.header[0].value) == f"Your class: {name}"


def test_send_a_view_to_the_class_and_stop(store):
    at = start_class()
    token = teacher_token_of(at)
    sid = store.join(at.metric[0].value, "Ada")
    at.text_input(key="class_view").set_value("/derivatives?deriv_f=x^3")
    at.button(key="class_send").click().run()
    assert store.student(sid).shared_view.view == "/derivatives?deriv_f=x^3"
    assert "/derivatives?deriv_f=x^3" in [c.value for c in at.code]
    assert at.text_input(key="class_view").value == ""
    for refused in ("https://evil.example/derivatives", "/class?join=ABCDEF", "/derivatives?teach=x"):
        at.text_input(key="class_view").set_value(refused)
        at.button(key="class_send").click().run()
        assert at.error, refused
        assert store.student(sid).shared_view.view == "/derivatives?deriv_f=x^3"
    at.button(key="class_stop_sending").click().run()
    assert store.student(sid).shared_view is None
    assert store.report(token).shared_view is None


def test_a_pasted_link_becomes_the_lesson_path_of_this_app():
    app = "https://lab.example/calc"
    assert dashboard.view_path("https://lab.example/calc/svm?svm_c=2", app) == "/svm?svm_c=2"
    assert dashboard.view_path("  /calc/gradient  ", app) == "/gradient"
    assert dashboard.view_path("derivatives?deriv_f=x^2#top", app) == "/derivatives?deriv_f=x^2"
    assert dashboard.view_path("/jacobian?teacher=1&lock=all", "") == "/jacobian?teacher=1&lock=all"
    for refused in ("https://other.example/calc/svm", "", "https://lab.example/calc/class", "https://lab.example/calc/",
                    "/nope", "javascript:alert(1)"):
        with pytest.raises(InvalidInput):
            dashboard.view_path(refused, app)
    with pytest.raises(InvalidInput):
        dashboard.view_path("https://lab.example/calc/svm", "")  # this app's address unknown: paths only


def test_close_reopen_remove_and_delete(store):
    at = start_class()
    token, code = teacher_token_of(at), at.metric[0].value
    ada, bo = store.join(code, "Ada"), store.join(code, "Bo")
    at.button(key="class_close").click().run()
    assert store.report(token).closed
    with pytest.raises(ClassClosed):
        store.join(code, "Late")
    at.button(key="class_reopen").click().run()
    assert not store.report(token).closed
    at.selectbox(key="class_remove_who").set_value(ada).run()
    at.button(key="class_remove").click().run()
    assert [s.student_id for s in store.report(token).students] == [bo]
    assert at.button(key="class_delete").disabled
    at.checkbox(key="class_delete_confirm").check().run()
    at.button(key="class_delete").click().run()
    assert not at.exception
    with pytest.raises(WrongTeacherToken):
        store.report(token)
    assert "were deleted" in shown_text(at)
    assert at.button(key="class_start")  # the start page again


def test_forget_this_class_on_this_browser(store):
    at = start_class()
    token = teacher_token_of(at)
    at.button(key="class_forget_teacher").click().run()
    assert not at.dataframe and at.button(key="class_start")
    assert store.report(token).code  # the class itself is untouched


# --- joining --------------------------------------------------------------------------------------------------------


def test_join_by_link_fills_the_code_and_shows_the_resume_code_once(store):
    new = store.create_class("Period 4")
    at = open_page({"join": new.code})
    assert at.text_input(key="class_code").value == new.code
    join(at, new.code, "Ada")
    assert "join" not in at.query_params
    assert as_read(at.success[0].value) == "You joined **Period 4** as **Ada**."
    resume_code = next(c.value for c in at.code if re.fullmatch(r"[A-Z]{4}-[A-Z]{4}-[A-Z]{4}", c.value))
    assert "Write it down" in shown_text(at)
    assert len(at.get("page_link")) >= len(ordered_lessons())
    assert store.resume(resume_code).nickname == "Ada"
    assert [s.nickname for s in store.report(new.teacher_token).students] == ["Ada"]
    at.run()  # shown once; the page now says which class, as whom
    assert resume_code not in [c.value for c in at.code]
    assert "You are in" in shown_text(at) and at.button(key="class_leave")


def test_each_join_link_fills_in_its_own_code(store):
    first, second = store.create_class(), store.create_class()
    at = open_page({"join": first.code})
    assert at.text_input(key="class_code").value == first.code
    at = open_page({"join": second.code}, at=at)
    assert at.text_input(key="class_code").value == second.code


def test_join_by_typed_code_with_an_empty_nickname(store):
    new = store.create_class()
    at = join(open_page(), f" {new.code[:3].lower()}-{new.code[3:].lower()} ", "")
    assert as_read(at.success[0].value) == f"You joined **Class {new.code}** as **Student 1**."
    assert [s.nickname for s in store.report(new.teacher_token).students] == ["Student 1"]


def test_leave_the_class_and_continue_on_another_device(store):
    new = store.create_class("Travel")
    at = join(open_page(), new.code, "Ada")
    resume_code = next(c.value for c in at.code if re.fullmatch(r"[A-Z]{4}-[A-Z]{4}-[A-Z]{4}", c.value))
    at.button(key="class_leave").click().run()
    assert at.button(key="class_join") and "left the class" in shown_text(at)
    other = open_page()
    other.text_input(key="class_resume").set_value(resume_code.lower())
    other.button(key="class_resume_go").click().run()
    assert not other.exception
    assert "You are in **Travel** as **Ada**." in [m.value for m in other.markdown]


def test_a_self_learner_continues_on_another_device(store):
    learner = store.start_learner()
    at = open_page()
    at.text_input(key="class_resume").set_value(learner.resume_code)
    at.button(key="class_resume_go").click().run()
    assert not at.exception
    assert "You are not in a class" in at.success[0].value
    assert at.button(key="class_join")


def test_a_full_class_refuses_the_next_student(store):
    new = store.create_class()
    for _ in range(MAX_STUDENTS_PER_CLASS):
        store.join(new.code, "")
    at = join(open_page({"join": new.code}), new.code, "Late")
    assert "This class is full" in at.error[0].value
    assert "join" in at.query_params
    assert len(store.report(new.teacher_token).students) == MAX_STUDENTS_PER_CLASS


def test_an_unknown_code_is_refused():
    at = join(open_page(), "QQQQQQ", "Ada")
    assert at.error and not at.success
    at = join(open_page(), "", "Ada")
    assert at.error[0].value == "Type the join code your teacher gave you."


# --- rate limits ----------------------------------------------------------------------------------------------------


def test_join_attempts_are_limited_per_session():
    at = open_page()
    for _ in range(class_page.JOIN_PER_SESSION.limit):
        join(at, "QQQQQQ", "")
        assert "Too many" not in at.error[0].value
    join(at, "QQQQQQ", "")
    assert "Too many attempts to join a class" in at.error[0].value


def test_join_attempts_are_limited_per_class_code(store, monkeypatch):
    new = store.create_class()
    monkeypatch.setattr(class_page, "JOIN_PER_CLASS", RateLimit(limit=2, window=60.0, what="students joining"))
    class_page._joins_per_class.clear()
    try:
        for nickname in ("A", "B"):
            assert join(open_page(), new.code, nickname).success
        refused = join(open_page(), new.code, "C")
        assert "Too many students joining" in refused.error[0].value
    finally:
        class_page._joins_per_class.clear()
    assert len(store.report(new.teacher_token).students) == 2


def test_resume_codes_are_limited_per_session():
    at = open_page()
    for attempt in range(RESUME_TRIES.limit + 1):
        at.text_input(key="class_resume").set_value(f"AAAA-BBBB-CCC{'DEFGH'[attempt % 5]}")
        at.button(key="class_resume_go").click().run()
    assert "Too many resume code tries" in at.error[0].value


def test_starting_classes_is_limited_per_session():
    at = open_page()
    for _ in range(class_page.START_PER_SESSION.limit):
        at.button(key="class_start").click().run()
        assert at.header, "a class was started"
        at.button(key="class_forget_teacher").click().run()
    at.button(key="class_start").click().run()
    assert "Too many classes started" in at.error[0].value


# --- the database not answering -------------------------------------------------------------------------------------


def test_the_page_works_while_the_database_does_not_answer(monkeypatch):
    monkeypatch.setenv("CALC_LAB_DATABASE_URL", CLOSED_PORT_URL)
    at = join(open_page(), "ABCDEF", "Ada")
    assert "not answering" in at.error[0].value
    assert "not answering" in shown_text(at)  # the page's own notice too
    at.button(key="class_start").click().run()
    assert not at.exception and "not answering" in at.error[0].value
    teacher = open_page({"teach": "x" * 43})
    assert "not answering" in teacher.warning[0].value and not teacher.dataframe
    teacher.session_state["membership_teacher_token"] = "y" * 43
    teacher = open_page(at=teacher)
    assert "not answering" in teacher.warning[0].value
    lesson = AppTest.from_file(str(ROOT / "lessons" / "derivatives.py"), default_timeout=TIMEOUT_S).run()
    assert not lesson.exception


def test_the_dashboard_says_the_database_is_down_and_comes_back_with_it(store, monkeypatch):
    new = store.create_class("Back")
    at = open_page({"teach": new.teacher_token})
    monkeypatch.setenv("CALC_LAB_DATABASE_URL", CLOSED_PORT_URL)
    dashboard.report_cache().clear()
    at = open_page(at=at)
    assert "not answering" in at.warning[0].value and not at.dataframe and not at.metric
    assert "Trying again every" in shown_text(at)
    monkeypatch.delenv("CALC_LAB_DATABASE_URL")
    at.run()
    assert at.header[0].value == "Your class: Back" and at.dataframe


# --- the report cache -----------------------------------------------------------------------------------------------


class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_report_cache_shares_one_read_within_its_ttl():
    clock = _Clock()
    cache = dashboard.ReportCache(ttl=2.0, clock=clock)
    reads = []

    def read():
        reads.append(1)
        return f"report {len(reads)}"

    assert cache.get("token", read) == "report 1"
    clock.now += 1.9
    assert cache.get("token", read) == "report 1"
    clock.now += 0.2
    assert cache.get("token", read) == "report 2"
    cache.forget("token")
    assert cache.get("token", read) == "report 3"
    assert cache.get("other", read) == "report 4"
    assert cache.reads == 4


def test_the_report_cache_keeps_no_refusal_and_one_read_for_many_tabs():
    cache = dashboard.ReportCache(ttl=60.0)

    def refuse():
        raise WrongTeacherToken("no")

    with pytest.raises(WrongTeacherToken):
        cache.get("wrong", refuse)
    assert not cache._entries
    started, release = threading.Event(), threading.Event()

    def slow_read():
        started.set()
        release.wait(30)
        return "report"

    results = []
    tabs = [threading.Thread(target=lambda: results.append(cache.get("token", slow_read))) for _ in range(5)]
    tabs[0].start()
    started.wait(30)
    for tab in tabs[1:]:
        tab.start()
    release.set()
    for tab in tabs:
        tab.join(30)
    assert results == ["report"] * 5 and cache.reads == 1
