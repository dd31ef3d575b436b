"""Home window with fakes: it guides, captures and writes the file with no key press."""

from __future__ import annotations

import stat

import pytest

from posture_cam.home import load_home_check
from posture_cam.home.history import HomeHistory
from posture_cam.i18n import using_language
from posture_cam.pipeline import Pipeline
from posture_cam.testing import ScriptedEstimator, SyntheticFrameSource, upper_body_pose


def _window(qtbot, tmp_path, poses, *, count=200):
    from posture_cam.ui.home.home_window import HomeWindow

    pose = upper_body_pose(shoulder_tilt_deg=3.0)
    window = HomeWindow(
        "synthetic",
        tmp_path / "export",
        source_factory=lambda spec: SyntheticFrameSource(pose, count=count, fps=25.0),
        pipeline_factory=lambda config, mode: Pipeline(ScriptedEstimator(poses)),
        hold_s=1.0,
    )
    qtbot.addWidget(window)
    window.show()
    return window


def test_captures_and_writes_the_file_without_a_key(qtbot, tmp_path):
    window = _window(qtbot, tmp_path, [None] * 10 + [upper_body_pose(shoulder_tilt_deg=3.0)] * 1000)
    qtbot.waitUntil(lambda: window.written is not None, timeout=15000)
    assert window.pages.currentIndex() == 1  # the result card
    assert window.worker is None  # the live view stopped
    path = window.written
    assert path.parent == tmp_path / "export"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    check = load_home_check(path)
    assert check.setting == "home" and check.view == "front"
    assert check.metrics["shoulder_tilt"]["value"] == pytest.approx(3.0, abs=0.05)
    assert "Your right shoulder sits 3° lower than your left" in window.card.lines.text()
    assert str(path) in window.card.sent.text()
    (entry,) = HomeHistory().entries()
    assert entry.file == str(path) and entry.check_id == check.check_id
    assert window.capture_wall_s is not None and window.capture_wall_s > 1.0
    # The card's picture is shown whole in the room it has: it was scaled to 560 px
    # and cut at the label's right edge, hiding the shoulder value's side.
    shown = window.picture.pixmap()
    assert 0 < shown.width() <= window.picture.width()
    assert 0 < shown.height() <= window.picture.height()
    full = window.picture._full
    assert abs(shown.width() / shown.height() - full.width() / full.height()) < 0.02


def test_check_again_and_the_last_check_in_dutch(qtbot, tmp_path):
    with using_language("nl"):
        window = _window(qtbot, tmp_path, [upper_body_pose(shoulder_tilt_deg=3.0)])
        qtbot.waitUntil(lambda: window.written is not None, timeout=15000)
        first = window.written
        window.card.again_button.click()
        assert window.pages.currentIndex() == 0 and window.worker is not None
        qtbot.waitUntil(lambda: window.written not in (None, first), timeout=15000)
        text = window.card.lines.text()
    assert "Uw rechterschouder staat 3° lager dan uw linker; vorige keer 3°" in text
    assert len(HomeHistory().entries()) == 2


def test_nobody_in_view_keeps_guiding(qtbot, tmp_path):
    window = _window(qtbot, tmp_path, [None], count=60)
    qtbot.waitUntil(lambda: window.session.state.elapsed_s > 0.5, timeout=10000)
    assert window.instruction.text() == "Step into view"
    assert window.written is None
    window.close()
