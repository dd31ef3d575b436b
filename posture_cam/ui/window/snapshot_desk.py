"""Taking a snapshot from the main window: what it is of, where it goes, what the
window says when it is saved.

:class:`SnapshotController` runs the countdown and the averaged capture; this part
builds its :class:`SnapshotContext` from the settings and the live session, keeps this
run's session folder (a new one when the data folder changes), and shows the saved
notice with an *Open folder* action.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices

from posture_cam.capture import snapshot
from posture_cam.i18n import _, using_language
from posture_cam.ui.widgets.notices import NoticeBar
from posture_cam.ui.window.live_session import LiveSessionController
from posture_cam.ui.window.settings_store import SettingsStore
from posture_cam.ui.window.snapshot_capture import SnapshotContext, SnapshotController, localized


class SnapshotDesk(QObject):
    """Starts snapshots of the live source and reports the saved files.

    Args:
        store: the settings (privacy, language, countdown, data folder ...).
        session: the live session (the newest result, the model in use).
        snapshots: the countdown and capture controller.
        notice: the window's notice bar.
        parent: Qt parent.
    """

    def __init__(
        self,
        store: SettingsStore,
        session: LiveSessionController,
        snapshots: SnapshotController,
        notice: NoticeBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._session = session
        self._snapshots = snapshots
        self._notice = notice
        # This run's session folder, and the data folder it was made in.
        self._session_dir: tuple[str | None, Path] | None = None
        self._notice_folder: Path | None = None
        snapshots.saved.connect(self._on_saved)
        notice.actionTriggered.connect(self._on_open_folder)

    def session_dir(self) -> Path:
        """This run's session folder (made on the first snapshot, and again after the
        data folder changed)."""
        base = self._store.settings.data_folder
        if self._session_dir is None or self._session_dir[0] != base:
            self._session_dir = (base, snapshot.new_session_dir(base))
        return self._session_dir[1]

    def take(self) -> None:
        """Start the snapshot countdown on the current source."""
        s, latest = self._store.settings, self._session.latest
        if latest is None:
            with using_language(s.language):
                text = _("Snapshot not saved: {reason}").format(reason=_("no live image yet"))
            self._notice.show_notice(text, error=True)
            return
        if self._snapshots.busy:
            return
        info = self._session.source_info
        ctx = SnapshotContext(
            source=latest.result.frame.source_id,
            model_path=info.model_path if info else None,
            landmark_models=info.landmark_models if info else (),
            profile=self._store.config.profile,
            privacy=s.export_privacy,
            language=s.language,
            folder=self.session_dir(),
            countdown_s=s.countdown_s,
            hold_s=s.hold_s,
            require_quality=s.require_quality,
            strict=s.strict_quality,
        )
        self._notice.hide()
        self._snapshots.start(ctx, latest.result)

    def _on_saved(self, files: snapshot.SnapshotFiles) -> None:
        lang = self._store.language
        self._notice_folder = files.folder
        reasons = self._snapshots.last_quality_reasons
        shown = "; ".join(localized(r, lang) for r in reasons)
        with using_language(lang):
            if reasons:
                text = _(
                    "Snapshot saved in {folder}, marked not clinical quality: {reasons}"
                ).format(folder=files.folder, reasons=shown)
            else:
                text = _("Snapshot saved in {folder}").format(folder=files.folder)
            action = _("Open folder")
        # A not-clinical snapshot stays until dismissed: the therapist must read why.
        self._notice.show_notice(text, action, error=bool(reasons))

    def _on_open_folder(self) -> None:
        if self._notice_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._notice_folder)))
