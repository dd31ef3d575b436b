"""Writes a visit's PDF report, on a worker thread (``QThreadPool``) from the panel.

Drawing the report takes seconds (several on a busy machine): on the GUI thread the
window froze meanwhile. :class:`VisitReport` (the visit controller's ``report``) says
what to write: the finished visit, the app's language, the image the privacy settings
allow. A :class:`ReportJob` only calls :func:`posture_cam.records.report.write_report`
(matplotlib figures without pyplot, a database session of its own) and reports through
past-tense signals, delivered to the GUI thread by Qt's queued connections.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from posture_cam.errors import PostureCamError
from posture_cam.i18n import _


class ReportSignals(QObject):
    """Signals of one report job (a QRunnable cannot carry signals itself)."""

    written = Signal(str)  # path
    failed = Signal(str)  # one line for the user


class ReportJob(QRunnable):
    """One report: ``write_report(store, code, out, options)`` off the GUI thread.

    Args:
        store: the records store (its engine is shared; each call opens its own session).
        code: patient code.
        out: the PDF path.
        options: ``ReportOptions``.
    """

    def __init__(self, store: Any, code: str, out: Path, options: Any) -> None:
        super().__init__()
        self.signals = ReportSignals()
        self._args = (store, code, out, options)

    def run(self) -> None:
        from posture_cam.records.report import write_report

        try:
            path = write_report(*self._args)
        except PostureCamError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a worker must always report back, whatever broke
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.written.emit(str(path))


def start(job: ReportJob, pool: QThreadPool | None = None) -> None:
    """Run ``job`` on ``pool`` (default: the global pool)."""
    (pool or QThreadPool.globalInstance()).start(job)


class VisitReport(QObject):
    """The PDF report of the controller's finished visit: now, or on a worker thread.

    Args:
        controller: the visit controller (``visit``, ``patient``, ``store()``,
            ``image_privacy``, ``failed``); also the Qt parent.
    """

    written = Signal(str)  # path
    busyChanged = Signal(bool)

    def __init__(self, controller: Any) -> None:
        super().__init__(controller)
        self._controller = controller
        self._job: ReportJob | None = None

    def arguments(self, out: str | Path | None, language: str | None) -> tuple | None:
        """``(store, code, out, ReportOptions)`` of the finished visit, or None (said
        through the controller's ``failed``)."""
        from posture_cam.i18n import current_language
        from posture_cam.records.report import ReportOptions

        c = self._controller
        visit, patient = c.visit, c.patient
        if visit is None or visit.visit_id is None or patient is None:
            c.failed.emit(_("Finish the visit before writing its report."))
            return None
        if out is None:
            # Where `patients remove` and `visit remove` look for it (records.store).
            from posture_cam.records.store import report_dir, report_name

            out = report_dir() / report_name(patient["code"], visit.visit_id)
        # The report speaks the app's language unless told otherwise.
        options = ReportOptions(
            visit_id=visit.visit_id,
            language=language or current_language(),
            privacy=c.image_privacy(shown=False),
        )
        return c.store(), patient["code"], Path(out), options

    def write(self, out: str | Path | None = None, language: str | None = None) -> Path | None:
        """Write the PDF report of the finished visit now, on this thread (default
        path: ``<data dir>/reports/<code>_visit<id>.pdf``)."""
        from posture_cam.records.report import write_report

        args = self.arguments(out, language)
        if args is None:
            return None
        try:
            path = write_report(*args)
        except PostureCamError as exc:
            self._controller.failed.emit(str(exc))
            return None
        self.written.emit(str(path))
        return path

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self, out: str | Path | None = None, language: str | None = None) -> bool:
        """Write the report on a worker thread; ``written`` or the controller's
        ``failed`` follows (``busyChanged`` brackets the work). Returns False when
        nothing started."""
        if self._job is not None:
            return False
        args = self.arguments(out, language)
        if args is None:
            return False
        job = ReportJob(*args)
        job.signals.written.connect(self._on_written)
        job.signals.failed.connect(self._on_failed)
        self._job = job  # keeps the job and its signals alive until it reports
        self.busyChanged.emit(True)
        start(job)
        return True

    def _on_written(self, path: str) -> None:
        self._job = None
        self.busyChanged.emit(False)
        self.written.emit(path)

    def _on_failed(self, message: str) -> None:
        self._job = None
        self.busyChanged.emit(False)
        self._controller.failed.emit(_("Report not written: {reason}").format(reason=message))
