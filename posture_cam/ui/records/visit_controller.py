"""State of one patient visit in the app (no widgets here).

Flow: :meth:`open_patient` (an existing code, or a new one is created) →
:meth:`new_visit` (the protocol, default front, left, back, right) → per step
:meth:`capture_step` (an averaged capture of ``hold_s`` of live results behind the
quality gate; a step whose gate never passes fails with the reason and can be redone),
:meth:`skip_step` or :meth:`redo_step` → :meth:`finish_visit` (stored in one
transaction through :class:`posture_cam.records.Store`) → its report
(:attr:`VisitController.report`, a :class:`~posture_cam.ui.records.visit_report.VisitReport`).

Live results come from the window's live session (``resultReady``); the captures are
built by the same code as ``posture-cam visit add`` (``records.ingest``), so a visit
from the app and one from files are the same records.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from posture_cam.errors import PostureCamError
from posture_cam.i18n import _
from posture_cam.records.ingest import RECORD_VIEWS, CaptureCollector, CaptureData, build_capture
from posture_cam.ui.records.visit_report import VisitReport
from posture_cam.wording import view_name

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported when first used
    from posture_cam.records import Store

DEFAULT_PROTOCOL = ("front", "left", "back", "right")
SKIPPED = "skipped"
#: Longest wait for the first frame of a capture step (wall clock).
MAX_WAIT_S = 60.0


@dataclass
class VisitState:
    """The visit being taken.

    Attributes:
        protocol: views in order.
        steps: view -> CaptureData, ``"skipped"`` or absent (still to do).
        snapshots: snapshots (Space) taken during the visit that did not fill a step.
        index: the current step.
        first_capture_s: ``time.perf_counter()`` when the first capture started.
        visit_id: set once stored.
    """

    protocol: tuple[str, ...]
    steps: dict[str, Any] = field(default_factory=dict)
    snapshots: list[CaptureData] = field(default_factory=list)
    index: int = 0
    first_capture_s: float | None = None
    visit_id: int | None = None

    @property
    def current_view(self) -> str | None:
        return self.protocol[self.index] if self.index < len(self.protocol) else None

    @property
    def captures(self) -> list[CaptureData]:
        """The protocol steps taken, in protocol order."""
        return [c for v in self.protocol if isinstance(c := self.steps.get(v), CaptureData)]

    @property
    def all_captures(self) -> list[CaptureData]:
        """What is stored: the steps, then the snapshots taken during the visit (so a
        view's step, not a snapshot, stands for it in comparisons and charts)."""
        return self.captures + self.snapshots


class VisitController(QObject):
    """Owns the patient, the visit and the capture in progress.

    Args:
        session: the window's live session controller (``resultReady``, ``source_info``).
        hold_s: length of each averaged capture (frame time).
        parent: Qt parent.
        settings: the window's settings store (``settings``, ``settingsChanged``): which
            stored image the overview shows and the report holds; None: the full image.
    """

    changed = Signal()
    failed = Signal(str)
    captureStarted = Signal(str)  # view
    snapshotAttached = Signal(str, bool)  # view, whether it filled the protocol step

    def __init__(
        self,
        session: Any,
        hold_s: float = 2.0,
        parent: QObject | None = None,
        settings: Any = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._privacy = self._image_privacies()
        if settings is not None:
            settings.settingsChanged.connect(self._on_settings_changed)
        self._session = session
        #: view -> the previous visit's median landmarks (33, 2) for the ghost.
        self.previous_landmarks: dict[str, Any] = {}
        self.hold_s = hold_s
        self._store: Store | None = None
        self.patient: dict[str, Any] | None = None
        self.visit: VisitState | None = None
        self._collector: CaptureCollector | None = None
        self._latest: Any = None
        self._snapshots: QObject | None = None
        #: The finished visit's PDF report (``ui.records.visit_report.VisitReport``).
        self.report = VisitReport(self)
        self._started_s = 0.0
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._on_deadline)
        session.resultReady.connect(self._on_result_ready)

    # -- privacy ----------------------------------------------------------------------

    def image_privacy(self, *, shown: bool) -> str:
        """The stored image (``full``, ``blur``, ``skeleton``) shown on screen (``shown``)
        or written into the report (``AppSettings.records_image``)."""
        if self._settings is None:
            return "full"
        return str(self._settings.settings.records_image(shown=shown))

    def _image_privacies(self) -> tuple[str, str]:
        return self.image_privacy(shown=True), self.image_privacy(shown=False)

    def _on_settings_changed(self, _settings: object) -> None:
        if self._image_privacies() != self._privacy:
            self._privacy = self._image_privacies()
            self.changed.emit()  # an open overview shows the image now allowed

    # -- store ------------------------------------------------------------------------

    def store(self) -> Store:
        from posture_cam.records import Store

        if self._store is None:
            self._store = Store()
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def search(self, text: str) -> list[dict[str, Any]]:
        try:
            return self.store().list_patients(text.strip() or None)
        except PostureCamError as exc:
            self.failed.emit(str(exc))
            return []

    # -- patient and visit ------------------------------------------------------------

    def open_patient(self, code: str, name: str | None = None) -> bool:
        """Choose the patient with ``code``, creating it when it does not exist yet."""
        from posture_cam.records import UnknownRecordError

        code = code.strip()
        try:
            try:
                self.patient = self.store().patient(code)
            except UnknownRecordError:
                self.store().add_patient(code, name=name or None)
                self.patient = self.store().patient(code)
        except PostureCamError as exc:
            self.failed.emit(str(exc))
            return False
        self.visit = None
        self.changed.emit()
        return True

    def new_visit(self, protocol: tuple[str, ...] = DEFAULT_PROTOCOL) -> None:
        if self.patient is None:
            self.failed.emit(_("Choose or create a patient first."))
            return
        self.visit = VisitState(tuple(protocol))
        self.previous_landmarks = self._previous_landmarks()
        self.changed.emit()

    def _previous_landmarks(self) -> dict[str, Any]:
        """The latest earlier capture's landmarks per view (for the ghost)."""
        from posture_cam.records.ghost import landmarks_array

        if self.patient is None:
            return {}
        with self.store().session() as s:
            _patient, visits = self.store().load_visits(s, self.patient["code"])
        found: dict[str, Any] = {}
        for visit in visits:  # oldest first: later visits overwrite
            for capture in visit.captures:
                arr = landmarks_array(capture.landmarks)
                if arr is not None:
                    found[capture.view] = arr
        return found

    def ghost_for(self, current_xy: Any) -> Any:
        """The previous visit's skeleton of the current step placed on ``current_xy``."""
        from posture_cam.records.ghost import ghost_xy

        visit = self.visit
        if visit is None or visit.visit_id is not None or current_xy is None:
            return None
        previous = self.previous_landmarks.get(visit.current_view or "")
        return None if previous is None else ghost_xy(previous, current_xy)

    @property
    def capturing(self) -> bool:
        return self._collector is not None

    def capture_step(self) -> None:
        """Start the averaged capture of the current step."""
        visit = self.visit
        if visit is None or visit.current_view is None or self.capturing:
            return
        if visit.first_capture_s is None:
            visit.first_capture_s = time.perf_counter()
        self._collector = CaptureCollector(seconds=self.hold_s)
        self._started_s = time.perf_counter()
        # The capture ends on frame time (hold_s of video); the wall-clock deadline only
        # catches a source that stopped delivering (a still photo, a lost camera).
        self._deadline.start(int((3.0 * self.hold_s + 5.0) * 1000))
        self.captureStarted.emit(visit.current_view)
        self.changed.emit()

    def skip_step(self) -> None:
        visit = self.visit
        if visit is None or visit.current_view is None or self.capturing:
            return
        visit.steps[visit.current_view] = SKIPPED
        self._advance()

    def redo_step(self, view: str) -> None:
        """Go back to ``view`` (its capture is taken again)."""
        visit = self.visit
        if visit is None or view not in visit.protocol or self.capturing:
            return
        visit.steps.pop(view, None)
        visit.index = visit.protocol.index(view)
        self.changed.emit()

    def _advance(self) -> None:
        visit = self.visit
        assert visit is not None
        while visit.index < len(visit.protocol) and visit.protocol[visit.index] in visit.steps:
            visit.index += 1
        self.changed.emit()

    def _on_deadline(self) -> None:
        collector = self._collector
        if collector is None:
            return
        if collector.gated.frames_seen == 0:
            info = self._session.source_info
            if info is not None and info.kind == "image" and self._latest is not None:
                collector.add(self._latest)  # a still delivers one result: use it
            elif time.perf_counter() - self._started_s < MAX_WAIT_S:
                # Frames are late (a machine busy with other work): keep waiting.
                self._deadline.start(1000)
                return
        self._finish_step()

    def _on_result_ready(self, live_result: Any) -> None:
        self._latest = live_result.result
        collector = self._collector
        if collector is None:
            return
        collector.add(live_result.result)
        if collector.gated.is_complete or collector.ungated.is_complete:
            self._finish_step()

    def _finish_step(self) -> None:
        self._deadline.stop()
        collector, visit = self._collector, self.visit
        self._collector = None
        if collector is None or visit is None or visit.current_view is None:
            return
        summary = collector.gated.summary().capture
        if not summary.ok or not collector.landmarks:
            reason = summary.reason or _("no person found")
            self.failed.emit(_("Capture not taken: {reason}").format(reason=reason))
            self.changed.emit()
            return
        if summary.view in RECORD_VIEWS and summary.view != visit.current_view:
            # Stored under the step's name, a front view would pass for a side view.
            self.failed.emit(
                _(
                    "Capture not taken: the camera sees the view {shown}, this step is "
                    "{step}. Turn the patient (or set the view by hand), or skip the step."
                ).format(shown=view_name(summary.view), step=view_name(visit.current_view))
            )
            self.changed.emit()
            return
        capture = self.capture_from(collector, "live")
        capture.view = visit.current_view
        visit.steps[visit.current_view] = capture
        self._advance()

    def capture_from(self, collector: CaptureCollector, kind: str) -> CaptureData:
        """The capture of what ``collector`` saw on the live source (``kind``: ``live``
        for a protocol step, ``snapshot`` for Space)."""
        from posture_cam.capture.snapshot import file_sha256

        info = self._session.source_info
        model_path = info.model_path if info else None
        capture = build_capture(
            info.source_id if info else "live",
            kind,
            collector,
            Path(model_path).name if model_path else None,
            file_sha256(model_path),
        )
        capture.source_file = Path(capture.source_file).name
        return capture

    @property
    def visit_open(self) -> bool:
        """A visit is being taken (started, not stored yet)."""
        return self.visit is not None and self.visit.visit_id is None

    def attach_snapshot(self, capture: CaptureData) -> None:
        """Add a snapshot taken during the open visit to it.

        A snapshot of the current step's view that passed the quality gate takes that
        step (Space works as *Capture*); any other snapshot is kept as an extra capture
        of the visit. Either way it is stored with the visit.
        """
        visit = self.visit
        if visit is None or visit.visit_id is not None:
            return
        fills_step = (
            capture.view == visit.current_view
            and bool(capture.quality.get("ok"))
            and not self.capturing
        )
        if fills_step:
            if visit.first_capture_s is None:
                visit.first_capture_s = time.perf_counter()
            visit.steps[capture.view] = capture
        else:
            visit.snapshots.append(capture)
        self.snapshotAttached.emit(capture.view, fills_step)
        if fills_step:
            self._advance()
        else:
            self.changed.emit()

    def follow_snapshots(self, snapshots: QObject) -> None:
        """Attach every snapshot of ``snapshots`` (the window's SnapshotController)
        taken while a visit is open to that visit."""
        from posture_cam.ui.records.visit_snapshots import VisitSnapshots

        self._snapshots = VisitSnapshots(self, self._session, snapshots, self)

    def finish_visit(self, therapist: str | None = None) -> int | None:
        """Store the visit (all captures in one transaction); returns its id."""
        visit, patient = self.visit, self.patient
        if visit is None or patient is None:
            return None
        if not visit.all_captures:
            self.failed.emit(_("Take at least one capture before finishing the visit."))
            return None
        try:
            visit.visit_id = self.store().add_visit(
                patient["code"],
                visit.all_captures,
                therapist=therapist,
                protocol=list(visit.protocol),
            )
        except PostureCamError as exc:
            self.failed.emit(str(exc))
            return None
        self.patient = self.store().patient(patient["code"])
        self.changed.emit()
        return visit.visit_id

    def comparison(self) -> list[Any]:
        """Per view of the visit (open or stored): the previous visit's capture of that
        view and the change of each metric (``records.compare.ViewComparison``)."""
        from posture_cam.records.compare import compare_visit

        visit, patient = self.visit, self.patient
        if visit is None or patient is None or not visit.all_captures:
            return []
        with self.store().session() as s:
            _patient, visits = self.store().load_visits(s, patient["code"])
        stored = None
        if visit.visit_id is not None:
            stored = next((v for v in visits if v.id == visit.visit_id), None)
            if stored is None:
                return []
        return compare_visit(visits, stored, visit.all_captures)
