"""Capture metrics keep why they were not measurable as reason codes and data (JSON,
``posture_cam.reasons``) beside the English text, so a record is shown in the reader's
language ("niet meetbaar: loodlijnafstanden vereisen een staande houding (kniehoek
84°)", not the English words stored with it).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("capture_metrics") as batch:
        batch.add_column(sa.Column("reasons", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("capture_metrics") as batch:
        batch.drop_column("reasons")
