"""Stand-ins for the window's parts a visit controller listens to."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, Signal

from posture_cam.app_settings import AppSettings


class FakeSession(QObject):
    """The live session's ``resultReady`` alone."""

    resultReady = Signal(object)


class FakeSettingsStore(QObject):
    """The window's settings store: ``settings``, ``update`` and ``settingsChanged``."""

    settingsChanged = Signal(object)

    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.settings = settings

    def update(self, **changes: object) -> None:
        self.settings = dataclasses.replace(self.settings, **changes)
        self.settingsChanged.emit(self.settings)
