"""SQLite never hands out a row id again: every table is rebuilt with ``AUTOINCREMENT``.

Without it SQLite gives a new row ``max(id) + 1``, so after ``visit remove 3`` (the
newest visit) the next visit was visit 3 again, and a report ``P-0042_visit3.pdf``, an
export or a note saying "visit 3" then named another visit. ``AUTOINCREMENT`` keeps the
largest id ever given in ``sqlite_sequence``. PostgreSQL's sequences never reuse an id:
there this revision does nothing.

How: each table is renamed to ``_0005_<name>``, created again under its own name with
``AUTOINCREMENT`` (the same columns, in the same order, as revision 0005 left them),
filled from the old one with every id as it was (which sets ``sqlite_sequence`` to the
largest id each table holds; ids of rows deleted before this revision are not known, so
only those above it are safe), and the old tables are dropped children first; then the
indexes are made again. Alembic's batch rebuild (``recreate="always"``) cannot be used:
:func:`posture_cam.records.db.migrate` runs every revision in one transaction with
foreign keys ON (``PRAGMA foreign_keys=OFF`` does nothing inside a transaction), and
dropping the old ``patients`` table then deletes its rows and, through ``ON DELETE
CASCADE``, every visit, capture and metric (tried: 1 visit before, 0 after). Here no
table is dropped while a kept table refers to it. The row counts are checked at the end;
a difference rolls the whole upgrade back.

A later migration that rebuilds one of these tables on SQLite (batch ``drop_column``,
``alter_column``, ``recreate="always"``) must pass ``table_kwargs={"sqlite_autoincrement":
True}`` (reflection does not see ``AUTOINCREMENT``) and must not drop a table others
refer to with foreign keys ON, for the reason above.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: Parents before children.
TABLES = ("patients", "visits", "captures", "capture_metrics", "capture_images")
#: The indexes revisions 0001 and 0003 made: (name, table, columns, unique).
INDEXES = (
    ("ix_visits_patient_id", "visits", ["patient_id"], False),
    ("ix_captures_visit_id", "captures", ["visit_id"], False),
    ("ix_captures_external_id", "captures", ["external_id"], True),
    ("ix_capture_metrics_capture_id", "capture_metrics", ["capture_id"], False),
    ("ix_capture_images_capture_id", "capture_images", ["capture_id"], False),
)


def _old(name: str) -> str:
    return f"_0005_{name}"


def _create_tables() -> dict[str, list[str]]:
    """Create the five tables as revision 0005 left them, with AUTOINCREMENT, without
    their indexes (the old tables still hold those names); returns their columns."""
    auto = {"sqlite_autoincrement": True}
    tables = [
        op.create_table(
            "patients",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("code", sa.String(64), nullable=False, unique=True),
            sa.Column("name", sa.String(200)),
            sa.Column("birth_year", sa.Integer()),
            sa.Column("notes", sa.Text()),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            **auto,
        ),
        op.create_table(
            "visits",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column(
                "patient_id",
                sa.Integer(),
                sa.ForeignKey("patients.id", ondelete="CASCADE"),
                nullable=False,
            ),
            sa.Column("date_time", sa.DateTime(), nullable=False),
            sa.Column("setting", sa.String(16), nullable=False),
            sa.Column("therapist", sa.String(200)),
            sa.Column("profile", sa.String(200)),
            sa.Column("protocol", sa.JSON()),
            sa.Column("notes", sa.Text()),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            **auto,
        ),
        op.create_table(
            "captures",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column(
                "visit_id",
                sa.Integer(),
                sa.ForeignKey("visits.id", ondelete="CASCADE"),
                nullable=False,
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
            sa.Column("points_audit", sa.JSON()),  # 0002
            sa.Column("external_id", sa.String(64)),  # 0003
            **auto,
        ),
        op.create_table(
            "capture_metrics",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column(
                "capture_id",
                sa.Integer(),
                sa.ForeignKey("captures.id", ondelete="CASCADE"),
                nullable=False,
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
            sa.Column("uncertainty", sa.Float()),  # 0004
            sa.Column("reasons", sa.JSON()),  # 0005
            sa.UniqueConstraint("capture_id", "metric_id"),
            **auto,
        ),
        op.create_table(
            "capture_images",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column(
                "capture_id",
                sa.Integer(),
                sa.ForeignKey("captures.id", ondelete="CASCADE"),
                nullable=False,
            ),
            sa.Column("privacy", sa.String(16), nullable=False),
            sa.Column("language", sa.String(8), nullable=False),
            sa.Column("path", sa.String(500), nullable=False),
            sa.Column("sha256", sa.String(64)),
            **auto,
        ),
    ]
    return {t.name: [c.name for c in t.columns] for t in tables}


def _counts(bind: sa.Connection) -> dict[str, int]:
    return {
        name: int(bind.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar() or 0)
        for name in TABLES
    }


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL: sequences never give an id twice
    before = _counts(bind)
    for name in TABLES:
        op.rename_table(name, _old(name))
    columns = _create_tables()
    for name in TABLES:  # parents first: every foreign key is met (they stay ON)
        cols = ", ".join(f'"{c}"' for c in columns[name])
        op.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM "{_old(name)}"')
    for name in reversed(TABLES):  # children first: no kept table refers to them
        op.drop_table(_old(name))
    for index, table, indexed, unique in INDEXES:
        op.create_index(index, table, indexed, unique=unique)
    after = _counts(bind)
    if after != before:
        raise RuntimeError(f"revision 0006 would change the row counts {before} to {after}")


def downgrade() -> None:
    """Nothing to undo: revision 0005's code reads and writes AUTOINCREMENT tables as it
    did the others (only how SQLite picks a new id differs), and rebuilding them without
    it would bring back the reuse of ids."""
