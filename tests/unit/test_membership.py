"""The store gate's circuit breaker, the background recorder and the purge timer, against real databases:
an SQLite file, and a PostgreSQL address where nothing listens (a database that is down)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from classroom import ClassStore, StoreUnavailable
from ui.membership import Attempt, Purger, Recorder, StoreGate

DOWN = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
FLUSH_S = 60


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'class.sqlite3'}"


def test_the_gate_fails_fast_while_the_database_is_down_then_tries_again(sqlite_url):
    clock = Clock()
    gate = StoreGate(DOWN, retry_after=5.0, clock=clock)
    with pytest.raises(StoreUnavailable):
        gate.call("start_learner")
    assert gate.unavailable
    gate.url = sqlite_url  # the database comes back (here: another one answers at the configured place)
    with pytest.raises(StoreUnavailable):
        gate.call("start_learner")  # within retry_after: refused without trying
    clock.now += 5.0
    assert gate.call("start_learner").student_id
    assert not gate.unavailable


def test_the_recorder_writes_each_attempt_once_and_waits_out_a_database_that_is_down(sqlite_url):
    gate = StoreGate(DOWN, retry_after=0.2)
    writer = Recorder(gate)
    store = ClassStore(sqlite_url)
    new = store.create_class("Period 3")
    ada = store.join(new.code, "Ada")
    attempts = [Attempt(ada, "derivatives", answer, correct, f"a{i}")
                for i, (answer, correct) in enumerate([("3x", False), ("3 x", False), ("3x^2 - 4x", True)])]
    for attempt in attempts:
        assert writer.submit(attempt)
    assert not writer.flush(1.0)  # the database is down: nothing can be written
    assert writer.paused_since is not None
    assert len(writer.pending(ada)) == 3
    gate.url = sqlite_url
    assert writer.flush(FLUSH_S)
    assert writer.paused_since is None and writer.written == 3
    assert writer.submit(attempts[0])  # the same attempt id again (a retry) counts nothing
    assert writer.flush(FLUSH_S)
    lesson = store.report(new.teacher_token).lessons["derivatives"]
    assert (lesson.attempted, lesson.solved, lesson.attempts) == (1, 1, 3)
    [(wrong, students)] = lesson.wrong_answers  # "3x" and "3 x" are one wrong answer, given by one student
    assert (wrong.replace(" ", ""), students) == ("3x", 1)


def test_the_recorder_keeps_why_a_closed_class_refused_an_answer(sqlite_url):
    store = ClassStore(sqlite_url)
    new = store.create_class("Period 3")
    ada = store.join(new.code, "Ada")
    store.close_class(new.teacher_token)
    writer = Recorder(StoreGate(sqlite_url))
    writer.submit(Attempt(ada, "derivatives", "3x", False, "a1"))
    assert writer.flush(FLUSH_S)
    assert "closed" in writer.refusal(ada)
    assert writer.written == 0


def test_a_full_queue_refuses_more(sqlite_url):
    writer = Recorder(StoreGate(DOWN, retry_after=60.0), capacity=2)
    assert writer.submit(Attempt("s", "derivatives", "1", False, "a1"))
    assert writer.submit(Attempt("s", "derivatives", "2", False, "a2"))
    assert not writer.submit(Attempt("s", "derivatives", "3", False, "a3"))


def test_the_purger_deletes_expired_classes_in_the_background(sqlite_url):
    moment = [datetime.now(UTC) - timedelta(days=40)]
    old = ClassStore(sqlite_url, clock=lambda: moment[0]).create_class("Last term")
    purger = Purger(StoreGate(sqlite_url), interval=0.1, first_after=0.0)
    deadline = time.monotonic() + FLUSH_S
    while purger.passes == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert purger.passes >= 1
    store = ClassStore(sqlite_url)
    assert store.purge_expired().classes == 0  # already gone
    with pytest.raises(Exception, match="does not open any class"):
        store.report(old.teacher_token)
