"""Records store mechanics on both backends: migrations, transactions, files, errors."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import inspect, select, text

from posture_cam.cli import main
from posture_cam.errors import InputError
from posture_cam.records import DatabaseError, DuplicateRecordError, Store, UnknownRecordError, db
from posture_cam.records.models import Capture, CaptureImage, CaptureMetric, Visit


def _all_files():
    root = db.files_dir()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_empty_store_is_migrated_to_head(backend):
    with Store() as store:
        assert db.current_revision(store.engine) == db.head_revision() == "0006"
        with store.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            columns = {c["name"] for c in inspect(conn).get_columns("captures")}
    assert {"patients", "visits", "captures", "capture_metrics", "capture_images"} <= tables
    assert {"points_audit", "external_id"} <= columns


@pytest.mark.parametrize("old_revision", ["0001", "0002", "0003", "0004", "0005"])
def test_store_from_every_earlier_revision_is_upgraded_keeping_rows(
    backend, old_revision, make_capture
):
    engine = db.create()
    db.migrate(engine, old_revision)
    with engine.begin() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("capture_metrics")}
        assert ("reasons" in columns) is (old_revision >= "0005")
        assert ("uncertainty" in columns) is (old_revision >= "0004")
        conn.execute(
            text(
                "INSERT INTO patients (code, name, created_at) VALUES ('OLD-1', 'Old', "
                "CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    with Store() as store:
        assert db.current_revision(store.engine) == db.head_revision()
        assert [p["code"] for p in store.list_patients()] == ["OLD-1"]
        capture = make_capture()
        capture.points_audit = [{"landmark": 7, "from_xy": [1, 2], "to_xy": [3, 4]}]
        capture.external_id = "ab" * 16
        capture.metrics[0].uncertainty = 1.25
        capture.metrics[1].reasons = [{"code": "needs_pelvis_markers"}]
        store.add_visit("OLD-1", [capture])  # the new columns are usable
        with store.session() as s:
            row = s.scalars(select(Capture)).one()
            assert row.points_audit[0]["to_xy"] == [3, 4] and row.external_id == "ab" * 16
            assert row.metrics[0].uncertainty == 1.25
            assert row.metrics[1].reasons == [{"code": "needs_pelvis_markers"}]


def test_every_revision_is_tested():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db._config())
    earlier = {r.revision for r in script.walk_revisions()} - {script.get_current_head()}
    marker = test_store_from_every_earlier_revision_is_upgraded_keeping_rows.pytestmark[0]
    assert earlier == set(marker.args[1])


def test_newer_schema_is_refused_with_one_line(backend, capsys):
    engine = db.create()
    db.migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer than this posture_cam knows"):
        Store()
    assert main(["patients", "list"]) == 8
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "schema revision 9999" in err[0]


def test_unknown_duplicate_and_invalid_codes(backend, capsys):
    assert main(["patients", "add", "P-1", "--name", "Anna de Vries", "--birth-year", "1980"]) == 0
    assert main(["patients", "add", "P-1"]) == 7
    assert "already exists" in capsys.readouterr().err
    assert main(["patients", "show", "NOPE"]) == 6
    assert main(["visits", "NOPE", "--json"]) == 6
    assert main(["report", "NOPE", "--out", "x.pdf"]) == 6
    assert main(["export", "NOPE", "--format", "csv", "--out", "x.csv"]) == 6
    assert main(["patients", "remove", "NOPE", "--yes"]) == 6
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 5 and all("no patient with code NOPE" in line for line in err)
    assert main(["patients", "add", "../etc"]) == 2
    # A code no patient can have: exit 2 saying why, not "no patient … add it with
    # `patients add bad code!`" (exit 6), which would fail the same way.
    capsys.readouterr()
    assert main(["visits", "bad code!"]) == 2
    assert main(["patients", "show", "bad code!"]) == 2
    err = capsys.readouterr().err
    assert err.count("not a valid patient code") == 2 and "patients add" not in err
    assert main(["patients", "add", "P-2", "--birth-year", "1700"]) == 2
    assert main(["patients", "remove", "P-1"]) == 2  # --yes missing
    capsys.readouterr()
    assert main(["patients", "list", "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)["patients"]
    assert [(p["code"], p["name"], p["birth_year"]) for p in listed] == [
        ("P-1", "Anna de Vries", 1980)
    ]


def test_search_by_code_or_name(backend):
    with Store() as store:
        store.add_patient("P-10", name="Anna de Vries")
        store.add_patient("Q-20", name="Bram Jansen")
        assert [p["code"] for p in store.list_patients("jans")] == ["Q-20"]
        assert [p["code"] for p in store.list_patients("p-1")] == ["P-10"]


def test_visit_is_all_or_nothing_and_rollback_removes_files(backend, make_capture):
    with Store() as store:
        store.add_patient("P-1")
        bad = make_capture("left")
        bad.images[("sepia", "en")] = b"\x89PNG not stored"
        with pytest.raises(ValueError, match="privacy"):
            store.add_visit("P-1", [make_capture("front"), bad])
        with store.session() as s:
            assert s.scalars(select(Visit)).all() == []
            assert s.scalars(select(CaptureMetric)).all() == []
        assert _all_files() == []
        with pytest.raises(UnknownRecordError):
            store.add_visit("P-404", [make_capture()])
        with pytest.raises(InputError):
            store.add_visit("P-1", [make_capture()], setting="garden")


def test_files_are_private_and_removal_leaves_nothing(backend, make_capture):
    with Store() as store:
        store.add_patient("P-1")
        store.add_patient("P-2")
        store.add_visit("P-1", [make_capture("front"), make_capture("left")])
        store.add_visit("P-1", [make_capture("front", 1.0)])
        store.add_visit("P-2", [make_capture("back")])
        stored = _all_files()
        assert len(stored) == 4 * 6
        for path in stored:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        for folder in [db.files_dir(), *(p for p in db.files_dir().rglob("*") if p.is_dir())]:
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        if backend == "sqlite":
            sqlite_file = db.records_dir() / "records.sqlite3"
            assert stat.S_IMODE(sqlite_file.stat().st_mode) == 0o600
            assert stat.S_IMODE(db.records_dir().stat().st_mode) == 0o700
        with store.session() as s:
            paths = s.scalars(select(CaptureImage.path)).all()
        assert all(not os.path.isabs(p) for p in paths)
        assert store.remove_patient("P-1") == 18
        with store.session() as s:
            assert s.scalar(select(Visit.id).where(Visit.patient_id == 1)) is None
            assert len(s.scalars(select(Capture)).all()) == 1
        remaining = _all_files()
        assert len(remaining) == 6 and all("/p2/" in str(p) for p in remaining)
        assert not (db.files_dir() / "p1").exists()


def test_sqlite_uses_wal_and_foreign_keys():
    with Store() as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_corrupt_sqlite_file_gives_one_line_and_exit_8(capsys):
    db.ensure_private_dir(db.records_dir())
    (db.records_dir() / "records.sqlite3").write_bytes(b"this is not a database\x00" * 200)
    assert main(["patients", "list"]) == 8
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "corrupt" in err[0]
    # The file is named as a path the user can move or restore, not as an SQLAlchemy URL.
    assert err[0].startswith(f"posture-cam: error: {db.records_dir() / 'records.sqlite3'}: ")


def test_a_corrupt_store_is_said_in_the_readers_language(capsys):
    """The corrupt, locked and unreachable-server lines were plain English strings, so
    a Dutch user read them in English inside a Dutch sentence."""
    db.ensure_private_dir(db.records_dir())
    (db.records_dir() / "records.sqlite3").write_bytes(b"this is not a database\x00" * 200)
    assert main(["--lang", "nl", "patients", "list"]) == 8
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "het databasebestand is beschadigd" in line and "posture-cam restore" in line


def test_locked_sqlite_gives_one_line_and_exit_8(capsys):
    import sqlite3

    with Store():
        pass
    holder = sqlite3.connect(db.records_dir() / "records.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["patients", "add", "P-1"]) == 8
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "locked" in err[0]


def test_duplicate_code_raises_typed_error(backend):
    with Store() as store:
        store.add_patient("P-1")
        with pytest.raises(DuplicateRecordError):
            store.add_patient("P-1")
