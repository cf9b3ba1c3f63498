"""Classes, students, their progress per lesson and their latest answers.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("teacher_token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("shared_view", sa.String(2000), nullable=True),
        sa.Column("shared_view_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_classes"),
        sa.UniqueConstraint("code", name="uq_classes_code"),
        sa.UniqueConstraint("teacher_token_hash", name="uq_classes_teacher_token_hash"),
    )
    op.create_index("ix_classes_created_at", "classes", ["created_at"])
    op.create_index("ix_classes_expires_at", "classes", ["expires_at"])

    op.create_table(
        "students",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.Column("nickname", sa.String(24), nullable=True),
        sa.Column("nickname_key", sa.String(96), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("resume_hash", sa.String(64), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name="fk_students_class_id_classes", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_students"),
        sa.UniqueConstraint("public_id", name="uq_students_public_id"),
        sa.UniqueConstraint("token_hash", name="uq_students_token_hash"),
        sa.UniqueConstraint("resume_hash", name="uq_students_resume_hash"),
        sa.UniqueConstraint("class_id", "nickname_key", name="uq_students_class_id_nickname_key"),
    )
    op.create_index("ix_students_class_id", "students", ["class_id"])
    op.create_index("ix_students_last_seen_at", "students", ["last_seen_at"])

    op.create_table(
        "progress",
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("lesson", sa.String(40), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("solved", sa.Boolean(), nullable=False),
        sa.Column("solved_first_try", sa.Boolean(), nullable=False),
        sa.Column("first_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("solved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["student_id"], ["students.id"], name="fk_progress_student_id_students", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("student_id", "lesson", name="pk_progress"),
    )

    op.create_table(
        "attempts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("lesson", sa.String(40), nullable=False),
        sa.Column("answer", sa.String(500), nullable=False),
        sa.Column("answer_key", sa.String(500), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["student_id"], ["students.id"], name="fk_attempts_student_id_students", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_attempts"),
    )
    op.create_index("ix_attempts_student_id_lesson_id", "attempts", ["student_id", "lesson", "id"])


def downgrade() -> None:
    op.drop_table("attempts")
    op.drop_table("progress")
    op.drop_table("students")
    op.drop_table("classes")
