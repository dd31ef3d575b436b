"""The real main window on a shared video for the records UI tests."""

from __future__ import annotations

import pytest

from posture_cam.app_settings import AppSettings
from posture_cam.config import PipelineConfig
from posture_cam.ui.window.main_window import MainWindow

VIDEO = "videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"


@pytest.fixture
def open_window(qtbot, media, model_path):
    """``open_window(settings)``: the window on the frontal video at half speed, closed
    (and its worker joined) after the test."""
    opened = []

    def make(settings: AppSettings):
        win = MainWindow(
            str(media(VIDEO)),
            settings,
            PipelineConfig(model_path=str(model_path)),
            persist=False,
            speed=0.5,
        )
        qtbot.addWidget(win)
        win.resize(1400, 820)
        win.show()
        opened.append(win)
        return win

    yield make
    for win in opened:
        worker = win.session.worker
        win.close()
        if worker is not None:
            assert worker.wait(2000)
