"""Initial records schema: patients, visits, captures, capture metrics and images.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
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
        "patients",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200)),
        sa.Column("birth_year", sa.Integer()),
        sa.Column("notes", sa.Text()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patients.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("date_time", sa.DateTime(), nullable=False),
        sa.Column("setting", sa.String(16), nullable=False),
        sa.Column("therapist", sa.String(200)),
        sa.Column("profile", sa.String(200)),
        sa.Column("protocol", sa.JSON()),
        sa.Column("notes", sa.Text()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "visit_id",
            sa.Integer(),
            sa.ForeignKey("visits.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("view", sa.String(16), nullable=False),
        sa.Column("source_file", sa.String(500)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("quality", sa.JSON(), nullable=False),
        sa.Column("landmarks", sa.JSON()),
        sa.Column("resolution_wh", sa.JSON()),
        sa.Column("model_name", sa.String(200)),
        sa.Column("model_sha256", sa.String(64)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "capture_metrics",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "capture_id",
            sa.Integer(),
            sa.ForeignKey("captures.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("metric_id", sa.String(64), nullable=False),
        sa.Column("median", sa.Float()),
        sa.Column("sd", sa.Float()),
        sa.Column("iqr", sa.Float()),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(16)),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.UniqueConstraint("capture_id", "metric_id"),
    )
    op.create_table(
        "capture_images",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "capture_id",
            sa.Integer(),
            sa.ForeignKey("captures.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("privacy", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64)),
    )


def downgrade() -> None:
    for table in ("capture_images", "capture_metrics", "captures", "visits", "patients"):
        op.drop_table(table)
