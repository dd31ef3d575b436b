"""No camera: the home window says why and offers to try again, choose a camera or open
a video, and no longer says that the check starts by itself."""

from __future__ import annotations

import posture_cam.ui.home.home_window as home_window_module
from posture_cam.app_settings import load_settings
from posture_cam.errors import CameraError
from posture_cam.i18n import using_language
from tests.ui.home._helpers import home_window, synthetic_source

NO_CAMERA = "camera 0: could not be opened (is it connected and not used by another app?)"
STARTS = "Sit or stand as you normally do. The check starts by itself."


class _Sources:
    """A source factory with no camera until ``plug_in``; records the specs asked for."""

    def __init__(self) -> None:
        self.specs: list[str] = []
        self.camera = False
        self._synthetic = synthetic_source()

    def __call__(self, spec: str):
        self.specs.append(spec)
        if spec.isdigit() and not self.camera:
            raise CameraError(NO_CAMERA)
        return self._synthetic(spec)


def _no_camera(qtbot, tmp_path, sources):
    window = home_window(qtbot, tmp_path / "export", source="0", source_factory=sources)
    qtbot.waitUntil(lambda: window.source_error is not None, timeout=10000)
    return window


def test_no_camera_says_why_and_what_to_do(qtbot, tmp_path):
    window = _no_camera(qtbot, tmp_path, _Sources())
    problem = window.source_problem
    assert window.instruction.text() == "No camera image"
    assert window.view_pages.currentWidget() is problem
    assert problem.message.text() == NO_CAMERA
    for button, text in (
        (problem.retry_button, "Try again"),
        (problem.choose_camera_button, "Choose camera…"),
        (problem.open_video_button, "Open a video…"),
    ):
        assert not button.isHidden() and button.text() == text
    assert window.hint.text() != STARTS
    assert window.hint.text() == "The check starts by itself once there is a picture."
    assert window.levels.isHidden()


def test_try_again_once_the_camera_is_plugged_in(qtbot, tmp_path):
    sources = _Sources()
    window = _no_camera(qtbot, tmp_path, sources)
    sources.camera = True
    window.source_problem.retry_button.click()
    assert window.source_error is None and window.view_pages.currentWidget() is window.video
    assert window.hint.text() == STARTS and not window.levels.isHidden()
    qtbot.waitUntil(lambda: window.written is not None, timeout=15000)
    assert sources.specs == ["0", "0"]


def test_choose_another_camera(qtbot, tmp_path, monkeypatch):
    sources = _Sources()
    monkeypatch.setattr(
        home_window_module.camera_chooser, "ask_camera", lambda parent, lang, current: 2
    )
    window = _no_camera(qtbot, tmp_path, sources)
    sources.camera = True
    window.source_problem.choose_camera_button.click()
    assert window.source == "2" and load_settings().camera_index == 2
    qtbot.waitUntil(lambda: window.written is not None, timeout=15000)
    assert sources.specs == ["0", "2"]


def test_cancelled_camera_choice_keeps_the_problem_shown(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(
        home_window_module.camera_chooser, "ask_camera", lambda parent, lang, current: None
    )
    window = _no_camera(qtbot, tmp_path, _Sources())
    window.source_problem.choose_camera_button.click()
    assert window.source == "0" and window.view_pages.currentWidget() is window.source_problem


def test_open_a_video_instead(qtbot, tmp_path, monkeypatch):
    sources = _Sources()
    monkeypatch.setattr(home_window_module, "ask_video", lambda parent: "clip.mp4")
    window = _no_camera(qtbot, tmp_path, sources)
    window.source_problem.open_video_button.click()
    assert window.source == "clip.mp4"
    qtbot.waitUntil(lambda: window.written is not None, timeout=15000)
    assert sources.specs == ["0", "clip.mp4"]


def test_a_photo_chosen_under_all_files_is_refused_in_the_window(qtbot, tmp_path, monkeypatch):
    # A photo is one frame: the check would wait for ever for 2 s of them.
    sources = _Sources()
    monkeypatch.setattr(home_window_module, "ask_video", lambda parent: "selfie.JPG")
    window = _no_camera(qtbot, tmp_path, sources)
    window.source_problem.open_video_button.click()
    assert sources.specs == ["0"]  # never opened
    assert window.view_pages.currentWidget() is window.source_problem
    assert "a photo cannot be a home check" in window.source_error.message
    assert "selfie.JPG" in window.source_error.message


def test_a_video_that_cannot_be_opened_offers_no_retry(qtbot, tmp_path):
    def broken(spec):
        raise CameraError("clip.mp4: cannot be read")

    window = home_window(qtbot, tmp_path / "export", source="clip.mp4", source_factory=broken)
    qtbot.waitUntil(lambda: window.source_error is not None, timeout=10000)
    assert window.source_problem.retry_button.isHidden()
    assert not window.source_problem.open_video_button.isHidden()


def test_no_camera_in_dutch(qtbot, tmp_path):
    with using_language("nl"):
        window = _no_camera(qtbot, tmp_path, _Sources())
        texts = (
            window.instruction.text(),
            window.hint.text(),
            window.source_problem.retry_button.text(),
            window.source_problem.choose_camera_button.text(),
            window.source_problem.open_video_button.text(),
        )
    assert texts == (
        "Geen camerabeeld",
        "De meting begint vanzelf zodra er een beeld is.",
        "Opnieuw proberen",
        "Camera kiezen…",
        "Video openen…",
    )
