"""``VisitReport``: what the report of a visit holds, and a refusal before the visit is
stored (the PDF itself: tests/records/report/test_pdf.py and the real-window tests)."""

from __future__ import annotations

from posture_cam import paths
from posture_cam.app_settings import AppSettings
from posture_cam.ui.records.visit_controller import VisitController, VisitState
from tests.ui.records._helpers import FakeSession, FakeSettingsStore


def test_a_visit_not_stored_yet_has_no_report(qtbot) -> None:
    controller = VisitController(FakeSession())
    controller.patient = {"code": "P-1"}
    controller.visit = VisitState(("front",))  # not finished: no visit id
    with qtbot.waitSignal(controller.failed) as failed:
        assert controller.report.start() is False
    assert "Finish the visit" in failed.args[0]
    assert not controller.report.busy
    assert controller.report.write() is None


def test_the_report_holds_the_visit_the_language_and_the_allowed_image(qtbot) -> None:
    store = FakeSettingsStore(AppSettings(export_privacy="blur_face", language="nl"))
    controller = VisitController(FakeSession(), settings=store)
    controller.patient = {"code": "P-7"}
    controller.visit = VisitState(("front", "left"), visit_id=4)
    _store, code, out, options = controller.report.arguments(None, "nl")
    assert out == paths.user_data_dir() / "reports" / "P-7_visit4.pdf"
    assert (code, options.visit_id, options.language, options.privacy) == ("P-7", 4, "nl", "blur")
