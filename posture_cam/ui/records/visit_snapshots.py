"""Snapshots taken while a visit is open belong to that visit.

The window's :class:`~posture_cam.ui.window.snapshot_capture.SnapshotController` writes the
loose PNG + JSON as always. Beside it, this collector averages the same live results
over the snapshot's hold (a :class:`~posture_cam.records.ingest.CaptureCollector`, the
code every protocol step and ``visit add`` use), and when the snapshot is saved hands
the capture, with its images in every privacy mode and language, to
:meth:`VisitController.attach_snapshot`: it takes the current protocol step when it
shows that step's view and passed the quality gate, else it is stored with the visit as
an extra capture (kind ``snapshot``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from posture_cam.errors import PostureCamError
from posture_cam.i18n import _
from posture_cam.records.ingest import CaptureCollector


class VisitSnapshots(QObject):
    """Follows one SnapshotController for one VisitController.

    Args:
        controller: the VisitController that builds this (``attach_snapshot``,
            ``capture_from``, ``failed``, ``visit_open``).
        session: the live session (``resultReady``).
        snapshots: the window's snapshot controller (``stateChanged``, ``saved``,
            ``failed``, ``state``).
        parent: Qt parent.
    """

    def __init__(
        self,
        controller: Any,
        session: Any,
        snapshots: Any,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._snapshots = snapshots
        self._collector: CaptureCollector | None = None
        self._last_index = -1
        self._latest: Any = None
        snapshots.stateChanged.connect(self._on_state_changed)
        snapshots.saved.connect(self._on_saved)
        snapshots.failed.connect(self._on_failed)
        session.resultReady.connect(self._on_result_ready)

    def _on_state_changed(self, state: str) -> None:
        if state == "hold" and self._controller.visit_open:
            self._collector = CaptureCollector()
            self._last_index = -1
        elif state == "countdown":
            self._collector = None

    def _on_result_ready(self, live_result: Any) -> None:
        result = live_result.result
        self._latest = result
        collector = self._collector
        if collector is None or self._snapshots.state != "hold":
            return
        if result.frame.index < self._last_index:
            # The video looped: the snapshot restarts its hold, so do we.
            collector = self._collector = CaptureCollector()
        self._last_index = result.frame.index
        collector.add(result)

    def _on_failed(self, _message: str) -> None:
        self._collector = None

    def _on_saved(self, _files: Any) -> None:
        collector, self._collector = self._collector, None
        if collector is None or not self._controller.visit_open:
            return
        if not collector.landmarks and self._latest is not None:
            collector.add(self._latest)  # a still photo delivers a single result
        if not collector.landmarks:
            return
        try:
            capture = self._controller.capture_from(collector, "snapshot")
        except PostureCamError as exc:
            # The problem only: the file name and the CLI's hint (--view) mean nothing here.
            reason = getattr(exc, "problem", None) or str(exc)
            self._controller.failed.emit(
                _("Snapshot saved, but not added to the visit: {reason}").format(reason=reason)
            )
            return
        self._controller.attach_snapshot(capture)
