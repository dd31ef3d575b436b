"""bench/app_latency.py fails fast, with one line, when its input is missing (it used to
wait forever when ``../shared`` was not beside the checkout)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "app_latency.py"


@pytest.mark.parametrize("missing", ["video", "model"])
def test_missing_input_is_one_line_and_exit_2(tmp_path, missing):
    video = tmp_path / "clip.mp4"
    model = tmp_path / "pose.task"
    (model if missing == "video" else video).write_bytes(b"present")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTURE_CAM_TEST_")} | {
        "QT_QPA_PLATFORM": "offscreen"
    }
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--video", str(video), "--model", str(model)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert time.monotonic() - t0 < 30
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = proc.stderr.strip().splitlines()
    wanted = video if missing == "video" else model
    assert "not found" in line and str(wanted) in line
    assert ("--video" if missing == "video" else "--model") in line
