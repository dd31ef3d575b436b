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
    assert "patients 1, visits 2, captures 3" in capsys.readouterr().out
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


def _home_doc(png: bytes, check_id: str = "0123456789abcdef" * 2) -> dict:
    points = [[100.0 + i, 50.0 + 2 * i, 0.9] for i in range(33)]
    points[23] = points[24] = None  # hips out of view (upper body at a desk)
    return {
        "format": "posture_cam.home_check",
        "format_version": 1,
        "check_id": check_id,
        "time": "2026-11-20T19:30:00+01:00",
        "setting": "home",
        "view": "front",
        "framing": "upper_body",
        "capture": {"seconds": 2.0, "frames_seen": 60, "frames_used": 58},
        "metrics": {
            "shoulder_tilt": {
                "value": 1.84,
                "sd": 0.31,
                "uncertainty": 0.84,
                "iqr": 0.4,
                "n": 58,
                "unit": "deg",
                "status": "borderline",
                "source": "model",
            }
        },
        "quality": {"ok": True, "checks": [{"id": "still", "ok": True, "frames_failed": 0}]},
        "landmarks": {"coordinates": "image_px", "resolution_wh": [640, 480], "points": points},
        "images": [
            {
                "kind": "skeleton",
                "privacy": "skeleton_only",
                "media_type": "image/png",
                "width": 6,
                "height": 8,
                "data_base64": base64.b64encode(png).decode(),
            }
        ],
        "model": {"file": "pose_landmarker_full.task", "sha256": "a" * 64},
        "app": {"name": "posture_cam", "version": "0.1.0"},
        "language": "nl",
        "note": "Screening aid, not a diagnosis.",
    }


def test_home_check_import_stores_home_visits(backend, make_capture, tmp_path, capsys):
    from posture_cam.home.check_file import validate_home_check

    png = make_capture().images[("skeleton", "en")]
    doc = _home_doc(png)
    validate_home_check(doc)  # the home mode's own schema
    home = tmp_path / "home_check_2026-11-20_193000_front.json"
    home.write_text(json.dumps(doc))
    assert main(["patients", "add", "P-1"]) == 0
    capsys.readouterr()
    assert main(["visit", "import", str(home), "--patient", "P-1"]) == 0
    assert capsys.readouterr().out == "home visit 1 imported for P-1\n"  # the id, no brackets
    assert main(["visits", "P-1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (visit,) = out["visits"]
    assert visit["setting"] == "home" and visit["date"] == "2026-11-20"
    assert visit["captures"][0]["metrics"]["shoulder_tilt"] == {
        "value": 1.8,
        "sd": 0.3,
        "uncertainty": 0.8,  # the home check's ± travels with it
        "unit": "deg",
        "status": "borderline",
        "source": "model",
    }
    assert sorted(_files().values()) == [png]
    with Store() as store, store.session() as s:
        from sqlalchemy import select

        from posture_cam.records.models import Capture

        capture = s.scalars(select(Capture)).one()
        assert capture.landmarks[23] is None and capture.landmarks[11] == [111.0, 72.0]
        assert capture.quality["frames_used"] == 58 and capture.kind == "home"
    # --json prints the imported visit as `visits --json` does (was its id only)
    second = tmp_path / "home_check_2026-11-21_193000_front.json"
    second.write_text(json.dumps(_home_doc(png, check_id="f" * 32)))
    assert main(["visit", "import", str(second), "--patient", "P-1", "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert imported["patient"] == "P-1" and [v["id"] for v in imported["visits"]] == [2]
    assert imported["visits"][0]["setting"] == "home"
    assert imported["visits"][0]["captures"][0]["metrics"]["shoulder_tilt"]["value"] == 1.8
    # the same check again: refused, nothing added
    assert main(["visit", "import", str(home), "--patient", "P-1"]) == 7
    assert "already imported (visit 1)" in capsys.readouterr().err
    with Store() as store:
        assert len(store.visits_json("P-1")["visits"]) == 2


def test_malformed_home_file_stores_nothing(backend, make_capture, tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_home_doc(make_capture().images[("skeleton", "en")])))
    bad_doc = _home_doc(b"x", check_id="f" * 32)
    bad_doc["view"] = "up"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_doc))
    assert main(["patients", "add", "P-1"]) == 0
    assert main(["visit", "import", str(good), str(bad), "--patient", "P-1"]) == 2
    assert "bad.json" in capsys.readouterr().err
    with Store() as store:
        assert store.visits_json("P-1")["visits"] == []


@pytest.mark.parametrize("payload", [b"{not json", b'{"schema": "other"}'])
def test_not_a_home_file(backend, tmp_path, payload, capsys):
    f = tmp_path / "x.json"
    f.write_bytes(payload)
    assert main(["patients", "add", "P-1"]) == 0
    assert main(["visit", "import", str(f), "--patient", "P-1"]) == 2
    assert "not a" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["backup", "export"])
def test_an_output_in_the_way_is_exit_9_like_analyze(command, make_capture, tmp_path, capsys):
    """Records outputs use the project's one 'cannot write the output' code (README: 9)."""
    with Store() as store:
        store.add_patient("P-1")
        store.add_visit("P-1", [make_capture("front")])
    blocker = tmp_path / "a_file"
    blocker.write_text("in the way")
    out = blocker / "out.zip"
    args = ["backup", str(out)] if command == "backup" else ["export", "P-1", "--format", "zip",
                                                              "--out", str(out)]  # fmt: skip
    assert main(args) == 9
    err = capsys.readouterr().err.strip()
    assert err.startswith("posture-cam: error:") and "\n" not in err
    assert blocker.read_text() == "in the way"
