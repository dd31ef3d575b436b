"""The home window on fakes: a synthetic person in front of a scripted estimator."""

from __future__ import annotations

from pathlib import Path

from posture_cam.pipeline import Pipeline
from posture_cam.testing import ScriptedEstimator, SyntheticFrameSource, upper_body_pose


def synthetic_source(count: int = 200):
    """A source factory: a person with the right shoulder 3° lower, at 25 fps."""
    pose = upper_body_pose(shoulder_tilt_deg=3.0)
    return lambda spec: SyntheticFrameSource(pose, count=count, fps=25.0)


def home_window(qtbot, export_dir: Path, *, source="synthetic", source_factory=None, poses=None):
    """A shown :class:`HomeWindow` that captures a 3° shoulder tilt after 1 s of hold."""
    from posture_cam.ui.home.home_window import HomeWindow

    poses = poses or [upper_body_pose(shoulder_tilt_deg=3.0)]
    window = HomeWindow(
        source,
        export_dir,
        source_factory=source_factory or synthetic_source(),
        pipeline_factory=lambda config, mode: Pipeline(ScriptedEstimator(poses)),
        hold_s=1.0,
    )
    qtbot.addWidget(window)
    window.show()
    return window
