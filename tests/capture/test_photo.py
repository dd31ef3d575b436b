"""A photo's ± (``posture_cam.capture.photo``) on real photos and the real model: the
same as the records' capture of that photo, the placement estimate for points given by
hand, the stickers' centroid error for detected stickers."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from posture_cam.calibration import CalibrationProfile
from posture_cam.capture.photo import photo_stats
from posture_cam.config import PipelineConfig
from posture_cam.markers.sticker_error import MARKER_SD_PX
from posture_cam.markers.uncertainty import placement_sd_px
from posture_cam.metrics import spec
from posture_cam.metrics.body import body_height, trunk_length_px
from posture_cam.pipeline import Pipeline
from posture_cam.records.ingest import CaptureCollector, build_capture
from posture_cam.sources import read_image
from posture_cam.types import Frame

pytestmark = pytest.mark.media

#: The quality gate refuses it (turned about 32° from square): stored all the same.
REFUSED = "images/standing_frontal/frontal_bgmv2_test_fg_man_by_car.jpg"
FRONT = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
SIDE = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"  # faces right
POINTS = {"c7": (301.25, 402.5), "tragus": (357.75, 251.125), "asis": (398.5, 702.25)}
POINTS["psis"] = (297.0, 681.5)
GREEN_BGR = (20, 255, 57)


def _open(model_path, calibration=None, **config):
    fast = {"flip_average": False, "rotation_average_deg": ()}
    config = PipelineConfig(model_path=str(model_path), **fast, **config)
    return Pipeline.open(config, "image", calibration)


def _process(path, model_path, image=None, **config):
    with _open(model_path, **config) as pipeline:
        photo = read_image(path) if image is None else image
        return pipeline.process(Frame(photo, 0, 0.0, str(path)))


def _line_deg(a, b, sd_px: float) -> float:
    """± of the angle of a line whose two ends are each off by sd_px per axis."""
    length = float(np.hypot(*(np.asarray(a, float) - np.asarray(b, float))))
    return math.degrees(math.sqrt(2.0) * sd_px / length)


@pytest.mark.parametrize("photo", [REFUSED, FRONT])
def test_a_photo_has_the_uncertainty_its_record_stores(photo, media, model_path) -> None:
    result = _process(media(photo), model_path)
    assert result.quality.ok is (photo == FRONT)
    collector = CaptureCollector()
    collector.add(result)
    stored = {m.metric_id: m for m in build_capture(photo, "image", collector, None, None).metrics}
    stats = photo_stats(result)
    measured = {k for k, m in result.metrics.items() if m.value is not None}
    assert len(measured) >= 8
    for metric_id in measured:
        s = stats[metric_id]
        assert s.median == result.metrics[metric_id].value
        assert s.uncertainty == stored[metric_id].uncertainty, metric_id
        # One frame of model landmarks: the model's repeatability per capture.
        assert s.uncertainty == spec(metric_id).repeatability, metric_id


def test_points_given_by_hand_carry_the_placement_estimate(media, model_path) -> None:
    plain = _process(media(SIDE), model_path)
    args = tuple(f"{n}={x},{y}" for n, (x, y) in POINTS.items())
    result = _process(media(SIDE), model_path, points=args)
    stats = photo_stats(result)
    sd_px = placement_sd_px(body_height(result.pose_image).height_px)
    cva, pelvis = stats["cva"], stats["pelvic_tilt_sagittal"]
    assert cva.source == "point" and pelvis.source == "point"
    # Both ends placed by hand: the placement part alone, √2·σ/L (about 1.5° and 2.3°;
    # the perturbation's finite steps differ from the linear formula by ~1e-5).
    want = _line_deg(POINTS["c7"], POINTS["tragus"], sd_px)
    assert cva.uncertainty == pytest.approx(want, rel=1e-3)
    want = _line_deg(POINTS["asis"], POINTS["psis"], sd_px)
    assert pelvis.uncertainty == pytest.approx(want, rel=1e-3)
    assert 1.0 < cva.uncertainty < 2.0 and 2.0 < pelvis.uncertainty < 3.0
    # The values stay the pipeline's, and a model value keeps the repeatability.
    for metric_id, metric in result.metrics.items():
        if metric.value is not None:
            assert stats[metric_id].median == pytest.approx(metric.value, abs=1e-9)
    trunk = stats["trunk_inclination"]
    assert trunk.source == "model" and trunk.uncertainty == pytest.approx(
        spec("trunk_inclination").repeatability
    )
    assert plain.metrics["trunk_inclination"].value == pytest.approx(trunk.median)


def test_detected_stickers_carry_their_centroid_error(media, model_path) -> None:
    path = media(SIDE)
    hip = np.array(_process(path, model_path).pose_image.xy_px[24])
    asis, psis = np.round(hip + np.array([70.0, -60.0])), np.round(hip + np.array([-80.0, -90.0]))
    marked = read_image(path).copy()
    for xy in (asis, psis):
        cv2.circle(marked, (int(xy[0]), int(xy[1])), 9, GREEN_BGR, -1, cv2.LINE_AA)
    result = _process(path, model_path, image=marked, markers=("asis", "psis"))
    tilt = photo_stats(result)["pelvic_tilt_sagittal"]
    found = result.markers.measured
    assert tilt.source == "marker"
    want = _line_deg(found["asis"].xy_px, found["psis"].xy_px, MARKER_SD_PX)
    assert tilt.uncertainty == pytest.approx(want, rel=0.01)  # about 0.5°
    assert 0.3 < tilt.uncertainty < 0.8


def test_a_calibrated_photo_in_cm(media, model_path) -> None:
    """Levelled by 4° and scaled: points given by hand go through the same calibration
    as in the pipeline (same numbers); a model value in cm carries the model's
    repeatability converted through the patient's body height (or trunk length) and the
    scale, with points given or without (one rule for both paths), never ±0."""
    profile = CalibrationProfile("tilted", roll_deg=4.0, cm_per_px=0.1)
    args = tuple(f"{n}={x},{y}" for n, (x, y) in POINTS.items())
    photo = read_image(media(SIDE))
    with _open(model_path, profile, points=args) as pipeline:
        result = pipeline.process(Frame(photo, 0, 0.0, str(media(SIDE))))
        stats = photo_stats(result, pipeline.applied_calibration)
    assert pipeline.applied_calibration is not None
    for metric_id, metric in result.metrics.items():
        if metric.value is not None:
            assert stats[metric_id].median == pytest.approx(metric.value, abs=1e-9), metric_id
    assert stats["cva"].source == "point" and 1.0 < stats["cva"].uncertainty < 2.0
    front = _open(model_path, profile)
    with front:
        plain = front.process(Frame(read_image(media(FRONT)), 0, 0.0, str(media(FRONT))))
    in_cm = {k for k, m in plain.metrics.items() if m.value is not None and m.unit == "cm"}
    assert in_cm  # shoulder_height_diff, the shifts
    plain_stats = photo_stats(plain, front.applied_calibration)
    pose, cm_per_px = plain.pose_measured, plain.cm_per_px
    assert pose is not None and cm_per_px
    for k in in_cm:
        entry = spec(k)
        ref_px = (
            body_height(pose).height_px if entry.unit_kind == "length" else trunk_length_px(pose)
        )
        want = entry.repeatability / 100.0 * ref_px * cm_per_px
        assert plain_stats[k].uncertainty == pytest.approx(want, rel=1e-9), k
        assert plain_stats[k].uncertainty > 0.0, k
    # The same cm values through the corrected numbers (points given, none of them used
    # by these metrics) carry the same ±.
    side_cm = {k for k, st in stats.items() if st.unit == "cm" and st.source == "model"}
    with _open(model_path, profile) as plain_side:
        side = plain_side.process(Frame(photo, 0, 0.0, str(media(SIDE))))
        side_stats = photo_stats(side, plain_side.applied_calibration)
    assert side_cm
    for k in side_cm:
        assert stats[k].uncertainty == pytest.approx(side_stats[k].uncertainty, rel=1e-6), k
