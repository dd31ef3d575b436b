"""Start home mode: QApplication, language, settings and the :class:`HomeWindow`."""

from __future__ import annotations

import dataclasses
import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from posture_cam.app_settings import load_settings, save_settings
from posture_cam.config import PipelineConfig
from posture_cam.errors import PostureCamError
from posture_cam.home.check_file import default_export_dir
from posture_cam.i18n import set_language
from posture_cam.ui.signals import finish, quit_on_signals

log = logging.getLogger(__name__)

#: How long quitting waits for a stopped worker still closing its model (as the app).
QUIT_WAIT_S = 60.0


def run_home(
    *,
    source: str | None = None,
    export_dir: str | None = None,
    language: str | None = None,
    model_path: str | None = None,
    mirror: bool = True,
    skeleton_only: bool = False,
    fullscreen: bool = False,
) -> int:
    """Open the home window and run the Qt event loop until it closes.

    Flags win over the saved settings for this run; home mode is remembered as the
    mode ``posture-cam`` opens next time.
    """
    from posture_cam.ui.home.home_window import HomeWindow

    settings = load_settings()
    if settings.mode != "home":
        try:
            save_settings(dataclasses.replace(settings, mode="home"))
        except (PostureCamError, OSError) as exc:
            # A read-only or full disk only loses the memory of the mode: the check runs.
            log.warning("settings not saved: %s", exc)
    language = language or settings.language
    set_language(language)
    folder = Path(export_dir or settings.home_export_dir or default_export_dir())
    config = PipelineConfig(model_path=model_path, model_variant=settings.model_variant)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("posture_cam")
    received = quit_on_signals(app)
    window = HomeWindow(
        str(settings.camera_index) if source is None else source,
        folder,
        config,
        mirror=mirror,
        skeleton_only=skeleton_only,
    )
    if fullscreen:
        window.showFullScreen()
    else:
        window.show()
    code = int(app.exec())
    code = 128 + received[0] if received else code
    return finish(code, window.wait_for_workers(QUIT_WAIT_S))
