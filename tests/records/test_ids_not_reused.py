"""Ids are never given twice, also after the newest row was deleted (revision 0006).

A visit id is on reports (``P-1_visit3.pdf``), exports and image paths: plain SQLite gave
``max(id) + 1``, so after `visit remove 3` the next visit was visit 3 again.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from posture_cam.records import DatabaseError, Store, db
from posture_cam.records.models import Capture, CaptureImage, CaptureMetric, Patient, Visit

TABLES = ("patients", "visits", "captures", "capture_metrics", "capture_images")


def test_a_removed_newest_visit_patient_and_capture_id_is_not_given_again(backend, make_capture):
    with Store() as store:
        store.add_patient("P-1")
        first = store.add_visit("P-1", [make_capture()])
        newest = store.add_visit("P-1", [make_capture("left"), make_capture("back")])
        with store.session() as s:
            removed_captures = set(s.scalars(select(Capture.id).where(Capture.visit_id == newest)))
            removed_metrics = set(
                s.scalars(select(CaptureMetric.id).join(Capture).where(Capture.visit_id == newest))
            )
        assert (first, newest) == (1, 2) and removed_captures == {2, 3}
        store.remove_visit(newest)
        again = store.add_visit("P-1", [make_capture("right")])
        assert again == 3  # the old code gave 2: visit 2's report now named this visit
        with store.session() as s:
            capture = s.scalars(select(Capture).where(Capture.visit_id == again)).one()
            assert capture.id == 4  # not 2
            assert {m.id for m in capture.metrics}.isdisjoint(removed_metrics)
            assert min(m.id for m in capture.metrics) > max(removed_metrics)

        store.add_patient("P-2")
        removed_patient = store.add_patient("P-3").id
        assert removed_patient == 3
        store.remove_patient("P-3")
        assert store.add_patient("P-4").id == 4  # the old code gave 3 again


def _engine_at_0005(path):
    engine = db.create(f"sqlite:///{path}")
    db.migrate(engine, "0005")
    assert db.current_revision(engine) == "0005"
    return engine


#: Rows of a store at revision 0005, with gaps in every id (rows deleted earlier).
OLD_ROWS = {
    Patient: [
        {"id": 1, "code": "0042", "name": "Anna", "birth_year": 1960, "notes": "n"},
        {"id": 5, "code": "P-5", "name": None, "birth_year": None, "notes": None},
    ],
    Visit: [
        {"id": 2, "patient_id": 1, "setting": "clinic", "protocol": ["front", "left"]},
        {"id": 7, "patient_id": 1, "setting": "home", "protocol": ["front"]},
        {"id": 9, "patient_id": 5, "setting": "clinic", "protocol": None},
    ],
    Capture: [
        {"id": 3, "visit_id": 2, "view": "front", "external_id": None},
        {"id": 4, "visit_id": 2, "view": "left", "external_id": None},
        {"id": 12, "visit_id": 7, "view": "front", "external_id": "ab" * 16},
        {"id": 20, "visit_id": 9, "view": "front", "external_id": None},
    ],
    CaptureMetric: [
        {"id": i, "capture_id": c, "metric_id": m, "median": 1.5 * i, "status": "normal"}
        for i, (c, m) in enumerate(
            [(3, "cva"), (3, "shoulder_tilt"), (4, "cva"), (12, "cva"), (20, "cva")], start=10
        )
    ]
    + [
        {
            "id": 40,
            "capture_id": 12,
            "metric_id": "pelvic_tilt",
            "median": None,
            "status": "not_measurable",
            "reason": "hips hidden",
            "reasons": [{"code": "needs_pelvis_markers"}],
            "uncertainty": 0.7,
        }
    ],
    CaptureImage: [
        {"id": 6, "capture_id": 3, "privacy": "full", "path": "p1/v2/c3_front_full_en.png"},
        {"id": 8, "capture_id": 4, "privacy": "blur", "path": "p1/v2/c4_left_blur_en.png"},
        {"id": 30, "capture_id": 20, "privacy": "skeleton", "path": "p5/v9/c20.png"},
    ],
}


def _fill(engine) -> None:
    import datetime as dt

    when = dt.datetime(2026, 11, 30, 9, 15)
    defaults = {
        Patient: {"created_at": when},
        Visit: {"date_time": when, "created_at": when},
        Capture: {"kind": "image", "quality": {"ok": True}, "created_at": when},
        CaptureMetric: {"n": 1, "source": "model", "position": 0, "unit": "deg"},
        CaptureImage: {"language": "en", "sha256": "0" * 64},
    }
    with engine.begin() as conn:  # parents first
        for model, rows in OLD_ROWS.items():
            conn.execute(insert(model.__table__), [{**defaults[model], **r} for r in rows])


def _dump(conn) -> dict[str, list[tuple]]:
    return {t: conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


def _schema(conn) -> dict[str, tuple]:
    """Columns, foreign keys and indexes (with their columns and uniqueness) per table."""
    out = {}
    for t in TABLES:
        indexes = conn.exec_driver_sql(f"PRAGMA index_list({t})").fetchall()
        out[t] = (
            conn.exec_driver_sql(f"PRAGMA table_info({t})").fetchall(),
            conn.exec_driver_sql(f"PRAGMA foreign_key_list({t})").fetchall(),
            sorted(
                (
                    ix[1] if not ix[1].startswith("sqlite_autoindex") else ix[3],
                    bool(ix[2]),
                    tuple(r[2] for r in conn.exec_driver_sql(f"PRAGMA index_info({ix[1]})")),
                )
                for ix in indexes
            ),
        )
    return out


def _sequence(conn) -> dict[str, int]:
    return dict(conn.exec_driver_sql("SELECT name, seq FROM sqlite_sequence").all())


def test_a_store_at_0005_is_rebuilt_keeping_every_row_id_key_and_constraint(
    tmp_path, monkeypatch, make_capture
):
    path = tmp_path / "records.sqlite3"
    monkeypatch.setenv(db.DATABASE_URL_ENV, f"sqlite:///{path}")
    engine = _engine_at_0005(path)
    _fill(engine)
    with engine.connect() as conn:
        rows_before, schema_before = _dump(conn), _schema(conn)
        assert (
            "AUTOINCREMENT"
            not in conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'visits'"
            ).scalar()
        )
    engine.dispose()
    assert sum(len(r) for r in rows_before.values()) == 2 + 3 + 4 + 6 + 3

    with Store() as store:  # opening migrates to head
        assert db.current_revision(store.engine) == db.head_revision()
        with store.engine.connect() as conn:
            assert _dump(conn) == rows_before  # every row, every id, every value
            assert _schema(conn) == schema_before  # columns, foreign keys, indexes
            sql = dict(
                conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type='table'").all()
            )
            assert all("AUTOINCREMENT" in sql[t] for t in TABLES)
            assert not any(name.startswith("_0005_") for name in sql)
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert _sequence(conn) == {
                "patients": 5,
                "visits": 9,
                "captures": 20,
                "capture_metrics": 40,
                "capture_images": 30,
            }
        assert [v["id"] for v in store.visits_json("0042")["visits"]] == [2, 7]

        # New ids come after the largest, also once that row is gone.
        store.remove_visit(9)
        assert store.add_visit("P-5", [make_capture()]) == 10
        store.remove_patient("P-5")
        assert store.add_patient("P-6").id == 6

        # The database's own cascade (not the ORM's) still reaches captures, metrics
        # and images, and foreign keys are still enforced.
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM visits WHERE id = 2"))
            left = {t: [r[0] for r in rows] for t, rows in _dump(conn).items()}
            with pytest.raises(IntegrityError, match="FOREIGN KEY"), conn.begin_nested():
                conn.execute(
                    text(
                        "INSERT INTO visits (patient_id, date_time, setting, created_at) "
                        "VALUES (99, CURRENT_TIMESTAMP, 'clinic', CURRENT_TIMESTAMP)"
                    )
                )
        assert left == {  # visit 2 took captures 3, 4, metrics 10-12, images 6, 8
            "patients": [1, 6],
            "visits": [7],
            "captures": [12],
            "capture_metrics": [13, 40],
            "capture_images": [],
        }

        # The unique constraints are still enforced.
        for statement in (
            "INSERT INTO patients (code, created_at) VALUES ('0042', CURRENT_TIMESTAMP)",
            "INSERT INTO capture_metrics (capture_id, metric_id, n, status, source, position)"
            " VALUES (12, 'cva', 1, 'normal', 'model', 0)",
            "INSERT INTO captures (visit_id, view, kind, quality, created_at, external_id) "
            f"VALUES (7, 'front', 'image', '{{}}', CURRENT_TIMESTAMP, '{'ab' * 16}')",
        ):
            with (
                pytest.raises(DatabaseError, match="UNIQUE constraint failed"),
                store.session() as s,
            ):
                s.execute(text(statement))


def test_an_empty_store_at_0005_upgrades_and_counts_from_1(tmp_path):
    path = tmp_path / "records.sqlite3"
    _engine_at_0005(path).dispose()
    with Store(f"sqlite:///{path}") as store:
        assert store.add_patient("A").id == 1
        with store.engine.connect() as conn:
            assert _sequence(conn) == dict.fromkeys(TABLES, 0) | {"patients": 1}


def test_a_failing_rebuild_leaves_the_0005_store_as_it_was(tmp_path):
    """An orphan row (possible only when written with foreign keys off, e.g. by the
    sqlite3 shell) stops the upgrade; the whole upgrade is rolled back."""
    path = tmp_path / "records.sqlite3"
    _fill(_engine_at_0005(path))
    raw = sqlite3.connect(path)  # foreign keys OFF: the sqlite3 default
    raw.execute(
        "INSERT INTO visits (id, patient_id, date_time, setting, created_at) "
        "VALUES (50, 77, '2026-11-30', 'clinic', '2026-11-30')"
    )
    raw.commit()
    before = {t: raw.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
    raw.close()
    with pytest.raises(DatabaseError, match="FOREIGN KEY constraint failed"):
        Store(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0005",)]
        assert {t: raw.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES} == (
            before
        )
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert not any(n.startswith("_0005_") for n in names) and "sqlite_sequence" not in names
    finally:
        raw.close()


def test_downgrade_to_0005_keeps_autoincrement_and_upgrading_again_keeps_every_row(tmp_path):
    from alembic import command

    path = tmp_path / "records.sqlite3"
    engine = _engine_at_0005(path)
    _fill(engine)
    db.migrate(engine)
    with engine.connect() as conn:
        rows, sequence = _dump(conn), _sequence(conn)
    cfg = db._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    assert db.current_revision(engine) == "0005"
    with engine.connect() as conn:
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'visits'").scalar()
        assert "AUTOINCREMENT" in sql and _dump(conn) == rows
    db.migrate(engine)  # rebuilds once more
    with engine.connect() as conn:
        assert _dump(conn) == rows and _sequence(conn) == sequence
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    engine.dispose()
