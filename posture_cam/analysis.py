"""Batch analysis of photos and videos: the engine behind ``posture-cam analyze`` and
the Python API :func:`analyze`.

Photos run in IMAGE mode (each independent); a video runs in VIDEO mode with its own
landmarker (timestamps restart per video) and smoothing. ``--out`` writes an
annotated PNG per photo and an annotated MP4 (mp4v) per video through
:mod:`posture_cam.atomic`: a PNG must decode and a video must re-open with every frame
before it replaces an existing file; otherwise the old file stays and the input
reports an ``output_error`` (exit code 9). Two inputs with the same name get distinct
outputs (``pic_annotated.png``, ``pic_2_annotated.png``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import cv2

from posture_cam.atomic import atomic_path, ensure_dir, remove_stale_temps, write_bytes_atomic
from posture_cam.capture import AveragedCapture
from posture_cam.config import PipelineConfig
from posture_cam.errors import InputError, OutputError, PostureCamError
from posture_cam.i18n import _
from posture_cam.jobs import run_in_processes
from posture_cam.pipeline import Pipeline, load_calibration
from posture_cam.pose import RUNTIME_MODULES
from posture_cam.pose.model_store import resolve_model
from posture_cam.results import AnalysisReport, InputReport
from posture_cam.serialize import frame_result_to_json
from posture_cam.sources import FrameSource, expand_inputs, open_source, prefetch, probe_video
from posture_cam.types import FrameResult


class _Annotator:
    """Lazily built overlay renderer shared by all inputs."""

    def __init__(self) -> None:
        self._renderer: Any = None

    def __call__(self, result: FrameResult) -> Any:
        if self._renderer is None:
            from posture_cam.overlay import OverlayRenderer

            self._renderer = OverlayRenderer()
        return self._renderer.render(result.frame.image_bgr, result)


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
        jobs: inputs analysed at once, each in its own process with its own pipeline
            (spawned, so no state is shared); the report is in input order and
            identical to ``jobs=1``.

    Raises:
        ModelError: no pose model (nothing can be analysed).
        CalibrationError: the named profile is unusable.
    """
    config = config or PipelineConfig()
    paths = list(paths)
    out = Path(out_dir) if out_dir else None
    if out is not None:
        ensure_dir(out)  # fail before minutes of analysis, not after
        remove_stale_temps(out)
    targets = _output_names(paths, out)
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
        runner = _Runner(config, calibration, max_frames, keep_landmarks, on_result)
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


#: What every worker of ``--jobs N`` needs, imported once (see ``posture_cam.jobs``).
POOL_PRELOAD = ("posture_cam.analysis", *RUNTIME_MODULES)

#: Work of one photo in video frames (two inferences: the photo and its mirror image,
#: plus the model's set-up for a new input).
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


#: What analysing one input gives: its report (None when it could not be opened) and the
#: errors to report for it.
_Outcome = tuple[InputReport | None, list[PostureCamError]]


class _Runner:
    """Analyses one input at a time with the pipelines it owns (one runner per process)."""

    def __init__(
        self,
        config: PipelineConfig,
        calibration: Any,
        max_frames: int | None,
        keep_landmarks: bool,
        on_result: Callable[[str, FrameResult], None] | None = None,
    ) -> None:
        self.config, self.calibration = config, calibration
        self.max_frames, self.keep_landmarks, self.on_result = max_frames, keep_landmarks, on_result
        self._annotate = _Annotator()
        self._image_pipeline: Pipeline | None = None

    def run(self, path: str, target: Path | None) -> _Outcome:
        try:
            source = open_source(path)
        except PostureCamError as exc:
            return None, [exc]
        with source:
            if source.is_stream:
                with Pipeline.open(self.config, "video", self.calibration) as pipeline:
                    rep = _run_video(
                        source,
                        pipeline,
                        target,
                        self.max_frames,
                        self._annotate,
                        self.keep_landmarks,
                        self.on_result,
                    )
            else:
                if self._image_pipeline is None:
                    self._image_pipeline = Pipeline.open(self.config, "image", self.calibration)
                self._image_pipeline.reset()
                rep = _run_image(
                    source,
                    self._image_pipeline,
                    target,
                    self._annotate,
                    self.keep_landmarks,
                    self.on_result,
                )
        errors: list[PostureCamError] = []
        if rep.error:
            errors.append(InputError(path, rep.error))
        if rep.output_error:
            errors.append(OutputError(target or "", rep.output_error))
        return rep, errors

    def close(self) -> None:
        if self._image_pipeline is not None:
            self._image_pipeline.close()
            self._image_pipeline = None


def _run_here(runner: _Runner, tasks: list[tuple[str, Path | None]]) -> Iterator[_Outcome]:
    try:
        for path, target in tasks:
            yield runner.run(path, target)
    finally:
        runner.close()


# One runner per worker process, made by the pool's initializer.
_WORKER: _Runner | None = None


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
    _WORKER = _Runner(config, calibration, max_frames, keep_landmarks)


def _pool_work(task: tuple[str, Path | None]) -> _Outcome:
    assert _WORKER is not None, "the pool initializer did not run"
    return _WORKER.run(*task)


def analyze(path: str | Path, **config_fields: Any) -> AnalysisReport:
    """Python API: analyse one photo, video or folder, e.g. ``analyze("clip.mp4", view="left")``.

    Keyword arguments are :class:`PipelineConfig` fields. Raises ``InputError`` for a
    bad input instead of skipping it.
    """
    inputs, errors = expand_inputs([str(path)])
    if errors:
        raise errors[0]
    failures: list[PostureCamError] = []
    report = analyze_inputs(inputs, PipelineConfig(**config_fields), on_error=failures.append)
    if failures:
        raise failures[0]
    return report


def _with_model(config: PipelineConfig, model: Path) -> PipelineConfig:
    import dataclasses

    return dataclasses.replace(config, model_path=str(model))


def _output_names(paths: list[str | Path], out: Path | None) -> list[Path | None]:
    """One annotated-output path per input; equal names get ``_2``, ``_3`` ... so that
    ``a/pic.jpg`` and ``b/pic.jpg`` never overwrite each other's result."""
    if out is None:
        return [None] * len(paths)
    from posture_cam.sources import VIDEO_SUFFIXES

    used: set[str] = set()
    names: list[Path | None] = []
    for path in paths:
        p = Path(path)
        ext = ".mp4" if p.suffix.lower() in VIDEO_SUFFIXES else ".png"
        stem, n = p.stem, 2
        while f"{stem}_annotated{ext}" in used:
            stem, n = f"{p.stem}_{n}", n + 1
        used.add(f"{stem}_annotated{ext}")
        names.append(out / f"{stem}_annotated{ext}")
    return names


def _png_decodes(path: Path) -> str | None:
    import numpy as np

    image = cv2.imdecode(np.fromfile(str(path), dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    return None if image is not None else "the PNG does not decode"


def _video_has(expected_frames: list[int]):
    """Verifier: the MP4 re-opens and holds every frame that was written."""

    def check(path: Path) -> str | None:
        cap = cv2.VideoCapture(str(path))
        try:
            if not cap.isOpened():
                return _("the video does not open")
            count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
            ok = cap.read()[0]
        finally:
            cap.release()
        if not ok:
            return _("the video has no readable frame")
        if count != expected_frames[0]:
            return _("the video holds {count} of {expected} frames").format(
                count=count, expected=expected_frames[0]
            )
        return None

    return check


def _run_image(
    source: FrameSource,
    pipeline: Pipeline,
    target: Path | None,
    annotate: _Annotator,
    keep_landmarks: bool,
    on_result: Callable[[str, FrameResult], None] | None = None,
) -> InputReport:
    frames: list[dict[str, Any]] = []
    output = output_error = None
    for frame in source:
        result = pipeline.process(frame)
        frames.append(frame_result_to_json(result, landmarks=keep_landmarks))
        if on_result is not None:
            on_result(source.source_id, result)
        if target is not None:
            ok, png = cv2.imencode(".png", annotate(result))
            try:
                if not ok:
                    raise OutputError(target, _("OpenCV could not encode the PNG"))
                write_bytes_atomic(target, png.tobytes(), verify=_png_decodes)
                output = str(target)
            except OutputError as exc:
                output_error = _problem(exc)
    return InputReport(
        source.source_id, "image", tuple(frames), output=output, output_error=output_error
    )


def _run_video(
    source: FrameSource,
    pipeline: Pipeline,
    target: Path | None,
    max_frames: int | None,
    annotate: _Annotator,
    keep_landmarks: bool,
    on_result: Callable[[str, FrameResult], None] | None = None,
) -> InputReport:
    frames: list[dict[str, Any]] = []
    output = output_error = error = None
    capture = AveragedCapture()
    written = [0]
    try:
        with contextlib.ExitStack() as stack:
            writer = None
            try:
                for frame in prefetch(source):
                    if max_frames is not None and frame.index >= max_frames:
                        break
                    result = pipeline.process(frame)
                    frames.append(frame_result_to_json(result, landmarks=keep_landmarks))
                    capture.add(result)
                    if on_result is not None:
                        on_result(source.source_id, result)
                    if target is not None:
                        if writer is None:
                            tmp = stack.enter_context(
                                atomic_path(target, verify=_video_has(written))
                            )
                            writer = _open_writer(tmp, target, source, frame.resolution_wh)
                        writer.write(annotate(result))
                        written[0] += 1
            finally:
                if writer is not None:
                    writer.release()
        if written[0]:
            output = str(target)
    except OutputError as exc:
        output_error = _problem(exc)
    if source.error and not (max_frames is not None and len(frames) >= max_frames):
        error = source.error
    return InputReport(
        source.source_id,
        "video",
        tuple(frames),
        fps=source.fps,
        aggregate=capture.summary(),
        output=output,
        error=error,
        output_error=output_error,
    )


def _open_writer(tmp: Path, target: Path, source: FrameSource, size_wh: tuple[int, int]) -> Any:
    fps = source.fps or 30.0
    writer = cv2.VideoWriter(str(tmp), cv2.VideoWriter.fourcc(*"mp4v"), fps, size_wh)
    if not writer.isOpened():
        raise OutputError(
            target, _("cannot write an MP4 video here"), _("choose another --out folder")
        )
    return writer


def _problem(exc: OutputError) -> str:
    return exc.problem + (f" ({exc.hint})" if exc.hint else "")
