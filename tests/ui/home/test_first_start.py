"""First start: the mode choice is asked once and remembered; `posture-cam home --help`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer

from posture_cam.app_settings import load_settings
from posture_cam.i18n import current_language, set_language
from posture_cam.ui.home.first_start import ModeDialog, choose_mode


@pytest.fixture(autouse=True)
def _keep_language():
    """choose_mode sets the process language for its dialog: restore it."""
    before = current_language()
    yield
    set_language(before)


def test_choice_is_saved_and_not_asked_again(qtbot):
    assert load_settings().mode is None

    def click_home():
        dialog = next(w for w in qtbot_widgets() if isinstance(w, ModeDialog))
        dialog.home_button.click()

    def qtbot_widgets():
        from PySide6.QtWidgets import QApplication

        return QApplication.topLevelWidgets()

    QTimer.singleShot(200, click_home)
    assert choose_mode("en") == "home"
    assert load_settings().mode == "home"
    assert choose_mode("en") == "home"  # remembered: no dialog this time


def test_closing_the_dialog_opens_the_therapist_window_and_asks_again(qtbot):
    def close_it():
        from PySide6.QtWidgets import QApplication

        for w in QApplication.topLevelWidgets():
            if isinstance(w, ModeDialog):
                w.reject()

    QTimer.singleShot(200, close_it)
    assert choose_mode("nl") == "therapist"
    assert load_settings().mode is None


def test_home_command_help():
    proc = subprocess.run(
        [sys.executable, "-m", "posture_cam", "home", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0
    for flag in ("--source", "--export-dir", "--lang", "--skeleton-only", "--no-mirror"):
        assert flag in proc.stdout
