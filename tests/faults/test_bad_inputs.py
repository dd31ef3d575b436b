"""A generator of bad input files, all through one ``analyze`` call: each bad file is one
line on stderr naming it (exit 2), the good input is still analysed, no traceback.

Tests run as root in CI, where ``chmod 000`` does not stop reading; a file without read
permission is therefore checked twice: as root (it is read, as root may) and with the
operating system's answer simulated (``PermissionError`` from ``open``), which is what
every other user gets.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from posture_cam.capture.snapshot import PNG_SIGNATURE, _chunk
from posture_cam.errors import InputError
from posture_cam.sources import expand_inputs, open_source
from tests._helpers import own_stderr_lines
from tests.faults._helpers import assert_no_traceback


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width x height`` with almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 16)
    return PNG_SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def make_bad_files(folder: Path, photo: Path, video: Path) -> dict[str, Path]:
    """name -> path of each kind of bad input (and the tool-free ones only)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(8)
    bad: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        (folder / name).write_bytes(data)
        bad[name] = folder / name

    put("empty.jpg", b"")
    put("random.jpg", rng.integers(0, 256, 20_000, dtype=np.uint8).tobytes())
    put("random.mp4", rng.integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    put("truncated.jpg", photo.read_bytes()[:200])
    data = video.read_bytes()
    put("truncated.mp4", data[: len(data) // 5])
    put("huge_header.png", _png_header_only(100_000, 100_000))
    put("notes.txt", b"not an image")
    fifo = folder / "pipe.jpg"
    os.mkfifo(fifo)
    bad["pipe.jpg"] = fifo
    (folder / "loop_a.jpg").symlink_to(folder / "loop_b.jpg")
    (folder / "loop_b.jpg").symlink_to(folder / "loop_a.jpg")
    bad["loop_a.jpg"] = folder / "loop_a.jpg"
    bad["missing.jpg"] = folder / "missing.jpg"
    return bad


def make_odd_good_files(folder: Path, photo: Path) -> dict[str, Path]:
    """Unusual but valid images: analysed (maybe without a person), never an error."""
    folder.mkdir(parents=True, exist_ok=True)
    image = cv2.imread(str(photo))
    odd = {
        "one_pixel.png": np.zeros((1, 1, 3), np.uint8),
        "sixteen_bit.png": (image.astype(np.uint16) * 257),
        "gray.png": cv2.cvtColor(image, cv2.COLOR_BGR2GRAY),
    }
    out = {}
    for name, pixels in odd.items():
        cv2.imwrite(str(folder / name), pixels)
        out[name] = folder / name
    if shutil.which("convert"):  # ImageMagick makes the CMYK JPEG phones/print tools do
        subprocess.run(
            ["convert", str(photo), "-colorspace", "CMYK", str(folder / "cmyk.jpg")], check=True
        )
        out["cmyk.jpg"] = folder / "cmyk.jpg"
    return out


@pytest.mark.media
def test_bad_files_are_one_line_each_and_good_inputs_survive(run_cli, media, tmp_path):
    photo = media("images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg")
    video = media("videos/video_tfjs_pose_1_woman_dancing_frontal_4s.mp4")
    bad = make_bad_files(tmp_path / "bad", photo, video)
    odd = make_odd_good_files(tmp_path / "odd", photo)
    proc = run_cli(
        "analyze",
        "--fast",
        "--json",
        str(photo),
        *map(str, bad.values()),
        *map(str, odd.values()),
        timeout=600,
    )
    assert_no_traceback(proc)
    assert proc.returncode == 2
    # Only our lines: no FFmpeg messages ("[mov,mp4,... @ 0x...] moov atom not found")
    # before them. MediaPipe's C++ log (absl: "W0000 00:00:..."), which appears now and
    # then, has no switch in the Tasks API and is left alone.
    ours = own_stderr_lines(proc.stderr)
    assert all(line.startswith("posture-cam: ") for line in ours), proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("posture-cam: error:")]
    for name, path in bad.items():
        mine = [line for line in errors if str(path) in line]
        assert len(mine) == 1, (name, errors)
    doc = json.loads(proc.stdout)
    analysed = {Path(p["source"]).name: p for p in doc["inputs"] if "error" not in p}
    assert analysed[photo.name]["frames"][0]["person_found"]
    assert set(odd) <= set(analysed)
    # The truncated video is analysed as far as it decodes, and says so.
    truncated = [line for line in errors if "truncated.mp4" in line]
    assert "not a readable video" in truncated[0] or "truncated" in truncated[0]


def test_a_truncated_video_is_reported_not_silently_shortened(run_cli, tmp_path):
    """The header announces 120 frames, 22 decode: exit 2 and one line saying so."""
    full = tmp_path / "full.avi"
    writer = cv2.VideoWriter(str(full), cv2.VideoWriter_fourcc(*"MJPG"), 30, (320, 240))
    for i in range(120):
        writer.write(np.full((240, 320, 3), 2 * i, np.uint8))
    writer.release()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 5])
    proc = run_cli("analyze", "--json", str(cut))
    assert_no_traceback(proc)
    assert proc.returncode == 2, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if "truncated" in x)
    assert str(cut) in line and "of 120 frames" in line
    assert json.loads(proc.stdout)["inputs"][0]["frame_count"] < 120


def test_permission_denied_is_one_clear_error(tmp_path, monkeypatch):
    photo = tmp_path / "p.jpg"
    cv2.imwrite(str(photo), np.zeros((8, 8, 3), np.uint8))
    folder = tmp_path / "locked"
    folder.mkdir()
    photo.chmod(0)
    folder.chmod(0)
    try:
        if os.geteuid() == 0:
            # As root the modes do not stop reading: the file opens normally.
            assert open_source(photo).frame_count == 1

        def denied(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(np, "fromfile", denied)
        with pytest.raises(InputError, match="permission denied"):
            open_source(photo)
        monkeypatch.setattr(Path, "iterdir", denied)
        inputs, errors = expand_inputs([folder])
        assert inputs == [] and "permission denied" in str(errors[0])
    finally:
        photo.chmod(0o600)
        folder.chmod(0o700)


def test_a_folder_without_photos_says_what_to_name_instead(tmp_path):
    # The shared media folder holds only sub-folders: before, the line did not say
    # that they are not searched.
    parent = tmp_path / "images"
    (parent / "front").mkdir(parents=True)
    (parent / "front" / "a.jpg").write_bytes(b"")
    empty = tmp_path / "empty"
    empty.mkdir()
    inputs, errors = expand_inputs([parent, empty])
    assert inputs == []
    assert [str(e) for e in errors] == [
        f"{parent}: folder contains no images or videos (its sub-folders are not searched: "
        "name them)",
        f"{empty}: folder contains no images or videos (name a folder that holds photos or videos)",
    ]


def test_a_photo_as_home_source_is_one_line_not_an_endless_wait(run_cli, media):
    # Home mode captures after 2 s of still frames; a photo is one frame, and the window
    # said "Hold still… 2" for ever. Refused before any window opens (no display here).
    photo = media("images/upper_body_webcamlike/upper_bgm_0001_img_woman_head_shoulders.png")
    proc = run_cli("home", "--source", str(photo), env={"DISPLAY": "", "QT_QPA_PLATFORM": ""})
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"posture-cam: error: {photo}: a photo cannot be a home check (it needs 2 s of video) "
        "(use the camera or a video; `posture-cam analyze PHOTO` measures a photo)"
    )


def test_max_frames_zero_is_a_usage_error(run_cli, tmp_path):
    proc = run_cli("analyze", "--max-frames", "0", str(tmp_path))
    assert proc.returncode == 2 and "--max-frames: must be at least 1" in proc.stderr


def test_when_every_input_is_bad_no_model_is_looked_for(run_cli, tmp_path):
    """A mistyped path is the only line: the model is not resolved (no download or
    offline build of a model for nothing; here a missing --model would be a second
    error line and exit 4)."""
    missing = tmp_path / "no_such_photo.jpg"
    proc = run_cli("analyze", "--model", str(tmp_path / "no_model.task"), str(missing))
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert errors == [f"posture-cam: error: {missing}: no such file or folder (check the path)"]
    assert "model" not in proc.stderr
    assert_no_traceback(proc)
