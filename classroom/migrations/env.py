"""Alembic environment of the class store.

:class:`classroom.ClassStore` runs the migrations itself, on a connection it
has locked (``config.attributes["connection"]``), so there is no alembic.ini.
To write a new migration, compare the tables of ``classroom/schema.py`` with a
database at the newest revision (docs/CLASSROOM.md shows the lines): the URL
then comes from the ``sqlalchemy.url`` option.
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
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        run_migrations(conn)
    engine.dispose()
