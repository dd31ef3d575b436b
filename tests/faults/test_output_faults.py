"""Outputs that cannot be written: exit 9 with one line naming the path, the previous
file untouched, nothing half-written left behind, and never a traceback.

A *real* full disk is a small tmpfs mounted for the test; that needs root (CI runs as
root). Elsewhere the test skips and says why, except under CI (``CI`` set), where a
tmpfs that cannot be mounted fails the test: CI must run it, never skip it silently. A
read-only folder uses chmod, which root ignores, so as root a read-only tmpfs is
mounted instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from tests.faults._helpers import assert_no_traceback

PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
VIDEO = "videos/video_sports2d_demo3_woman_running_side_1.6s.mp4"


def _cannot(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI: {reason}; CI runs as root so that this test runs")
    pytest.skip(reason)


@contextlib.contextmanager
def tmpfs(mountpoint: Path, size: str, read_only: bool = False):
    """Mount a tmpfs (root only); skip the test with the reason when that is impossible
    (fail it under CI)."""
    if os.geteuid() != 0:
        _cannot("mounting a tmpfs for a real full / read-only disk needs root")
    mountpoint.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if read_only else "")
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        _cannot(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(folder: Path, leave_bytes: int) -> None:
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(folder / "filler", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave_bytes))


@pytest.mark.media
def test_full_disk_keeps_the_good_outputs_and_exits_9(run_cli, media, tmp_path):
    with tmpfs(tmp_path / "disk", "4m") as disk:
        out = disk / "out"
        first = run_cli("analyze", "--fast", "--out", str(out), media(PHOTO), media(VIDEO))
        assert first.returncode == 0, first.stderr
        good = {p.name: _sha(p) for p in out.iterdir()}
        assert len(good) == 2
        _fill(disk, leave_bytes=64 * 1024)
        proc = run_cli("analyze", "--fast", "--out", str(out), media(PHOTO), media(VIDEO))
        assert_no_traceback(proc)
        assert proc.returncode == 9, proc.stderr
        errors = [x for x in proc.stderr.splitlines() if x.startswith("posture-cam: error:")]
        assert len(errors) == 2 and all(str(out) in x for x in errors)
        assert "; 2 outputs NOT written" in proc.stderr, proc.stderr
        # The good files are byte for byte what they were, and nothing else is there.
        assert {p.name: _sha(p) for p in out.iterdir()} == good


@pytest.mark.media
def test_read_only_out_dir_exits_9_before_analysing(run_cli, media, tmp_path):
    if os.geteuid() == 0:
        with tmpfs(tmp_path / "ro", "1m", read_only=True) as ro:
            proc = run_cli("analyze", "--fast", "--out", str(ro / "sub"), media(PHOTO))
    else:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        proc = run_cli("analyze", "--fast", "--out", str(ro / "sub"), media(PHOTO))
    assert_no_traceback(proc)
    assert proc.returncode == 9
    assert proc.stderr.count("\n") == 1 and "cannot write" in proc.stderr


@pytest.mark.media
@pytest.mark.parametrize("case", ["out_is_a_file", "out_below_a_file", "target_is_a_folder"])
def test_output_in_the_way_exits_9(run_cli, media, tmp_path, case):
    photo = media(PHOTO)
    if case == "out_is_a_file":
        out = tmp_path / "o"
        out.write_text("x")
    elif case == "out_below_a_file":
        (tmp_path / "f").write_text("x")
        out = tmp_path / "f" / "sub"
    else:
        out = tmp_path / "o"
        (out / f"{photo.stem}_annotated.png").mkdir(parents=True)
    proc = run_cli("analyze", "--fast", "--out", str(out), photo)
    assert_no_traceback(proc)
    assert proc.returncode == 9, proc.stderr
    assert "in the way" in proc.stderr


@pytest.mark.media
def test_same_names_from_two_folders_get_two_outputs(run_cli, media, tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "pic.png").write_bytes(media(PHOTO).read_bytes())
    out = tmp_path / "out"
    proc = run_cli(
        "analyze", "--fast", "--out", str(out), tmp_path / "a/pic.png", tmp_path / "b/pic.png"
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["pic_2_annotated.png", "pic_annotated.png"]
