"""Analysing one input: a photo or a video through a pipeline, into an
:class:`~posture_cam.batch.results.InputReport`, with its annotated output.

A :class:`InputRunner` owns the pipelines of one process (a fresh VIDEO-mode pipeline
per video, one IMAGE-mode pipeline for every photo) and analyses one input at a time;
:mod:`posture_cam.batch.analysis` hands it the inputs, in this process or in a pool.

``--out`` writes an annotated PNG per photo and an annotated MP4 (mp4v) per video
through :mod:`posture_cam.atomic`: a PNG must decode and a video must re-open with every
frame before it replaces an existing file; otherwise the old file stays and the input
reports an ``output_error`` (exit code 9). Two inputs with the same name get distinct
outputs (``pic_annotated.png``, ``pic_2_annotated.png``: :func:`output_names`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture_cam.atomic import atomic_path, write_bytes_atomic
from posture_cam.batch.results import InputReport
from posture_cam.batch.serialize import frame_result_to_json
from posture_cam.capture.averaging import AveragedCapture
from posture_cam.capture.hand_points import with_hand_points
from posture_cam.capture.photo import photo_stats
from posture_cam.config import PipelineConfig
from posture_cam.errors import InputError, OutputError, PostureCamError
from posture_cam.i18n import _
from posture_cam.pipeline import Pipeline
from posture_cam.sources import VIDEO_SUFFIXES, FrameSource, open_source, prefetch
from posture_cam.types import FrameResult


class _Annotator:
    """The overlay renderer, shared by all inputs and built at the first annotated frame:
    a run without ``--out`` never imports it (about 30 ms) nor builds it."""

    def __init__(self) -> None:
        self._renderer: Any = None

    def __call__(self, result: FrameResult) -> Any:
        if self._renderer is None:
            from posture_cam.overlay import OverlayRenderer

            self._renderer = OverlayRenderer()
        return self._renderer.render(result.frame.image_bgr, result)


#: What analysing one input gives: its report (None when it could not be opened) and the
#: errors to report for it.
Outcome = tuple[InputReport | None, list[PostureCamError]]


class InputRunner:
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

    def run(self, path: str, target: Path | None) -> Outcome:
        """Analyse ``path``, writing its annotated output to ``target`` (None: none)."""
        try:
            source = open_source(path)
        except PostureCamError as exc:
            return None, [exc]
        with source, _input_refused() as refused:
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
        if refused:
            return None, refused
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


def output_names(paths: list[str | Path], out: Path | None) -> list[Path | None]:
    """One annotated-output path per input; equal names get ``_2``, ``_3`` ... so that
    ``a/pic.jpg`` and ``b/pic.jpg`` never overwrite each other's result."""
    if out is None:
        return [None] * len(paths)
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
    image = cv2.imdecode(np.fromfile(str(path), dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    return None if image is not None else _("the PNG does not decode")


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


@contextlib.contextmanager
def _input_refused() -> Iterator[list[PostureCamError]]:
    """Collect an :class:`InputError` the pipeline raises for this input (a ``--point``
    outside the picture) instead of letting it end the whole run: other inputs go on."""
    refused: list[PostureCamError] = []
    try:
        yield refused
    except InputError as exc:
        refused.append(exc)


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
        # Each number with the ± a visit would store for this photo (one computation).
        stats = photo_stats(result, pipeline.applied_calibration)
        frames.append(frame_result_to_json(result, landmarks=keep_landmarks, stats=stats))
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
        source.source_id,
        "image",
        tuple(frames),
        output=output,
        output_error=output_error,
        models=pipeline.landmark_models,
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
        models=pipeline.landmark_models,
        # With --point, the ± of the numbers from those points gets their placement part.
        aggregate=with_hand_points(
            capture.summary(), capture.hand_point_frames, pipeline.applied_calibration
        ),
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
