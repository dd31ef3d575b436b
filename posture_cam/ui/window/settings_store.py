"""The window's settings: one owner, changed by ``dataclasses.replace``, announced by signals.

Two frozen snapshots live here: :class:`~posture_cam.app_settings.AppSettings` (what the
user chose; saved to the settings file) and the pipeline's
:class:`~posture_cam.config.PipelineConfig` (model, smoothing, view override, profile).
Controllers read :attr:`SettingsStore.settings` / :attr:`SettingsStore.config` and
listen to :attr:`settingsChanged` / :attr:`configChanged`; nobody else keeps a copy.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QObject, Signal

from posture_cam.app_settings import AppSettings, save_settings
from posture_cam.config import PipelineConfig
from posture_cam.errors import PostureCamError


class SettingsStore(QObject):
    """Holds the app settings and the pipeline config of one window.

    Args:
        settings: the first app settings (defaults -> file -> CLI flags).
        config: the first pipeline settings.
        persist: write every settings change to the settings file.
        parent: Qt parent.
    """

    settingsChanged = Signal(object)  # AppSettings
    configChanged = Signal(object)  # PipelineConfig
    saveFailed = Signal(str)  # why the settings file could not be written (once)

    def __init__(
        self,
        settings: AppSettings,
        config: PipelineConfig,
        *,
        persist: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.config = config
        self._persist = persist
        self._save_failed = False

    @property
    def language(self) -> str:
        return self.settings.language

    def update(self, **changes: Any) -> None:
        """Change app settings fields, save them, announce the new snapshot."""
        self.settings = dataclasses.replace(self.settings, **changes)
        if self._persist:
            try:
                save_settings(self.settings)
            except PostureCamError as exc:
                # The change still applies for this session; say once that it won't last.
                if not self._save_failed:
                    self._save_failed = True
                    self.saveFailed.emit(str(exc))
        self.settingsChanged.emit(self.settings)

    def update_config(self, **changes: Any) -> None:
        """Change pipeline settings fields and announce the new snapshot."""
        self.config = dataclasses.replace(self.config, **changes)
        self.configChanged.emit(self.config)
