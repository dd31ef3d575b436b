"""Installing the second keypoint model for photos from the *Pose model* menu: the entry
says what it downloads, installs on a thread of its own with its progress shown, says
when it failed, and measures an open photo again with both models once installed."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from posture_cam import paths
from posture_cam.app_settings import AppSettings
from posture_cam.config import PipelineConfig
from posture_cam.errors import ModelError
from posture_cam.pose.model import movenet_build
from posture_cam.testing import PassThroughRenderer
from posture_cam.ui.window.main_window import MainWindow
from tests.ui.window._helpers import make_window

PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"


@pytest.fixture(autouse=True)
def _no_checkout_models(monkeypatch):
    """A developer's models/ folder must not make the model look installed."""
    monkeypatch.setattr(paths, "repo_models_dir", lambda: None)


def _window(qtbot, builder, language="en") -> MainWindow:
    """The window on the synthetic source, installing with ``builder``."""
    return make_window(qtbot, window={"second_model_builder": builder}, language=language)


def _real_window(qtbot, builder, photo, model_path) -> MainWindow:
    """The window on a real photo with the real pose model, installing with ``builder``."""
    win = MainWindow(
        str(photo),
        AppSettings(),
        PipelineConfig(model_path=str(model_path)),
        renderer_factory=PassThroughRenderer,
        export_renderer_factory=PassThroughRenderer,
        second_model_builder=builder,
    )
    qtbot.addWidget(win)
    win.show()
    return win


def test_the_entry_installs_with_progress_and_a_failure_is_one_notice(qtbot):
    release = threading.Event()
    calls: list[int] = []

    def failing(progress):
        calls.append(1)
        progress(0, 100)
        progress(37, 100)
        release.wait(10)
        raise ModelError("registry.npmjs.org: no route to host")

    win = _window(qtbot, failing)
    entry = win.second_model.action
    assert entry in win.window_actions.menus["model_variant"].actions()
    assert entry.isEnabled()
    assert entry.text() == "Install the second keypoint model for photos (145 MB download)"
    assert not win.second_model.installing  # nothing is fetched unasked
    entry.trigger()
    qtbot.waitUntil(lambda: "37 %" in entry.text(), timeout=5000)
    assert not entry.isEnabled()
    assert win.notice.text.text() == "Downloading the second keypoint model for photos… 37 %"
    entry.trigger()  # disabled while it runs; asking again starts nothing
    win.second_model.install()
    release.set()
    qtbot.waitUntil(lambda: not win.second_model.installing, timeout=5000)
    assert calls == [1]
    assert win.notice.is_error
    assert win.notice.text.text() == (
        "The second keypoint model could not be installed: registry.npmjs.org: no route to host"
    )
    assert entry.isEnabled() and entry.text().startswith("Install")  # can be tried again
    win.close()


def test_the_entry_speaks_dutch_and_says_when_it_is_installed(qtbot, tmp_path):
    win = _window(qtbot, lambda progress: tmp_path, language="nl")
    entry = win.second_model.action
    assert entry.text() == "Het tweede keypointmodel voor foto's installeren (download van 145 MB)"
    installed = paths.models_dir() / movenet_build.FILE_NAME
    win.second_model._find_installed = lambda: installed  # installed from the CLI meanwhile
    win.window_actions.menus["menu_settings"].aboutToShow.emit()
    assert entry.text() == "Tweede keypointmodel voor foto's: geïnstalleerd"
    assert not entry.isEnabled()
    win.close()


@pytest.mark.media
@pytest.mark.slow
def test_installing_measures_the_open_photo_again_with_both_models(
    qtbot, media, model_path, movenet_model
):
    def copy_in(progress) -> Path:
        target = paths.models_dir() / movenet_build.FILE_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", ".sha256"):
            shutil.copyfile(str(movenet_model) + suffix, str(target) + suffix)
        progress(movenet_build.TARBALL_SIZE_BYTES, movenet_build.TARBALL_SIZE_BYTES)
        return target

    win = _real_window(qtbot, copy_in, media(PHOTO), model_path)
    qtbot.waitUntil(lambda: win.latest is not None, timeout=60_000)
    assert win.session.source_info.landmark_models == ("pose_landmarker_full.task",)
    first = win.latest
    win.second_model.action.trigger()
    both = ("pose_landmarker_full.task", movenet_build.FILE_NAME)

    def measured_again() -> bool:
        info, latest = win.session.source_info, win.latest
        return latest is not None and latest is not first and info.landmark_models == both

    qtbot.waitUntil(measured_again, timeout=60_000)
    assert win.notice.text.text() == (
        "Second keypoint model installed: measuring the photo again with both models."
    )
    assert win.second_model.action.text() == "Second keypoint model for photos: installed"
    win.session.refresh_status()
    assert "standard + second keypoint model" in win.status_line.status_label.text()
    worker = win.session.worker
    win.close()
    assert worker is None or worker.wait(1000)
