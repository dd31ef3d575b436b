"""Backup / restore of the whole store (both backends) and the home-check import."""

from __future__ import annotations

import base64
import json
import stat
import zipfile

import pytest

from posture_cam.cli import main
from posture_cam.records import Store, db


def _files():
    root = db.files_dir()
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_and_restore_round_trip(backend, make_capture, tmp_path, capsys):
    with Store() as store:
        store.add_patient("P-1", name="Anna")
        store.add_visit("P-1", [make_capture("front", 2.5), make_capture("left")])
        store.add_visit("P-1", [make_capture("front", 1.25)])
        before_json = store.visits_json("P-1")
    before_files = _files()
    backup_file = tmp_path / "store.zip"
    assert main(["backup", str(backup_file)]) == 0
    assert "1 patient(s), 2 visit(s), 3 capture(s)" in capsys.readouterr().out
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    with zipfile.ZipFile(backup_file) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["backend"] == ("sqlite" if backend == "sqlite" else "postgresql")
        assert manifest["revision"] == db.head_revision()
        assert len([n for n in zf.namelist() if n.startswith("files/")]) == 18

    with Store() as store:
        store.remove_patient("P-1")
        store.add_patient("OTHER")
    assert _files() == {}
    assert main(["restore", str(backup_file)]) == 0
    with Store() as store:
        assert [p["code"] for p in store.list_patients()] == ["P-1"]
        assert store.visits_json("P-1") == before_json
        # ids continue after the restored rows (PostgreSQL sequences were moved on)
        new_id = store.add_visit("P-1", [make_capture("back")])
        assert new_id == 3
    restored = _files()
    assert {k: v for k, v in restored.items() if "/v3/" not in k} == before_files


def test_restore_refuses_a_file_that_is_not_a_backup(backend, tmp_path, capsys):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK not really")
    assert main(["restore", str(junk)]) == 2
    assert "not a posture_cam records backup" in capsys.readouterr().err


def test_restore_replaces_a_corrupt_sqlite_store(make_capture, tmp_path):
    with Store() as store:
        store.add_patient("P-1")
        store.add_visit("P-1", [make_capture()])
    assert main(["backup", str(tmp_path / "b.zip")]) == 0
    (db.records_dir() / "records.sqlite3").write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        (db.records_dir() / f"records.sqlite3{suffix}").unlink(missing_ok=True)
    assert main(["patients", "list"]) == 8
    assert main(["restore", str(tmp_path / "b.zip")]) == 0
    with Store() as store:
        assert len(store.visits_json("P-1")["visits"]) == 1
    assert list(db.records_dir().glob("records.sqlite3.corrupt-*"))


def _home_file(path, png: bytes):
    doc = {
        "schema": "posture_cam.home_check/1",
        "checks": [
            {
                "date_time": "2026-11-20T19:30:00",
                "view": "front",
                "metrics": {
                    "shoulder_tilt": {
                        "median": 1.84,
                        "sd": 0.31,
                        "iqr": 0.4,
                        "n_frames": 58,
                        "unit": "deg",
                        "status": "borderline",
                        "source": "model",
                    }
                },
                "quality": {"ok": True, "checks": []},
                "image_png_base64": base64.b64encode(png).decode(),
            }
        ],
    }
    path.write_text(json.dumps(doc))
    return path


def test_home_check_import_stores_home_visits(backend, make_capture, tmp_path, capsys):
    png = make_capture().images[("skeleton", "en")]
    home = _home_file(tmp_path / "home.json", png)
    assert main(["patients", "add", "P-1"]) == 0
    assert main(["visit", "import", str(home), "--patient", "P-1", "--json"]) == 0
    capsys.readouterr()
    assert main(["visits", "P-1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (visit,) = doc["visits"]
    assert visit["setting"] == "home" and visit["date"] == "2026-11-20"
    assert visit["captures"][0]["metrics"]["shoulder_tilt"] == {
        "value": 1.8,
        "sd": 0.3,
        "unit": "deg",
        "status": "borderline",
        "source": "model",
    }
    assert sorted(_files().values()) == [png]


def test_malformed_home_file_stores_nothing(backend, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema": "posture_cam.home_check/1", "checks": [{"view": "up"}]}))
    assert main(["patients", "add", "P-1"]) == 0
    assert main(["visit", "import", str(bad), "--patient", "P-1"]) == 2
    assert "check 1 is malformed" in capsys.readouterr().err
    with Store() as store:
        assert store.visits_json("P-1")["visits"] == []


@pytest.mark.parametrize("payload", [b"{not json", b'{"schema": "other"}'])
def test_not_a_home_file(backend, tmp_path, payload, capsys):
    f = tmp_path / "x.json"
    f.write_bytes(payload)
    assert main(["patients", "add", "P-1"]) == 0
    assert main(["visit", "import", str(f), "--patient", "P-1"]) == 2
    assert "not a home-check file" in capsys.readouterr().err
