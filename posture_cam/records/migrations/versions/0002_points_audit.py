"""Captures keep an audit of moved or placed points (markers / ``--point``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("captures") as batch:
        batch.add_column(sa.Column("points_audit", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("captures") as batch:
        batch.drop_column("points_audit")
