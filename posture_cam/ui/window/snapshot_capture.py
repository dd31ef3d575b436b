"""Snapshot flow: countdown -> averaged capture over a hold -> PNG + JSON sidecar.

States: ``idle`` -> ``countdown`` (``countdown_s``, shown as a banner) -> ``hold``
(every live result goes into :class:`~posture_cam.capture.averaging.AveragedCapture` until its
frame time covers ``hold_s``) -> written -> ``idle``. A wall-clock deadline
(``hold_s`` + 1 s) ends the hold for sources that stop delivering (a still image
delivers one result: that one is used).

The exported image is the last frame of the hold, drawn by ``OverlayRenderer(panel=True)``
with the *averaged* metrics in its panel, never mirrored (clinical records are in
camera orientation; labels are anatomical anyway), and filtered for privacy (face blur
or skeleton only). Files are written by :mod:`posture_cam.capture.snapshot` (atomic).

Space saves what is shown: when no frame of the hold passed the quality gate, the
snapshot is still written from every frame with a person, marked "not clinical
quality" with the gate's reasons in the image (a stamped band), in the JSON sidecar
(``clinical_quality``) and in the window's notice. ``strict`` (a setting) keeps the
old behaviour: nothing is saved and the notice says why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from posture_cam.capture import snapshot
from posture_cam.capture.averaging import AveragedCapture
from posture_cam.capture_summary import CaptureSummary
from posture_cam.errors import PostureCamError
from posture_cam.i18n import Text, _, localize, using_language
from posture_cam.live import LiveResult
from posture_cam.overlay.stamp import stamp_warning
from posture_cam.reasons import parts_json
from posture_cam.types import FrameResult

TICK_MS = 100

#: ``(privacy, language) -> renderer`` for the exported image.
ExportRendererFactory = Callable[[str, str], Any]


@dataclass(frozen=True)
class SnapshotContext:
    """What the record needs to know besides the frames (read on the GUI thread)."""

    source: str
    model_path: str | None
    profile: str | None
    privacy: str
    language: str
    folder: Path
    countdown_s: float
    hold_s: float
    require_quality: bool
    strict: bool = False
    #: The models that placed the landmarks (``SourceInfo.landmark_models``).
    landmark_models: tuple[str, ...] = ()


def default_export_renderer(privacy: str, language: str) -> Any:
    from posture_cam.overlay import OverlayRenderer

    return OverlayRenderer(
        panel=True,
        language=language,
        skeleton_only=privacy == "skeleton_only",
        blur_face=privacy == "blur_face",
    )


class SnapshotController(QObject):
    """Runs one snapshot at a time on the GUI thread.

    Args:
        export_renderer_factory: ``(privacy, language) -> renderer`` for the export.
        parent: Qt parent.
    """

    bannerChanged = Signal(str)
    stateChanged = Signal(str)
    saved = Signal(object)  # snapshot.SnapshotFiles
    failed = Signal(str)

    def __init__(
        self,
        export_renderer_factory: ExportRendererFactory = default_export_renderer,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._renderer_factory = export_renderer_factory
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        self.state = "idle"
        self._ctx: SnapshotContext | None = None
        self._capture: AveragedCapture | None = None
        # Every frame with a person, for a snapshot the gate never passed (not strict).
        self._loose: AveragedCapture | None = None
        self._gate_reasons: Counter = Counter()
        self._frames: list[dict[str, Any]] = []
        # Poses of the hold (all with a person / those passing the gate): the image
        # draws their median, the pose the averaged numbers describe.
        self._poses: list[Any] = []
        self._poses_ok: list[Any] = []
        self._last_index = -1
        self._last: FrameResult | None = None
        self._latest_seen: FrameResult | None = None
        self._phase_end = 0.0
        self.last_files: snapshot.SnapshotFiles | None = None
        #: The last snapshot as drawn: its last frame, median pose, averaged metrics.
        self.last_shown: FrameResult | None = None
        #: Why the last saved snapshot is not of clinical quality ([] when it is).
        self.last_quality_reasons: list[str] = []

    @property
    def busy(self) -> bool:
        return self.state != "idle"

    def start(self, ctx: SnapshotContext, latest: FrameResult | None) -> None:
        """Begin the countdown (ignored while a snapshot is running)."""
        if self.busy:
            return
        self._ctx = ctx
        self._latest_seen = latest
        self._set_state("countdown")
        self._phase_end = time.perf_counter() + ctx.countdown_s
        self._timer.start()
        self._on_tick()

    def cancel(self) -> None:
        if self.busy:
            self._timer.stop()
            self._capture = self._loose = None
            self.bannerChanged.emit("")
            self._set_state("idle")

    def add_result(self, live: LiveResult) -> None:
        """Feed every live result (not only painted ones) while holding."""
        self._latest_seen = live.result
        if self.state != "hold" or self._capture is None:
            return
        result = live.result
        if result.frame.index < self._last_index:
            # The source restarted (a video looped): a capture never spans two passes.
            self._begin_hold()
        self._last_index = result.frame.index
        self._record(result)
        if self._capture.is_complete:
            self._finish()

    def _record(self, result: FrameResult) -> None:
        """Account for one result of the hold: its pose, its numbers, its checks."""
        assert self._capture is not None
        if result.pose_image is not None:
            self._poses.append(result.pose_image)
            if result.quality.ok:
                self._poses_ok.append(result.pose_image)
        self._capture.add(result)
        if self._loose is not None:
            self._loose.add(result)
        self._last = result
        failed = [c.id for c in result.quality.failed()]
        if result.person_found:
            for check in result.quality.failed():
                self._gate_reasons[check.reason or check.id] += 1
        self._frames.append(
            {
                "t_ms": round(result.frame.t_ms, 1),
                "person": result.person_found,
                "quality_ok": result.quality.ok,
                "failed_checks": failed,
                "view": str(result.view.view),
            }
        )

    def _set_state(self, state: str) -> None:
        self.state = state
        self.stateChanged.emit(state)

    def _on_tick(self) -> None:
        ctx = self._ctx
        if ctx is None:
            return
        left = self._phase_end - time.perf_counter()
        if self.state == "countdown":
            if left > 0:
                with using_language(ctx.language):
                    self.bannerChanged.emit(_("Snapshot in {n}…").format(n=int(left) + 1))
                return
            self._begin_hold()
            self._set_state("hold")
            left = ctx.hold_s + 1.0
        if self.state == "hold":
            if left > 0:
                with using_language(ctx.language):
                    text = _("Hold still… {n}").format(n=max(1, int(left - 1.0) + 1))
                self.bannerChanged.emit(text)
                return
            if self._capture is not None and self._capture.frames_seen == 0 and self._latest_seen:
                # A still image delivers a single result: it is the whole capture (its
                # pose drawn, its one frame recorded, the capture complete).
                self._capture = AveragedCapture(n_frames=1, require_quality=ctx.require_quality)
                self._loose = AveragedCapture(n_frames=1, require_quality=False)
                self._record(self._latest_seen)
            self._finish()

    def _begin_hold(self) -> None:
        """Start (or restart) the averaged capture window."""
        ctx = self._ctx
        assert ctx is not None
        self._capture = AveragedCapture(seconds=ctx.hold_s, require_quality=ctx.require_quality)
        self._loose = AveragedCapture(seconds=ctx.hold_s, require_quality=False)
        self._gate_reasons = Counter()
        self._frames, self._last = [], None
        self._poses, self._poses_ok, self._last_index = [], [], -1
        self._phase_end = time.perf_counter() + ctx.hold_s + 1.0

    def _finish(self) -> None:
        self._timer.stop()
        self.bannerChanged.emit("")
        capture, loose, ctx, last = self._capture, self._loose, self._ctx, self._last
        self._capture = self._loose = None
        self._set_state("idle")
        if capture is None or ctx is None or last is None:
            with using_language(ctx.language if ctx else "en"):
                why = _("no live image yet")
                self.failed.emit(_("Snapshot not saved: {reason}").format(reason=why))
            return
        summary = capture.summary()
        reasons: list[str] = []
        if not summary.capture.ok:
            fallback = loose.summary() if loose is not None else summary
            if ctx.strict or not fallback.capture.ok:
                with using_language(ctx.language):
                    why = localize(summary.capture.reason or "")
                    self.failed.emit(_("Snapshot not saved: {reason}").format(reason=why))
                return
            summary = fallback
            reasons = [r for r, _n in self._gate_reasons.most_common(3)] or [
                summary.capture.reason or Text("quality gate failed")
            ]
        self.last_quality_reasons = reasons
        try:
            self.last_files = self._write(summary, ctx, last, reasons)
        except (PostureCamError, OSError, ValueError) as exc:
            with using_language(ctx.language):
                self.failed.emit(_("Snapshot not saved: {reason}").format(reason=exc))
            return
        self.saved.emit(self.last_files)

    def _write(
        self, summary: CaptureSummary, ctx: SnapshotContext, last: FrameResult, reasons: list[str]
    ) -> snapshot.SnapshotFiles:
        renderer = self._renderer_factory(ctx.privacy, ctx.language)
        # The medians, drawn like a live frame's metrics (no detour through JSON).
        shown = dataclasses.replace(last, metrics=summary.as_metrics(last.metrics))
        poses = self._poses if reasons or not ctx.require_quality else self._poses_ok
        median = snapshot.median_pose(poses or self._poses)
        if median is not None:
            shown = dataclasses.replace(shown, pose_image=median)
        # The picture's panel carries the same ± as the JSON (the file a record keeps).
        plus_minus = {mid: s.uncertainty for mid, s in summary.metrics.items()}
        image = renderer.render(last.frame.image_bgr, shown, mirror=False, plus_minus=plus_minus)
        self.last_shown = shown
        if reasons:
            with using_language(ctx.language):
                shown_reasons = [localize(r) for r in reasons]
                title = _("Not clinical quality")
            image = stamp_warning(image.copy(), title, shown_reasons)
        n_ok = sum(1 for f in self._frames if f["quality_ok"])
        record = snapshot.build_record(
            metrics=summary.to_json(ndigits=None)["metrics"],
            quality={
                "frames": len(self._frames),
                "frames_ok": n_ok,
                "require_quality": ctx.require_quality,
                "strict": ctx.strict,
                "per_frame": self._frames,
                "last_report": last.quality.to_json(),
            },
            view=summary.capture.view or str(last.view.view),
            source=ctx.source,
            privacy=ctx.privacy,
            model_path=ctx.model_path,
            calibration_profile=ctx.profile,
            time=dt.datetime.now().astimezone(),
            on_model=[mid for mid, m in last.metrics.items() if m.landmarks],
            extra={
                # A photo measured with the second keypoint model too names both.
                "landmark_models": list(ctx.landmark_models),
                "capture": summary.capture.to_json(ndigits=None),
                "image": {**snapshot.IMAGE_NOTE, "pose_frames": len(poses or self._poses)},
                "clinical_quality": {
                    "ok": not reasons,
                    "reasons": reasons,  # English words
                    "reason_codes": [item for r in reasons for item in parts_json(r)],
                },
                "cm_per_px": last.cm_per_px,
                "roll_deg": last.roll_deg,
                # Which stickers (and colour) gave the numbers, as analyze --json says
                # it: the last frame's markers block (null without --markers).
                "markers": last.markers.to_json() if last.markers is not None else None,
            },
        )
        return snapshot.write_snapshot(image, record, ctx.folder)


def localized(reason: str, language: str) -> str:
    """A quality-gate reason in ``language`` (a ``Text``, or an English msgid)."""
    with using_language(language):
        return localize(reason)
