"""The check's file cannot be written: the card says so and why, offers to try again,
and the capture is not lost; *Send to my therapist* shows the folder when no file
manager opens it."""

from __future__ import annotations

import stat

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

import posture_cam.ui.home.home_window as home_window_module
from posture_cam.app_settings import load_settings
from posture_cam.home import load_home_check
from posture_cam.home.history import HomeHistory
from posture_cam.i18n import using_language
from tests.ui.home._helpers import home_window


@pytest.fixture
def blocked(tmp_path):
    """An export folder that cannot be made: a regular file is in the way."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    return blocker / "sub"


def _captured(qtbot, window):
    qtbot.waitUntil(lambda: window.capture is not None, timeout=15000)
    return window


class _Desktop:
    """Stands in for QDesktopServices: records the URL, answers ``opened``."""

    def __init__(self, opened: bool) -> None:
        self.opened, self.urls = opened, []

    def openUrl(self, url):  # Qt's name
        self.urls.append(url.toLocalFile())
        return self.opened


def test_unwritable_folder_says_not_saved_why_and_what_to_do(qtbot, blocked):
    window = _captured(qtbot, home_window(qtbot, blocked))
    card = window.card
    assert window.pages.currentIndex() == 1 and window.written is None
    assert "a file is in the way of the folder" in window.save_error
    text = card.problem.text()
    assert "This check was NOT saved for your therapist." in text
    assert window.save_error in text and "Choose another folder" in text
    assert not card.problem.isHidden() and card.sent.isHidden()
    assert not card.save_again_button.isHidden() and not card.choose_folder_button.isHidden()
    assert not card.send_button.isEnabled() and card.send_button.isHidden()  # nothing to send
    # The measurement is on the card and in the history, marked unsent.
    assert "Your right shoulder sits 3° lower than your left" in card.lines.text()
    (entry,) = HomeHistory().entries()
    assert entry.check_id == window.capture.check_id and entry.file is None
    window._on_send_requested()  # no traceback, still unsaved
    assert window.written is None and not card.save_again_button.isHidden()


def test_save_again_writes_the_same_check(qtbot, blocked):
    window = _captured(qtbot, home_window(qtbot, blocked))
    blocked.parent.unlink()  # the patient removed what was in the way
    window.card.save_again_button.click()
    path = window.written
    assert path is not None and path.parent == blocked
    assert load_home_check(path).check_id == window.capture.check_id
    assert window.card.problem.isHidden() and str(path) in window.card.sent.text()
    assert window.card.save_again_button.isHidden() and window.card.send_button.isEnabled()
    assert not window.card.send_button.isHidden()
    (entry,) = HomeHistory().entries()
    assert entry.file == str(path)


def test_choose_folder_saves_there_and_remembers_it(qtbot, blocked, tmp_path, monkeypatch):
    other = tmp_path / "to_therapist"
    other.mkdir()
    asked = []

    def ask(parent, title, start):
        asked.append(start)
        return str(other)

    monkeypatch.setattr(home_window_module.QFileDialog, "getExistingDirectory", ask)
    window = _captured(qtbot, home_window(qtbot, blocked))
    window.card.choose_folder_button.click()
    assert asked == [str(tmp_path)]  # starts at the nearest folder that exists
    assert window.written is not None and window.written.parent == other
    assert stat.S_IMODE(window.written.stat().st_mode) == 0o600
    assert load_settings().home_export_dir == str(other)
    assert window.card.problem.isHidden()


def test_not_saved_in_dutch(qtbot, blocked):
    with using_language("nl"):
        window = _captured(qtbot, home_window(qtbot, blocked))
        text = window.card.problem.text()
        buttons = window.card.save_again_button.text(), window.card.choose_folder_button.text()
    assert window.written is None
    assert "Deze meting is NIET opgeslagen voor uw therapeut." in text
    assert "er staat een bestand in de weg van de map" in text and "Opnieuw opslaan" in text
    assert buttons == ("Opnieuw opslaan", "Map kiezen…")


def _answering(monkeypatch, *answers) -> list[str]:
    """QMessageBox.question answers ``answers`` in turn; returns the questions asked."""
    left, asked = list(answers), []

    def question(*args):
        asked.append(args[2])
        return left.pop(0)

    monkeypatch.setattr(home_window_module.QMessageBox, "question", question)
    return asked


def test_next_card_says_the_earlier_check_was_not_saved(qtbot, blocked, tmp_path, monkeypatch):
    buttons = QMessageBox.StandardButton
    asked = _answering(monkeypatch, buttons.No, buttons.Yes)
    window = _captured(qtbot, home_window(qtbot, blocked))
    first = window.capture
    window.card.again_button.click()  # "No": the unsaved check stays on the card
    assert window.pages.currentIndex() == 1 and window.capture is first
    window.card.again_button.click()  # "Yes": a new check
    assert len(asked) == 2 and "not saved for your therapist" in asked[0]
    assert window.pages.currentIndex() == 0 or window.capture is not first
    qtbot.waitUntil(lambda: window.capture not in (None, first), timeout=15000)
    history = window.card.history.text()
    assert history.endswith("(not saved for your therapist)")
    assert len(HomeHistory().entries()) == 2


def test_check_again_after_a_saved_check_asks_nothing(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(home_window_module.QMessageBox, "question", lambda *a: pytest.fail("asked"))
    window = home_window(qtbot, tmp_path / "export")
    qtbot.waitUntil(lambda: window.written is not None, timeout=15000)
    first = window.written
    window.card.again_button.click()
    assert window.pages.currentIndex() == 0
    qtbot.waitUntil(lambda: window.written not in (None, first), timeout=15000)


def test_send_opens_the_folder(qtbot, tmp_path, monkeypatch):
    desktop = _Desktop(opened=True)
    monkeypatch.setattr(home_window_module, "QDesktopServices", desktop)
    window = home_window(qtbot, tmp_path / "export")
    qtbot.waitUntil(lambda: window.written is not None, timeout=15000)
    window.card.send_button.click()
    assert desktop.urls == [str(tmp_path / "export")]
    assert window.card.problem.isHidden()


def test_send_without_a_file_manager_shows_and_copies_the_folder(qtbot, tmp_path, monkeypatch):
    desktop = _Desktop(opened=False)
    monkeypatch.setattr(home_window_module, "QDesktopServices", desktop)
    window = home_window(qtbot, tmp_path / "export")
    qtbot.waitUntil(lambda: window.written is not None, timeout=15000)
    window.card.send_button.click()
    folder = str(tmp_path / "export")
    assert desktop.urls == [folder]
    assert not window.card.problem.isHidden()
    assert folder in window.card.problem.text()
    assert "could not be opened" in window.card.problem.text()
    flags = window.card.problem.textInteractionFlags()
    assert flags & home_window_module.Qt.TextInteractionFlag.TextSelectableByMouse
    assert QGuiApplication.clipboard().text() == folder
    assert str(window.written) in window.card.sent.text()  # the file is still saved


def test_quitting_with_an_unsaved_check_asks_and_cancel_keeps_it(qtbot, blocked, monkeypatch):
    buttons = QMessageBox.StandardButton
    asked = _answering(monkeypatch, buttons.Cancel, buttons.Close)
    window = _captured(qtbot, home_window(qtbot, blocked))
    first = window.capture
    window._on_quit_requested()  # Ctrl+Q; "Cancel": the window and the check stay
    assert len(asked) == 1 and "not saved for your therapist. Close anyway?" in asked[0]
    assert window.isVisible() and window.capture is first and window.pages.currentIndex() == 1
    window._on_quit_requested()  # "Close"
    assert len(asked) == 2 and not window.isVisible()


def test_closing_asks_nothing_after_a_saved_check_or_when_closed_by_a_signal(
    qtbot, blocked, tmp_path, monkeypatch
):
    monkeypatch.setattr(home_window_module.QMessageBox, "question", lambda *a: pytest.fail("asked"))
    saved = home_window(qtbot, tmp_path / "export")
    qtbot.waitUntil(lambda: saved.written is not None, timeout=15000)
    saved._on_quit_requested()
    assert not saved.isVisible()
    # Ctrl+C / SIGTERM in the terminal close every window from the program: no question.
    unsaved = _captured(qtbot, home_window(qtbot, blocked))
    assert unsaved.written is None
    unsaved.close()
    assert not unsaved.isVisible()
