"""A PostgreSQL server for tests: found, or skipped with the reason (failed under CI=true).

``CALC_LAB_TEST_POSTGRES_URL`` names it (an SQLAlchemy URL of a database the
role owns); unset, the local server that ``.ci/run`` prepares is tried:
``postgresql+psycopg://calc_lab:calc_lab@127.0.0.1:5432/calc_lab_test``.
Each test gets a schema of its own in that database (``fresh_schema``), so
tests never see each other's rows and the database needs no cleaning.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from classroom.config import engine_url

URL_ENV = "CALC_LAB_TEST_POSTGRES_URL"
LOCAL_URL = "postgresql+psycopg://calc_lab:calc_lab@127.0.0.1:5432/calc_lab_test"
HOW_TO = f"start one with `service postgresql start` and create the role and database as .ci/run does, or set {URL_ENV}"


def require_postgres() -> str:
    """The test server's URL; skips (fails under CI=true) when none answers."""
    url = os.environ.get(URL_ENV) or LOCAL_URL
    engine = create_engine(engine_url(url), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # any failure to reach it is a reason to skip
        where = make_url(url).render_as_string(hide_password=True)
        message = f"no PostgreSQL server at {where} ({type(error).__name__}: {str(error).strip()[:200]}); {HOW_TO}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; the PostgreSQL tests are required under CI")
        pytest.skip(message)
    finally:
        engine.dispose()
    return url


@contextlib.contextmanager
def fresh_schema(server_url: str) -> Iterator[str]:
    """A URL whose connections work in a new, empty schema (dropped afterwards with everything in it).

    The schema's name is also the connections' ``application_name``, so that a test can
    terminate exactly its own connections (``terminate_connections``).
    """
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(engine_url(server_url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = engine_url(server_url).update_query_dict({"options": f"-csearch_path={schema}", "application_name": schema})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        terminate_connections(server_url, schema)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def terminate_connections(server_url: str, application_name: str) -> int:
    """Close, from the server's side, every connection with this application name (as a server restart does)."""
    admin = create_engine(engine_url(server_url))
    try:
        with admin.begin() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": application_name},
                ).all()
            )
    finally:
        admin.dispose()
