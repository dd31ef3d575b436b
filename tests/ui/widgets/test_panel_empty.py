"""What the metrics panel says with no row to show."""

from __future__ import annotations

import dataclasses

from posture_cam.reasons import reason
from posture_cam.types import View, ViewEstimate
from tests._helpers import result


def test_a_three_quarter_body_is_named_as_the_reason(qtbot):
    # A still photo of a skier turned 55°: the panel said "No measurements yet: stand
    # fully in view, facing the camera or side-on", neither true nor the reason.
    from posture_cam.ui.widgets.panels import MetricsPanel

    panel = MetricsPanel("en")
    qtbot.addWidget(panel)
    turned = ViewEstimate(
        View.THREE_QUARTER, 0.8, yaw_deg=55.0, reason=reason("three_quarter", yaw_deg=55.0)
    )
    panel.update_result(dataclasses.replace(result(0, {}), view=turned), force=True)
    assert panel.empty.text().startswith(
        "Nothing measurable in this picture: body turned about 55° from the camera"
    )
    panel.update_result(result(1, {}), force=True)  # nobody measured yet, facing front
    assert panel.empty.text().startswith("No measurements yet")
    panel.retranslate("nl")
    panel.update_result(dataclasses.replace(result(2, {}), view=turned), force=True)
    assert panel.empty.text().startswith("Niets meetbaar in dit beeld: lichaam ongeveer 55°")
