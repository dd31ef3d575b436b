"""The model's process started early, while the app still starts (no Qt).

:func:`start_early` (or :func:`start_early_for`, from a pipeline's configuration) starts
a child and loads the model in the background while the app is still importing and
building its window; the first :class:`~posture_cam.pose.process.ProcessEstimator`
adopts it (:func:`take_spare`). At most one such spare child waits at a time;
:func:`discard_spare` stops one that nobody adopted.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from posture_cam.config import PipelineConfig
from posture_cam.errors import PostureCamError
from posture_cam.pose.process_link import WARM_UP_WH, ModelChild, estimator_options

_spare_lock = threading.Lock()
_spare: ModelChild | None = None
_spare_thread: threading.Thread | None = None


def start_early(model_path: str | Path, **options: Any) -> None:
    """Start a child and load the model in the background (returns at once).

    The app calls this first thing, so that importing MediaPipe and loading the model
    overlap the app's own start-up; the next
    :class:`~posture_cam.pose.process.ProcessEstimator` adopts the
    child (re-opening the model there if its options differ). A no-op when a child is
    already waiting. A failure here is ignored: the estimator then starts its own
    child and reports the error.

    Args:
        model_path: the resolved ``.task`` file.
        **options: :class:`~posture_cam.pose.estimator.PoseEstimator` keyword arguments
            (see :func:`~posture_cam.pose.process_link.estimator_options`).
    """
    global _spare_thread
    wanted = estimator_options(model_path, **options)
    with _spare_lock:
        if _spare is not None or _spare_thread is not None:
            return
        _spare_thread = threading.Thread(
            target=_start_spare, args=(wanted,), name="pose-process-start", daemon=True
        )
        _spare_thread.start()


def start_early_for(config: PipelineConfig, mode: str = "video") -> None:
    """:func:`start_early` for the model and options ``config`` names, when the model
    is already on this machine (a model still to be downloaded is left to the
    estimator, which shows its progress)."""
    from posture_cam.pose.model.store import resolve_model

    try:
        model = resolve_model(
            config.model_path, config.model_variant, allow_network=False, allow_build=False
        )
    except PostureCamError:
        return
    start_early(model, mode=mode, **config.estimator_options())


def _start_spare(options: dict[str, Any]) -> None:
    global _spare
    try:
        child = ModelChild()
        child.send_open(options, WARM_UP_WH)
    except Exception:  # best effort: the estimator starts its own child and reports
        return
    with _spare_lock:
        _spare = child


def take_spare() -> ModelChild | None:
    """The early-started child, once it has started; None when there is none."""
    global _spare, _spare_thread
    with _spare_lock:
        thread = _spare_thread
    if thread is not None:
        thread.join()
    with _spare_lock:
        child, _spare, _spare_thread = _spare, None, None
    if child is not None and not child.process.is_alive():
        child.stop(0.0)
        return None
    return child


def discard_spare() -> None:
    """Stop an early-started child that no estimator adopted (tests; in the app an
    unadopted child ends with the app: EOF on its pipe, a daemon process)."""
    child = take_spare()
    if child is not None:
        child.stop()
