"""The live path without Qt: feeds that drop what is late, and the loop that turns a
source and settings snapshots into drawn results.

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
