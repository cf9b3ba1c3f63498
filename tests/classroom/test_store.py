"""The class store's behaviour, each test on SQLite and on PostgreSQL (see conftest.py)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from classroom import (
    CLASS_RETENTION,
    LEARNER_RETENTION,
    MAX_ANSWER_LENGTH,
    MAX_ATTEMPTS_KEPT,
    MAX_NICKNAME_LENGTH,
    MAX_SHARED_VIEW_LENGTH,
    MAX_STUDENTS_PER_CLASS,
    ClassClosed,
    ClassFull,
    ClassroomError,
    ClassroomLimits,
    ClassStore,
    Enrolment,
    InvalidInput,
    StoreUnavailable,
    TooManyClasses,
    UnknownClass,
    UnknownStudent,
    WrongTeacherToken,
    new_learner,
)
from classroom.config import engine_url
from classroom.tokens import CODE_ALPHABET, JOIN_CODE_LENGTH
from tests.classroom.postgres import terminate_connections


def rows(database: str, query: str) -> list[tuple]:
    """Raw rows of the test database (its own engine, bypassing the store)."""
    engine = create_engine(engine_url(database))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(query))]
    finally:
        engine.dispose()


def all_text(database: str) -> str:
    """Every value of every table of the store, as one string (to look for secrets in clear)."""
    return repr([rows(database, f"SELECT * FROM {table}") for table in ("classes", "students", "progress", "attempts")])


# --- the API as DESIGN.md shows it -------------------------------------------------------------------------------------


def test_design_example(store):
    cls = store.create_class("Period 3")
    sid = store.join(cls.code, "Ada")
    assert isinstance(sid, str) and sid
    store.record_attempt(sid, "derivatives", "3x^2 - 4x", True)
    report = store.report(cls.teacher_token)
    assert [student.nickname for student in report.students] == ["Ada"]
    assert report.lessons["derivatives"].attempted == 1
    assert report.lessons["derivatives"].solved == 1
    assert report.lessons["derivatives"].wrong_answers == []
    assert report.name == "Period 3" and report.code == cls.code


def test_every_refusal_is_a_classroom_error_and_a_value_error():
    for error in (
        ClassFull,
        UnknownClass,
        InvalidInput,
        WrongTeacherToken,
        UnknownStudent,
        ClassClosed,
        TooManyClasses,
        StoreUnavailable,
    ):
        assert issubclass(error, ClassroomError) and issubclass(error, ValueError)


# --- classes, codes and tokens -------------------------------------------------------------------------------------


def test_join_code_is_short_unambiguous_and_random(store):
    codes = [store.create_class(f"Class {i}").code for i in range(40)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == JOIN_CODE_LENGTH
        assert set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("IL O01")
    # Drawn at random, not counted up: consecutive codes rarely share their first letters.
    assert len({code[:2] for code in codes}) > 30


def test_teacher_token_has_at_least_128_bits(store):
    tokens = {store.create_class().teacher_token for _ in range(5)}
    assert len(tokens) == 5
    for token in tokens:
        assert len(token) >= 43  # 32 bytes in URL-safe base64
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_class_name_is_cleaned_and_an_empty_one_named_by_its_code(store):
    assert store.create_class("  Period   3 ").name == "Period 3"
    empty = store.create_class("")
    assert empty.name == f"Class {empty.code}"
    with pytest.raises(InvalidInput):
        store.create_class("x" * 61)
    with pytest.raises(InvalidInput):
        store.create_class("Period\x003")


def test_secrets_are_stored_only_as_hashes(store, database):
    cls = store.create_class("Period 3")
    enrolment = store.enrol(cls.code, "Ada")
    learner = store.start_learner()
    stored = all_text(database)
    for secret in (cls.teacher_token, enrolment.token, enrolment.resume_code, learner.token, learner.resume_code):
        assert secret not in stored
        assert secret.replace("-", "") not in stored
    assert hashlib.sha256(cls.teacher_token.encode()).hexdigest() in stored
    assert hashlib.sha256(enrolment.token.encode()).hexdigest() in stored


def test_classes_cap_counts_live_classes(database, clock):
    with ClassStore(database, clock=clock, limits=ClassroomLimits(classes=3)) as store:
        for _ in range(3):
            store.create_class()
        with pytest.raises(TooManyClasses, match="3 classes"):
            store.create_class()
        clock.advance(CLASS_RETENTION + timedelta(seconds=1))
        store.create_class()


def test_new_classes_per_hour_cap(database, clock):
    with ClassStore(database, clock=clock, limits=ClassroomLimits(new_classes_per_hour=2)) as store:
        store.create_class()
        store.create_class()
        with pytest.raises(TooManyClasses, match="within the last hour"):
            store.create_class()
        clock.advance(timedelta(minutes=61))
        store.create_class()


# --- joining ---------------------------------------------------------------------------------------------------------


def test_join_code_is_read_as_typed_by_a_person(store):
    cls = store.create_class()
    typed = f" {cls.code[:3].lower()}-{cls.code[3:]} "
    sid = store.join(typed, "Ada")
    assert store.student(sid).class_code == cls.code


@pytest.mark.parametrize("code", ["", "ABC", "ABCDEFG", "ABCDE1", "ABCDEI", None, 123456, "x" * 10_000])
def test_malformed_code_is_refused(store, code):
    store.create_class()
    with pytest.raises(UnknownClass, match="6 letters"):
        store.join(code, "Ada")


def test_unknown_code_is_refused(store):
    cls = store.create_class()
    other = next(c for c in ("AAAAAA", "BBBBBB") if c != cls.code)
    with pytest.raises(UnknownClass, match=f"No class has the code {other}"):
        store.join(other, "Ada")


def test_class_admits_exactly_max_students(store):
    cls = store.create_class()
    ids = [store.join(cls.code, f"S{i}") for i in range(MAX_STUDENTS_PER_CLASS)]
    assert len(set(ids)) == MAX_STUDENTS_PER_CLASS
    with pytest.raises(ClassFull, match=f"{MAX_STUDENTS_PER_CLASS} students"):
        store.join(cls.code, "One too many")
    assert len(store.report(cls.teacher_token).students) == MAX_STUDENTS_PER_CLASS
    # Another class is not affected.
    store.join(store.create_class().code, "Ada")


def test_nickname_is_stripped_and_kept_literally(store):
    cls = store.create_class()
    assert store.enrol(cls.code, "   Ada   Lovelace  ").nickname == "Ada Lovelace"
    assert store.enrol(cls.code, "<b>**x**</b> & $y$").nickname == "<b>**x**</b> & $y$"
    assert store.enrol(cls.code, "👩‍🏫 Grace").nickname == "👩‍🏫 Grace"


def test_nickname_length_cap(store):
    cls = store.create_class()
    longest = "n" * MAX_NICKNAME_LENGTH
    assert store.enrol(cls.code, longest).nickname == longest
    with pytest.raises(InvalidInput, match=f"at most {MAX_NICKNAME_LENGTH}"):
        store.join(cls.code, longest + "n")


@pytest.mark.parametrize("nickname", ["Ada\x00", "A\nda", "Ada\tL", "\u202eadA", "Ada\u200b", "A\x1b[31m", "\ud800"])
def test_nickname_with_control_or_invisible_characters_is_refused(store, nickname):
    cls = store.create_class()
    with pytest.raises(InvalidInput, match="control or invisible"):
        store.join(cls.code, nickname)
    assert store.report(cls.teacher_token).students == ()


def test_duplicate_nicknames_get_a_number(store):
    cls = store.create_class()
    given = [store.enrol(cls.code, name).nickname for name in ("Ada", "ada", "ADA ", "Ada 2", "Grace")]
    assert given == ["Ada", "ada 2", "ADA 3", "Ada 2 2", "Grace"]
    long = "x" * MAX_NICKNAME_LENGTH
    assert store.enrol(cls.code, long).nickname == long
    second = store.enrol(cls.code, long).nickname
    assert second == "x" * (MAX_NICKNAME_LENGTH - 2) + " 2" and len(second) == MAX_NICKNAME_LENGTH
    # In another class the name is free.
    assert store.enrol(store.create_class().code, "Ada").nickname == "Ada"


def test_empty_nickname_gets_an_anonymous_name(store):
    cls = store.create_class()
    given = [store.enrol(cls.code, name).nickname for name in ("", "   ", None, "Student 5", "")]
    assert given == ["Student 1", "Student 2", "Student 3", "Student 5", "Student 4"]
    assert store.join(cls.code) != store.join(cls.code)


# --- recording and reporting ---------------------------------------------------------------------------------------


def test_report_counts_students_not_answers(store):
    cls = store.create_class()
    ada, grace, alan, kurt = (store.join(cls.code, name) for name in ("Ada", "Grace", "Alan", "Kurt"))
    store.record_attempt(ada, "derivatives", "3x^2 - 4x", True)  # first try
    store.record_attempt(ada, "derivatives", "3x^2 - 4x", True)  # again: still one student
    store.record_attempt(grace, "derivatives", "3x^2-4x+1", False)
    store.record_attempt(grace, "derivatives", "3x^2 - 4x + 1", False)  # the same answer, other spacing
    store.record_attempt(grace, "derivatives", "3x^2 - 4x", True)
    store.record_attempt(alan, "derivatives", " 3x^2 - 4x + 1", False)
    store.record_attempt(alan, "derivatives", "x^3", False)
    store.record_attempt(kurt, "integrals", "x^2/2", True)
    report = store.report(cls.teacher_token)
    derivatives = report.lessons["derivatives"]
    assert (derivatives.attempted, derivatives.solved, derivatives.solved_first_try) == (3, 2, 1)
    assert derivatives.attempts == 7
    assert derivatives.wrong_answers == [("3x^2 - 4x + 1", 2), ("x^3", 1)]
    integrals = report.lessons["integrals"]
    assert (integrals.attempted, integrals.solved, integrals.solved_first_try, integrals.wrong_answers) == (1, 1, 1, [])
    by_name = {student.nickname: student for student in report.students}
    assert by_name["Grace"].attempted == {"derivatives"} and by_name["Grace"].solved == {"derivatives"}
    assert by_name["Alan"].solved == frozenset()
    assert by_name["Kurt"].attempted == {"integrals"}
    assert [student.nickname for student in report.students] == ["Ada", "Grace", "Alan", "Kurt"]


def test_report_is_limited_to_its_class(store):
    first, second = store.create_class("A"), store.create_class("B")
    store.record_attempt(store.join(first.code, "Ada"), "derivatives", "1", False)
    store.record_attempt(store.join(second.code, "Grace"), "derivatives", "2", False)
    store.record_attempt(store.start_learner().student_id, "derivatives", "3", False)
    report = store.report(first.teacher_token)
    assert [student.nickname for student in report.students] == ["Ada"]
    assert report.lessons["derivatives"].wrong_answers == [("1", 1)]


def test_wrong_answers_most_common_first_and_limited(store):
    cls = store.create_class()
    for i in range(5):
        sid = store.join(cls.code, f"S{i}")
        for answer in ("a", "b", "c", "d")[: i + 1]:
            store.record_attempt(sid, "gradient", answer, False)
    report = store.report(cls.teacher_token, wrong_answers=3)
    assert report.lessons["gradient"].wrong_answers == [("a", 5), ("b", 4), ("c", 3)]


def test_report_lists_requested_lessons_with_zeros(store):
    cls = store.create_class()
    report = store.report(cls.teacher_token, lessons=["derivatives", "svm"])
    assert set(report.lessons) == {"derivatives", "svm"}
    assert report.lessons["svm"].attempted == 0 and report.lessons["svm"].wrong_answers == []
    assert set(store.report(cls.teacher_token, lessons="derivatives").lessons) == {"derivatives"}


def test_record_attempt_returns_the_students_progress(store):
    sid = store.join(store.create_class().code, "Ada")
    first = store.record_attempt(sid, "jacobian", "wrong", False)
    assert (first.attempts, first.solved, first.solved_first_try) == (1, False, False)
    second = store.record_attempt(sid, "jacobian", "right", True)
    assert (second.attempts, second.solved, second.solved_first_try) == (2, True, False)
    third = store.record_attempt(sid, "jacobian", "wrong again", False)
    assert (third.attempts, third.solved) == (3, True)  # solved stays solved


def test_progress_of_one_student_per_lesson(store):
    cls = store.create_class()
    ada, grace = store.join(cls.code, "Ada"), store.join(cls.code, "Grace")
    store.record_attempt(ada, "derivatives", "x", True)
    store.record_attempt(ada, "integrals", "y", False)
    store.record_attempt(grace, "svm", "z", True)
    progress = store.progress(ada)
    assert set(progress) == {"derivatives", "integrals"}
    assert progress["derivatives"].solved_first_try and not progress["integrals"].solved
    assert progress["integrals"].attempts == 1
    assert store.progress(store.join(cls.code, "Alan")) == {}


def test_answer_length_cap(store):
    cls = store.create_class()
    sid = store.join(cls.code, "Ada")
    store.record_attempt(sid, "derivatives", "x" * (MAX_ANSWER_LENGTH + 100), False)
    store.record_attempt(sid, "derivatives", "y" * MAX_ANSWER_LENGTH, False)
    wrong = store.report(cls.teacher_token).lessons["derivatives"].wrong_answers
    assert sorted(wrong) == [("x" * MAX_ANSWER_LENGTH, 1), ("y" * MAX_ANSWER_LENGTH, 1)]


def test_answer_control_characters_are_dropped(store):
    cls = store.create_class()
    sid = store.join(cls.code, "Ada")
    store.record_attempt(sid, "derivatives", "2x\x00\u202e + 1\n", False)
    assert store.report(cls.teacher_token).lessons["derivatives"].wrong_answers == [("2x + 1", 1)]


def test_attempts_kept_per_student_and_lesson_with_exact_counts(store):
    cls = store.create_class()
    sid = store.join(cls.code, "Ada")
    extra = 5
    for i in range(MAX_ATTEMPTS_KEPT + extra):
        store.record_attempt(sid, "optimization", f"answer {i}", False)
    store.record_attempt(sid, "derivatives", "kept", False)
    report = store.report(cls.teacher_token, wrong_answers=10 * MAX_ATTEMPTS_KEPT)
    lesson = report.lessons["optimization"]
    assert lesson.attempts == MAX_ATTEMPTS_KEPT + extra
    assert lesson.attempted == 1
    kept = sorted(int(answer.split()[1]) for answer, _ in lesson.wrong_answers)
    assert kept == list(range(extra, MAX_ATTEMPTS_KEPT + extra))  # the latest ones
    assert report.lessons["derivatives"].wrong_answers == [("kept", 1)]
    assert store.progress(sid)["optimization"].attempts == MAX_ATTEMPTS_KEPT + extra


def test_first_try_survives_pruning(store):
    cls = store.create_class()
    sid = store.join(cls.code, "Ada")
    for _ in range(MAX_ATTEMPTS_KEPT + 3):
        store.record_attempt(sid, "svm", "right", True)
    assert store.report(cls.teacher_token).lessons["svm"].solved_first_try == 1


@pytest.mark.parametrize("lesson", ["", "Derivatives", "../etc", "a b", "x" * 41, None])
def test_bad_lesson_slug_is_refused(store, lesson):
    sid = store.join(store.create_class().code, "Ada")
    with pytest.raises(InvalidInput):
        store.record_attempt(sid, lesson, "x", True)


@pytest.mark.parametrize("student_id", ["nobody", "", None, "x" * 10_000])
def test_unknown_student_is_refused(store, student_id):
    store.join(store.create_class().code, "Ada")
    with pytest.raises(UnknownStudent):
        store.record_attempt(student_id, "derivatives", "x", True)
    with pytest.raises(UnknownStudent):
        store.student(student_id)
    with pytest.raises(UnknownStudent):
        store.progress(student_id)


# --- the teacher's token ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["", "wrong", None, "x" * 10_000, "' OR 1=1 --"])
def test_wrong_teacher_token_shows_nothing(store, token):
    cls = store.create_class("Secret class")
    store.join(cls.code, "Ada")
    for act in (store.report, store.close_class, store.delete_class, lambda t: store.share_view(t, "/derivatives")):
        with pytest.raises(WrongTeacherToken) as refused:
            act(token)
        assert cls.code not in str(refused.value) and "Secret" not in str(refused.value)
    assert len(store.report(cls.teacher_token).students) == 1


def test_student_token_is_not_a_teacher_token(store):
    enrolment = store.enrol(store.create_class().code, "Ada")
    with pytest.raises(WrongTeacherToken):
        store.report(enrolment.token)


# --- identity: resuming after a reload or on another device -------------------------------------------------------


def test_resume_by_browser_token_and_by_resume_code(store):
    cls = store.create_class("Period 3")
    enrolment = store.enrol(cls.code, "Ada")
    by_token = store.resume(enrolment.token)
    assert (by_token.student_id, by_token.nickname, by_token.class_code, by_token.class_name) == (
        enrolment.student_id,
        "Ada",
        cls.code,
        "Period 3",
    )
    typed = " " + enrolment.resume_code.lower().replace("-", " ") + " "
    assert store.resume(typed).student_id == enrolment.student_id
    assert store.resume(enrolment.resume_code).student_id == enrolment.student_id
    assert len(enrolment.resume_code.replace("-", "")) == 12


@pytest.mark.parametrize("secret", ["", "nope", "ABCD-EFGH-JKMN", None, "x" * 10_000])
def test_resume_with_an_unknown_secret_is_refused(store, secret):
    store.enrol(store.create_class().code, "Ada")
    with pytest.raises(UnknownStudent):
        store.resume(secret)


def test_learner_outside_a_class_keeps_progress(store):
    learner = store.start_learner()
    assert learner.class_code is None and learner.nickname is None
    store.record_attempt(learner.student_id, "derivatives", "2x", True)
    resumed = store.resume(learner.token)
    assert resumed.class_code is None and not resumed.class_closed
    assert store.progress(resumed.student_id)["derivatives"].solved


# --- what the teacher does with the class ---------------------------------------------------------------------------


def test_send_a_view_to_the_class(store):
    cls = store.create_class()
    sid = store.join(cls.code, "Ada")
    assert store.student(sid).shared_view is None
    sent = store.share_view(cls.teacher_token, "/derivatives?deriv_f=x%5E2&hide=deriv_code")
    seen = store.student(sid).shared_view
    assert seen == sent and seen.view == "/derivatives?deriv_f=x%5E2&hide=deriv_code"
    assert store.report(cls.teacher_token).shared_view == sent
    assert store.share_view(cls.teacher_token, None) is None
    assert store.student(sid).shared_view is None


@pytest.mark.parametrize(
    "view",
    [
        "https://evil.example/derivatives",
        "//evil.example/x",
        "derivatives",
        "javascript:alert(1)",
        "/\\evil.example",
        "/derivatives?teach=abc",
        "/derivatives?x=1&JOIN=ABCDEF",
        "/derivatives?resume=ABCD",
        "/deriv atives",
        "/derivatives\n",
        "/" + "x" * MAX_SHARED_VIEW_LENGTH,
        42,
    ],
)
def test_views_that_cannot_be_sent(store, view):
    cls = store.create_class()
    with pytest.raises(InvalidInput):
        store.share_view(cls.teacher_token, view)
    assert store.report(cls.teacher_token).shared_view is None


def test_close_and_reopen_a_class(store):
    cls = store.create_class()
    sid = store.join(cls.code, "Ada")
    store.record_attempt(sid, "derivatives", "x", True)
    store.close_class(cls.teacher_token)
    with pytest.raises(ClassClosed):
        store.join(cls.code, "Grace")
    with pytest.raises(ClassClosed):
        store.record_attempt(sid, "derivatives", "y", False)
    assert store.student(sid).class_closed
    report = store.report(cls.teacher_token)
    assert report.closed and report.lessons["derivatives"].attempts == 1
    store.reopen_class(cls.teacher_token)
    store.record_attempt(sid, "derivatives", "y", False)
    assert store.report(cls.teacher_token).lessons["derivatives"].attempts == 2


def test_delete_a_class_and_its_data(store, database):
    keep = store.create_class("Keep")
    kept = store.join(keep.code, "Grace")
    store.record_attempt(kept, "derivatives", "kept", False)
    cls = store.create_class("Gone")
    enrolment = store.enrol(cls.code, "Ada")
    store.record_attempt(enrolment.student_id, "derivatives", "gone", False)
    store.share_view(cls.teacher_token, "/derivatives")
    store.delete_class(cls.teacher_token)
    with pytest.raises(WrongTeacherToken):
        store.report(cls.teacher_token)
    with pytest.raises(UnknownStudent):
        store.resume(enrolment.token)
    with pytest.raises(UnknownStudent):
        store.record_attempt(enrolment.student_id, "derivatives", "x", True)
    with pytest.raises(UnknownClass):
        store.join(cls.code, "Alan")
    stored = all_text(database)
    assert "gone" not in stored and "Gone" not in stored and "Ada" not in stored
    assert rows(database, "SELECT count(*) FROM classes") == [(1,)]
    assert rows(database, "SELECT count(*) FROM attempts") == [(1,)]
    assert store.report(keep.teacher_token).lessons["derivatives"].wrong_answers == [("kept", 1)]


def test_remove_one_student(store):
    cls = store.create_class()
    ada, grace = store.join(cls.code, "Ada"), store.join(cls.code, "Grace")
    store.record_attempt(ada, "derivatives", "x", False)
    store.record_attempt(grace, "derivatives", "y", False)
    store.remove_student(cls.teacher_token, ada)
    report = store.report(cls.teacher_token)
    assert [student.nickname for student in report.students] == ["Grace"]
    assert report.lessons["derivatives"].wrong_answers == [("y", 1)]
    with pytest.raises(UnknownStudent):
        store.remove_student(cls.teacher_token, ada)
    other = store.create_class()
    with pytest.raises(UnknownStudent):
        store.remove_student(other.teacher_token, grace)
    assert store.join(cls.code, "Ada") != ada  # the nickname is free again


# --- retention -----------------------------------------------------------------------------------------------------------


def test_class_expires_and_is_purged(store, clock, database):
    cls = store.create_class()
    enrolment = store.enrol(cls.code, "Ada")
    store.record_attempt(enrolment.student_id, "derivatives", "x", True)
    assert cls.expires_at - cls.created_at == CLASS_RETENTION
    clock.advance(CLASS_RETENTION - timedelta(seconds=1))
    assert store.purge_expired().classes == 0
    store.report(cls.teacher_token)
    clock.advance(timedelta(seconds=2))
    # Expired data is invisible before it is purged ...
    with pytest.raises(WrongTeacherToken):
        store.report(cls.teacher_token)
    with pytest.raises(UnknownClass):
        store.join(cls.code, "Grace")
    with pytest.raises(UnknownStudent):
        store.record_attempt(enrolment.student_id, "derivatives", "x", True)
    with pytest.raises(UnknownStudent):
        store.resume(enrolment.token)
    # ... and purging deletes it.
    assert rows(database, "SELECT count(*) FROM attempts") == [(1,)]
    result = store.purge_expired()
    assert (result.classes, result.learners) == (1, 0)
    for table in ("classes", "students", "progress", "attempts"):
        assert rows(database, f"SELECT count(*) FROM {table}") == [(0,)]


def test_class_retention_is_configurable(database, clock):
    with ClassStore(database, clock=clock, limits=ClassroomLimits(class_retention=timedelta(hours=2))) as store:
        cls = store.create_class()
        clock.advance(timedelta(hours=2, seconds=1))
        assert store.purge_expired().classes == 1
        with pytest.raises(WrongTeacherToken):
            store.report(cls.teacher_token)


def test_purge_removes_many_classes_in_batches(database, clock):
    with ClassStore(database, clock=clock, limits=ClassroomLimits(class_retention=timedelta(hours=1))) as store:
        for _ in range(120):
            store.create_class()
        clock.advance(timedelta(hours=2))
        live = store.create_class()
        assert store.purge_expired().classes == 120
        assert rows(database, "SELECT count(*) FROM classes") == [(1,)]
        store.report(live.teacher_token)


def test_idle_learners_are_forgotten(store, clock, database):
    idle, active = store.start_learner(), store.start_learner()
    store.record_attempt(idle.student_id, "derivatives", "x", True)
    clock.advance(LEARNER_RETENTION - timedelta(days=1))
    store.resume(active.token)  # a visit counts as activity
    clock.advance(timedelta(days=2))
    assert store.purge_expired().learners == 1
    with pytest.raises(UnknownStudent):
        store.resume(idle.token)
    assert store.resume(active.token).student_id == active.student_id
    assert rows(database, "SELECT count(*) FROM attempts") == [(0,)]


# --- faults ------------------------------------------------------------------------------------------------------------


def test_unreachable_database_is_store_unavailable(backend, tmp_path):
    url = (
        "postgresql+psycopg://calc_lab:calc_lab@127.0.0.1:1/none"
        if backend == "postgresql"
        else f"sqlite:///{tmp_path}"  # a directory, not a file
    )
    with pytest.raises(StoreUnavailable, match="not answering"):
        ClassStore(url)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_connections_dropped_by_the_server_are_replaced(backend, database):
    url = make_url(database)
    server, schema = url.set(query={}).render_as_string(hide_password=False), url.query["application_name"]
    with ClassStore(database) as store:
        cls = store.create_class()
        sid = store.join(cls.code, "Ada")
        store.record_attempt(sid, "derivatives", "before", False)
        assert terminate_connections(server, schema) >= 1
        store.record_attempt(sid, "derivatives", "after", False)
        assert store.report(cls.teacher_token).lessons["derivatives"].attempts == 2


def test_a_retried_attempt_is_counted_once(store):
    cls = store.create_class()
    sid = store.join(cls.code, "Ada")
    first = store.record_attempt(sid, "derivatives", "2x", False, attempt_id="a1")
    again = store.record_attempt(sid, "derivatives", "2x", False, attempt_id="a1")
    assert first == again and again.attempts == 1
    store.record_attempt(sid, "derivatives", "2x", False, attempt_id="a2")
    store.record_attempt(sid, "derivatives", "2x", False)
    store.record_attempt(sid, "derivatives", "2x", False)
    lesson = store.report(cls.teacher_token).lessons["derivatives"]
    assert lesson.attempts == 4 and lesson.wrong_answers == [("2x", 1)]
    # Ids belong to one student: another student's "a1" is a new answer.
    other = store.join(cls.code, "Grace")
    assert store.record_attempt(other, "derivatives", "2x", True, attempt_id="a1").attempts == 1


@pytest.mark.parametrize("attempt_id", ["", "a b", "x" * 65, 42, "ü"])
def test_bad_attempt_id_is_refused(store, attempt_id):
    sid = store.join(store.create_class().code, "Ada")
    with pytest.raises(InvalidInput):
        store.record_attempt(sid, "derivatives", "x", True, attempt_id=attempt_id)
    assert store.progress(sid) == {}


def test_a_renewed_resume_code_replaces_the_old_one(store):
    enrolment = store.enrol(store.create_class("Period 3").code, "Ada")
    fresh = store.renew_resume_code(enrolment.student_id)
    assert fresh != enrolment.resume_code
    assert store.resume(fresh).student_id == enrolment.student_id
    with pytest.raises(UnknownStudent):
        store.resume(enrolment.resume_code)
    assert store.resume(enrolment.token).student_id == enrolment.student_id  # the browser's token still works
    with pytest.raises(UnknownStudent):
        store.renew_resume_code("no-such-student")


def test_a_learner_drawn_beforehand_is_stored_once_however_often_the_call_is_retried(store):
    drawn = new_learner()
    assert store.start_learner(drawn) == drawn
    assert store.start_learner(drawn) == drawn  # a retry after the database may have committed it
    assert store.resume(drawn.token).student_id == drawn.student_id
    assert store.resume(drawn.resume_code).student_id == drawn.student_id
    impostor = Enrolment(student_id=drawn.student_id, token="another", resume_code="ABCD-EFGH-JKMN",
                         nickname=None, class_code=None)
    with pytest.raises(InvalidInput):  # the same id with another token is never taken over
        store.start_learner(impostor)
