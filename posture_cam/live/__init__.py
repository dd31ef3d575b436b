"""The live path without Qt: from a camera or video to drawn results, frame by frame.

* :mod:`~posture_cam.live.loop` — :func:`live_events`, the generator that opens the
  source and the pipeline, runs the stages below and yields events;
* :mod:`~posture_cam.live.events` — what it yields and takes (results, errors, the
  settings snapshots, render options);
* :mod:`~posture_cam.live.feeds` — the camera and video feeds, which keep only the newest
  frame (late frames are dropped, never queued);
* :mod:`~posture_cam.live.inference` — the pose model on a thread of its own, pipelined
  into the model's process;
* :mod:`~posture_cam.live.freshness` — the skip rule for an estimator that takes one
  frame at a time (a pipelined model process applies it itself);
* :mod:`~posture_cam.live.level` — the camera-level reading, at the lowest priority.

The app's worker thread (:mod:`posture_cam.ui.live_worker`) iterates
:func:`live_events` and emits what it yields; tests and benchmarks iterate it directly.
"""

from posture_cam.live.events import (
    LiveEnded,
    LiveError,
    LiveEvent,
    LiveResult,
    LiveSettings,
    RenderOptions,
    SettingsSnapshot,
    SourceInfo,
    fit_size,
    model_label,
)
from posture_cam.live.loop import (
    LEVEL_INTERVAL_S,
    PipelineFactory,
    Renderer,
    RendererFactory,
    SourceFactory,
    default_pipeline_factory,
    default_renderer_factory,
    default_source_factory,
    draw_live,
    live_events,
)

__all__ = [
    "LEVEL_INTERVAL_S",
    "LiveEnded",
    "LiveError",
    "LiveEvent",
    "LiveResult",
    "LiveSettings",
    "PipelineFactory",
    "RenderOptions",
    "Renderer",
    "RendererFactory",
    "SettingsSnapshot",
    "SourceFactory",
    "SourceInfo",
    "default_pipeline_factory",
    "default_renderer_factory",
    "default_source_factory",
    "draw_live",
    "fit_size",
    "live_events",
    "model_label",
]
