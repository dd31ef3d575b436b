"""The stickers' share of the ± (``posture_cam.markers.sticker_error``) and its place in
an averaged capture (``posture_cam.capture.averaging``): ASIS and PSIS discs composited onto a real
side photo, the real model; a sticker value's ± = frame spread ⊕ sticker error, a model
value's ± = frame spread ⊕ model repeatability."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from posture_cam.capture.averaging import AveragedCapture
from posture_cam.config import PipelineConfig
from posture_cam.markers.sticker_error import MARKER_SD_PX, sticker_spread
from posture_cam.metrics import spec
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame

pytestmark = pytest.mark.media

PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"  # faces right
GREEN_BGR = (20, 255, 57)


def _marked_frames(media_dir, model_path, psis_shifts_px):
    """One pipeline result per PSIS shift: the same photo with an ASIS and a PSIS disc,
    the PSIS moved down by the shift (a sticker detected a little differently)."""
    path = media_dir / PHOTO
    photo = read_image(path)
    config = PipelineConfig(model_path=str(model_path))
    with Pipeline.open(config, mode="image") as pipeline:
        hip = np.array(pipeline.process(Frame(photo, 0, 0.0, str(path))).pose_image.xy_px[24])
    asis = np.round(hip + np.array([70.0, -60.0]))
    config = PipelineConfig(model_path=str(model_path), markers=("asis", "psis"))
    results = []
    with Pipeline.open(config, mode="image") as pipeline:
        for i, shift in enumerate(psis_shifts_px):
            psis = np.round(hip + np.array([-80.0, -90.0 + shift]))
            marked = photo.copy()
            for xy in (asis, psis):
                cv2.circle(marked, (int(xy[0]), int(xy[1])), 9, GREEN_BGR, -1, cv2.LINE_AA)
            results.append(pipeline.process(Frame(marked, i, 33.3 * i, str(path))))
    return results


@pytest.fixture(scope="module")
def frames(media_dir, model_path):
    return _marked_frames(media_dir, model_path, (0.0, 4.0, 8.0))


def _sticker_line_deg(result) -> float:
    points = result.markers.measured
    a, p = points["asis"].xy_px, points["psis"].xy_px
    return math.degrees(math.sqrt(2.0) * MARKER_SD_PX / float(np.hypot(*(a - p))))


def test_one_frame_sticker_share_is_the_line_error(frames) -> None:
    result = frames[0]
    assert result.metrics["pelvic_tilt_sagittal"].source == "marker"
    parts = sticker_spread(result)
    want = _sticker_line_deg(result)  # ≈ 0.5° for stickers ~160 px apart
    assert 0.3 < want < 0.8
    assert parts["pelvic_tilt_sagittal"] == pytest.approx(want, rel=0.01)
    # Only sticker values get a share: the model's trunk angle has none.
    assert "trunk_inclination" not in parts and "cva" not in parts


def test_averaged_sticker_capture_combines_spread_and_sticker_error(frames) -> None:
    capture = AveragedCapture(require_quality=False)
    for result in frames:
        capture.add(result)
    summary = capture.summary()
    tilt = summary.metrics["pelvic_tilt_sagittal"]
    values = [r.metrics["pelvic_tilt_sagittal"].value for r in frames]
    sd = float(np.std(values, ddof=1))
    assert tilt.source == "marker" and tilt.n_frames == 3
    assert tilt.sd == pytest.approx(sd)
    assert sd > 0.5  # the moved PSIS: a real frame spread (≈1.4° here)
    share = _sticker_line_deg(frames[-1])
    assert tilt.uncertainty == pytest.approx(math.hypot(sd, share), rel=1e-3)
    assert tilt.uncertainty > tilt.sd  # never the spread alone
    # A model value of the same capture: spread ⊕ repeatability, no sticker share.
    trunk = summary.metrics["trunk_inclination"]
    rep = spec("trunk_inclination").repeatability
    assert trunk.source == "model"
    assert trunk.uncertainty == pytest.approx(math.hypot(trunk.sd, rep), rel=1e-6)
    print(
        f"pelvic_tilt_sagittal {tilt.median:.2f}° sd {sd:.3f}° sticker {share:.3f}° "
        f"-> ± {tilt.uncertainty:.3f}°"
    )


def test_a_sticker_value_resting_on_a_model_landmark_keeps_the_models_part(
    media_dir, model_path
) -> None:
    # A tragus sticker alone: the CVA runs from C7 estimated from the trunk (model
    # landmarks) to the sticker. Before, its ± was the frame spread and the sticker's
    # share only (39.5 ± 1.6° in an audit, where the model's CVA alone carries ± 2.5°).
    path = media_dir / PHOTO
    photo = read_image(path)
    with Pipeline.open(PipelineConfig(model_path=str(model_path)), mode="image") as pipeline:
        ear = np.array(pipeline.process(Frame(photo, 0, 0.0, str(path))).pose_image.xy_px[8])
    config = PipelineConfig(model_path=str(model_path), markers=("tragus",))
    capture = AveragedCapture(require_quality=False)
    with Pipeline.open(config, mode="image") as pipeline:
        for i, shift in enumerate((0.0, 2.0, 4.0)):
            marked = photo.copy()
            xy = np.round(ear + np.array([6.0, shift]))
            cv2.circle(marked, (int(xy[0]), int(xy[1])), 7, GREEN_BGR, -1, cv2.LINE_AA)
            result = pipeline.process(Frame(marked, i, 33.3 * i, str(path)))
            assert result.metrics["cva"].source == "marker" and result.metrics["cva"].landmarks
            capture.add(result)
    cva = capture.summary().metrics["cva"]
    share = sticker_spread(result)["cva"]
    rep = spec("cva").repeatability
    assert cva.source == "marker" and cva.n_frames == 3
    assert cva.uncertainty == pytest.approx(math.hypot(cva.sd, share, rep), rel=1e-3)
    assert cva.uncertainty > rep
