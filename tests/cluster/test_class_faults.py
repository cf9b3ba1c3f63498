"""A class on the cluster survives its faults: an app process killed mid-class, and PostgreSQL restarted.

Two supervised app processes (deploy/cluster.py) share one PostgreSQL database (``--database``, a
schema of its own in the server ``CALC_LAB_TEST_POSTGRES_URL`` names). Students are protocol
clients whose cookie jar holds ``calc_lab_learner=<token>`` from ``ClassStore.enrol``, so each is a
class member exactly as a returning browser is; they answer the derivatives task by typing into
its answer box, and the teacher's ``report()`` must count every answer exactly:

- a process killed with SIGKILL loses no answer recorded before it, its students reconnect (to the
  other process, or the restarted one) still in their class, and every answer typed after it counts;
- PostgreSQL stopped mid-class: the lesson carries on, the page says recording is paused, and every
  answer typed meanwhile is counted once the server is back.

Without a PostgreSQL server these tests skip with the reason (they fail under CI=true). The second
one stops and starts the local server with ``service postgresql``, so it needs root and a server on
this machine; it skips otherwise.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field

import pytest
import websockets
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from classroom import ClassStore
from classroom.config import engine_url
from labclient import RunResult, StreamlitClient, StreamlitProtocolError
from tests.classroom.postgres import require_postgres, terminate_connections
from tests.cluster.conftest import SQUARE, WAIT_S, jar_server, pin_jar, running_cluster, wait_all_up

pytestmark = pytest.mark.cluster

LEARNER_COOKIE = "calc_lab_learner"  # ui/membership.py
LESSON, ANSWER_KEY = "derivatives", "deriv_task_answer"
RIGHT = "3x^2 - 4x"  # f(x) = x³ − 2x² on the derivatives page by default
IN_CLASS = "In the class"  # the sidebar's line for a class member (ui/class_banner.py)
PAUSED = "Recording is paused"


def run_sql(server: str, statement: str) -> None:
    """One statement on a connection of its own: the server may have restarted since the last one."""
    engine = create_engine(engine_url(server), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def class_database():
    """(server URL, URL of a new schema in it) of the test PostgreSQL server; skips without one.

    As ``tests.classroom.postgres.fresh_schema``, but each statement on a new connection, since a test
    here restarts the server.
    """
    server = require_postgres()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    run_sql(server, f'CREATE SCHEMA "{schema}"')
    url = engine_url(server).update_query_dict({"options": f"-csearch_path={schema}", "application_name": schema})
    try:
        yield server, url.render_as_string(hide_password=False)
    finally:
        terminate_connections(server, schema)
        run_sql(server, f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="module")
def class_cluster(class_database):
    with running_cluster(database=class_database[1]) as running:
        yield running


@pytest.fixture(scope="module")
def store(class_database):
    opened = ClassStore(class_database[1])
    yield opened
    opened.close()


def disconnected(exc: BaseException) -> bool:
    """Whether a client error means the server went away (its process died) rather than a failure."""
    return isinstance(exc, websockets.ConnectionClosed) or (
        isinstance(exc, StreamlitProtocolError) and isinstance(exc.__cause__, websockets.ConnectionClosed))


@dataclass
class Learner:
    """One student's browser: a learner token in its cookie jar, pinned by HAProxy's cookie at first."""

    index: int
    token: str
    pin: str
    url: str
    class_name: str
    client: StreamlitClient | None = None
    opens: list[str | None] = field(default_factory=list)  # the process (its SERVERID) after each open
    disconnects: int = 0
    answers: list[tuple[str, bool]] = field(default_factory=list)  # typed, and the page showed the verdict

    async def open(self) -> RunResult:
        """Open the lesson (again) with this browser's cookies; the page must show the class."""
        if self.client is None:
            client = StreamlitClient(self.url, timeout=WAIT_S)
            client.cookies = pin_jar(self.url, self.pin)
            client.set_cookie(LEARNER_COOKIE, self.token)
        else:
            await self.client.close()
            client = StreamlitClient(self.url, timeout=WAIT_S)
            client.cookies = self.client.cookies
        self.client = client
        deadline = time.monotonic() + WAIT_S
        while True:
            try:
                result = await client.open(LESSON, SQUARE)
                break
            except OSError as exc:  # HAProxy has not yet seen the process go (a 503): a browser tries again
                assert time.monotonic() < deadline, f"student {self.index} could not reopen the lesson: {exc}"
                await asyncio.sleep(1)
        self.opens.append(jar_server(client.cookies))
        self.check(result, "open")
        assert any(IN_CLASS in text and self.class_name in text for text in result.texts()), (
            f"student {self.index}'s page does not show the class: {result.texts()}")
        return result

    def check(self, result: RunResult, what: str) -> None:
        assert result.status.startswith("ok") and not result.exceptions, (self.index, what, result)

    async def answer(self, text: str, correct: bool) -> RunResult:
        """Type ``text`` into the task's answer box; the page shows the verdict."""
        result = await self.client.set_widget(ANSWER_KEY, text)
        self.check(result, f"answer {text!r}")
        shown = " ".join(result.texts())
        assert ("Correct" in shown) == correct, (self.index, text, shown)
        self.answers.append((text, correct))
        return result

    async def move(self, step: int) -> None:
        """Move x₀, reopening the lesson if the process went away (as a browser reconnects)."""
        x0 = round(0.25 * ((self.index + step) % 8) - 1, 2)
        try:
            result = await self.client.set_widget("deriv_x0", x0)
        except (StreamlitProtocolError, websockets.ConnectionClosed) as exc:
            if not disconnected(exc):
                raise
            self.disconnects += 1
            await self.open()
            return
        self.check(result, f"x0={x0}")
        assert result.metric("f(x₀)") == f"{x0 * x0:.6g}", (self.index, x0, result.metric("f(x₀)"))

    async def rerun(self) -> RunResult:
        result = await self.client.rerun()
        self.check(result, "rerun")
        return result

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


def enrol(store: ClassStore, cluster, name: str, count: int) -> tuple[str, list[Learner]]:
    """A new class and ``count`` members (one browser each, alternately pinned to each process)."""
    started = store.create_class(name)
    learners = []
    for i in range(count):
        enrolment = store.enrol(started.code, f"Student {i}")
        learners.append(Learner(i, enrolment.token, cluster.replicas[i % 2].cookie, cluster.url, name))
    return started.teacher_token, learners


def wrong(index: int, round_: int) -> str:
    """A wrong answer of its own for each student and round: the derivative with a wrong linear term."""
    return f"3x^2 - {10 * round_ + index + 5}x"


async def answer_round(learners: list[Learner], round_: int) -> None:
    """Every student, at once, types a wrong answer, then (every other student) the right one."""
    async def one(learner: Learner) -> None:
        await learner.answer(wrong(learner.index, round_), False)
        if (learner.index + round_) % 2 == 0:
            await learner.answer(RIGHT, True)

    await asyncio.gather(*(one(learner) for learner in learners))


def expected(learners: list[Learner]) -> tuple[int, int, int]:
    """(answers, students who answered, students who solved) the report must show."""
    return (sum(len(s.answers) for s in learners), sum(1 for s in learners if s.answers),
            sum(1 for s in learners if any(ok for _, ok in s.answers)))


def counted(store: ClassStore, teacher_token: str) -> tuple[int, int, int]:
    lesson = store.report(teacher_token).lessons.get(LESSON)
    return (0, 0, 0) if lesson is None else (lesson.attempts, lesson.attempted, lesson.solved)


async def wait_counted(store: ClassStore, teacher_token: str, learners: list[Learner], what: str) -> float:
    """Wait until the report counts exactly the answers typed so far (never more); return the seconds waited."""
    want = expected(learners)
    started = time.monotonic()
    while True:
        got = await asyncio.to_thread(counted, store, teacher_token)
        assert got[0] <= want[0], f"{what}: the report counts {got[0]} answers, more than the {want[0]} typed"
        if got == want:
            return time.monotonic() - started
        assert time.monotonic() - started < WAIT_S, (
            f"{what}: the report shows (answers, attempted, solved) = {got}, not {want}, after {WAIT_S} s")
        await asyncio.sleep(0.5)


async def hold_exact(store: ClassStore, teacher_token: str, learners: list[Learner], seconds: float = 3) -> None:
    """The count stays exact a little longer: no answer arrives twice (a retry, a reconnect)."""
    await asyncio.sleep(seconds)
    assert await asyncio.to_thread(counted, store, teacher_token) == expected(learners)


def test_a_process_killed_mid_class_loses_no_recorded_answer_and_its_students_stay_in_the_class(
        class_cluster, store):
    cluster = class_cluster
    wait_all_up(cluster)
    teacher, learners = enrol(store, cluster, "Killed process drill", 6)
    doomed, survivor = cluster.replicas

    async def scenario() -> None:
        try:
            await asyncio.gather(*(s.open() for s in learners))
            assert [s.opens for s in learners] == [[s.pin] for s in learners], "HAProxy kept each pin"
            await answer_round(learners, 1)
            await wait_counted(store, teacher, learners, "before the kill")

            killed = doomed.process
            os.killpg(killed.pid, signal.SIGKILL)
            # Each student keeps moving x₀; the killed process's students find their connection gone
            # and open the lesson again, landing on the survivor (or the restarted process).
            for step in range(4):
                await asyncio.gather(*(s.move(step) for s in learners))
            on_doomed = [s for s in learners if s.pin == doomed.cookie]
            assert all(s.disconnects >= 1 and len(s.opens) >= 2 for s in on_doomed), on_doomed
            assert all(s.disconnects == 0 and s.opens == [survivor.cookie] for s in learners if s not in on_doomed)

            await answer_round(learners, 2)
            await wait_counted(store, teacher, learners, "after the kill")
            await asyncio.to_thread(wait_all_up, cluster)
            await hold_exact(store, teacher, learners)
        finally:
            await asyncio.gather(*(s.close() for s in learners))

    asyncio.run(scenario())
    report = store.report(teacher)
    assert sorted(s.nickname for s in report.students) == [f"Student {i}" for i in range(6)]


def restartable(server_url: str) -> None:
    """Skip (fail under CI=true) unless this process may stop and start the PostgreSQL server ``server_url`` names."""
    host = make_url(server_url).host or "localhost"
    reason = None
    if host not in ("127.0.0.1", "localhost", "::1"):
        reason = f"the PostgreSQL server is on {host}, not this machine"
    elif shutil.which("service") is None or os.geteuid() != 0:
        reason = "stopping PostgreSQL needs root and `service`"
    if reason:
        message = f"{reason}: the restart test stops and starts it with `service postgresql`"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; required under CI")
        pytest.skip(message)


def postgres_service(action: str) -> None:
    subprocess.run(["service", "postgresql", action], check=True, capture_output=True, timeout=WAIT_S)
    if action == "start":
        deadline = time.monotonic() + WAIT_S
        while subprocess.run(["su", "postgres", "-c", "pg_isready -q"], timeout=30).returncode != 0:
            assert time.monotonic() < deadline, "PostgreSQL did not accept connections again"
            time.sleep(0.5)


def test_postgres_restarted_mid_class_pauses_recording_visibly_and_then_counts_every_answer(
        class_cluster, class_database, store):
    restartable(class_database[0])
    cluster = class_cluster
    wait_all_up(cluster)
    teacher, learners = enrol(store, cluster, "Database restart drill", 4)

    async def shows(learner: Learner, text: str) -> bool:
        return any(text in shown for shown in (await learner.rerun()).texts())

    async def until_all(condition, what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not all(await asyncio.gather(*(condition(s) for s in learners))):
            assert time.monotonic() < deadline, f"not every student's page {what} within {WAIT_S} s"
            await asyncio.sleep(1)

    async def scenario() -> None:
        try:
            await asyncio.gather(*(s.open() for s in learners))
            await answer_round(learners, 1)
            await wait_counted(store, teacher, learners, "before the restart")

            await asyncio.to_thread(postgres_service, "stop")
            try:
                # The lesson carries on: sliders, and answers checked and shown at once.
                for step in range(2):
                    await asyncio.gather(*(s.move(step) for s in learners))
                await answer_round(learners, 2)
                await until_all(lambda s: shows(s, PAUSED), "said recording is paused")
                for step in (2, 3):
                    await asyncio.gather(*(s.move(step) for s in learners))
                await answer_round(learners, 3)
                assert all(s.disconnects == 0 for s in learners), learners
            finally:
                await asyncio.to_thread(postgres_service, "start")

            await wait_counted(store, teacher, learners, "once PostgreSQL was back")
            await until_all(lambda s: _not(shows(s, PAUSED)), "dropped the paused notice")
            await answer_round(learners, 4)
            await wait_counted(store, teacher, learners, "after the restart")
            await hold_exact(store, teacher, learners)
        finally:
            await asyncio.gather(*(s.close() for s in learners))

    asyncio.run(scenario())


async def _not(awaitable) -> bool:
    return not await awaitable
