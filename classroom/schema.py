"""The tables of the class store (SQLAlchemy Core), mirrored by the Alembic migrations beside them.

Times are naive UTC (``timestamp without time zone``), the same on SQLite and
PostgreSQL. Secrets are kept only as SHA-256 hashes (:func:`classroom.tokens.hash_secret`).

- ``classes``: one row per class: join code, name, the teacher token's hash,
  when it expires, whether the teacher closed it, the view sent to the class.
- ``students``: one row per learner, in a class or not (``class_id`` NULL):
  the public student id, nickname, the hashes of the browser token and of the
  resume code, and the last activity (for the retention of learners outside classes).
- ``progress``: one row per student and lesson, exact counts kept however many
  answers are pruned: attempts, solved, solved at the first try.
- ``attempts``: the latest answers per student and lesson (``MAX_ATTEMPTS_KEPT``),
  with ``answer_key`` (the answer without spaces) for grouping wrong answers, and
  the caller's ``attempt_id`` that makes recording the same answer twice (a retry) a no-op.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from classroom.limits import (
    MAX_ANSWER_LENGTH,
    MAX_CLASS_NAME_LENGTH,
    MAX_LESSON_SLUG_LENGTH,
    MAX_NICKNAME_LENGTH,
    MAX_SHARED_VIEW_LENGTH,
)

__all__ = ["attempts", "classes", "metadata", "progress", "students"]

#: Constraint names Alembic can refer to on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
#: Hex SHA-256.
HASH_LENGTH = 64
#: The caller's id of one checked answer (record_attempt's attempt_id), such as a uuid4's hex.
ATTEMPT_ID_LENGTH = 64
#: A nickname's comparison key can be longer than the nickname (NFKC expands some characters).
NICKNAME_KEY_LENGTH = 4 * MAX_NICKNAME_LENGTH
#: SQLite only makes an INTEGER PRIMARY KEY an auto-incrementing row id.
_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(naming_convention=NAMING_CONVENTION)

classes = Table(
    "classes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(8), nullable=False, unique=True),
    Column("name", String(MAX_CLASS_NAME_LENGTH), nullable=False),
    Column("teacher_token_hash", String(HASH_LENGTH), nullable=False, unique=True),
    Column("created_at", DateTime(), nullable=False, index=True),
    Column("expires_at", DateTime(), nullable=False, index=True),
    Column("closed_at", DateTime(), nullable=True),
    Column("shared_view", String(MAX_SHARED_VIEW_LENGTH), nullable=True),
    Column("shared_view_at", DateTime(), nullable=True),
)

students = Table(
    "students",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("class_id", Integer, ForeignKey("classes.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("nickname", String(MAX_NICKNAME_LENGTH), nullable=True),
    Column("nickname_key", String(NICKNAME_KEY_LENGTH), nullable=True),
    Column("token_hash", String(HASH_LENGTH), nullable=False, unique=True),
    Column("resume_hash", String(HASH_LENGTH), nullable=False, unique=True),
    Column("joined_at", DateTime(), nullable=False),
    Column("last_seen_at", DateTime(), nullable=False, index=True),
    UniqueConstraint("class_id", "nickname_key"),
)

progress = Table(
    "progress",
    metadata,
    Column("student_id", Integer, ForeignKey("students.id", ondelete="CASCADE"), primary_key=True),
    Column("lesson", String(MAX_LESSON_SLUG_LENGTH), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("solved", Boolean, nullable=False),
    Column("solved_first_try", Boolean, nullable=False),
    Column("first_at", DateTime(), nullable=False),
    Column("last_at", DateTime(), nullable=False),
    Column("solved_at", DateTime(), nullable=True),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", _BIG_ID, primary_key=True, autoincrement=True),
    Column("student_id", Integer, ForeignKey("students.id", ondelete="CASCADE"), nullable=False),
    Column("lesson", String(MAX_LESSON_SLUG_LENGTH), nullable=False),
    Column("answer", String(MAX_ANSWER_LENGTH), nullable=False),
    Column("answer_key", String(MAX_ANSWER_LENGTH), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("created_at", DateTime(), nullable=False),
    Column("attempt_id", String(ATTEMPT_ID_LENGTH), nullable=True),
    Index("ix_attempts_student_id_lesson_id", "student_id", "lesson", "id"),
    Index("ix_attempts_student_id_attempt_id", "student_id", "attempt_id", unique=True),
)
