"""The window's composed parts on their own: the side panel (signals out, settings in
without echo, the view warning) and the snapshot desk (one session folder per data
folder)."""

from __future__ import annotations

import dataclasses

import pytest

from posture_cam.testing import standing_pose
from posture_cam.types import View, ViewEstimate
from posture_cam.ui.window.side_panel import SidePanel
from posture_cam.ui.window.status_line import StatusLine

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def make_panel(qtbot, language: str = "en") -> SidePanel:
    panel = SidePanel(language)
    qtbot.addWidget(panel)
    panel.retranslate(language)
    panel.show()
    return panel


def test_user_choices_come_out_as_signals(qtbot):
    panel = make_panel(qtbot)
    with qtbot.waitSignal(panel.viewChosen) as chosen:
        panel.choose_view("left")
    assert chosen.args == ["left"]
    with qtbot.waitSignal(panel.viewChosen) as chosen:
        panel.view_combo.setCurrentIndex(0)
    assert chosen.args == [None]  # automatic
    with qtbot.waitSignal(panel.mirrorToggled) as toggled:
        panel.mirror_check.click()
    assert toggled.args == [True]
    with qtbot.waitSignal(panel.snapshotRequested):
        panel.snapshot_button.click()


def test_settings_are_shown_without_echo_and_survive_a_language_switch(qtbot):
    panel = make_panel(qtbot)
    echoed: list[object] = []
    panel.viewChosen.connect(echoed.append)
    panel.mirrorToggled.connect(echoed.append)
    panel.show_settings(True, "back")
    assert panel.mirror_check.isChecked() and panel.view_combo.currentIndex() == 2
    panel.retranslate("nl")
    assert panel.view_combo.currentIndex() == 2  # refilled in Dutch, choice kept
    assert panel.view_combo.currentText() == "Achteraanzicht"
    assert panel.snapshot_button.text().startswith("Momentopname")
    assert echoed == []


def test_the_view_warning_follows_the_result(qtbot):
    from posture_cam.config import PipelineConfig
    from posture_cam.pipeline import Pipeline
    from posture_cam.testing import ScriptedEstimator, SyntheticFrameSource

    pose = standing_pose((640, 480), "front")
    pipeline = Pipeline(ScriptedEstimator([pose]), PipelineConfig())
    result = pipeline.process(next(iter(SyntheticFrameSource(pose, count=1))))
    panel = make_panel(qtbot)
    contradicted = ViewEstimate(View.LEFT, 1.0, forced=True, reason="the body faces the camera")
    panel.show_result(dataclasses.replace(result, view=contradicted))
    assert panel.view_warning.isVisible() and "Left side" in panel.view_warning.text()
    panel.show_result(result)
    assert panel.view_warning.isHidden()
    assert panel.metrics_panel.row_texts()["shoulder_tilt"][1]  # the numbers are shown
    panel.clear()
    assert panel.metrics_panel.row_texts() == {} and panel.detected_label.text() == ""


def test_status_line_shows_profile_level_and_status(qtbot):
    from PySide6.QtWidgets import QMainWindow

    win = QMainWindow()
    qtbot.addWidget(win)
    line = StatusLine(win.statusBar())
    line.show_profile("Profile: clinic", warn=True)
    line.show_status("30 fps", "level 0.4°")
    assert line.profile_label.text() == "Profile: clinic" and "b36b00" in (
        line.profile_label.styleSheet()
    )
    assert (line.status_label.text(), line.level_label.text()) == ("30 fps", "level 0.4°")
    line.show_status("", "")
    assert line.status_label.text() == "" and line.level_label.text() == ""


def test_snapshot_desk_makes_a_new_session_folder_when_the_data_folder_changes(qtbot, tmp_path):
    from posture_cam.app_settings import AppSettings
    from posture_cam.config import PipelineConfig
    from posture_cam.pipeline import Pipeline
    from posture_cam.testing import PassThroughRenderer, ScriptedEstimator, SyntheticFrameSource
    from posture_cam.ui.window.main_window import MainWindow

    pose = standing_pose((640, 480), "front")
    win = MainWindow(
        "synthetic",
        AppSettings(),
        PipelineConfig(),
        source_factory=lambda spec: SyntheticFrameSource(pose, count=60, fps=30.0),
        pipeline_factory=lambda config, mode: Pipeline(ScriptedEstimator([pose]), config),
        renderer_factory=PassThroughRenderer,
        export_renderer_factory=PassThroughRenderer,
        persist=False,
    )
    qtbot.addWidget(win)
    first = win.session_dir()
    assert win.session_dir() == first  # one folder per run
    win.store.update(data_folder=str(tmp_path / "elsewhere"))
    moved = win.session_dir()
    assert moved.parent == tmp_path / "elsewhere"
    win.store.update(data_folder=None)  # "default folder" again: not the other one
    assert win.session_dir().parent != tmp_path / "elsewhere"
    win.close()
    assert win.session.wait_for_retired(5.0)
