"""Alembic environment of the class store.

:class:`classroom.ClassStore` runs the migrations itself, on a connection it
has locked (``config.attributes["connection"]``), so there is no alembic.ini.
A developer who writes a new migration can still use Alembic's command line
with ``-x url=...``::

    alembic -c /dev/null -x url=sqlite:///tmp/dev.sqlite3 revision -m "..."   # script_location below
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from classroom.schema import metadata

config = context.config


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("Pass the database: -x url=sqlite:///path/to/file.sqlite3")
    engine = create_engine(url)
    with engine.begin() as conn:
        run_migrations(conn)
    engine.dispose()
