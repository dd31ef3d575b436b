"""Which pose-model variants can be used here, and saying so in the *Pose model* menu.

A variant is usable when its file is cached, when it can be built offline (``full``),
or when the internet is reachable for its one download. The reachability check runs
once, off the GUI thread (a short TCP connect to the model storage), and only when the
menu is opened with a variant missing: nothing goes on the network otherwise; until it answers,
variants that need a download stay enabled. A disabled variant's tooltip says why in
plain words, never ``--model PATH`` or an environment variable.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from posture_cam.i18n import format_number
from posture_cam.pose.model_files import get_variant
from posture_cam.pose.model_store import find_cached
from posture_cam.ui.i18n import tr

MODEL_HOST = ("storage.googleapis.com", 443)
CONNECT_TIMEOUT_S = 1.5


def internet_reachable(address: tuple[str, int] = MODEL_HOST) -> bool:
    """True when a TCP connection to the model storage opens within the timeout."""
    try:
        with socket.create_connection(address, timeout=CONNECT_TIMEOUT_S):
            return True
    except OSError:
        return False


def unavailable_reason(variant: str, online: bool | None, language: str) -> str | None:
    """Why ``variant`` cannot be used now (None when it can).

    Args:
        variant: ``lite``, ``full`` or ``heavy``.
        online: the reachability check's answer, None while it has not answered.
        language: UI language.
    """
    spec = get_variant(variant)
    if find_cached(variant) is not None or spec.offline_build or online is not False:
        return None
    size_mb = format_number(spec.approx_size_bytes / 1e6, 0)
    return tr("model_needs_download", language, variant=variant, mb=size_mb)


class ModelAvailability(QObject):
    """Runs the reachability check once in a daemon thread and announces the answer.

    Args:
        check: the reachability test (tests pass a fake).
        parent: Qt parent.
    """

    answered = Signal(bool)

    def __init__(
        self, check: Callable[[], bool] = internet_reachable, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.online: bool | None = None
        self._check = check
        self._started = False
        self.answered.connect(self._on_answered)

    def start(self) -> None:
        """Run the check once (later calls do nothing)."""
        if self._started:
            return
        self._started = True
        # A daemon thread: a slow network must never hold up closing the app.
        threading.Thread(target=self._run, name="model-net-check", daemon=True).start()

    def _run(self) -> None:
        online = bool(self._check())
        # RuntimeError: the window closed before the network answered.
        with contextlib.suppress(RuntimeError):
            self.answered.emit(online)

    def _on_answered(self, online: bool) -> None:
        self.online = online
