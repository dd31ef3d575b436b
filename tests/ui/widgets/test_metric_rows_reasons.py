"""The metrics table's words beyond one row: only the framing's rows collapse into "step
back", every other reason stays readable, the sources are named, and each number's ±
is the one a snapshot (a photo: ``analyze``) would store."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from posture_cam.capture.photo import photo_stats
from posture_cam.config import PipelineConfig
from posture_cam.i18n import using_language
from posture_cam.pipeline import Pipeline
from posture_cam.reasons import join, missing_landmarks, reason
from posture_cam.testing import ScriptedEstimator, draw_pose, standing_pose
from posture_cam.types import Frame, Metric, MetricStatus
from posture_cam.ui.widgets import metric_rows as rows

SEATED = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"
PLUMB = ("ear_offset", "shoulder_offset", "hip_offset", "knee_offset")


def _gone(metric_id: str, why, landmarks=(7, 27)) -> Metric:
    return Metric(metric_id, None, "%height", MetricStatus.NOT_MEASURABLE, why, landmarks)


def _pose_without(*ids: int):
    pose = standing_pose((640, 480), "left")
    xy, vis = pose.xy_px.copy(), pose.visibility.copy()
    xy[list(ids)], vis[list(ids)] = np.nan, 0.0
    return dataclasses.replace(pose, xy_px=xy, visibility=vis)


def test_only_the_framing_collapses_into_step_back():
    pose = _pose_without(25, 27)  # the far knee and ankle hidden, as on a side photo
    metrics = {
        "ear_offset": _gone("ear_offset", reason("not_standing", knee_deg=84.3)),
        "hip_offset": _gone(
            "hip_offset",
            join([missing_landmarks([27]), reason("not_standing", knee_deg=84.3)]),
        ),
        "knee_offset": _gone("knee_offset", missing_landmarks([27])),
        "pelvic_tilt_sagittal": _gone("pelvic_tilt_sagittal", reason("needs_pelvis_markers")),
    }
    ids, parts = rows.not_in_view(metrics, pose)
    assert (ids, parts) == (["knee_offset"], ["feet"])  # named by the reason: the ankle
    lines = rows.reason_lines(metrics, [i for i in metrics if i not in ids])
    assert lines[0] == (
        "Ear plumb offset: not measurable: plumb-line offsets need a standing posture "
        "(knee angle 84°)"
    )
    assert any("both ASIS and PSIS" in line for line in lines)


def test_no_body_size_collapses_only_with_the_hips_missing():
    why = reason("no_body_size_reference")
    metric = Metric("head_shift", None, "%height", MetricStatus.NOT_MEASURABLE, why, (0, 11, 12))
    assert rows.not_in_view({"head_shift": metric}, _pose_without(11, 12)) == ([], [])
    assert rows.not_in_view({"head_shift": metric}, _pose_without(23, 24, 25)) == (
        ["head_shift"],
        ["hips"],
    )


def test_the_seated_photo_keeps_its_not_standing_reason(model_path, media):
    from posture_cam.sources import read_image

    image = read_image(media(SEATED))
    config = PipelineConfig(model_path=str(model_path), smoothing="none", second_model=False)
    with Pipeline.open(config, mode="image") as pipeline:
        result = pipeline.process(Frame(image, 0, 0.0, "photo"))
    for metric_id in PLUMB:
        assert result.metrics[metric_id].status == MetricStatus.NOT_MEASURABLE
    ids, _parts = rows.not_in_view(result.metrics, result.pose_measured)
    assert not set(PLUMB) & set(ids), ids
    shown = [i for i in result.metrics if i not in ids]
    for language, words in (
        ("en", "plumb-line offsets need a standing posture (knee angle"),
        ("nl", "loodlijnafwijkingen vereisen een staande houding (kniehoek"),
    ):
        with using_language(language):
            text = "\n".join(rows.reason_lines(result.metrics, shown))
        assert words in text, text
        assert "step back" not in text and "stap achteruit" not in text


def test_one_reason_for_every_row_is_said_once():
    why = reason("view_contradicts_body")
    metrics = {i: _gone(i, why) for i in PLUMB}
    assert rows.reason_lines(metrics, list(metrics)) == [
        # "not judged" says it: not "not measurable: not judged: …" (an audit)
        "every measurement: not judged: the view set by hand contradicts the body"
    ]


def test_numbers_from_markers_and_points_are_named():
    metrics = {
        "cva": Metric("cva", 50.0, "deg", MetricStatus.NORMAL, source="point"),
        "trunk_inclination": Metric("trunk_inclination", 1.0, "deg", MetricStatus.NORMAL),
        "pelvic_tilt_sagittal": Metric(
            "pelvic_tilt_sagittal", 12.0, "deg", MetricStatus.NORMAL, source="marker"
        ),
    }
    assert rows.source_lines(metrics, list(metrics)) == [
        "from points placed by hand: Craniovertebral angle",
        "from skin markers: Pelvic tilt (sagittal)",
    ]
    model_only = {"trunk_inclination": metrics["trunk_inclination"]}
    assert rows.source_lines(model_only, list(model_only)) == []


def _results(tilts, t0_ms=0.0, view="front"):
    poses = [standing_pose((640, 480), view, shoulder_tilt_deg=t) for t in tilts]
    pipeline = Pipeline(ScriptedEstimator(poses), PipelineConfig(smoothing="none"))
    return [
        pipeline.process(Frame(draw_pose(p), i, t0_ms + i * 100.0, "synthetic"))
        for i, p in enumerate(poses)
    ]


def test_one_frame_has_the_photo_plus_minus():
    (result,) = _results([2.0])
    spread = rows.PlusMinus()
    spread.add(result)
    values = spread.values(result)
    expected = photo_stats(result)
    assert values["shoulder_tilt"] == pytest.approx(expected["shoulder_tilt"].uncertainty)
    assert values["shoulder_tilt"] > 0


def test_live_plus_minus_adds_the_spread_of_the_last_two_seconds():
    tilts = [0.0, 1.0, 2.0, 3.0, 4.0]
    results = _results(tilts)
    spread = rows.PlusMinus(window_s=0.35)  # frames every 0.1 s: the last four count
    for result in results:
        spread.add(result)
    last = results[-1]
    measured = [r.metrics["shoulder_tilt"].value for r in results[-4:]]
    sd = float(np.std(measured, ddof=1))
    model = photo_stats(last)["shoulder_tilt"].uncertainty
    assert spread.values(last)["shoulder_tilt"] == pytest.approx(math.hypot(sd, model))
    # Time going back (a looping video, a photo measured again) starts afresh.
    again = _results([9.0])[0]
    spread.add(again)
    assert spread.values(again)["shoulder_tilt"] == pytest.approx(
        photo_stats(again)["shoulder_tilt"].uncertainty
    )


def test_widest_texts_hold_the_longest_dutch_status_and_headings():
    with using_language("nl"):
        texts = rows.widest_texts(("name", "value", "band", "status", "plus_minus"))
    assert "● buiten de norm" in texts["status"] and texts["status"][-1] == "Status"
    assert texts["name"][-1] == "Meting" and texts["plus_minus"][-1] == "±"
    assert any("% lengte naar achteren" in t for t in texts["value"])
