"""Helpers for the window tests: a main window with fakes at the seams (no model, no
camera, no media files)."""

from __future__ import annotations

import time

from posture_cam.app_settings import AppSettings
from posture_cam.config import PipelineConfig
from posture_cam.pipeline import Pipeline
from posture_cam.sources import FrameSource
from posture_cam.testing import (
    PassThroughRenderer,
    ScriptedEstimator,
    StoppingCamera,
    SyntheticFrameSource,
    standing_pose,
)
from posture_cam.ui.window.main_window import MainWindow

POSE = standing_pose((640, 480), "front", shoulder_tilt_deg=3.0)


def fake_pipeline(config: PipelineConfig, mode: str) -> Pipeline:
    return Pipeline(ScriptedEstimator([POSE]), config)


def synthetic_source(spec: str) -> FrameSource:
    if spec.startswith("lose"):
        return StoppingCamera()
    return SyntheticFrameSource(POSE, count=60, fps=30.0)


def make_window(
    qtbot, source="synthetic", config=None, *, window: dict | None = None, **settings
) -> MainWindow:
    """A shown window on the synthetic source with fake pipeline and renderers.

    Args:
        config: the pipeline settings; None: built from the app settings, as the app does.
        window: further ``MainWindow`` keyword arguments (``persist``, a fake builder,
            another renderer factory …).
        settings: ``AppSettings`` fields.
    """
    factories = {
        "source_factory": synthetic_source,
        "pipeline_factory": fake_pipeline,
        "renderer_factory": PassThroughRenderer,
        "export_renderer_factory": PassThroughRenderer,
    }
    win = MainWindow(source, AppSettings(**settings), config, **{**factories, **(window or {})})
    qtbot.addWidget(win)
    win.show()
    return win


def close_and_check(win: MainWindow) -> None:
    worker = win.session.worker
    t0 = time.perf_counter()
    win.close()
    assert time.perf_counter() - t0 < 1.0
    if worker is not None:
        assert worker.isFinished(), "worker thread still running after close"
