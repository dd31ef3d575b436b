"""The records' restore and backup, a profile's removal and ``retest --save`` on a real
full or read-only disk: exit 9 with one line naming the path, the store and the files
that were there kept byte for byte, nothing half-written left, patient files private.

The disk is a small tmpfs (root only; under CI a tmpfs that cannot be mounted fails the
test, see ``test_output_faults``).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from posture_cam.cli import main
from posture_cam.records import Store, db
from posture_cam.records.ingest import CaptureData, MetricData
from tests.cli.test_retest import PHOTOS  # three subjects' front photo pairs
from tests.faults._helpers import assert_no_traceback
from tests.faults.test_output_faults import _fill, tmpfs


def _capture(side_px: int, seed: int) -> CaptureData:
    """A stored capture whose six pictures are noise PNGs of ``side_px`` squared (a
    300 px one is about 270 kB: they do not compress)."""
    rng = np.random.default_rng(seed)

    def png() -> bytes:
        ok, data = cv2.imencode(".png", rng.integers(0, 256, (side_px, side_px, 3), np.uint8))
        assert ok
        return data.tobytes()

    return CaptureData(
        view="front",
        source_file="synthetic.jpg",
        kind="image",
        metrics=[MetricData("shoulder_tilt", 2.0, 0.4, 0.5, 30, "deg", "borderline")],
        quality={"ok": True, "checks": [], "frames_seen": 30, "frames_used": 30},
        landmarks=[[1.0, 2.0]] * 33,
        resolution_wh=[side_px, side_px],
        model_name="pose_landmarker_full.task",
        model_sha256="0" * 64,
        images={(p, lang): png() for p in ("full", "blur", "skeleton") for lang in ("en", "nl")},
    )


def _tree(root: Path) -> dict[str, tuple[int, str]]:
    """relative path -> (mode, sha256) of every file and folder under ``root`` (SQLite's
    -wal / -shm left out: SQLite's own business)."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.name.endswith(("-wal", "-shm")):
            continue
        digest = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        out[str(p.relative_to(root))] = (stat.S_IMODE(p.stat().st_mode), digest)
    return out


def _codes() -> list[str]:
    with Store() as store:
        return [p["code"] for p in store.list_patients()]


def _one_line(err: str) -> str:
    assert "Traceback" not in err, err
    err = err.strip()
    assert err.startswith("posture-cam: error: ") and "\n" not in err, err
    return err


def _backup_of_p1(tmp_path: Path, monkeypatch, side_px: int) -> Path:
    monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(tmp_path / "source"))
    with Store() as store:
        store.add_patient("P-1")
        store.add_visit("P-1", [_capture(side_px, 1)])
    backup_file = tmp_path / "backup.zip"
    assert main(["backup", str(backup_file)]) == 0
    return backup_file


def test_restore_on_a_full_disk_keeps_the_store_as_it_was(tmp_path, monkeypatch, capsys):
    """Before, the rows were replaced and then the images copied: on a full disk the
    store held the backup's rows, empty or missing images (0644), and a traceback."""
    backup_file = _backup_of_p1(tmp_path, monkeypatch, side_px=300)  # ~1.6 MB of images
    with tmpfs(tmp_path / "disk", "4m") as disk:
        monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(disk / "data"))
        with Store() as store:
            store.add_patient("OLD")
            store.add_visit("OLD", [_capture(8, 2)])
        before = _tree(disk / "data")
        assert len([k for k in before if k.endswith(".png")]) == 6
        _fill(disk, leave_bytes=512 * 1024)
        capsys.readouterr()
        assert main(["restore", str(backup_file)]) == 9
        line = _one_line(capsys.readouterr().err)
        assert f"{db.files_dir()}: cannot write: the disk is full" in line
        assert _tree(disk / "data") == before
        assert _codes() == ["OLD"]
        assert not [p for p in disk.rglob("*") if ".partial" in p.name or "files-old" in p.name]

        (disk / "filler").unlink()
        assert main(["restore", str(backup_file)]) == 0
        assert _codes() == ["P-1"]
        after = _tree(db.files_dir())
        assert len(after) == 8  # p1, p1/v1 and six pictures
        assert {mode for mode, digest in after.values()} == {0o700, 0o600}
        assert all(mode == (0o700 if d == "dir" else 0o600) for mode, d in after.values())
        assert not [p for p in disk.rglob("*") if ".partial" in p.name]


def test_a_refused_restore_leaves_no_unpacked_images(tmp_path, monkeypatch, capsys):
    """The database step fails after the images were unpacked: they go again."""
    from sqlalchemy import exc as sa_exc

    from posture_cam.records import backup

    backup_file = _backup_of_p1(tmp_path, monkeypatch, side_px=8)
    monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(tmp_path / "target"))
    with Store() as store:
        store.add_patient("OLD")
        store.add_visit("OLD", [_capture(8, 2)])
    before = _tree(tmp_path / "target")

    def full(*_args):
        raise sa_exc.OperationalError(None, None, Exception("database or disk is full"))

    monkeypatch.setattr(backup, "copy_rows", full)
    capsys.readouterr()
    assert main(["restore", str(backup_file)]) == 8
    assert "the disk is full: free some space and try again (nothing was changed)" in _one_line(
        capsys.readouterr().err
    )
    assert _tree(tmp_path / "target") == before


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_a_full_temporary_folder_is_one_line_exit_9(command, tmp_path, monkeypatch, capsys):
    """The database copy goes through the temporary folder; before, a full one gave a
    traceback (sqlite3.OperationalError in backup, OSError in restore)."""
    backup_file = _backup_of_p1(tmp_path, monkeypatch, side_px=8)
    with tmpfs(tmp_path / "tmp", "1m") as temp:
        monkeypatch.setattr(tempfile, "tempdir", str(temp))
        _fill(temp, leave_bytes=8 * 1024)
        before = _tree(tmp_path / "source")
        out = tmp_path / "again.zip"
        args = ["backup", str(out)] if command == "backup" else ["restore", str(backup_file)]
        capsys.readouterr()
        assert main(args) == 9
        line = _one_line(capsys.readouterr().err)
        assert f"posture-cam: error: {temp}/posture_cam_{command}_" in line
        assert "cannot write: the disk is full" in line
        assert not out.exists()
        assert _tree(tmp_path / "source") == before
        assert sorted(p.name for p in temp.iterdir()) == ["filler"]


def test_removing_a_profile_on_a_read_only_disk_is_exit_9(tmp_path, monkeypatch, capsys):
    from posture_cam.calibration.profile import CalibrationProfile, save_profile

    with tmpfs(tmp_path / "disk", "1m") as disk:
        monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(disk))
        path = save_profile(CalibrationProfile(name="room1", roll_deg=1.5))
        text = path.read_bytes()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        capsys.readouterr()
        assert main(["calibrate", "remove", "room1"]) == 9
        line = _one_line(capsys.readouterr().err)
        assert line == (
            f"posture-cam: error: {path}: cannot write: the disk is read-only "
            "(write to another folder)"
        )
        assert path.read_bytes() == text


@pytest.mark.media
def test_retest_save_on_a_full_disk_prints_the_results_and_keeps_the_old_file(
    tmp_path, monkeypatch, model_path, media
):
    """Before, the save came first: a full disk lost the run's results (stdout empty)."""
    from posture_cam.metrics.clinic_mdc import clinic_mdc_path, save_clinic_mdc

    subjects = []
    for s, pair in enumerate(PHOTOS):
        folder = tmp_path / f"s{s}"
        folder.mkdir()
        for rel in pair:
            (folder / Path(rel).name).write_bytes(media(rel).read_bytes())
        subjects.append(str(folder))
    with tmpfs(tmp_path / "disk", "1m") as disk:
        monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(disk))
        saved = save_clinic_mdc({"cva": (5.2, 1.876, "deg")}, subjects=10, captures=3, view="left")
        old = saved.read_bytes()
        _fill(disk, leave_bytes=0)
        words = ["retest", *subjects, "--json", "--save", "--offline", "--model", str(model_path)]
        proc = subprocess.run(
            [sys.executable, "-m", "posture_cam", *words],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "POSTURE_CAM_DATA_DIR": str(disk)},
        )
        assert_no_traceback(proc)
        assert proc.returncode == 9, proc.stderr
        doc = json.loads(proc.stdout)
        assert doc["subjects"] == 3 and doc["captures_per_subject"] == 2
        errors = [x for x in proc.stderr.splitlines() if x.startswith("posture-cam: error:")]
        assert errors == [
            f"posture-cam: error: {clinic_mdc_path()}: cannot write: the disk is full "
            "(free some space or write to another disk)"
        ]
        assert "saved as this clinic's" not in proc.stderr
        assert saved.read_bytes() == old and stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert sorted(p.name for p in disk.iterdir()) == ["clinic_mdc.json", "filler"]
