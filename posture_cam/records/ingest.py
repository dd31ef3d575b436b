"""Analyse photos and videos into captures for a visit, through the one pipeline
(:func:`posture_cam.batch.analysis.analyze_inputs`).

Per input file one capture: its metrics averaged (median, SD, IQR, n) by
:class:`posture_cam.capture.averaging.AveragedCapture` over the frames that pass the quality gate
(a photo is one frame), its quality checks, the median landmarks, the model file and its
SHA-256, and annotated images in every privacy mode (full, blurred face, skeleton only)
and report language, drawn by the overlay renderer on the frame closest to the median
pose. Nothing is stored here; :meth:`posture_cam.records.store.Store.add_visit` does that
in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from posture_cam.config import MEASURED_VIEWS
from posture_cam.errors import InputError, PostureCamError
from posture_cam.i18n import _, available_languages
from posture_cam.landmarks import LANDMARK_NAMES
from posture_cam.reasons import parts_json
from posture_cam.types import FrameResult

if TYPE_CHECKING:
    from posture_cam.batch.results import InputReport
    from posture_cam.capture_summary import CaptureSummary

#: Languages in which every capture image is drawn (labels on the overlay).
IMAGE_LANGUAGES = available_languages()
#: Views a capture is stored under (a three-quarter or unknown view has no metrics).
RECORD_VIEWS = MEASURED_VIEWS
#: At most this many candidate frames (with pixels) are kept per video.
_MAX_CANDIDATES = 12


class NoPersonError(InputError):
    """An input in which no person was found (nothing is stored)."""

    exit_code = 3


@dataclass
class MetricData:
    metric_id: str
    median: float | None
    sd: float | None
    iqr: float | None
    n: int
    unit: str | None
    status: str
    source: str = "model"
    reason: str | None = None
    uncertainty: float | None = None  # ± of the median (spread and repeatability)
    reasons: list[dict[str, Any]] | None = None  # ``reason`` as codes (reasons.parts_json)


@dataclass
class CaptureData:
    """One analysed capture, ready to be stored.

    Attributes:
        images: ``{(privacy, language): PNG bytes}``.
    """

    view: str
    source_file: str
    kind: str
    metrics: list[MetricData]
    quality: dict[str, Any]
    landmarks: list[list[float] | None] | None
    resolution_wh: list[int] | None
    model_name: str | None
    model_sha256: str | None
    images: dict[tuple[str, str], bytes] = field(default_factory=dict)
    points_audit: list[dict[str, Any]] | None = None
    external_id: str | None = None


class CaptureCollector:
    """Averages the frame results of one input and keeps a few candidate frames.

    Args:
        seconds: complete after this much frame time (the app's capture step), or None
            (a file: every frame).
    """

    def __init__(self, seconds: float | None = None) -> None:
        from posture_cam.capture.averaging import AveragedCapture

        self.gated = AveragedCapture(seconds=seconds)
        self.ungated = AveragedCapture(seconds=seconds, require_quality=False)
        self.landmarks: list[np.ndarray] = []
        self.candidates: list[FrameResult] = []
        self.stride = 1
        self.seen = 0

    def add(self, result: FrameResult) -> None:
        self.gated.add(result)
        self.ungated.add(result)
        if not result.person_found or result.pose_image is None:
            return
        self.landmarks.append(np.asarray(result.pose_image.xy_px, dtype=np.float64))
        if self.seen % self.stride == 0:
            self.candidates.append(result)
            if len(self.candidates) > _MAX_CANDIDATES:
                # Keep every other one and sample half as often: bounded memory, frames
                # still spread over the whole clip.
                self.candidates = self.candidates[::2]
                self.stride *= 2
        self.seen += 1


def analyse_files(
    files: Iterable[str | Path],
    *,
    view: str | None = None,
    profile: str | None = None,
    allow_network: bool = True,
    markers: tuple[str, ...] = (),
    marker_colour: str = "green",
    points: tuple[str, ...] = (),
    model_path: str | None = None,
    on_report: Callable[[InputReport], None] | None = None,
) -> list[CaptureData]:
    """Analyse ``files`` into one capture each; with skin ``markers`` (names, of
    ``marker_colour``) and given ``points`` (``NAME=X,Y``) as ``analyze`` takes them,
    each capture keeps the hand-given points in its audit trail (``points_audit``).
    ``model_path``: the pose model file (``analyze --model``), else the model manager's.
    ``on_report`` is called with each file's analysis (its frames' JSON: the markers
    found) once every file has a capture, before anything is stored.

    Raises:
        InputError: a file is missing, not a photo or video, or unreadable (exit 2).
        NoPersonError: no person was found in a file (exit 3).
        ModelError, CalibrationError: no model / unusable profile.
    """
    from posture_cam.batch.analysis import analyze_inputs
    from posture_cam.capture.snapshot import file_sha256
    from posture_cam.config import PipelineConfig
    from posture_cam.pipeline import pose_model_present, second_model_for
    from posture_cam.pose.model.store import resolve_model
    from posture_cam.sources import expand_inputs

    inputs, errors = expand_inputs([str(f) for f in files])
    if errors:
        raise errors[0]
    if not inputs:
        raise InputError("FILE", _("no photo or video given"))
    config = PipelineConfig(
        view=view,
        profile=profile,
        markers=markers,
        marker_colour=marker_colour,
        points=points,
        model_path=model_path,
    )
    first_use = not pose_model_present(config)
    model = resolve_model(config.model_path, config.model_variant, allow_network=allow_network)
    # As `analyze` does: a first photo fetches the second keypoint model with the pose
    # model; with a pose model present nothing is downloaded.
    second = second_model_for(config, fetch=allow_network and first_use)
    config = dataclasses.replace(
        config, model_path=str(model), second_model_path=str(second) if second else None
    )
    collectors: dict[str, CaptureCollector] = {}
    failures: list[PostureCamError] = []

    def collect(source_id: str, result: FrameResult) -> None:
        collectors.setdefault(source_id, CaptureCollector()).add(result)

    report = analyze_inputs(
        inputs,
        config,
        allow_network=allow_network,
        on_error=failures.append,
        keep_landmarks=False,
        on_result=collect,
    )
    if failures:
        raise failures[0]
    model_sha = file_sha256(model)
    captures = []
    for rep in report.inputs:
        collector = collectors.get(rep.source)
        if collector is None or not collector.landmarks:
            raise NoPersonError(
                rep.source, _("no person found"), _("use a photo or video of the patient")
            )
        # A photo measured with the second keypoint model names both models.
        models = " + ".join(rep.models) or model.name
        capture = build_capture(rep.source, rep.kind, collector, models, model_sha)
        capture.points_audit = points_audit(collector.candidates)
        if capture.points_audit:
            _hand_point_uncertainty(capture, rep)
        captures.append(capture)
    if on_report is not None:
        for rep in report.inputs:
            on_report(rep)
    return captures


def points_audit(results: list[FrameResult]) -> list[dict[str, Any]] | None:
    """The audit trail of the points given on the command line (``--point``), in the
    records' form (the app's point editor writes the same fields): one entry per point
    moved or placed, None when none was given."""
    marked = next((r.markers for r in results if r.markers is not None), None)
    if marked is None or not marked.edits:
        return None
    height = _body_height_px(results)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    entries = []
    for edit in marked.edits:
        moved = edit.moved_px
        fraction = moved / height if moved is not None and height else None
        entries.append(
            {
                "landmark": edit.name,
                "landmark_id": LANDMARK_NAMES.index(edit.name)
                if edit.name in LANDMARK_NAMES
                else None,
                "kind": edit.kind,
                "from_xy": list(edit.before_xy_px) if edit.before_xy_px else None,
                "reference": "model" if edit.before_xy_px else None,
                "reference_xy": list(edit.before_xy_px) if edit.before_xy_px else None,
                "to_xy": [float(v) for v in edit.xy_px],
                "moved_px": moved,
                "moved_fraction_of_height": fraction,
                "steps": 1,
                "by": "--point",
                "at": at,
                "source": "point",
            }
        )
    return entries


def _hand_point_uncertainty(capture: CaptureData, rep: InputReport) -> None:
    """The ± of the capture's numbers from hand-given points, as ``analyze`` gives them
    (placement estimate included: ``capture.photo.photo_stats`` for a photo,
    ``capture.hand_points.with_hand_points`` for a video), not the frame spread alone."""
    if rep.kind == "image":
        frame = rep.frames[0] if rep.frames else {}
        given = {k: m.get("uncertainty") for k, m in (frame.get("metrics") or {}).items()}
    else:
        metrics = rep.aggregate.metrics if rep.aggregate is not None else {}
        given = {k: s.uncertainty for k, s in metrics.items()}
    for metric in capture.metrics:
        if metric.source == "point" and given.get(metric.metric_id) is not None:
            metric.uncertainty = given[metric.metric_id]


def _body_height_px(results: list[FrameResult]) -> float | None:
    from posture_cam.metrics.body import body_height

    for r in results:
        if r.pose_image is not None:
            height = body_height(r.pose_image).height_px
            if height:
                return float(height)
    return None


def build_capture(
    source: str,
    kind: str,
    collector: CaptureCollector,
    model_name: str | None,
    model_sha: str | None,
) -> CaptureData:
    """The capture of what ``collector`` saw (it must have seen a person)."""
    gated = collector.gated.summary()
    summary = gated if gated.capture.ok else collector.ungated.summary()
    with warnings.catch_warnings():
        # A landmark missing in every frame stays NaN (stored as null): not an error.
        warnings.simplefilter("ignore", RuntimeWarning)
        median_xy = np.nanmedian(np.stack(collector.landmarks), axis=0)
    best = _closest(collector.candidates, median_xy)
    metrics = []
    for metric_id, stats in summary.metrics.items():
        frame_metric = best.metrics.get(metric_id)
        metrics.append(
            MetricData(
                metric_id=metric_id,
                median=stats.median,
                sd=stats.sd,
                iqr=stats.iqr,
                n=stats.n_frames,
                unit=stats.unit or (frame_metric.unit if frame_metric else None),
                status=str(stats.status),
                source=str(stats.source or getattr(frame_metric, "source", None) or "model"),
                reason=stats.reason,
                uncertainty=stats.uncertainty,
                reasons=parts_json(stats.reason) or None,
            )
        )
    cap = gated.capture
    quality = {
        "ok": cap.ok,
        "reason": cap.reason,
        "checks": best.quality.to_json()["checks"],
        "frames_seen": cap.frames_seen,
        "frames_used": summary.capture.frames_used,
        "frames_quality_failed": cap.frames_quality_failed,
        "seconds": round(float(cap.seconds), 3),
        # The picture shows the median pose labelled with the medians (``shown_result``);
        # records stored before 1 Dec 2026 show the nearest frame's own values.
        "image": PICTURE_MEDIANS,
    }
    w, h = best.frame.resolution_wh
    view = summary.capture.view or str(best.view.view)
    if view not in RECORD_VIEWS:
        raise InputError(
            source,
            _(
                "the patient is seen in a {view} view, neither square to the camera nor side-on"
            ).format(view=view.replace("_", "-")),
            _("use a photo or video from the front, back or side, or give --view"),
        )
    return CaptureData(
        view=view,
        source_file=Path(source).name,
        kind=kind,
        metrics=metrics,
        quality=quality,
        landmarks=[
            None if not np.all(np.isfinite(p)) else [round(float(p[0]), 2), round(float(p[1]), 2)]
            for p in median_xy
        ],
        resolution_wh=[int(w), int(h)],
        model_name=model_name,
        model_sha256=model_sha,
        images=render_images(shown_result(best, summary, median_xy)),
    )


#: ``quality["image"]`` of a capture whose picture shows its medians (``shown_result``).
PICTURE_MEDIANS = "median pose and values"


def shown_result(best: FrameResult, summary: CaptureSummary, median_xy: np.ndarray) -> FrameResult:
    """What a capture's picture draws, as a snapshot does: the frame nearest the median
    pose, with the median pose as its skeleton and the medians as its values, so the
    picture says what the table says (it said the frame's own "CVA 54.7°" beside a
    median of 54.2°)."""
    shown = dataclasses.replace(best, metrics=summary.as_metrics(best.metrics))
    if best.pose_image is not None:
        shown = dataclasses.replace(shown, pose_image=best.pose_image.with_xy(median_xy))
    return shown


def _closest(candidates: list[FrameResult], median_xy: np.ndarray) -> FrameResult:
    def distance(result: FrameResult) -> float:
        if result.pose_image is None:
            return float("inf")
        d = np.linalg.norm(result.pose_image.xy_px - median_xy, axis=1)
        d = d[np.isfinite(d)]
        return float(d.mean()) if d.size else float("inf")

    return min(candidates, key=distance)


def render_images(result: FrameResult) -> dict[tuple[str, str], bytes]:
    """PNG bytes of the annotated frame per (privacy mode, language)."""
    from posture_cam.overlay import OverlayRenderer

    images = {}
    for language in IMAGE_LANGUAGES:
        for privacy in ("full", "blur", "skeleton"):
            renderer = OverlayRenderer(
                language=language,
                skeleton_only=privacy == "skeleton",
                blur_face=privacy == "blur",
            )
            ok, png = cv2.imencode(".png", renderer.render(result.frame.image_bgr, result))
            if not ok:
                raise InputError(result.frame.source_id, _("cannot encode the annotated image"))
            images[(privacy, language)] = png.tobytes()
    return images
