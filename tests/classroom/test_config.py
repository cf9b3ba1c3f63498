"""Where the store's data lives, and how SQLite is opened."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from classroom import ClassStore
from classroom.config import DATABASE_FILE, data_dir, database_url, engine_url, limits_from_environment
from classroom.store import SQLITE_BUSY_TIMEOUT


def test_data_dir_from_the_environment(tmp_path):
    assert data_dir({"CALC_LAB_DATA_DIR": str(tmp_path / "d")}) == tmp_path / "d"
    assert data_dir({"XDG_DATA_HOME": str(tmp_path / "x")}) == tmp_path / "x" / "calc-lab"
    assert data_dir({}) == Path.home() / ".local" / "share" / "calc-lab"
    both = {"CALC_LAB_DATA_DIR": str(tmp_path / "d"), "XDG_DATA_HOME": str(tmp_path / "x")}
    assert data_dir(both) == tmp_path / "d"


def test_database_url_prefers_the_named_database(tmp_path):
    assert database_url({"CALC_LAB_DATA_DIR": str(tmp_path)}) == f"sqlite:///{tmp_path / DATABASE_FILE}"
    named = {"CALC_LAB_DATABASE_URL": "postgresql://u:p@db/calc", "CALC_LAB_DATA_DIR": str(tmp_path)}
    assert database_url(named) == "postgresql://u:p@db/calc"


def test_default_store_is_created_on_first_use(tmp_path, monkeypatch):
    where = tmp_path / "not" / "yet"
    monkeypatch.delenv("CALC_LAB_DATABASE_URL", raising=False)
    monkeypatch.setenv("CALC_LAB_DATA_DIR", str(where))
    with ClassStore() as store:
        store.join(store.create_class().code, "Ada")
    assert (where / DATABASE_FILE).is_file()
    assert (where.stat().st_mode & 0o777) == 0o700


def test_database_url_environment_variable_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("CALC_LAB_DATABASE_URL", f"sqlite:///{tmp_path / 'named.sqlite3'}")
    monkeypatch.setenv("CALC_LAB_DATA_DIR", str(tmp_path / "unused"))
    ClassStore().close()
    assert (tmp_path / "named.sqlite3").is_file()
    assert not (tmp_path / "unused").exists()


def test_postgresql_urls_use_psycopg_3():
    for url in ("postgresql://u:p@h/db", "postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"):
        assert engine_url(url).drivername == "postgresql+psycopg"
    with pytest.raises(ValueError, match="SQLite or PostgreSQL"):
        engine_url("mysql://u:p@h/db")


def test_sqlite_file_is_shared_in_wal_mode_with_a_busy_timeout(tmp_path):
    path = tmp_path / "c.sqlite3"
    with ClassStore(f"sqlite:///{path}") as store:
        with store._engine.connect() as conn:
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT * 1000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    outside = sqlite3.connect(path)
    assert outside.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    outside.close()


def test_repr_hides_the_password():
    store = ClassStore("sqlite://")
    assert "sqlite" in repr(store)
    url = engine_url("postgresql://teacher:s3cret@db/calc")
    assert "s3cret" not in url.render_as_string(hide_password=True)


def test_classroom_never_imports_streamlit():
    code = "import sys, classroom; classroom.ClassStore('sqlite://'); print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False"


def test_class_retention_from_the_environment(tmp_path, monkeypatch):
    assert limits_from_environment({}).class_retention == timedelta(days=30)
    assert limits_from_environment({"CALC_LAB_CLASS_RETENTION_DAYS": "90"}).class_retention == timedelta(days=90)
    assert limits_from_environment({"CALC_LAB_CLASS_RETENTION_DAYS": "0.5"}).class_retention == timedelta(hours=12)
    for bad in ("0", "-3", "soon", "nan", "1e9"):
        with pytest.raises(ValueError, match="CALC_LAB_CLASS_RETENTION_DAYS"):
            limits_from_environment({"CALC_LAB_CLASS_RETENTION_DAYS": bad})
    monkeypatch.setenv("CALC_LAB_CLASS_RETENTION_DAYS", "2")
    with ClassStore(f"sqlite:///{tmp_path / 'r.sqlite3'}") as store:
        new = store.create_class()
    assert new.expires_at - new.created_at == timedelta(days=2)
