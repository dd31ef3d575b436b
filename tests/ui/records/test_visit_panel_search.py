"""The patient search field: a suggestion chosen opens that patient, and a code typed in
full leaves no suggestion list open to swallow the click on "Open / create"."""

from __future__ import annotations

import pytest

from posture_cam.records import Store
from posture_cam.ui.records.visit_controller import VisitController
from posture_cam.ui.records.visit_panel import VisitPanel
from tests.ui.records._helpers import FakeSession


# The offscreen platform cannot raise a popup or give it the keyboard; it says so.
@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")
def test_a_chosen_suggestion_opens_the_patient_and_a_full_code_closes_the_list(qtbot) -> None:
    with Store() as store:
        store.add_patient("PT001", name="Anna de Vries")
        store.add_patient("PT002")
    controller = VisitController(FakeSession())
    panel = VisitPanel(controller)
    qtbot.addWidget(panel)
    panel.show()
    try:
        qtbot.keyClicks(panel.search_edit, "PT00")
        assert panel.completer.completionCount() == 2  # both codes offered
        qtbot.keyClicks(panel.search_edit, "1")
        popup = panel.completer.popup()
        assert popup is not None
        qtbot.waitUntil(lambda: not popup.isVisible(), timeout=1000)  # nothing left to choose
        panel.completer.activated.emit("Anna de Vries")  # picked from the list
        assert controller.patient is not None and controller.patient["code"] == "PT001"
        assert panel.patient_label.text() == "Patient PT001: no visits stored yet"
    finally:
        controller.close()
