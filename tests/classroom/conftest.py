"""Fixtures for the class store's tests: every test runs on SQLite and on PostgreSQL.

``database`` is a fresh, empty database URL of each backend (an SQLite file in
tmp_path; a new schema on the PostgreSQL test server, see tests/classroom/postgres.py).
Without a PostgreSQL server the PostgreSQL half skips with the reason, except under CI=true.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from classroom import ClassStore
from tests.classroom.postgres import fresh_schema, require_postgres

BACKENDS = ("sqlite", "postgresql")


class FakeClock:
    """A clock the test moves: ``clock()`` is the current time, ``clock.advance(timedelta)`` moves it."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(autouse=True)
def default_retention(monkeypatch) -> None:
    """The tests expect the default retention, whatever the developer's environment says."""
    monkeypatch.delenv("CALC_LAB_CLASS_RETENTION_DAYS", raising=False)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    return require_postgres()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database(backend, tmp_path, request) -> Iterator[str]:
    """A fresh, empty database of ``backend``, as an SQLAlchemy URL (with its password)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
    else:
        with fresh_schema(request.getfixturevalue("postgres_server")) as url:
            yield url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(database, clock) -> Iterator[ClassStore]:
    with ClassStore(database, clock=clock) as opened:
        yield opened
