"""The snapshot writer alone: PNG text chunks, sidecar record, atomic writes (no Qt)."""

from __future__ import annotations

import datetime as dt
import json
import os
import struct
import zlib

import cv2
import numpy as np
import pytest

from posture_cam import __version__
from posture_cam.capture import snapshot
from posture_cam.errors import OutputError


def _image() -> np.ndarray:
    img = np.zeros((48, 64, 3), np.uint8)
    cv2.line(img, (0, 0), (63, 47), (0, 200, 255), 2)
    return img


def _record(**extra) -> dict:
    return snapshot.build_record(
        metrics={
            "shoulder_tilt": {
                "median": 1.25,
                "sd": 0.1,
                "n_frames": 30,
                "unit": "deg",
                "status": "normal",
                "reason": None,
            }
        },
        quality={"frames": 30, "frames_ok": 30},
        view="front",
        source="camera:0",
        privacy="blur_face",
        model_path=None,
        calibration_profile=None,
        time=dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        **extra,
    )


def _chunk_types(png: bytes) -> list[bytes]:
    pos, out = 8, []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF, f"bad CRC in {kind!r}"
        out.append(kind)
        pos += 12 + length
    return out


def test_text_chunks_round_trip_and_image_still_decodes():
    png = snapshot.encode_png(_image(), {"Software": "posture_cam", "Opmerking": "schouder ↑ 1,2°"})
    kinds = _chunk_types(png)
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert b"tEXt" in kinds and b"iTXt" in kinds  # ASCII -> tEXt, Unicode -> iTXt
    texts = snapshot.png_read_text(png)
    assert texts == {"Software": "posture_cam", "Opmerking": "schouder ↑ 1,2°"}
    decoded = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    np.testing.assert_array_equal(decoded, _image())


def test_bad_keyword_and_non_png_are_rejected():
    with pytest.raises(ValueError):
        snapshot.encode_png(_image(), {"": "x"})
    with pytest.raises(ValueError, match="not a PNG"):
        snapshot.png_read_text(b"GIF89a....")


def test_write_snapshot_files_and_metadata(tmp_path):
    folder = tmp_path / "session"
    files = snapshot.write_snapshot(_image(), _record(), folder)
    assert files.png.parent == folder and files.png.suffix == ".png"
    assert files.sidecar == files.png.with_suffix(".json")
    texts = snapshot.png_read_text(files.png.read_bytes())
    assert json.loads(texts[snapshot.KEY_METRICS])["shoulder_tilt"]["median"] == 1.25
    assert texts[snapshot.KEY_VIEW] == "front"
    assert texts["Software"] == f"posture_cam {__version__}"
    assert texts["Creation Time"] == "2025-01-02T03:04:05+00:00"
    assert json.loads(texts[snapshot.KEY_RECORD]) == json.loads(files.sidecar.read_text())
    record = json.loads(files.sidecar.read_text())
    for key in (
        "schema",
        "time",
        "app",
        "model",
        "view",
        "source",
        "privacy",
        "calibration_profile",
        "metrics",
        "quality",
        "note",
    ):
        assert key in record
    assert record["privacy"] == "blur_face"
    # A second snapshot in the same second never overwrites the first.
    again = snapshot.write_snapshot(_image(), _record(), folder, stem=files.png.stem)
    assert again.png != files.png and files.png.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [files.png.name, files.sidecar.name, again.png.name, again.sidecar.name]
    )


def test_failed_write_leaves_no_temp_files(tmp_path, monkeypatch):
    folder = tmp_path / "s"

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match="disk full"):
        snapshot.write_snapshot(_image(), _record(), folder)
    assert list(folder.iterdir()) == []


def test_record_hashes_the_model_file(tmp_path):
    model = tmp_path / "pose_landmarker_full.task"
    model.write_bytes(b"abc")
    record = snapshot.build_record(
        metrics={},
        quality={},
        view="left",
        source="x.mp4",
        privacy="none",
        model_path=model,
        calibration_profile="clinic",
    )
    assert record["model"]["file"] == "pose_landmarker_full.task"
    assert record["model"]["sha256"] == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert record["calibration_profile"] == "clinic"


def test_session_folders_are_unique_and_under_the_data_dir(tmp_path):
    now = dt.datetime(2025, 5, 6, 7, 8, 9)
    first = snapshot.new_session_dir(now=now)
    assert first.parent == snapshot.paths.sessions_dir()
    assert first.name == "2025-05-06_070809"
    custom = snapshot.new_session_dir(tmp_path, now=now)
    custom.mkdir()
    assert snapshot.new_session_dir(tmp_path, now=now).name == "2025-05-06_070809_2"


def test_a_value_from_points_that_still_rests_on_the_model_is_a_proxy():
    # A tragus placed by hand with C7 estimated from the trunk: the corrected snapshot
    # said proxy false, where `analyze --point` says true.
    def record(on_model):
        return snapshot.build_record(
            metrics={
                "cva": {"median": 47.05, "unit": "deg", "status": "outside", "source": "point"},
                "pelvic_tilt_sagittal": {"median": None, "unit": "deg", "source": "model"},
            },
            quality={},
            view="right",
            source="photo.jpg",
            privacy="none",
            model_path=None,
            calibration_profile=None,
            on_model=on_model,
        )["metrics"]

    assert record(["cva"])["cva"]["proxy"] is True
    assert record([])["cva"]["proxy"] is False  # tragus and C7 both placed
    assert record(["cva"])["pelvic_tilt_sagittal"]["proxy"] is False  # nothing measured
