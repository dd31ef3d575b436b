"""Start the desktop app: QApplication + :class:`MainWindow` (used by ``posture-cam app``)."""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

from PySide6.QtWidgets import QApplication

from posture_cam.app_settings import AppSettings, load_settings_checked
from posture_cam.config import PipelineConfig
from posture_cam.i18n import localize
from posture_cam.ui.signals import finish, ignore_late_signals, quit_on_signals
from posture_cam.ui.window.main_window import MainWindow

#: How long quitting waits for a worker that is still loading a model.
QUIT_WAIT_S = 60.0


def first_config(
    settings: AppSettings, config_overrides: dict[str, Any] | None = None
) -> PipelineConfig:
    """The window's first pipeline config: the settings' model variant, calibration
    profile and skin markers, then the command line's fields."""
    config = PipelineConfig(**settings.pipeline_fields())
    return dataclasses.replace(config, **config_overrides) if config_overrides else config


def run_app(
    source: str | None = None,
    *,
    config_overrides: dict[str, Any] | None = None,
    settings_overrides: dict[str, Any] | None = None,
    fullscreen: bool = False,
) -> int:
    """Open the main window and run the Qt event loop until it closes.

    Args:
        source: camera index as text, or a video / image path; None = the camera in
            the settings.
        config_overrides: ``PipelineConfig`` fields from the command line.
        settings_overrides: ``AppSettings`` fields from the command line (not saved
            unless changed again in the app).
        fullscreen: start in full screen.

    Returns:
        The Qt exit code.
    """
    settings: AppSettings
    settings, settings_notices = load_settings_checked()
    if settings_overrides:
        settings = dataclasses.replace(settings, **settings_overrides)
    config = first_config(settings, config_overrides)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("posture_cam")
    received = quit_on_signals(app)  # before the window: building it takes a while
    window = MainWindow(source, settings, config)
    if received:  # Ctrl+C while starting: app.quit() before exec() would be lost
        window.close()
        window.session.wait_for_retired(QUIT_WAIT_S)
        ignore_late_signals()
        return 128 + received[0]
    for notice in settings_notices:
        window.notice.show_notice(localize(notice), error=True)  # read before the language
    if fullscreen:
        window.window_actions["fullscreen"].setChecked(True)
    else:
        window.show()
    code = int(app.exec())
    code = 128 + received[0] if received else code
    return finish(code, window.session.wait_for_retired(QUIT_WAIT_S))
