"""The ± of a capture corrected by hand (``posture_cam.markers.uncertainty``), on a real
side photo and the real model (no Qt): model values keep the model's repeatability,
values from hand-placed points carry the placement estimate carried through the metric,
and a corrected snapshot keeps its own averages where the edit changed nothing."""

from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np
import pytest

from posture_cam.capture.averaging import AveragedCapture
from posture_cam.capture_summary import CaptureSummary
from posture_cam.config import PipelineConfig
from posture_cam.markers.editor import PointEditor
from posture_cam.markers.uncertainty import (
    MARKER_SD_PX,
    PLACEMENT_SD_MIN_PX,
    EditedNumbers,
    placement_sd_px,
)
from posture_cam.metrics.mdc import REPEATABILITY
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame

pytestmark = pytest.mark.media

PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"  # faces right


@pytest.fixture(scope="module")
def frozen(media_dir, model_path):
    path = media_dir / PHOTO
    config = PipelineConfig(model_path=str(model_path))
    with Pipeline.open(config, mode="image") as pipeline:
        return pipeline.process(Frame(read_image(path), 0, 0.0, str(path)))


def test_placement_sd_grows_with_the_body_and_has_a_floor() -> None:
    assert placement_sd_px(None) == PLACEMENT_SD_MIN_PX
    assert placement_sd_px(400.0) == PLACEMENT_SD_MIN_PX
    assert placement_sd_px(4000.0) == pytest.approx(10.0)


def test_unedited_frame_carries_the_model_repeatability(frozen) -> None:
    numbers = EditedNumbers(PointEditor(frozen))
    ranges = numbers.uncertainty()
    measured = {k for k, m in frozen.metrics.items() if m.value is not None}
    assert set(ranges) == measured and "cva" in measured
    for metric_id, u in ranges.items():
        assert u.placement is None and u.basis == "recomputed"
        assert u.total == pytest.approx(REPEATABILITY[metric_id])
    summary = numbers.summary()
    assert summary.metrics["cva"].uncertainty == pytest.approx(REPEATABILITY["cva"])
    # One pose, summarised as an averaged capture of one frame would be (same ± here:
    # an unedited frame is all model).
    one = AveragedCapture(require_quality=False)
    one.add(frozen)
    assert summary.metrics == one.summary().metrics
    assert summary.capture.frames_used == 1 and summary.capture.view == "right"


def test_a_dragged_landmark_adds_the_placement_term(frozen) -> None:
    editor = PointEditor(frozen)
    numbers = EditedNumbers(editor)
    ear = editor.xy("right_ear")
    editor.set_point("right_ear", (ear[0] + 20.0, ear[1]))
    ranges = numbers.uncertainty()
    cva = ranges["cva"]
    # Independently: the CVA with the ear moved by ±SD along x and along y.
    sd = numbers.sd_px
    x, y = editor.xy("right_ear")
    halves = []
    for dx, dy in ((sd, 0.0), (0.0, sd)):
        probe = PointEditor(frozen)
        plus = probe.set_point("right_ear", (x + dx, y + dy)).metrics["cva"].value
        minus = probe.set_point("right_ear", (x - dx, y - dy)).metrics["cva"].value
        halves.append((plus - minus) / 2.0)
    assert cva.placement == pytest.approx(math.hypot(*halves), rel=1e-9)
    assert 0.3 < cva.placement < 3.0  # a few px at a ~160 px shoulder-ear line
    # The CVA still uses the model's shoulder (and hip, for C7): its repeatability stays.
    assert cva.model == pytest.approx(REPEATABILITY["cva"])
    assert cva.total == pytest.approx(math.hypot(cva.model, cva.placement))
    assert cva.total > REPEATABILITY["cva"]
    # Trunk inclination does not use the ear: the model's repeatability alone.
    trunk = ranges["trunk_inclination"]
    assert trunk.placement is None and trunk.total == pytest.approx(
        REPEATABILITY["trunk_inclination"]
    )
    # The saved summary carries the same ± and the recomputed value.
    stats = numbers.summary().metrics["cva"]
    assert stats.uncertainty == pytest.approx(cva.total)
    assert stats.median == editor.result.metrics["cva"].value and stats.source == "point"
    assert numbers.to_json()["metrics"]["cva"]["placement"] == pytest.approx(
        cva.placement, abs=1e-4
    )


def test_placed_tragus_and_c7_carry_the_placement_term_alone(frozen) -> None:
    editor = PointEditor(frozen)
    shoulder = np.array(editor.xy("right_shoulder"))
    ear = np.array(editor.xy("right_ear"))
    c7, tragus = shoulder + np.array([-40.0, -35.0]), ear + np.array([6.0, 4.0])
    editor.set_point("c7", tuple(c7))
    editor.set_point("tragus", tuple(tragus))
    numbers = EditedNumbers(editor)
    cva = numbers.uncertainty()["cva"]
    assert cva.model is None  # no model landmark in the true CVA
    # A segment of length L with both ends off by sd per axis: sqrt(2) * sd / L radians.
    length = float(np.hypot(*(tragus - c7)))
    want = math.degrees(math.sqrt(2.0) * numbers.sd_px / length)
    assert cva.placement == pytest.approx(want, rel=0.01)
    assert cva.total == pytest.approx(cva.placement)


def _snapshot_of(result, shift: float) -> CaptureSummary:
    """A snapshot summary of ``result`` whose averages differ from its one pose by
    ``shift`` (as a hold's median over frames differs from its median pose)."""
    one = AveragedCapture(require_quality=False)
    one.add(result)
    summary = one.summary()
    metrics = {
        k: dataclasses.replace(
            s, median=s.median + shift, sd=0.4, n_frames=30, uncertainty=math.hypot(0.4, 1.5)
        )
        if s.measured
        else s
        for k, s in summary.metrics.items()
    }
    capture = dataclasses.replace(summary.capture, frames_used=30)
    return CaptureSummary(capture, metrics)


def test_a_corrected_snapshot_keeps_its_own_averages_where_nothing_changed(frozen) -> None:
    editor = PointEditor(frozen)
    snapshot = _snapshot_of(frozen, 0.7)
    numbers = EditedNumbers(editor, snapshot)
    ear = editor.xy("right_ear")
    editor.set_point("right_ear", (ear[0] + 20.0, ear[1]))
    shown = numbers.shown_metrics()
    trunk = snapshot.metrics["trunk_inclination"]
    # Unchanged: the snapshot's average and its own ±.
    assert numbers.basis("trunk_inclination") == "snapshot"
    assert shown["trunk_inclination"].value == trunk.median
    u_trunk = numbers.uncertainty()["trunk_inclination"]
    assert u_trunk.total == pytest.approx(trunk.uncertainty) and u_trunk.placement is None
    # Changed: recomputed from the pose, the snapshot's ± as its model part.
    assert numbers.basis("cva") == "recomputed"
    assert shown["cva"].value == editor.result.metrics["cva"].value
    u_cva = numbers.uncertainty()["cva"]
    assert u_cva.model == pytest.approx(snapshot.metrics["cva"].uncertainty)
    assert u_cva.total == pytest.approx(math.hypot(u_cva.model, u_cva.placement))
    summary = numbers.summary()
    assert summary.capture.frames_used == 30
    assert summary.metrics["trunk_inclination"] == trunk
    assert summary.metrics["cva"].median == editor.result.metrics["cva"].value
    assert summary.metrics["cva"].uncertainty == pytest.approx(u_cva.total)


def test_a_corrected_snapshot_counts_the_snapshots_frames_everywhere(frozen) -> None:
    """A number recomputed from a snapshot's median pose stands for the snapshot's 30
    frames like every other number and the capture itself (not 1 frame with SD 0 while
    its ± holds the 30 frames' spread); a number the snapshot did not measure (pelvic
    tilt from placed ASIS and PSIS) counts the same frames with no spread of its own."""
    editor = PointEditor(frozen)
    snapshot = _snapshot_of(frozen, 0.7)
    numbers = EditedNumbers(editor, snapshot)
    ear = editor.xy("right_ear")
    editor.set_point("right_ear", (ear[0] + 20.0, ear[1]))
    hip = np.array(editor.xy("right_hip"))
    editor.set_point("asis", tuple(hip + np.array([70.0, -60.0])))
    editor.set_point("psis", tuple(hip + np.array([-80.0, -90.0])))
    summary = numbers.summary()
    assert summary.capture.frames_used == 30
    cva, was = summary.metrics["cva"], snapshot.metrics["cva"]
    assert numbers.basis("cva") == "recomputed"
    assert cva.median == editor.result.metrics["cva"].value != was.median
    assert (cva.n_frames, cva.sd, cva.iqr) == (30, was.sd, was.iqr)
    assert cva.max - cva.min == pytest.approx(was.max - was.min)
    assert cva.max - cva.median == pytest.approx(was.max - was.median)
    # Its ± holds that spread once: the snapshot's ± ⊕ the placement.
    u = numbers.uncertainty()["cva"]
    assert cva.uncertainty == pytest.approx(math.hypot(was.uncertainty, u.placement))
    tilt = summary.metrics["pelvic_tilt_sagittal"]
    assert snapshot.metrics["pelvic_tilt_sagittal"].median is None
    assert tilt.source == "point" and (tilt.n_frames, tilt.sd) == (30, 0.0)
    assert tilt.uncertainty == pytest.approx(numbers.uncertainty()["pelvic_tilt_sagittal"].total)
    assert {s.n_frames for s in summary.metrics.values() if s.measured} == {30}


def _with_asis_psis_stickers(frozen, media_dir, model_path):
    """The photo with green ASIS and PSIS stickers drawn on, analysed with markers."""
    hip = np.array(frozen.pose_image.xy_px[24])  # right hip: the patient faces image-right
    asis, psis = np.round(hip + np.array([70.0, -60.0])), np.round(hip + np.array([-80.0, -90.0]))
    marked = read_image(media_dir / PHOTO).copy()
    for xy in (asis, psis):
        cv2.circle(marked, (int(xy[0]), int(xy[1])), 9, (20, 255, 57), -1, cv2.LINE_AA)
    config = PipelineConfig(model_path=str(model_path), markers=("asis", "psis"))
    with Pipeline.open(config, mode="image") as pipeline:
        return pipeline.process(Frame(marked, 0, 0.0, str(media_dir / PHOTO)))


def test_detected_stickers_carry_their_centroid_error(frozen, media_dir, model_path) -> None:
    """Sagittal pelvic tilt from two detected stickers: no model part, the stickers'
    part sqrt(2) * MARKER_SD_PX / L; one sticker moved by hand trades its share for the
    placement SD."""
    result = _with_asis_psis_stickers(frozen, media_dir, model_path)
    editor = PointEditor(result)
    numbers = EditedNumbers(editor)
    tilt = numbers.uncertainty()["pelvic_tilt_sagittal"]
    a, p = np.array(editor.xy("asis")), np.array(editor.xy("psis"))
    length = float(np.hypot(*(a - p)))
    assert tilt.model is None and tilt.placement is None
    want = math.degrees(math.sqrt(2.0) * MARKER_SD_PX / length)
    assert tilt.marker == pytest.approx(want, rel=0.01)
    assert tilt.total == pytest.approx(tilt.marker)
    editor.set_point("psis", (p[0], p[1] + 10.0))
    tilt = numbers.uncertainty()["pelvic_tilt_sagittal"]
    length = float(np.hypot(*(a - np.array(editor.xy("psis")))))
    assert tilt.marker == pytest.approx(math.degrees(MARKER_SD_PX / length), rel=0.01)
    assert tilt.placement == pytest.approx(math.degrees(numbers.sd_px / length), rel=0.01)
    assert tilt.total == pytest.approx(math.hypot(tilt.marker, tilt.placement))


def test_a_sticker_snapshot_saved_with_its_frame_sd_alone_gets_the_stickers_share(
    frozen, media_dir, model_path
) -> None:
    """A sticker snapshot saved before the stickers' centroid error joined its ± keeps
    ± = frame SD: corrected, its number gets the stickers' share (a snapshot saved since
    holds it already and is not counted twice)."""
    result = _with_asis_psis_stickers(frozen, media_dir, model_path)
    one = AveragedCapture(require_quality=False)
    one.add(result)
    summary = one.summary()
    now = summary.metrics["pelvic_tilt_sagittal"]
    assert now.source == "marker" and now.uncertainty > now.sd == 0.0
    share = now.uncertainty  # one frame: the stickers' share alone
    old = dataclasses.replace(now, sd=0.3, uncertainty=0.3)
    saved_before = CaptureSummary(summary.capture, {**summary.metrics, "pelvic_tilt_sagittal": old})
    tilt = EditedNumbers(PointEditor(result), summary).uncertainty()["pelvic_tilt_sagittal"]
    assert tilt.basis == "snapshot" and tilt.total == pytest.approx(share)
    tilt = EditedNumbers(PointEditor(result), saved_before).uncertainty()["pelvic_tilt_sagittal"]
    assert tilt.basis == "snapshot" and tilt.total == pytest.approx(math.hypot(0.3, share))
    assert tilt.marker == pytest.approx(share, rel=0.01)


def test_a_corrected_sticker_snapshot_keeps_the_unmoved_stickers_share(
    frozen, media_dir, model_path
) -> None:
    """A sticker snapshot (its ± holds the stickers' share), corrected by moving one
    sticker by hand: the number is recomputed from the points, and the sticker nobody
    moved keeps its share next to the moved one's placement. Before, that share was
    dropped with the snapshot's ± (a CVA read ±1.34 where ±1.41 was due)."""
    result = _with_asis_psis_stickers(frozen, media_dir, model_path)
    one = AveragedCapture(require_quality=False)
    one.add(result)
    summary = one.summary()
    assert summary.metrics["pelvic_tilt_sagittal"].source == "marker"
    editor = PointEditor(result)
    numbers = EditedNumbers(editor, summary)
    a, p = np.array(editor.xy("asis")), np.array(editor.xy("psis"))
    editor.set_point("psis", (p[0], p[1] + 10.0))
    tilt = numbers.uncertainty()["pelvic_tilt_sagittal"]
    length = float(np.hypot(*(a - np.array(editor.xy("psis")))))
    assert tilt.basis != "snapshot"
    assert tilt.marker == pytest.approx(math.degrees(MARKER_SD_PX / length), rel=0.01)
    assert tilt.total == pytest.approx(math.hypot(tilt.marker, tilt.placement))


def test_a_corrected_photo_keeps_the_notes_on_its_values(media_dir, model_path) -> None:
    """A head-cropped front photo's lengths are judged against a body height estimated
    from the trunk, and each says so; once a point was moved the numbers are rebuilt
    from the pose, and those rebuilt ones had lost the note."""
    path = media_dir / "images/standing_frontal/frontal_icon_003883_woman_home_HEAD_CROPPED.jpg"
    config = PipelineConfig(model_path=str(model_path))
    with Pipeline.open(config, mode="image") as pipeline:
        result = pipeline.process(Frame(read_image(path), 0, 0.0, str(path)))
    noted = {k: m.reason for k, m in result.metrics.items() if m.value is not None and m.reason}
    assert {"shoulder_height_diff", "shoulder_shift", "pelvis_shift"} <= set(noted)
    editor = PointEditor(result)
    hip = editor.xy("left_hip")
    editor.set_point("left_hip", (hip[0] + 3.0, hip[1]))
    summary = EditedNumbers(editor, None).summary()
    for metric_id, note in noted.items():
        assert summary.metrics[metric_id].reason == note, metric_id
        assert "body height estimated from the trunk" in str(note)
