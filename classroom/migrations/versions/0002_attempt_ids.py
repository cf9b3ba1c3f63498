"""Attempt ids: the caller's id of a checked answer, unique per student, so that a retried write counts once.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("attempt_id", sa.String(64), nullable=True))
    op.create_index("ix_attempts_student_id_attempt_id", "attempts", ["student_id", "attempt_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_attempts_student_id_attempt_id", table_name="attempts")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("attempt_id")
