"""Ctrl+C and SIGTERM in the terminal close the app the normal way.

Without this a Ctrl+C becomes a ``KeyboardInterrupt`` traceback inside some Qt callback
and the app keeps running; and a second Ctrl+C that arrives while Python is already
shutting down (MediaPipe's teardown takes a moment) would kill the process with the
default action, because interpreter shutdown puts Python-level handlers back to
``SIG_DFL``.
"""

from __future__ import annotations

import os
import signal
import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def quit_on_signals(app: QCoreApplication) -> list[int]:
    """Install handlers that close every window and quit the event loop.

    Python runs signal handlers only when the interpreter gets control, which Qt's event
    loop never gives while idle: a small timer hands it control a few times a second.
    A second signal while closing asks again (harmless).

    Returns:
        The list that receives the signal numbers (the exit code becomes 128 + the
        first one).
    """
    received: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        received.append(signum)
        QTimer.singleShot(0, QApplication.closeAllWindows)  # windows stop their workers
        QTimer.singleShot(0, app.quit)

    for signum in QUIT_SIGNALS:
        signal.signal(signum, on_signal)
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(200)
    return received


def ignore_late_signals() -> None:
    """Once the app has finished: a late Ctrl+C / SIGTERM changes nothing any more.

    Ignored signals survive interpreter shutdown (handlers set from Python do not), so
    the exit code stays the one the app chose.
    """
    for signum in QUIT_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def finish(code: int, workers_stopped: bool) -> int:
    """End the app with ``code`` once its workers were waited for.

    A late signal changes nothing any more. A worker still busy (loading or building a
    model) cannot be interrupted, and destroying a running QThread aborts the process:
    then leave without tearing it down. Every file is written atomically, so nothing
    is lost.
    """
    ignore_late_signals()
    if not workers_stopped:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
