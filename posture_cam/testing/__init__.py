"""Fakes at the seams, for tests, demos and benchmarks without a camera or a model.

* :func:`standing_pose` is the one synthetic person: all 33 landmarks of an upright
  body in a front, back or side view, with a known shoulder / pelvic tilt, neck angle
  and camera roll, in pixels; :func:`upper_body_pose` frames it like a laptop webcam.
* :func:`demo_result` wraps it in a complete :class:`FrameResult` (a drawn room, metric
  values computed from the synthetic points) for overlay previews and golden images.
* :class:`ScriptedEstimator` returns scripted poses instead of running MediaPipe;
  :class:`SyntheticFrameSource` yields drawn frames (a stick figure) at a fixed rate;
  :class:`StoppingCamera` stops like an unplugged webcam.
* :func:`threads_left` finds threads a test leaked.

The person lives in :mod:`~posture_cam.testing.person`, the demo result in
:mod:`~posture_cam.testing.demo`, the fakes in :mod:`~posture_cam.testing.fakes`;
import them from here.

Nothing here comes from a camera, so golden images and previews hold no patient pixels.
"""

from posture_cam.testing.demo import demo_canvas, demo_metrics, demo_result
from posture_cam.testing.fakes import (
    LIVE_THREAD_NAMES,
    PassThroughRenderer,
    ScriptedEstimator,
    StoppingCamera,
    SyntheticFrameSource,
    threads_left,
)
from posture_cam.testing.person import draw_pose, standing_pose, upper_body_pose

__all__ = [
    "LIVE_THREAD_NAMES",
    "PassThroughRenderer",
    "ScriptedEstimator",
    "StoppingCamera",
    "SyntheticFrameSource",
    "demo_canvas",
    "demo_metrics",
    "demo_result",
    "draw_pose",
    "standing_pose",
    "threads_left",
    "upper_body_pose",
]
