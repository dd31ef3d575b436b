"""Choosing what the window shows: another camera, a video or photo file, and where
snapshots go.

:class:`SourcePicker` asks through the dialogs of :mod:`posture_cam.ui.dialogs` and
restarts the live session on the answer; the camera is released while the chooser
previews cameras.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from posture_cam import paths
from posture_cam.ui.dialogs import camera_chooser
from posture_cam.ui.dialogs import sources as source_dialogs
from posture_cam.ui.window.live_session import LiveSessionController
from posture_cam.ui.window.settings_store import SettingsStore


def is_camera_spec(spec: str) -> bool:
    """True for a camera index ("0", "1" ...), False for a video or photo path."""
    return spec.strip().isdigit()


class SourcePicker(QObject):
    """The *File* menu's source choices and *Settings → Snapshot folder…*.

    Args:
        store: the settings (camera index, data folder, language).
        session: the live session to restart.
        window: the dialogs' parent.
    """

    def __init__(
        self, store: SettingsStore, session: LiveSessionController, window: QWidget
    ) -> None:
        super().__init__(window)
        self._store, self._session, self._window = store, session, window

    def choose_camera(self) -> None:
        """The camera chooser; the live camera is released while it previews."""
        previous = self._session.current_spec()
        was_camera = is_camera_spec(previous) and self._session.worker is not None
        if was_camera:
            self._session.stop()
        index = camera_chooser.ask_camera(
            self._window, self._store.language, self._store.settings.camera_index
        )
        if index is not None:
            self._store.update(camera_index=index)
            self._session.start(str(index))
        elif was_camera:
            self._session.start(previous)

    def open_file(self) -> None:
        """Ask for a video or photo and show it."""
        path = source_dialogs.ask_video_or_photo(self._window, self._store.language)
        if path:
            self._session.start(path)

    def choose_data_folder(self) -> None:
        """Ask where snapshots go."""
        s = self._store.settings
        start = s.data_folder or str(paths.sessions_dir())
        folder = source_dialogs.ask_folder(self._window, s.language, start)
        if folder:
            self._store.update(data_folder=folder)
