"""``VisitController``: the stored image the overview shows and the report holds follow
the window's privacy settings, also when they change while the overview is open."""

from __future__ import annotations

from posture_cam.app_settings import AppSettings
from posture_cam.ui.records.visit_controller import VisitController, VisitState
from tests.ui.records._helpers import FakeSession, FakeSettingsStore


def test_overview_and_report_images_follow_the_privacy_settings(qtbot, tmp_path) -> None:
    store = FakeSettingsStore(AppSettings(export_privacy="skeleton_only"))
    controller = VisitController(FakeSession(), settings=store)
    assert controller.image_privacy(shown=True) == "skeleton"
    controller.patient = {"code": "P-1"}
    controller.visit = VisitState(("front",), visit_id=3)
    _store, code, _out, options = controller.report.arguments(tmp_path / "r.pdf", "en")
    assert (code, options.visit_id, options.privacy) == ("P-1", 3, "skeleton")

    with qtbot.waitSignal(controller.changed):
        store.update(export_privacy="none")
    assert controller.image_privacy(shown=False) == "full"
    with qtbot.waitSignal(controller.changed):
        store.update(display_skeleton_only=True)  # the screen hides the patient now
    assert controller.image_privacy(shown=True) == "skeleton"
    assert controller.report.arguments(tmp_path / "r.pdf", "en")[3].privacy == "full"
    with qtbot.assertNotEmitted(controller.changed):
        store.update(countdown_s=1.0)  # nothing about images: nothing to redraw
