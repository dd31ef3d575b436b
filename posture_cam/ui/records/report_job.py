"""Writes a visit's PDF report on a worker thread (``QThreadPool``).

Drawing the report takes seconds (several on a busy machine): on the GUI thread the
window froze meanwhile. The job only calls :func:`posture_cam.records.report.write_report`
(matplotlib figures without pyplot, a database session of its own) and reports through
past-tense signals, delivered to the GUI thread by Qt's queued connections.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from posture_cam.errors import PostureCamError


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
