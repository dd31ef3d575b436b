"""Captures remember the id of the home-check file they came from, so that the same
check is never imported twice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("captures") as batch:
        batch.add_column(sa.Column("external_id", sa.String(64)))
        batch.create_index("ix_captures_external_id", ["external_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("captures") as batch:
        batch.drop_index("ix_captures_external_id")
        batch.drop_column("external_id")
