"""Batch analysis of photos and videos: the engine behind ``posture-cam analyze`` and
the Python API :func:`analyze`.

Photos run in IMAGE mode (each independent); a video runs in VIDEO mode with its own
landmarker (timestamps restart per video) and smoothing. This module chooses the model
and the calibration once, hands the inputs out (here, or ``jobs`` at a time in worker
processes, longest first: :func:`work_estimate`) and gathers the report in input order;
:mod:`posture_cam.batch.one_input` analyses each input and writes its annotated output.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import cv2

from posture_cam.atomic import ensure_dir, remove_stale_temps
from posture_cam.batch.one_input import InputRunner, Outcome, output_names
from posture_cam.batch.results import AnalysisReport, InputReport
from posture_cam.config import PipelineConfig
from posture_cam.errors import PostureCamError
from posture_cam.pipeline import load_calibration
from posture_cam.pose import RUNTIME_MODULES
from posture_cam.pose.model.store import resolve_model
from posture_cam.runtime.process_pool import run_in_processes
from posture_cam.sources import expand_inputs, probe_video
from posture_cam.types import FrameResult


def analyze_inputs(
    paths: Iterable[str | Path],
    config: PipelineConfig | None = None,
    *,
    out_dir: str | Path | None = None,
    max_frames: int | None = None,
    allow_network: bool = True,
    on_error: Callable[[PostureCamError], None] | None = None,
    keep_landmarks: bool = True,
    on_result: Callable[[str, FrameResult], None] | None = None,
    jobs: int = 1,
) -> AnalysisReport:
    """Analyse files, one after another or ``jobs`` at a time.

    Args:
        paths: photo and video files (expand folders first).
        config: pipeline settings; ``config.view`` forces the view.
        out_dir: where to write annotated outputs, or None.
        max_frames: stop each video after this many frames.
        allow_network: may the model manager download a missing model.
        on_error: called with each bad-input error (the input is then skipped), in
            input order.
        keep_landmarks: include the 33 landmarks per frame in the JSON.
        on_result: called with ``(source_id, result)`` for every frame, image included
            (the records store averages and renders captures from them); needs the
            frames in this process, so it runs the inputs one after another.
        jobs: inputs analysed at once, each in a worker process with its own pipeline
            (forked from the fork server, spawned where there is none:
            ``posture_cam.runtime.process_pool``); the report is in input order and
            identical to ``jobs=1``.

    Raises:
        ModelError: no pose model (nothing can be analysed).
        CalibrationError: the named profile is unusable.
    """
    config = config or PipelineConfig()
    paths = list(paths)
    if not paths:
        # Every input was bad (a mistyped path): say only that, and never fetch or
        # build a model (a 35 MB download) for nothing.
        return AnalysisReport((), 0, 0)
    out = Path(out_dir) if out_dir else None
    if out is not None:
        ensure_dir(out)  # fail before minutes of analysis, not after
        remove_stale_temps(out)
    targets = output_names(paths, out)
    model = resolve_model(config.model_path, config.model_variant, allow_network=allow_network)
    config = _with_model(config, model)
    calibration = load_calibration(config.profile) if config.profile else None
    tasks = [(str(p), t) for p, t in zip(paths, targets, strict=True)]
    workers = min(jobs, len(tasks)) if on_result is None else 1
    if workers > 1:
        outcomes = run_in_processes(
            _pool_work,
            tasks,
            workers,
            _pool_init,
            (config, calibration, max_frames, keep_landmarks),
            costs=[work_estimate(p, max_frames) for p in paths],
            preload=POOL_PRELOAD,
        )
    else:
        runner = InputRunner(config, calibration, max_frames, keep_landmarks, on_result)
        outcomes = _run_here(runner, tasks)
    reports: list[InputReport] = []
    failed_inputs = failed_outputs = 0
    for rep, errors in outcomes:
        failed_inputs += int(rep is None or rep.error is not None)
        failed_outputs += int(rep is not None and rep.output_error is not None)
        for exc in errors:
            if on_error:
                on_error(exc)
        if rep is not None:
            reports.append(rep)
    return AnalysisReport(tuple(reports), failed_inputs, failed_outputs)


#: What every worker of ``--jobs N`` needs, imported once (``runtime.process_pool``'s
#: fork server).
POOL_PRELOAD = ("posture_cam.batch.analysis", *RUNTIME_MODULES)

#: Work of one photo in 1-megapixel video frames: up to fourteen passes of the model
#: (the photo, its mirror image and their rotated copies:
#: ``PipelineConfig.rotation_average_deg``; one with ``--fast``) plus its set-up for a
#: new input.
PHOTO_COST_FRAMES = 25.0


def work_estimate(path: str | Path, max_frames: int | None = None) -> float:
    """Estimated work of analysing one input, in 1-megapixel video frames.

    Per frame the model costs the same at any size (it sees a 256x256 crop); decoding
    and colour conversion grow with the pixels (measured on 2 cores: a 1080p frame
    costs about 1.6x a 720p one, hence ``1 + megapixels``). Used to start the longest
    inputs first in a process pool.
    """
    probe = probe_video(path)
    if probe is None:
        return PHOTO_COST_FRAMES
    count, (w, h) = probe
    frames = min(count, max_frames) if max_frames is not None else count
    return frames * (1.0 + w * h / 1e6)


def _run_here(runner: InputRunner, tasks: list[tuple[str, Path | None]]) -> Iterator[Outcome]:
    try:
        for path, target in tasks:
            yield runner.run(path, target)
    finally:
        runner.close()


# One runner per worker process, made by the pool's initializer.
_WORKER: InputRunner | None = None


def _pool_init(
    config: PipelineConfig, calibration: Any, max_frames: int | None, keep_landmarks: bool
) -> None:
    global _WORKER
    # The workers share the cores already: OpenCV's own thread pool in each of them
    # (colour conversion, resizing) and FFmpeg's frame threads (two per video on two
    # cores, read when a video opens) would only oversubscribe them; decoding still runs
    # beside the model in the prefetch thread. Results are the same (bit-exact decoders).
    cv2.setNumThreads(1)
    os.environ.setdefault("OPENCV_FFMPEG_THREADS", "1")
    _WORKER = InputRunner(config, calibration, max_frames, keep_landmarks)


def _pool_work(task: tuple[str, Path | None]) -> Outcome:
    assert _WORKER is not None, "the pool initializer did not run"
    return _WORKER.run(*task)


def analyze(
    path: str | Path, *, max_frames: int | None = None, **config_fields: Any
) -> AnalysisReport:
    """Python API: analyse one photo, video or folder, e.g. ``analyze("clip.mp4", view="left")``.

    ``max_frames`` stops each video after that many frames (``analyze --max-frames``);
    the other keyword arguments are :class:`PipelineConfig` fields. Raises
    ``InputError`` for a bad input instead of skipping it.
    """
    inputs, errors = expand_inputs([str(path)])
    if errors:
        raise errors[0]
    failures: list[PostureCamError] = []
    report = analyze_inputs(
        inputs, PipelineConfig(**config_fields), max_frames=max_frames, on_error=failures.append
    )
    if failures:
        raise failures[0]
    return report


def _with_model(config: PipelineConfig, model: Path) -> PipelineConfig:
    return dataclasses.replace(config, model_path=str(model))
