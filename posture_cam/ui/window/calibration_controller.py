"""*Settings → Calibration…*: opens the wizard and applies the profile it chooses.

:class:`CalibrationController` owns the open wizard (at most one). The wizard reads the
newest live frame through the live session and never changes the live view itself:
when it chooses a profile (or turns calibration off) the controller writes the choice
into the settings and restarts the live session, whose new pipeline loads the profile.
When the wizard closes after saving into the active profile, the live view reloads it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from posture_cam.types import FrameResult
from posture_cam.ui.calibration.wizard import CalibrationWizard
from posture_cam.ui.window.live_session import LiveSessionController
from posture_cam.ui.window.settings_store import SettingsStore


class CalibrationController(QObject):
    """Opens the calibration wizard over ``window`` and applies its choice.

    Args:
        store: the window's settings (language, active profile).
        session: the live session (newest frame, camera id, restart).
        window: the wizard's parent window.
    """

    def __init__(
        self, store: SettingsStore, session: LiveSessionController, window: QWidget
    ) -> None:
        super().__init__(window)
        self._store = store
        self._session = session
        self._window = window
        self.wizard: CalibrationWizard | None = None

    def open_wizard(self) -> CalibrationWizard:
        """Open the wizard on the live image (window-modal, not blocking)."""
        info = self._session.source_info
        wizard = CalibrationWizard(
            self._store.language,
            self._store.config.profile,
            self._latest_result,
            info.source_id if info else None,
            self._window,
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.profileChosen.connect(self._on_profile_chosen)
        wizard.finished.connect(lambda _result: self._on_wizard_finished(wizard))
        self.wizard = wizard
        wizard.open()
        return wizard

    def _latest_result(self) -> FrameResult | None:
        latest = self._session.latest
        return None if latest is None else latest.result

    def _on_profile_chosen(self, profile: str | None) -> None:
        """Switch the live view to ``profile`` (None: no calibration)."""
        if self.wizard is not None:
            self.wizard.mark_applied(profile)
        self._store.update_config(profile=profile)
        self._store.update(profile=profile)
        self._session.retry()  # the new pipeline loads the profile when it opens

    def _on_wizard_finished(self, wizard: CalibrationWizard) -> None:
        if self.wizard is wizard:
            self.wizard = None
        if self._store.config.profile in wizard.saved_profiles:
            self._session.retry()  # the wizard changed the active profile: load it again
