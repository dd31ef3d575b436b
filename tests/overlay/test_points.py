"""Overlay of skin markers and placed points (``posture_cam.overlay.points`` and the
marker-drawn angles of ``posture_cam.overlay.references``): the picture shows what its
numbers say. A metric from markers / placed points is drawn from those points (never
from the model's shoulder and ear), each point gets a named ring, mirror mode and
resizing move the rings with the pose, and the skeleton-only export keeps them.

Real-photo tests run the real pipeline with ``--point``-style points and with
fluorescent-green discs composited (in the test, never stored) onto a shared photo.
"""

from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np
import pytest

from posture_cam.config import PipelineConfig
from posture_cam.landmarks import LM
from posture_cam.markers import FramePoints, MarkerResult, NamedPoint
from posture_cam.markers.detect import Blob
from posture_cam.metrics.body import trunk_length_px
from posture_cam.metrics.engine import MetricsEngine
from posture_cam.metrics.geometry import elevation_deg
from posture_cam.metrics.proxies import estimate_c7
from posture_cam.metrics.view import facing_dir_x
from posture_cam.overlay import OverlayRenderer
from posture_cam.overlay import style as st
from posture_cam.overlay.points import (
    MARKER_COLOR,
    PLACED_COLOR,
    PointsAnnotator,
    display_points,
)
from posture_cam.overlay.references import near_point, reference_ray
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.testing import demo_result
from posture_cam.types import Frame, FrameResult, View, ViewEstimate
from tests._helpers import paint_stickers, sticker_places

PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"
C7, TRAGUS = np.array([125.0, 313.0]), np.array([239.0, 216.0])
#: Lines, arcs and rings only: no skeleton, names, legend or values in the way.
GEOMETRY = dict(skeleton=False, labels=False, angles=False)


def _near(pixel: np.ndarray, color, tol: int = 45) -> bool:
    return bool(np.abs(pixel.astype(np.int16) - np.array(color)).max() <= tol)


def _samples(image: np.ndarray, a, b, ts) -> list[np.ndarray]:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return [image[round(p[1]), round(p[0])] for p in (a + t * (b - a) for t in ts)]


def _on_segment(image, a, b, color, ts=None) -> int:
    """How many samples along a->b (11 from a quarter to three quarters) have ``color``."""
    ts = np.linspace(0.25, 0.75, 11) if ts is None else ts
    return sum(_near(px, color) for px in _samples(image, a, b, ts))


def _count(image: np.ndarray, color, centre, half: int = 26, tol: int = 45) -> int:
    x, y = (round(v) for v in centre)
    roi = image[max(0, y - half) : y + half, max(0, x - half) : x + half].astype(np.int16)
    return int((np.abs(roi - np.array(color)).max(axis=2) <= tol).sum())


def _mirror(p: np.ndarray, width: int) -> np.ndarray:
    return np.array([width - 1 - p[0], p[1]])


# ---- real photo, the tester's command: --point c7=125,313 --point tragus=239,216 -------


@pytest.fixture(scope="module")
def placed(media, model_path) -> FrameResult:
    cfg = PipelineConfig(model_path=str(model_path), points=("c7=125,313", "tragus=239,216"))
    with Pipeline.open(cfg, mode="image", allow_network=False) as pipe:
        return pipe.process(Frame(read_image(media(PHOTO)), 0, 0.0, PHOTO))


def test_cva_from_placed_points_is_drawn_from_them(placed: FrameResult) -> None:
    cva = placed.metrics["cva"]
    assert cva.source == "point" and cva.value is not None
    assert cva.value == pytest.approx(math.degrees(math.atan2(313 - 216, 239 - 125)), abs=1e-6)
    red = st.status_color(cva.status)
    image = OverlayRenderer(**GEOMETRY).render(placed.frame.image_bgr, placed)
    assert _on_segment(image, C7, TRAGUS, red) == 11
    # ... and not the model's shoulder -> ear line (about 73° on this photo), the old bug.
    pose, view = placed.pose_image, placed.view.view
    shoulder = near_point(pose, view, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER)
    ear = near_point(pose, view, LM.LEFT_EAR, LM.RIGHT_EAR)
    d = ear - shoulder
    assert math.degrees(math.atan2(-d[1], d[0])) > 60.0
    assert _on_segment(image, shoulder, ear, red, np.linspace(0.3, 0.7, 9)) == 0
    # The true horizontal runs from C7 toward the face (dashed white).
    ahead = [C7 + np.array([dx, 0.0]) for dx in np.arange(20.0, 140.0, 1.0)]
    white = sum(_near(image[round(p[1]), round(p[0])], st.REFERENCE_COLOR, 30) for p in ahead)
    behind = [C7 - np.array([dx, 0.0]) for dx in np.arange(20.0, 100.0, 1.0)]
    assert white > 40
    assert sum(_near(image[round(p[1]), round(p[0])], st.REFERENCE_COLOR, 30) for p in behind) == 0


def test_placed_points_get_rings_where_they_were_placed(placed: FrameResult) -> None:
    image = OverlayRenderer().render(placed.frame.image_bgr, placed)
    for p in (C7, TRAGUS):
        assert _count(image, PLACED_COLOR, p) > 40
    pose = placed.pose_image
    hip = near_point(pose, placed.view.view, LM.LEFT_HIP, LM.RIGHT_HIP)
    assert _count(image, PLACED_COLOR, hip) == 0
    assert _count(image, MARKER_COLOR, C7) == 0  # placed, not a detected sticker


def test_mirror_moves_the_rings_and_the_cva_line(placed: FrameResult) -> None:
    w = placed.frame.image_bgr.shape[1]
    red = st.status_color(placed.metrics["cva"].status)
    image = OverlayRenderer(**GEOMETRY).render(placed.frame.image_bgr, placed, mirror=True)
    c7, tragus = _mirror(C7, w), _mirror(TRAGUS, w)
    assert _on_segment(image, c7, tragus, red) == 11
    for plain, mirrored in ((C7, c7), (TRAGUS, tragus)):
        assert _count(image, PLACED_COLOR, mirrored) > 40
        assert _count(image, PLACED_COLOR, plain) == 0


def test_skeleton_only_export_keeps_the_rings(placed: FrameResult) -> None:
    image = OverlayRenderer(skeleton_only=True).render(placed.frame.image_bgr, placed)
    for p in (C7, TRAGUS):
        assert _count(image, PLACED_COLOR, p) > 40


def test_a_resized_display_scales_the_points(placed: FrameResult) -> None:
    h, w = placed.frame.image_bgr.shape[:2]
    small = cv2.resize(placed.frame.image_bgr, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    red = st.status_color(placed.metrics["cva"].status)
    image = OverlayRenderer(**GEOMETRY).render(small, placed)
    assert _on_segment(image, C7 / 2, TRAGUS / 2, red) == 11


# ---- real photo with composited stickers: --markers tragus,c7,asis,psis ---------------


@pytest.fixture(scope="module")
def stickers(media, model_path) -> tuple[FrameResult, dict[str, np.ndarray]]:
    image = read_image(media(PHOTO))
    cfg = PipelineConfig(model_path=str(model_path), flip_average=False, rotation_average_deg=())
    with Pipeline.open(cfg, mode="image", allow_network=False) as pipe:
        pose = pipe.process(Frame(image, 0, 0.0, PHOTO)).pose_image
    trunk = trunk_length_px(pose)
    truth = sticker_places(pose, facing=1)  # the patient faces image-right
    marked = paint_stickers(image, truth, trunk)
    cfg_m = dataclasses.replace(cfg, markers=("tragus", "c7", "asis", "psis"))
    with Pipeline.open(cfg_m, mode="image", allow_network=False) as pipe:
        return pipe.process(Frame(marked, 0, 0.0, PHOTO)), truth


def test_marker_angles_are_drawn_from_the_stickers(stickers) -> None:
    res, truth = stickers
    cva, pelvis = res.metrics["cva"], res.metrics["pelvic_tilt_sagittal"]
    assert cva.source == pelvis.source == "marker"
    assert pelvis.value == pytest.approx(14.0, abs=0.5)
    image = OverlayRenderer(**GEOMETRY).render(res.frame.image_bgr, res)
    assert _on_segment(image, truth["c7"], truth["tragus"], st.status_color(cva.status)) == 11
    ts = np.linspace(0.35, 0.65, 7)
    color = st.status_color(pelvis.status)
    assert _on_segment(image, truth["psis"], truth["asis"], color, ts) == 7
    # Every sticker is ringed in the marker colour and named (the full overlay).
    full = OverlayRenderer().render(res.frame.image_bgr, res)
    for xy in truth.values():
        assert _count(full, MARKER_COLOR, xy, half=40) > 60
    assert _count(full, PLACED_COLOR, truth["c7"], half=40) == 0


# ---- synthetic: forward shoulder angle, roll, reference rays, display mapping ---------


def _side_with_points(view: str, names: dict[str, np.ndarray], roll_deg: float = 0.0):
    """A demo side-view result whose metrics the engine computed with placed points."""
    base = demo_result(view, (640, 480), roll_deg=roll_deg)
    canvas = np.full_like(base.frame.image_bgr, 110)
    points = {n: NamedPoint(n, xy, "point") for n, xy in names.items()}
    metrics = MetricsEngine().compute(base.pose_image, ViewEstimate(View(view), 0.9), None, points)
    fp = FramePoints(placed=points)
    return dataclasses.replace(
        base, frame=Frame(canvas, 0, 0.0, "demo"), metrics=metrics, markers=fp
    )


@pytest.mark.parametrize("view", ["right", "left"])
def test_forward_shoulder_angle_from_acromion_to_c7_against_the_backward_ray(view) -> None:
    base = demo_result(view, (640, 480))
    pose = base.pose_image
    facing = 1.0 if view == "right" else -1.0
    sh = near_point(pose, View(view), LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER)
    acromion = sh + np.array([0.0, -8.0])
    c7 = acromion + np.array([-facing * 30.0, -40.0])
    res = _side_with_points(view, {"acromion": acromion, "c7": c7})
    fsa = res.metrics["forward_shoulder_angle"]
    assert fsa.source == "point"
    assert fsa.value == pytest.approx(math.degrees(math.atan2(40.0, 30.0)))
    image = OverlayRenderer(**GEOMETRY).render(res.frame.image_bgr, res)
    assert _on_segment(image, acromion, c7, st.status_color(fsa.status)) == 11
    # The dashed horizontal leaves the acromion backward (away from the face).
    back = np.array([-facing, 0.0])
    behind = [acromion + back * d for d in np.arange(15.0, 50.0, 1.0)]
    ahead = [acromion - back * d for d in np.arange(15.0, 50.0, 1.0)]

    def white(ps):
        return sum(_near(image[round(p[1]), round(p[0])], st.REFERENCE_COLOR, 30) for p in ps)

    assert white(behind) > 10
    assert white(ahead) == 0


def test_pelvic_tilt_reference_follows_the_camera_roll() -> None:
    """With a roll the true horizontal is drawn rotated, and the arc's value is measured
    from it: the line is drawn where the stickers are, the reference along true_axes."""
    roll = 8.0
    base = demo_result("right", (640, 480), roll_deg=roll)
    hip = near_point(base.pose_image, View.RIGHT, LM.LEFT_HIP, LM.RIGHT_HIP)
    psis, asis = hip + np.array([-45.0, -30.0]), hip + np.array([45.0, -20.0])
    res = _side_with_points("right", {"psis": psis, "asis": asis}, roll_deg=roll)
    # The engine measures on the levelled points (as calibration would hand them over).
    horizontal, vertical = st.true_axes(roll)
    d = asis - psis
    level = math.degrees(math.atan2(d @ vertical, d @ horizontal))  # + = ASIS lower
    pelvis = dataclasses.replace(res.metrics["pelvic_tilt_sagittal"], value=level)
    res = dataclasses.replace(res, metrics={**res.metrics, "pelvic_tilt_sagittal": pelvis})
    image = OverlayRenderer(skeleton=False, labels=False).render(res.frame.image_bgr, res)
    assert _on_segment(image, psis, asis, st.status_color(pelvis.status)) == 11

    def band(direction) -> float:
        ps = [psis + direction * t for t in np.arange(10.0, 100.0, 0.5)]
        return np.mean([_near(image[round(p[1]), round(p[0])], st.REFERENCE_COLOR, 30) for p in ps])

    assert band(horizontal) > 0.1  # dashes of a thin antialiased line
    assert band(np.array([1.0, 0.0])) < 0.02


@pytest.mark.parametrize(
    ("value", "toward_tip"), [(40.0, True), (-20.0, True), (120.0, False), (-150.0, False)]
)
def test_reference_ray_gives_the_metric_its_own_angle(value, toward_tip) -> None:
    vertex, tip = np.array([100.0, 100.0]), np.array([160.0, 50.0])
    ray = reference_ray(vertex, tip, np.array([1.0, 0.0]), value)
    assert (ray[0] > 0) == toward_tip


def test_display_points_mirror_and_scale_like_the_pose() -> None:
    blob = Blob(np.array([50.0, 60.0]), 6.0, 0.9)
    sticker = NamedPoint("asis", np.array([50.0, 60.0]), "marker", 6.0)
    fp = FramePoints(
        markers=MarkerResult({"asis": sticker}, ("psis",), (blob,), None),
        placed={"c7": NamedPoint("c7", np.array([10.0, 20.0]), "point")},
    )
    shown = display_points(fp, (200, 100), (100, 50), mirror=True)
    assert shown.points["asis"].xy_px == pytest.approx([(199 - 50) / 2, 30.0])
    assert shown.points["asis"].radius_px == pytest.approx(3.0)
    assert shown.markers.blobs[0].xy_px == pytest.approx([(199 - 50) / 2, 30.0])
    assert shown.points["c7"].xy_px == pytest.approx([(199 - 10) / 2, 10.0])
    assert shown.points["c7"].source == "point"
    assert display_points(fp, (200, 100), (200, 100)) is fp


def test_unnamed_blob_gets_a_plain_grey_ring_and_no_person_needs_no_pose() -> None:
    base = demo_result(person=False)
    blob = Blob(np.array([100.0, 100.0]), 6.0, 0.9)
    fp = FramePoints(markers=MarkerResult({}, ("c7",), (blob,), "no person found"))
    res = dataclasses.replace(base, markers=fp)
    scene = np.full((360, 480, 3), 110, np.uint8)
    out = PointsAnnotator().annotate(scene.copy(), res)
    grey = _count(out, (170, 170, 170), (100, 100), tol=20)
    assert grey > 10
    assert _count(out, MARKER_COLOR, (100, 100)) == 0


def test_model_cva_is_drawn_from_the_estimated_c7_without_points() -> None:
    """Without stickers the CVA is measured from C7 estimated from the trunk: the line
    drawn runs from there to the ear, not from the shoulder landmark."""
    res = _side_with_points("right", {})  # the engine's own markerless CVA
    cva = res.metrics["cva"]
    assert cva.source == "model"
    pose = res.pose_image
    sh = near_point(pose, View.RIGHT, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER)
    ear = near_point(pose, View.RIGHT, LM.LEFT_EAR, LM.RIGHT_EAR)
    hip = near_point(pose, View.RIGHT, LM.LEFT_HIP, LM.RIGHT_HIP)
    c7 = estimate_c7(hip, sh, facing_dir_x(View.RIGHT))
    # The drawn line makes the measured angle with the horizontal.
    assert elevation_deg(c7, ear, facing_dir_x(View.RIGHT)) == pytest.approx(cva.value, abs=1e-6)
    image = OverlayRenderer(**GEOMETRY).render(res.frame.image_bgr, res)
    colour = st.status_color(cva.status)
    assert _on_segment(image, c7, ear, colour) == 11
    assert _on_segment(image, sh, ear, colour) < 11


def test_a_c7_given_alone_is_drawn_to_the_ear_it_is_measured_to() -> None:
    """A C7 point without a tragus: the CVA runs from that point to the ear landmark,
    as the engine measures it (not from the estimated C7)."""
    base = demo_result("right", (640, 480))
    sh = near_point(base.pose_image, View.RIGHT, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER)
    c7 = sh + np.array([-25.0, -30.0])
    res = _side_with_points("right", {"c7": c7})
    cva = res.metrics["cva"]
    assert cva.source == "point" and cva.value is not None
    ear = near_point(res.pose_image, View.RIGHT, LM.LEFT_EAR, LM.RIGHT_EAR)
    assert elevation_deg(c7, ear, 1.0) == pytest.approx(cva.value, abs=1e-6)
    image = OverlayRenderer(**GEOMETRY).render(res.frame.image_bgr, res)
    assert _on_segment(image, c7, ear, st.status_color(cva.status)) == 11


def test_the_pelvis_label_sits_below_the_sticker_rings(stickers, monkeypatch) -> None:
    """Drawn at the size of the app's picture at 1400 x 820 (about 370 px wide), the
    "Pelvis 14.2° anterior" label went under the ASIS and PSIS rings (read back as
    "Pelvis 1?.?° anterior"): its top is now below both rings, at full size too."""
    import cv2

    from posture_cam.overlay import references
    from posture_cam.overlay.points import named_points, ring_radius

    res, _truth = stickers
    calls = []
    real = references.st.put_text

    def spy(img, text, org, scale, color, thickness, **kw):
        calls.append((text, org, scale, thickness))
        return real(img, text, org, scale, color, thickness, **kw)

    monkeypatch.setattr(references.st, "put_text", spy)
    full_h, full_w = res.frame.image_bgr.shape[:2]
    for width in (full_w, 370):
        calls.clear()
        k = width / full_w
        shown = cv2.resize(res.frame.image_bgr, (width, round(full_h * k)))
        OverlayRenderer().render(shown, res)
        ((text, org, scale, thickness),) = [c for c in calls if c[0].startswith("Pelvis")]
        style = st.OverlayStyle.for_frame(shown.shape[1], shown.shape[0])
        top = org[1] - st.measure_text(text, scale, thickness)[1]
        for name, point in named_points(res).items():
            if name in ("asis", "psis"):
                bottom = point.xy_px[1] * k + ring_radius(point.radius_px * k, style)
                assert top >= bottom, (width, name, top, bottom)
