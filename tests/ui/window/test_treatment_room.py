"""Treatment-room UX (issue #11 item 3) with fakes at the seams: no model, no camera.

Each test drives the real window the way a therapist would (keys, menus, dialogs)
and checks what is shown, saved or offered.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from posture_cam.app_settings import AppSettings
from posture_cam.capture import snapshot
from posture_cam.config import PipelineConfig
from posture_cam.overlay.stamp import WARNING_COLOR
from posture_cam.testing import PassThroughRenderer
from posture_cam.ui.widgets.video_view import person_box01
from posture_cam.ui.window.main_window import MainWindow
from tests.ui.window._helpers import fake_pipeline, make_window, synthetic_source

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def force_failing_gate(qtbot, win: MainWindow) -> None:
    """A side view forced on the synthetic frontal figure fails the quality gate."""
    qtbot.waitUntil(lambda: win.latest is not None, timeout=5000)
    win.set_view_index(3)
    qtbot.waitUntil(lambda: win.latest.result.view.forced, timeout=5000)
    assert not win.latest.result.quality.ok


# -- 1. Space always saves what is shown ----------------------------------------------


def test_space_saves_a_failing_capture_marked_not_clinical(qtbot):
    win = make_window(qtbot, countdown_s=0.0, hold_s=0.2)
    force_failing_gate(qtbot, win)
    with qtbot.waitSignal(win.snapshots.saved, timeout=8000) as blocker:
        win.window_actions["snapshot"].trigger()
    files = blocker.args[0]
    record = json.loads(files.sidecar.read_text())
    marked = record["clinical_quality"]
    assert marked["ok"] is False and marked["reasons"], marked
    assert marked["reason_codes"] and all("code" in c for c in marked["reason_codes"])
    assert record["quality"]["frames_ok"] == 0 and record["quality"]["frames"] >= 1
    # The notice says so, with the reason, and stays until dismissed.
    text = win.notice.text.text()
    assert "not clinical quality" in text and marked["reasons"][0].split(":")[0] in text
    assert win.notice.is_error
    # The PNG carries the amber warning band at the top.
    import cv2

    png = cv2.imdecode(np.frombuffer(files.png.read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    top = png[: png.shape[0] // 6].reshape(-1, 3).astype(int)
    amber = np.all(np.abs(top - np.array(WARNING_COLOR)) < 40, axis=1)
    assert amber.sum() > 20, "no warning text stamped in the image"
    win.close()


def test_clinical_capture_is_not_marked(qtbot):
    win = make_window(qtbot, countdown_s=0.0, hold_s=0.2)
    qtbot.waitUntil(lambda: win.latest is not None and win.latest.result.quality.ok, timeout=5000)
    with qtbot.waitSignal(win.snapshots.saved, timeout=8000) as blocker:
        win.take_snapshot()
    record = json.loads(blocker.args[0].sidecar.read_text())
    assert record["clinical_quality"] == {"ok": True, "reasons": [], "reason_codes": []}
    assert record["markers"] is None  # no stickers asked for (with them: the block)
    assert not win.notice.is_error
    win.close()


def test_strict_setting_is_a_menu_toggle_saved_in_the_settings_file(qtbot):
    from posture_cam.app_settings import load_settings

    win = make_window(qtbot, countdown_s=0.0, hold_s=0.2)
    action = win.window_actions["strict_quality"]
    assert action.isCheckable() and not action.isChecked()
    action.trigger()
    assert win.settings.strict_quality and load_settings().strict_quality
    force_failing_gate(qtbot, win)
    with qtbot.waitSignal(win.snapshots.failed, timeout=8000):
        win.take_snapshot()
    assert not list(snapshot.paths.sessions_dir().rglob("*.png"))
    win.close()


# -- 4. Notices expire and never move the layout ---------------------------------------


def test_notices_float_over_the_video_and_information_expires(qtbot):
    win = make_window(qtbot)
    qtbot.waitUntil(lambda: win.video.shown is not None, timeout=5000)
    before = (win.stack.geometry(), win.video.size())
    win.notice.expire_ms = 1500
    win.notice.show_notice("Snapshot saved in /tmp/x", "Open folder")
    assert win.notice.isVisible()
    assert (win.stack.geometry(), win.video.size()) == before, "the notice moved the layout"
    assert win.notice.geometry().top() == 0 and win.notice.width() == win.stack.width()
    qtbot.waitUntil(lambda: not win.notice.isVisible(), timeout=6000)
    win.notice.show_notice("Snapshot not saved: disk full", error=True)
    qtbot.wait(2000)
    assert win.notice.isVisible(), "an error must stay until dismissed"
    win.notice.close_button.click()
    assert not win.notice.isVisible()
    assert (win.stack.geometry(), win.video.size()) == before
    win.close()


# -- 8. Every command-line flag of ``posture-cam app`` shows in the window ------------------


def window_from_command_line(qtbot, argv: list[str]) -> MainWindow:
    import dataclasses

    from posture_cam.cli import build_parser
    from posture_cam.cli.app import overrides

    args = build_parser().parse_args(["app", *argv])
    config, settings = overrides(args)
    win = make_window(qtbot, config=PipelineConfig(**config))
    win.store.settings = dataclasses.replace(win.store.settings, **settings)
    win.store.settingsChanged.emit(win.store.settings)
    win.retranslate()
    return win


def test_command_line_flags_are_reflected_in_the_window(qtbot):
    argv = ["--view", "left", "--profile", "clinic", "--mirror", "--skeleton-only"]
    argv += ["--privacy", "blur_face", "--lang", "nl", "--variant", "lite"]
    win = window_from_command_line(qtbot, argv)
    a = win.window_actions
    assert win.side.view_combo.currentIndex() == 3 and a.views[3].isChecked()
    assert win.side.view_combo.currentText() == "Linkerzijaanzicht"
    assert "clinic" in win.side.profile_label.text()
    assert "clinic" in win.status_line.profile_label.text()  # also in the status bar
    assert win.side.mirror_check.isChecked() and a["mirror"].isChecked()
    assert a["skeleton_only_display"].isChecked()
    assert a.privacy["blur_face"].isChecked()
    assert a.languages["nl"].isChecked() and win.side.snapshot_button.text().startswith(
        "Momentopname"
    )
    assert a.variants["lite"].isChecked()
    win.close()


def test_view_flag_alone_sets_the_view_box(qtbot):
    win = make_window(qtbot, config=PipelineConfig(view="right"))
    assert win.side.view_combo.currentIndex() == 4
    qtbot.waitUntil(lambda: win.latest is not None, timeout=5000)
    assert win.latest.result.view.forced and str(win.latest.result.view.view) == "right"
    win.close()


# -- 5. Retry only for cameras; a camera chooser by name with a preview ------------------


def test_retry_is_offered_for_cameras_only(qtbot):
    from posture_cam.live import LiveError

    win = make_window(qtbot, source="clip.mp4")
    qtbot.waitUntil(lambda: win.latest is not None, timeout=5000)
    assert not win.window_actions["retry_camera"].isEnabled()
    win._on_live_failed(LiveError("input", "clip.mp4: cannot read this file"))
    assert win.stack.currentWidget() is win.empty
    assert win.empty.retry_button.isHidden()
    assert not win.empty.open_file_button.isHidden()
    win.session.start("0")
    assert win.window_actions["retry_camera"].isEnabled()
    win._on_live_failed(LiveError("camera", "camera 0 gives no image"))
    assert not win.empty.retry_button.isHidden()
    win.close()


def test_camera_chooser_lists_devices_by_name_and_previews_the_selected_one(qtbot, tmp_path):
    from posture_cam.sources import CameraDevice, video4linux_cameras
    from posture_cam.ui.dialogs.camera_chooser import CameraChooser

    # A fake sysfs tree: one webcam with its metadata node, and a capture card.
    for node, index, name in (
        ("video0", "0", "Integrated Camera"),
        ("video1", "1", "Integrated Camera"),
        ("video2", "0", "USB Capture HDMI"),
    ):
        (tmp_path / node).mkdir()
        (tmp_path / node / "index").write_text(index + "\n")
        (tmp_path / node / "name").write_text(name + "\n")
    devices = video4linux_cameras(tmp_path)
    assert devices == [CameraDevice(0, "Integrated Camera"), CameraDevice(2, "USB Capture HDMI")]

    opened, closed = [], []

    def grabber(index):
        opened.append(index)
        frame = np.full((120, 160, 3), 60 * (index + 1), np.uint8)
        return (lambda: frame), (lambda: closed.append(index))

    dialog = CameraChooser("en", current=2, devices=devices, grabber_factory=grabber)
    qtbot.addWidget(dialog)
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert texts == ["0 — Integrated Camera", "2 — USB Capture HDMI"]
    assert dialog.chosen_index == 2 and opened == [2]
    assert not dialog.preview.pixmap().isNull()
    dialog.list.setCurrentRow(0)
    assert opened == [2, 0] and closed == [2]
    dialog.reject()
    assert closed == [2, 0], "the preview camera must be released when the dialog closes"


def test_choosing_a_camera_releases_the_live_one_and_starts_the_choice(qtbot, monkeypatch):
    from posture_cam.ui.dialogs import camera_chooser

    win = make_window(qtbot, source="0")
    qtbot.waitUntil(lambda: win.latest is not None, timeout=5000)
    seen = {}

    def fake_ask(parent, language, current):
        seen["worker_during_dialog"] = win.session.worker
        return 2

    monkeypatch.setattr(camera_chooser, "ask_camera", fake_ask)
    win.window_actions["choose_camera"].trigger()
    assert seen["worker_during_dialog"] is None
    assert win.session.current_spec() == "2" and win.settings.camera_index == 2
    monkeypatch.setattr(camera_chooser, "ask_camera", lambda *a: None)
    win.sources.choose_camera()
    assert win.session.current_spec() == "2" and win.session.worker is not None
    win.close()


# -- 6. Unavailable model variants: disabled with the reason; a failed choice does not stick


def window_with(qtbot, pipeline_factory, online: bool) -> MainWindow:
    win = MainWindow(
        "synthetic",
        AppSettings(),
        PipelineConfig(),
        source_factory=synthetic_source,
        pipeline_factory=pipeline_factory,
        renderer_factory=PassThroughRenderer,
        export_renderer_factory=PassThroughRenderer,
        net_check=lambda: online,
    )
    qtbot.addWidget(win)
    return win


def test_model_variants_offline_are_disabled_with_a_plain_reason(qtbot, monkeypatch):
    from posture_cam.ui.window import model_menu

    monkeypatch.setattr(model_menu, "find_cached", lambda variant: None)
    win = window_with(qtbot, fake_pipeline, online=False)
    variants = win.window_actions.variants
    # Privacy: nothing is checked on the network until the menu is opened.
    assert win.models.availability.online is None and not win.models.availability._started
    win.window_actions.menus["menu_settings"].aboutToShow.emit()
    qtbot.waitUntil(lambda: not variants["lite"].isEnabled(), timeout=3000)
    assert not variants["heavy"].isEnabled() and variants["full"].isEnabled()
    tip = variants["lite"].toolTip()
    assert "internet" in tip and "MB" in tip
    assert "--model" not in tip and "POSTURE_CAM" not in tip
    win.close()


def test_a_model_that_fails_to_load_does_not_stick(qtbot):
    from posture_cam.errors import ModelError

    def pipeline(config, mode):
        if config.model_variant == "heavy":
            raise ModelError("no pose_landmarker_heavy.task found: pass --model PATH")
        return fake_pipeline(config, mode)

    win = window_with(qtbot, pipeline, online=True)
    qtbot.waitUntil(lambda: win.latest is not None, timeout=5000)
    win.window_actions.variants["heavy"].trigger()
    qtbot.waitUntil(lambda: win.store.config.model_variant == "full", timeout=5000)
    assert win.settings.model_variant == "full"
    assert win.window_actions.variants["full"].isChecked()
    text = win.notice.text.text()
    assert "precise (slow)" in text and "standard" in text and "--model" not in text
    # No error page: the live view goes on with the previous model.
    qtbot.waitUntil(lambda: win.latest is not None, timeout=5000)
    assert win.stack.currentWidget() is win.video
    win.close()


# -- 9. A forced view that contradicts the body says so instead of flagging ----------------


def test_a_forced_view_that_contradicts_the_body_is_not_judged(qtbot):
    from posture_cam.types import MetricStatus

    win = make_window(qtbot)
    qtbot.waitUntil(lambda: win.latest is not None, timeout=5000)
    assert win.side.view_warning.isHidden()
    win.set_view_index(3)  # "Left side" on a figure that squarely faces the camera
    qtbot.waitUntil(lambda: win.latest.result.view.forced, timeout=5000)
    result = win.latest.result
    assert result.view.reason and "contradicts" in result.view.reason
    assert result.metrics, "the side metrics are still listed"
    assert all(m.status == MetricStatus.NOT_MEASURABLE for m in result.metrics.values())
    assert all("contradicts" in m.reason for m in result.metrics.values())
    qtbot.waitUntil(win.side.view_warning.isVisible, timeout=3000)
    assert "Left side" in win.side.view_warning.text()
    win.side.metrics_panel.update_result(result, force=True)
    for row in win.side.metrics_panel.row_texts().values():
        assert "outside" not in row[3] and "borderline" not in row[3]
    win.set_view_index(1)  # "Front" matches: judged again, the warning goes
    qtbot.waitUntil(lambda: str(win.latest.result.view.view) == "front", timeout=5000)
    qtbot.waitUntil(win.side.view_warning.isHidden, timeout=3000)
    assert not win.latest.result.view.reason
    win.close()


# -- 11. Zoom and pan on the subject ------------------------------------------------------


def test_window_keys_wheel_and_drag(qtbot):
    from PySide6.QtCore import QPoint, QPointF, Qt

    win = make_window(qtbot)
    qtbot.waitUntil(lambda: win.video.shown is not None, timeout=5000)
    video = win.video
    win.window_actions["zoom_in"].trigger()
    assert video.zoom.zoom == pytest.approx(1.25)
    win.window_actions["zoom_fit"].trigger()
    assert video.zoom.is_fit
    centre = QPointF(video.width() / 2, video.height() / 2)
    video.zoom_by(2.0, centre)
    before = (video.zoom.pan_x, video.zoom.pan_y)
    qtbot.mousePress(video, Qt.MouseButton.LeftButton, pos=QPoint(200, 200))
    qtbot.mouseMove(video, QPoint(150, 180))
    qtbot.mouseRelease(video, Qt.MouseButton.LeftButton, pos=QPoint(150, 180))
    assert (video.zoom.pan_x, video.zoom.pan_y) != before
    win.window_actions["zoom_fit"].trigger()
    assert win.window_actions["zoom_person"].isEnabled()
    assert video.zoom_to_person() and video.zoom.zoom > 1.0
    # The box it zooms to reaches above the topmost landmark (the eyes) to the crown,
    # ~6 % of the body higher (Z cut the top of a seated patient's head).
    pose = video.shown.result.pose_image
    top, bottom = np.nanmin(pose.xy_px[:, 1]), np.nanmax(pose.xy_px[:, 1])
    _x, box_y, _w, box_h = person_box01(pose)
    frame_h = pose.resolution_wh[1]
    assert box_y * frame_h <= top - 0.06 * (bottom - top)
    assert (box_y + box_h) * frame_h >= bottom - 1e-6
    win.close()


def test_the_picture_has_the_keyboard_so_space_is_a_snapshot(qtbot):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QLineEdit

    win = make_window(qtbot)
    field = QLineEdit()
    win.add_side_widget(field)  # like the patient-code field of the visit panel
    qtbot.waitUntil(lambda: win.video.shown is not None, timeout=5000)
    win.activateWindow()
    field.setFocus()
    qtbot.mouseClick(win.video, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    assert win.video.hasFocus() or win.focusWidget() is win.video
    win.close()


def test_the_snapshot_picture_gets_the_same_plus_minus_as_its_json(qtbot):
    # The burned-in panel had values and norms only: the ± lived in the JSON alone.
    from posture_cam.testing import PassThroughRenderer

    seen = []

    class Recording(PassThroughRenderer):
        def render(self, image_bgr, result, *, mirror=False, plus_minus=None):
            seen.append(plus_minus)
            return super().render(image_bgr, result, mirror=mirror)

    win = make_window(
        qtbot, countdown_s=0.0, hold_s=0.2, window={"export_renderer_factory": Recording}
    )
    qtbot.waitUntil(lambda: win.latest is not None and win.latest.result.quality.ok, timeout=5000)
    with qtbot.waitSignal(win.snapshots.saved, timeout=8000) as blocker:
        win.take_snapshot()
    record = json.loads(blocker.args[0].sidecar.read_text())
    given = seen[-1]
    assert given and given == {mid: m["uncertainty"] for mid, m in record["metrics"].items()}
    assert any(v is not None for v in given.values())
    win.close()
