"""The calibration wizard and the status-bar level indicator, with synthetic frames.

No model and no camera: the wizard reads frames from a stand-in for the main window's
latest result; the window test uses a fake pipeline and a source of board images.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from posture_cam.app_settings import AppSettings
from posture_cam.calibration import CalibrationProfile, load_profile, save_profile
from posture_cam.calibration.level import RollEstimate
from posture_cam.config import PipelineConfig
from posture_cam.pipeline import Pipeline
from posture_cam.sources import FrameSource
from posture_cam.testing import ScriptedEstimator, standing_pose
from posture_cam.types import Frame
from posture_cam.ui.calibration import steps
from posture_cam.ui.calibration.wizard import CalibrationWizard, summary_lines
from posture_cam.ui.window.main_window import MainWindow
from tests.calibration._helpers import DIST_TRUE, K_TRUE, lens_views, level_scene, marker_scene

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


class LiveStandIn:
    """What the wizard asks the main window for: the newest frame (and pose)."""

    def __init__(self) -> None:
        self.result = None

    def show(self, image: np.ndarray | None, pose=None) -> None:
        self.result = SimpleNamespace(
            frame=SimpleNamespace(image_bgr=image, source_id="camera:0"), pose_image=pose
        )

    def __call__(self):
        return self.result


def open_wizard(qtbot, live: LiveStandIn, profile: str, page: int) -> CalibrationWizard:
    wizard = CalibrationWizard("en", None, live, "camera:0")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.profile_page.names.setCurrentText(profile)
    assert wizard.profile_page.isComplete()
    while wizard.currentId() != page:
        wizard.next()
    return wizard


def close_wizard(wizard: CalibrationWizard) -> None:
    wizard.reject()
    job = wizard.lens_page.job
    assert job is None or job.isFinished(), "lens thread still running after close"


def test_profile_page_refuses_bad_names(qtbot):
    live = LiveStandIn()
    wizard = open_wizard(qtbot, live, "clinic", CalibrationWizard.PROFILE)
    wizard.profile_page.names.setCurrentText("no spaces/slashes")
    assert not wizard.profile_page.isComplete()
    assert "letters" in wizard.profile_page.summary.text()
    wizard.profile_page.names.setCurrentText("clinic")
    assert "nothing calibrated" in wizard.profile_page.summary.text()
    close_wizard(wizard)


def test_level_page_reads_the_board_and_keeps_other_fields(qtbot):
    save_profile(CalibrationProfile("clinic", cm_per_px=0.1, scale={"method": "marker"}))
    live = LiveStandIn()
    live.show(level_scene(roll_deg=2.5))
    wizard = open_wizard(qtbot, live, "clinic", CalibrationWizard.LEVEL)
    page = wizard.level_page
    qtbot.waitUntil(lambda: page.estimate is not None, timeout=3000)
    assert page.estimate.roll_deg == pytest.approx(2.5, abs=0.2)
    assert page.reading.text().startswith("camera tilted +2.")
    assert "corners" in page.reading.text()
    qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    profile = load_profile("clinic")
    assert profile.roll_deg == pytest.approx(2.5, abs=0.2)
    assert profile.level["method"] == "board"
    assert Path(profile.level["source"]).is_file()
    assert profile.cm_per_px == 0.1 and profile.scale == {"method": "marker"}  # kept
    assert profile.camera_id == "camera:0"
    assert "Saved: roll +2." in page.result.text()
    assert wizard.saved_profiles == {"clinic"}

    # No board: the page says what to do and cannot save.
    live.show(np.full((720, 1280, 3), 128, np.uint8))
    qtbot.waitUntil(lambda: page.estimate is None, timeout=3000)
    assert page.reading.text().startswith("no board in view: hang")
    assert not page.use_button.isEnabled()
    close_wizard(wizard)


def test_level_from_two_clicked_points(qtbot):
    live = LiveStandIn()
    frame = np.full((720, 1280, 3), 128, np.uint8)
    live.show(frame)
    wizard = open_wizard(qtbot, live, "door", CalibrationWizard.LEVEL)
    page = wizard.level_page
    qtbot.waitUntil(lambda: page.reading.text().startswith("no board"), timeout=3000)
    theta = np.radians(-3.0)  # a true vertical shown turned 3 deg clockwise
    p1 = np.array([640.0, 690.0])
    p2 = p1 + 620.0 * np.array([-np.sin(theta), -np.cos(theta)])
    for x, y in (p1, p2):
        w = page.image._to_widget(x, y)
        qtbot.mouseClick(
            page.image, Qt.MouseButton.LeftButton, pos=QPoint(round(w.x()), round(w.y()))
        )
    est = page.points_estimate()
    assert est is not None and est.roll_deg == pytest.approx(-3.0, abs=0.3)
    assert page.use_points_button.isEnabled()
    qtbot.mouseClick(page.use_points_button, Qt.MouseButton.LeftButton)
    profile = load_profile("door")
    assert profile.level["method"] == "points"
    assert profile.roll_deg == pytest.approx(est.roll_deg, abs=1e-3)
    page.clear_points()
    assert page.points_estimate() is None and not page.use_points_button.isEnabled()
    close_wizard(wizard)


def test_scale_page_marker_and_height(qtbot):
    live = LiveStandIn()
    live.show(marker_scene(210))
    wizard = open_wizard(qtbot, live, "clinic", CalibrationWizard.SCALE)
    page = wizard.scale_page
    page.marker_cm.setValue(15.0)
    qtbot.waitUntil(lambda: page.estimate is not None, timeout=3000)
    assert page.estimate.cm_per_px == pytest.approx(15.0 / 210, rel=0.01)
    qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    profile = load_profile("clinic")
    assert profile.scale["method"] == "marker"
    assert profile.cm_per_px == pytest.approx(15.0 / 210, rel=0.01)
    assert profile.image_size_wh == (1280, 720)

    # Height: the pose of the latest result, no model run. Another resolution is refused.
    live.show(np.zeros((480, 640, 3), np.uint8), standing_pose((640, 480), "front"))
    page.height_radio.setChecked(True)
    page.height_cm.setValue(172.0)
    qtbot.waitUntil(lambda: page.estimate is not None, timeout=3000)
    qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    assert "640x480" in page.result.text() and "1280x720" in page.result.text()
    pose = standing_pose((1280, 720), "front")
    live.show(np.zeros((720, 1280, 3), np.uint8), pose)
    qtbot.waitUntil(lambda: page.estimate is not None and page._source is live.result, timeout=3000)
    expected = page.estimate.cm_per_px
    qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    profile = load_profile("clinic")
    assert profile.scale["method"] == "height" and profile.scale["height_cm"] == 172.0
    assert profile.cm_per_px == pytest.approx(expected)
    live.show(np.zeros((720, 1280, 3), np.uint8), None)
    qtbot.waitUntil(lambda: page.reading.text().startswith("no person in view"), timeout=3000)
    assert not page.use_button.isEnabled()
    close_wizard(wizard)


@pytest.fixture(scope="module")
def synthetic_views():
    return lens_views(K_TRUE, DIST_TRUE)


def test_lens_page_captures_views_and_calibrates_in_a_thread(qtbot, synthetic_views):
    live = LiveStandIn()
    wizard = open_wizard(qtbot, live, "clinic", CalibrationWizard.LENS)
    page = wizard.lens_page
    live.show(np.full((540, 960, 3), 255, np.uint8))
    assert not page.capture() and "board corners in view" in page.reading.text()
    for i, (_name, image) in enumerate(synthetic_views):
        live.show(image)
        qtbot.mouseClick(page.capture_button, Qt.MouseButton.LeftButton)
        assert len(page.views) == i + 1
        assert page.calibrate_button.isEnabled() == (i + 1 >= 5)
    assert not page.capture() and "too much like view 9" in page.reading.text()
    assert page.count.text() == "9 views captured (need 5)"
    qtbot.mouseClick(page.calibrate_button, Qt.MouseButton.LeftButton)
    assert page.busy and not page.capture_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy and "RMS" in page.result.text(), timeout=20000)
    profile = load_profile("clinic")
    assert profile.has_lens and profile.lens["rms_px"] < 0.5
    assert profile.camera_matrix[0, 0] == pytest.approx(700.0, rel=0.02)
    assert profile.lens["num_views"] == 9
    # Done page: the summary shows the lens.
    while wizard.currentId() != CalibrationWizard.DONE:
        wizard.next()
    assert "Lens: reprojection error 0." in wizard.done_page.summary.text()
    assert "Level: not calibrated" in wizard.done_page.summary.text()
    close_wizard(wizard)


def test_closing_during_lens_calibration_waits_for_the_thread(qtbot, synthetic_views):
    live = LiveStandIn()
    wizard = open_wizard(qtbot, live, "clinic", CalibrationWizard.LENS)
    page = wizard.lens_page
    for _name, image in synthetic_views[:6]:
        live.show(image)
        assert page.capture()
    page.calibrate()
    assert page.busy
    close_wizard(wizard)  # waits; never terminates


# -- the main window ------------------------------------------------------------------


class BoardSource(FrameSource):
    """A video-like source of frames showing the board, camera rolled by ``roll_deg``."""

    kind = "video"
    is_stream = True

    def __init__(self, roll_deg: float) -> None:
        super().__init__("board")
        self.fps = 30.0
        self.frame_count = 60
        self._image = level_scene(roll_deg=roll_deg)

    def _frames(self):
        for i in range(self.frame_count):
            yield Frame(self._image, i, i * 1000.0 / 30.0, self.source_id)


class PlainRenderer:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def render(self, image_bgr, result, *, mirror=False):
        return image_bgr


def fake_pipeline(config: PipelineConfig, mode: str) -> Pipeline:
    profile = load_profile(config.profile) if config.profile else None
    return Pipeline(ScriptedEstimator([standing_pose((1280, 720), "front")]), config, profile)


def make_window(qtbot, roll_deg: float) -> MainWindow:
    win = MainWindow(
        "board",
        AppSettings(),
        PipelineConfig(),
        source_factory=lambda spec: BoardSource(roll_deg),
        pipeline_factory=fake_pipeline,
        renderer_factory=PlainRenderer,
        export_renderer_factory=PlainRenderer,
        persist=False,
    )
    qtbot.addWidget(win)
    win.show()
    return win


def close_window(win: MainWindow) -> None:
    worker = win.session.worker
    win.close()
    assert worker is None or worker.isFinished(), "worker thread still running after close"


@pytest.mark.parametrize(
    ("roll", "text"),
    [(3.1, "camera tilted +3.1°: calibrate level"), (0.3, "camera level: +0.3° ✓")],
)
def test_status_bar_level_indicator(qtbot, roll, text):
    win = make_window(qtbot, roll)
    qtbot.waitUntil(lambda: win.status_line.level_label.text() == text, timeout=5000)
    close_window(win)


def test_wizard_from_the_menu_applies_the_profile(qtbot):
    win = make_window(qtbot, 2.0)
    qtbot.waitUntil(lambda: win.latest is not None and win.latest.level is not None, timeout=5000)
    win.window_actions["calibration"].trigger()
    wizard = win.calibration.wizard
    assert wizard is not None and wizard.isVisible()
    wizard.profile_page.names.setCurrentText("clinic")
    while wizard.currentId() != CalibrationWizard.LEVEL:
        wizard.next()
    page = wizard.level_page
    qtbot.waitUntil(lambda: page.estimate is not None, timeout=3000)
    qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    assert load_profile("clinic").roll_deg == pytest.approx(2.0, abs=0.2)
    while wizard.currentId() != CalibrationWizard.DONE:
        wizard.next()
    assert "Level: camera roll +" in wizard.done_page.summary.text()
    old_worker = win.session.worker
    qtbot.mouseClick(wizard.done_page.apply_button, Qt.MouseButton.LeftButton)
    assert win.config.profile == "clinic" and win.settings.profile == "clinic"
    assert win.session.worker is not old_worker and old_worker.isFinished()
    assert "now uses profile 'clinic'" in wizard.done_page.applied.text()
    wizard.accept()
    assert win.calibration.wizard is None
    # The profile corrects +2.0 deg: the indicator says so.
    qtbot.waitUntil(
        lambda: "corrected by the profile" in win.status_line.level_label.text(), timeout=5000
    )
    close_window(win)


def test_profile_page_saves_the_printable_target_pdf(qtbot, tmp_path, monkeypatch):
    import subprocess

    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "target.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "PDF"))
    )
    wizard = open_wizard(qtbot, LiveStandIn(), "clinic", CalibrationWizard.PROFILE)
    page = wizard.profile_page
    note = " ".join(w.text() for w in page.findChildren(type(page.target_status)))
    assert "posture-cam calibration target" not in note, "the wizard must not send to a terminal"
    page.paper.setCurrentText("A4")
    page.save_target.click()
    assert target.read_bytes().startswith(b"%PDF")
    assert str(target) in page.target_status.text()
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    assert "ChArUco" in text and "scale marker" in text
    close_wizard(wizard)


def test_level_and_profile_numbers_in_dutch():
    """Numbers go through the language's format (fmt specs in the msgid): decimal comma,
    real minus sign."""
    tilted = steps.level_text(RollEstimate(-3.14, 0.1, "board", 30, ""), 0.0, "nl")
    assert tilted == "camera −3,1° gekanteld: kalibreer de waterpas"
    summary = steps.ProfileSummary("clinic", True, -0.5, 0.04321, None, (1280, 720))
    lines = summary_lines(summary, "nl")
    assert lines[:3] == [
        "Waterpas: camerakanteling −0,50°",
        "Schaal: 0,0432 cm per pixel",
        "Lens: niet gekalibreerd",
    ]
