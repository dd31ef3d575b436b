"""The metrics table: out-of-view rows collapsed in plain words, bands in the value's unit."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from posture_cam.config import PipelineConfig
from posture_cam.pipeline import Pipeline
from posture_cam.testing import ScriptedEstimator, draw_pose, standing_pose
from posture_cam.types import Frame
from posture_cam.ui.widgets.panels import MetricsPanel

LANDMARK_ID = re.compile(r"left_|right_|\(\d+\)")


def upper_body_pose():
    """The synthetic figure cut at the waist, like a desk webcam."""
    pose = standing_pose((640, 480), "front", shoulder_tilt_deg=2.0)
    xy, vis = pose.xy_px.copy(), pose.visibility.copy()
    xy[23:], vis[23:] = np.nan, 0.0
    return dataclasses.replace(pose, xy_px=xy, visibility=vis)


def run(pose, calibration=None):
    pipeline = Pipeline(ScriptedEstimator([pose]), PipelineConfig(), calibration)
    return pipeline.process(Frame(draw_pose(pose), 0, 0.0, "synthetic"))


class Scale:
    """A calibration that only knows its scale (no roll, no lens)."""

    roll_deg = 0.0
    has_lens = False

    def __init__(self, cm_per_px: float) -> None:
        self.cm_per_px = cm_per_px

    def correct_pose(self, pose):
        return pose


@pytest.mark.parametrize("language", ["en", "nl"])
def test_upper_body_rows_collapse_into_one_plain_line(qtbot, language):
    panel = MetricsPanel(language)
    qtbot.addWidget(panel)
    result = run(upper_body_pose())
    panel.update_result(result, force=True)
    rows = panel.row_texts()
    assert "shoulder_tilt" in rows and "head_tilt" in rows
    for hidden in ("pelvic_tilt", "trunk_lean", "knee_angle_left", "shoulder_height_diff"):
        assert hidden not in rows
    line = panel.out_of_view.text()
    assert not panel.out_of_view.isHidden()
    assert not LANDMARK_ID.search(line), line
    if language == "en":
        assert "hips" in line and "knees" in line and "feet" in line and "step back" in line
    else:
        assert "heupen" in line and "stap" in line.lower()
    assert all(not LANDMARK_ID.search(" ".join(r)) for r in rows.values())
    bands = " ".join(r[2] for r in rows.values())
    assert ("," in bands) == (language == "nl"), bands  # the decimal mark of the language


def test_full_body_has_no_collapsed_line_and_explains_percent_height(qtbot):
    panel = MetricsPanel("en")
    qtbot.addWidget(panel)
    panel.update_result(run(standing_pose((640, 480), "front")), force=True)
    assert panel.out_of_view.isHidden()
    assert "pelvic_tilt" in panel.row_texts()
    assert "% height" in panel.row_texts()["head_shift"][1]
    assert "body height" in panel.legend.text()
    assert "body height" in panel.table.horizontalHeaderItem(2).toolTip()


def test_a_cm_value_is_shown_against_a_cm_band(qtbot):
    panel = MetricsPanel("en")
    qtbot.addWidget(panel)
    pose = standing_pose((640, 480), "front")
    result = run(pose, Scale(0.45))  # 384 px tall figure -> about 170 cm
    panel.update_result(result, force=True)
    value, band = panel.row_texts()["head_shift"][1:3]
    assert value.endswith("cm") and band.startswith("≈") and band.endswith("cm"), (value, band)
    # shift band ±2 % of height: body height (px) x scale
    from posture_cam.metrics.body import body_height

    expected = 0.02 * body_height(result.pose_measured).height_px * 0.45
    assert f"{expected:.1f}" in band
    assert "%" not in band
    assert "converted" in panel.legend.text()
    # Angles keep their degree bands.
    assert panel.row_texts()["shoulder_tilt"][2].endswith("°")


def test_values_never_show_minus_zero(qtbot):
    panel = MetricsPanel("nl")
    qtbot.addWidget(panel)
    panel.update_result(run(standing_pose((640, 480), "front", shoulder_tilt_deg=-0.01)), True)
    texts = " ".join(" ".join(r) for r in panel.row_texts().values())
    assert "−0,0" not in texts and "-0.0" not in texts and "−0.0" not in texts


def test_real_webcam_framing_collapses_the_lower_body_rows(qtbot, model_path, media):
    from posture_cam.sources import read_image

    image = read_image(
        media("images/upper_body_webcamlike/upper_facerec_biden2_head_shoulders.jpg")
    )
    config = PipelineConfig(model_path=str(model_path), smoothing="none")
    with Pipeline.open(config, mode="image") as pipeline:
        result = pipeline.process(Frame(image, 0, 0.0, "photo"))
    assert result.person_found
    panel = MetricsPanel("en")
    qtbot.addWidget(panel)
    panel.update_result(result, force=True)
    rows = panel.row_texts()
    line = panel.out_of_view.text()
    assert "hips" in line and "step back" in line and not LANDMARK_ID.search(line)
    assert not any(k.startswith("knee") or k == "pelvic_tilt" for k in rows)
    assert len(rows) <= 4, rows


@pytest.mark.parametrize(("language", "words"), [("en", "R high"), ("nl", "R hoger")])
def test_the_table_says_the_side_in_words_like_the_overlay(qtbot, language, words):
    panel = MetricsPanel(language)
    qtbot.addWidget(panel)
    # Positive = the patient's left higher; -3° is the right shoulder higher.
    panel.update_result(run(standing_pose((640, 480), "front", shoulder_tilt_deg=-3.0)), True)
    value = panel.row_texts()["shoulder_tilt"][1]
    assert value.endswith(words) and value[0].isdigit(), value
