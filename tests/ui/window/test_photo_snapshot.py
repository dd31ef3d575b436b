"""Space on a photo: the one frame is the whole capture. The sidecar says so (complete,
one frame used, the drawn pose from that frame) and keeps the photo's numbers."""

from __future__ import annotations

import json

import pytest

from posture_cam.app_settings import AppSettings
from posture_cam.config import PipelineConfig
from posture_cam.ui.window.main_window import MainWindow

pytestmark = [pytest.mark.media, pytest.mark.slow]

PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"


def test_a_photo_snapshot_is_one_complete_frame(qtbot, media, model_path, tmp_path) -> None:
    settings = AppSettings(countdown_s=0.0, hold_s=0.5, data_folder=str(tmp_path))
    win = MainWindow(
        str(media(PHOTO)), settings, PipelineConfig(model_path=str(model_path)), persist=False
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.latest is not None, timeout=60_000)
    shown = win.latest.result.metrics["cva"].value
    with qtbot.waitSignal(win.snapshots.saved, timeout=30_000) as blocker:
        win.take_snapshot()
    record = json.loads(blocker.args[0].sidecar.read_text())
    capture = record["capture"]
    assert capture["complete"] is True  # it said false: a 2 s hold never filled by a photo
    assert (capture["frames_seen"], capture["frames_used"]) == (1, 1)
    assert record["image"]["pose_frames"] == 1  # it said 0
    assert len(record["quality"]["per_frame"]) == 1
    assert record["metrics"]["cva"]["median"] == pytest.approx(shown, abs=1e-6)
    worker = win.session.worker
    win.close()
    assert worker is None or worker.wait(2000)
