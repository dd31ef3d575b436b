"""Main-window actions that open dialogs or write files: sources, folders,
calibration, snapshots. A mixin of :class:`~posture_cam.ui.main_window.MainWindow`
(kept apart so each module stays short); it uses the window's ``settings``,
``config``, ``latest``, ``notice``, ``snapshots`` and ``_update``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog

from posture_cam import snapshot
from posture_cam.ui.calibration_wizard import CalibrationWizard
from posture_cam.ui.i18n import tr
from posture_cam.ui.snapshot_controller import SnapshotContext

FILE_FILTER = (
    "Video or photo (*.mp4 *.avi *.mov *.mkv *.webm *.m4v *.jpg *.jpeg *.png *.bmp *.webp *.tif"
    " *.tiff);;All files (*)"
)


class WindowActionsMixin:
    """Dialog- and file-related handlers of the main window."""

    def choose_data_folder(self) -> None:
        start = self.settings.data_folder or str(snapshot.paths.sessions_dir())
        folder = QFileDialog.getExistingDirectory(
            self, tr("data_folder", self.settings.language), start
        )
        if folder:
            self._session_dir = None
            self._update(data_folder=folder)

    def choose_camera_dialog(self) -> None:
        index, ok = QInputDialog.getInt(
            self,
            tr("choose_camera", self.settings.language),
            tr("camera_index", self.settings.language),
            self.settings.camera_index,
            0,
            99,
        )
        if ok:
            self._update(camera_index=index)
            self.start_source(str(index))

    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("open_file", self.settings.language), "", FILE_FILTER
        )
        if path:
            self.start_source(path)

    def calibration_dialog(self) -> CalibrationWizard:
        """Open the calibration wizard on the live image (window-modal, not blocking)."""

        def latest_result():
            return None if self.latest is None else self.latest.result

        camera = self.source_info.source_id if self.source_info else None
        wizard = CalibrationWizard(
            self.settings.language, self.config.profile, latest_result, camera, self
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.profileChosen.connect(self._on_calibration_profile_changed)
        wizard.finished.connect(lambda _result: self._on_calibration_finished(wizard))
        self.calibration_wizard = wizard
        wizard.open()
        return wizard

    def _on_calibration_profile_changed(self, profile: str | None) -> None:
        """Switch the live view to ``profile`` (None: no calibration)."""
        if self.calibration_wizard is not None:
            self.calibration_wizard.ctx.saved.discard(profile)
        self.config = dataclasses.replace(self.config, profile=profile)
        self._update(profile=profile)
        self.retry()  # the pipeline loads the profile when it opens

    def _on_calibration_finished(self, wizard: CalibrationWizard) -> None:
        if self.calibration_wizard is wizard:
            self.calibration_wizard = None
        if self.config.profile in wizard.saved_profiles:
            self.retry()  # the wizard changed the active profile: load it again

    # -- snapshots ---------------------------------------------------------------------

    def session_dir(self) -> Path:
        """This run's session folder (chosen on the first snapshot)."""
        if self._session_dir is None:
            self._session_dir = snapshot.new_session_dir(self.settings.data_folder)
        return self._session_dir

    def take_snapshot(self) -> None:
        s = self.settings
        if self.latest is None or self.snapshots.busy:
            if self.latest is None:
                self.notice.show_notice(
                    tr("snapshot_failed", s.language, reason=tr("snapshot_no_result", s.language)),
                    error=True,
                )
            return
        ctx = SnapshotContext(
            source=self.latest.result.frame.source_id,
            model_path=self.source_info.model_path if self.source_info else None,
            profile=self.config.profile,
            privacy=s.export_privacy,
            language=s.language,
            folder=self.session_dir(),
            countdown_s=s.countdown_s,
            hold_s=s.hold_s,
            require_quality=s.require_quality,
        )
        self.notice.hide()
        self.snapshots.start(ctx, self.latest.result)

    def _on_snapshot_state_changed(self, state: str) -> None:
        self.snapshot_button.setEnabled(state == "idle")

    def _on_snapshot_saved(self, files: snapshot.SnapshotFiles) -> None:
        lang = self.settings.language
        self._notice_folder = files.folder
        self.notice.show_notice(
            tr("saved", lang, folder=str(files.folder)), tr("open_folder", lang)
        )

    def _on_notice_action(self) -> None:
        if self._notice_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._notice_folder)))
