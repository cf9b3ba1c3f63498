"""The schema's migrations: an empty database is brought to the newest revision, and opening it again changes nothing."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from classroom import ClassStore
from classroom.config import engine_url
from classroom.schema import metadata
from classroom.store import MIGRATIONS
from classroom.tokens import hash_secret
from tests.classroom import workers
from tests.classroom.test_concurrency import run_workers

TABLES = {"classes", "students", "progress", "attempts", "alembic_version"}


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(database: str) -> str | None:
    engine = create_engine(engine_url(database))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def table_names(database: str) -> set[str]:
    engine = create_engine(engine_url(database))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_empty_database_is_upgraded_to_head(database):
    assert current_revision(database) is None
    assert table_names(database) == set()
    ClassStore(database).close()
    assert current_revision(database) == head()
    assert table_names(database) == TABLES


def test_opening_a_migrated_database_keeps_its_data(database):
    with ClassStore(database) as first:
        cls = first.create_class("Period 3")
        first.record_attempt(first.join(cls.code, "Ada"), "derivatives", "x", True)
    for _ in range(2):
        with ClassStore(database) as again:
            assert again.report(cls.teacher_token).lessons["derivatives"].solved == 1
    assert current_revision(database) == head()


def test_migrations_build_exactly_the_declared_schema(database):
    ClassStore(database).close()
    engine = create_engine(engine_url(database))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_nothing_and_up_again(database):
    ClassStore(database).close()
    config = alembic_config()
    engine = create_engine(engine_url(database))
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert table_names(database) == {"alembic_version"}
    finally:
        engine.dispose()
    with ClassStore(database) as store:
        store.create_class()
    assert current_revision(database) == head()


def test_processes_opening_a_new_database_at_once_migrate_it_once(database):
    run_workers(workers.open_store, lambda i: (database,))
    assert current_revision(database) == head()
    assert table_names(database) == TABLES


def test_a_database_at_the_first_revision_is_upgraded_with_its_data(database):
    engine = create_engine(engine_url(database))
    config = alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
    finally:
        engine.dispose()
    assert current_revision(database) == "0001"
    assert "attempt_id" not in {column["name"] for column in columns(database, "attempts")}
    # A class recorded by the first revision's code: rows written as it wrote them.
    engine = create_engine(engine_url(database))
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO classes (id, code, name, teacher_token_hash, created_at, expires_at) "
                    "VALUES (1, 'KQWHTZ', 'Old', :hash, :now, :later)"
                ),
                {"hash": hash_secret("old-token"), "now": datetime(2026, 12, 1), "later": datetime(2099, 1, 1)},
            )
            conn.execute(
                text(
                    "INSERT INTO students (id, public_id, class_id, nickname, nickname_key, token_hash, resume_hash, "
                    "joined_at, last_seen_at) VALUES (1, 'abc', 1, 'Ada', 'ada', 'h1', 'h2', :now, :now)"
                ),
                {"now": datetime(2026, 12, 1)},
            )
    finally:
        engine.dispose()
    with ClassStore(database) as store:
        assert current_revision(database) == head()
        store.record_attempt("abc", "derivatives", "2x", True, attempt_id="first")
        store.record_attempt("abc", "derivatives", "2x", True, attempt_id="first")
        report = store.report("old-token")
    assert [student.nickname for student in report.students] == ["Ada"]
    assert report.lessons["derivatives"].attempts == 1


def columns(database: str, table: str) -> list[dict]:
    engine = create_engine(engine_url(database))
    try:
        return inspect(engine).get_columns(table)
    finally:
        engine.dispose()
