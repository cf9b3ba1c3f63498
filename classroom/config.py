"""Where the class store keeps its data: an SQLite file by default, PostgreSQL when a URL names one.

- ``CALC_LAB_DATABASE_URL``: an SQLAlchemy URL, e.g.
  ``postgresql://user:password@db.example.org/calc_lab`` (psycopg 3 is used for
  ``postgresql://`` URLs) or ``sqlite:////srv/calc-lab/classroom.sqlite3``.
- otherwise the file ``classroom.sqlite3`` in the data directory:
  ``CALC_LAB_DATA_DIR`` if set, else ``$XDG_DATA_HOME/calc-lab``, else
  ``~/.local/share/calc-lab``; created on first use.
- ``CALC_LAB_CLASS_RETENTION_DAYS``: how long a class is kept (default 30 days).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from classroom.limits import CLASS_RETENTION, ClassroomLimits

__all__ = [
    "DATABASE_FILE",
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "RETENTION_ENV",
    "data_dir",
    "database_url",
    "engine_url",
    "limits_from_environment",
]

#: An SQLAlchemy URL naming the database (PostgreSQL for several machines).
DATABASE_URL_ENV = "CALC_LAB_DATABASE_URL"
#: The directory of the default SQLite file.
DATA_DIR_ENV = "CALC_LAB_DATA_DIR"
#: The SQLite file's name inside the data directory.
DATABASE_FILE = "classroom.sqlite3"
#: Days a class and its data are kept after it was started (a positive number; fractions allowed).
RETENTION_ENV = "CALC_LAB_CLASS_RETENTION_DAYS"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The directory of the default SQLite file (not created here).

    ``CALC_LAB_DATA_DIR`` if set, else ``$XDG_DATA_HOME/calc-lab``, else ``~/.local/share/calc-lab``.
    """
    env = os.environ if environ is None else environ
    if env.get(DATA_DIR_ENV):
        return Path(env[DATA_DIR_ENV]).expanduser()
    base = Path(env["XDG_DATA_HOME"]).expanduser() if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return base / "calc-lab"


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """The database the app uses: ``CALC_LAB_DATABASE_URL``, else the SQLite file in :func:`data_dir`."""
    env = os.environ if environ is None else environ
    if env.get(DATABASE_URL_ENV):
        return env[DATABASE_URL_ENV]
    return f"sqlite:///{data_dir(env) / DATABASE_FILE}"


def engine_url(url: str | URL) -> URL:
    """The URL given, with the driver this package ships: ``postgresql://`` and ``postgres://`` use psycopg 3.

    Raises
    ------
    ValueError
        For a database other than SQLite or PostgreSQL.
    """
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"The class store runs on SQLite or PostgreSQL, not {backend!r}.")
    return parsed


def limits_from_environment(environ: Mapping[str, str] | None = None) -> ClassroomLimits:
    """The default caps, with the class retention from ``CALC_LAB_CLASS_RETENTION_DAYS`` when it is set.

    Raises
    ------
    ValueError
        When the variable is not a positive number of days.
    """
    env = os.environ if environ is None else environ
    text = env.get(RETENTION_ENV, "").strip()
    if not text:
        return ClassroomLimits(class_retention=CLASS_RETENTION)
    try:
        days = float(text)
    except ValueError:
        days = float("nan")
    if not 0 < days <= 3650:
        raise ValueError(f"{RETENTION_ENV} must be a number of days between 0 and 3650, not {text!r}.")
    return ClassroomLimits(class_retention=timedelta(days=days))
