"""Without a PostgreSQL server the PostgreSQL tests skip with the reason, except under CI=true, where they fail."""

from __future__ import annotations

import pytest

from tests.classroom.postgres import URL_ENV, require_postgres

NOWHERE = "postgresql+psycopg://calc_lab:secret-word@127.0.0.1:1/calc_lab_test"


def test_missing_server_skips_with_the_reason(monkeypatch):
    monkeypatch.setenv(URL_ENV, NOWHERE)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_postgres()
    assert "127.0.0.1:1" in str(skipped.value) and "secret-word" not in str(skipped.value)


def test_missing_server_fails_under_ci(monkeypatch):
    monkeypatch.setenv(URL_ENV, NOWHERE)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required under CI"):
        require_postgres()
