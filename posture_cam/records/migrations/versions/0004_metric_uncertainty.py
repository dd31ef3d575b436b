"""Capture metrics keep the ± of their median (frame spread and model repeatability, or
the hand-placement estimate of a capture corrected by hand).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("capture_metrics") as batch:
        batch.add_column(sa.Column("uncertainty", sa.Float()))


def downgrade() -> None:
    with op.batch_alter_table("capture_metrics") as batch:
        batch.drop_column("uncertainty")
