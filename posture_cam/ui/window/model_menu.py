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
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from posture_cam import wording
from posture_cam.i18n import _, format_number, using_language
from posture_cam.live import LiveError
from posture_cam.pose.model.files import catalogue, get_variant
from posture_cam.pose.model.store import find_cached
from posture_cam.ui.widgets.notices import NoticeBar

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from posture_cam.ui.window.live_session import LiveSessionController
    from posture_cam.ui.window.settings_store import SettingsStore

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
    size_mb = spec.approx_size_bytes / 1e6
    with using_language(language):
        return _(
            "The pose model “{variant}” is not on this computer yet and there is no "
            "internet connection: connect once to download it ({mb} MB)."
        ).format(variant=wording.model_variant_name(variant), mb=format_number(size_mb, 0))


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


class ModelVariants(QObject):
    """The *Pose model* menu: choosing a variant, and going back when it fails to load.

    Owns the reachability check (:class:`ModelAvailability`) and the variant to fall
    back to while a newly chosen one loads.

    Args:
        store: the settings (the variant is a pipeline setting and an app setting).
        session: the live session (restarted with the new model).
        notice: where the window says what happened.
        actions: variant -> its menu action.
        check: the reachability test (tests pass a fake).
        parent: Qt parent.
    """

    def __init__(
        self,
        store: SettingsStore,
        session: LiveSessionController,
        notice: NoticeBar,
        actions: dict[str, QAction],
        check: Callable[[], bool] = internet_reachable,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._session = session
        self._notice = notice
        self._actions = actions
        self.availability = ModelAvailability(check, self)
        # The variant to go back to when a newly chosen one cannot be loaded.
        self._fallback: str | None = None
        for variant, action in actions.items():
            action.triggered.connect(lambda _=False, v=variant: self.choose(v))
        self.availability.answered.connect(lambda _online: self.refresh())
        session.sourceOpened.connect(self._on_loaded)

    def check_when_missing(self) -> None:
        """Ask whether the internet is reachable, only when a variant is not cached."""
        if any(find_cached(v) is None for v in catalogue()):
            self.availability.start()

    def choose(self, variant: str) -> None:
        """Switch to ``variant``; the live source restarts with it."""
        previous = self._store.config.model_variant
        if variant == previous:
            return
        self._fallback = previous
        self._store.update_config(model_variant=variant)
        self._store.update(model_variant=variant)
        with using_language(self._store.language):
            self._notice.show_notice(_("Restarting with the new model…"))
        self._session.retry()

    def refresh(self) -> None:
        """Enable the usable variants; a disabled one says why in its tooltip."""
        lang, online = self._store.language, self.availability.online
        for variant, action in self._actions.items():
            reason = unavailable_reason(variant, online, lang)
            action.setEnabled(reason is None)
            action.setToolTip(reason or "")

    def revert(self, error: LiveError) -> bool:
        """A newly chosen model failed to load: go back to the last one, say why.

        Returns:
            True when it went back (the window then shows no error page).
        """
        previous, self._fallback = self._fallback, None
        if previous is None or error.kind != "model":
            return False
        failed = self._store.config.model_variant
        self._store.update_config(model_variant=previous)
        self._store.update(model_variant=previous)
        self._session.retry()
        lang = self._store.language
        why = unavailable_reason(failed, False, lang)
        with using_language(lang):
            text = _(
                "The pose model “{variant}” cannot be used: {why} Staying with “{previous}”."
            ).format(
                variant=wording.model_variant_name(failed),
                why=why or _("it could not be loaded."),
                previous=wording.model_variant_name(previous),
            )
        self._notice.show_notice(text, error=True)
        self.refresh()
        return True

    def _on_loaded(self, _info: object) -> None:
        self._fallback = None  # the chosen model loaded
