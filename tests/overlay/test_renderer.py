"""Overlay: golden images (synthetic canvases and poses only) and behaviour checks.

Golden PNGs live in tests/golden/. Regenerate them after an intended visual change with

    POSTURE_CAM_REGEN_GOLDEN=1 .venv/bin/pytest tests/overlay/test_renderer.py

and look at every changed file before committing. A failing comparison writes the
actual image and an amplified difference to tests/overlay/_golden_actual/ (git-ignored).
"""

from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from posture_cam.landmarks import LM
from posture_cam.overlay import OverlayRenderer, face_box
from posture_cam.overlay import style as st
from posture_cam.overlay.panel import MetricsPanelAnnotator
from posture_cam.testing import demo_canvas, demo_result
from posture_cam.types import Metric
from posture_cam.wording import metric as metric_words

GOLDEN_DIR = Path(__file__).parent / "golden"
ACTUAL_DIR = Path(__file__).parent / "_golden_actual"
SIZE = (480, 360)

#: A fixed stand-in for the metrics catalogue, so golden images do not change when the
#: catalogue's wording or bands are edited (the real lookup is tested separately).
_FAKE_SPECS = {
    "head_tilt": ("Head tilt", (-2, 2), (-4, 4)),
    "shoulder_tilt": ("Shoulder tilt", (-1.5, 1.5), (-3, 3)),
    "pelvic_tilt": ("Pelvic obliquity", (-1.5, 1.5), (-3, 3)),
    "cva": ("Craniovertebral angle", (48.5, 90), (45.5, 90)),
}


def _fake_spec(metric_id: str):
    if metric_id not in _FAKE_SPECS:
        raise KeyError(metric_id)
    label, normal, borderline = _FAKE_SPECS[metric_id]
    norm = SimpleNamespace(normal=normal, borderline=borderline)
    return SimpleNamespace(label=label, norm=norm, unit_kind="angle")


@pytest.fixture
def fixed_catalogue(monkeypatch):
    monkeypatch.setattr(metric_words, "spec", _fake_spec)  # the one lookup of a spec


def assert_image_matches(
    name: str, actual: np.ndarray, *, pixel_threshold: int = 48, max_differing: float = 0.004
) -> None:
    """Compare with tests/golden/<name>.png, pyqtgraph-style.

    Args:
        name: golden file stem.
        actual: (H, W, 3) uint8 BGR image.
        pixel_threshold: a pixel differs when any channel differs by more than this.
        max_differing: allowed fraction of differing pixels (antialiasing and font
            rasterisation vary slightly between OpenCV builds).
    """
    path = GOLDEN_DIR / f"{name}.png"
    if os.environ.get("POSTURE_CAM_REGEN_GOLDEN") == "1":
        GOLDEN_DIR.mkdir(exist_ok=True)
        cv2.imwrite(str(path), actual, [cv2.IMWRITE_PNG_COMPRESSION, 9])
        return
    assert path.exists(), f"{path} missing: run with POSTURE_CAM_REGEN_GOLDEN=1 and review it"
    expected = cv2.imread(str(path), cv2.IMREAD_COLOR)
    problem = None
    if expected.shape != actual.shape:
        problem = f"shape {actual.shape} != golden {expected.shape}"
    else:
        diff = np.abs(expected.astype(np.int16) - actual.astype(np.int16)).max(axis=2)
        n_bad = int((diff > pixel_threshold).sum())
        allowed = int(max_differing * diff.size)
        if n_bad > allowed:
            problem = f"{n_bad} pixels differ by more than {pixel_threshold} (allowed {allowed})"
    if problem:
        ACTUAL_DIR.mkdir(exist_ok=True)
        cv2.imwrite(str(ACTUAL_DIR / f"{name}.png"), actual)
        if expected.shape == actual.shape:
            amplified = np.clip(
                np.abs(expected.astype(np.int16) - actual.astype(np.int16)) * 4, 0, 255
            )
            cv2.imwrite(str(ACTUAL_DIR / f"{name}_diff.png"), amplified.astype(np.uint8))
        pytest.fail(f"{name}: {problem}; see {ACTUAL_DIR}")


GOLDEN_CASES = {
    "front_tilt": (dict(view="front", shoulder_tilt_deg=3.0), {}, {}),
    "side_cva": (dict(view="left", cva_deg=46.0), {}, {}),
    "front_mirror": (dict(view="front", shoulder_tilt_deg=3.0), {}, {"mirror": True}),
    "side_skeleton_only_roll": (dict(view="right", roll_deg=4.0), {"skeleton_only": True}, {}),
    "front_panel": (dict(view="front", shoulder_tilt_deg=-2.0), {"panel": True}, {}),
    "side_panel_nl": (dict(view="left"), {"panel": True, "language": "nl"}, {}),
    "no_person": (dict(person=False), {}, {}),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden(name, fixed_catalogue):
    result_kw, renderer_kw, render_kw = GOLDEN_CASES[name]
    result = demo_result(size_wh=SIZE, **result_kw)
    image = OverlayRenderer(**renderer_kw).render(result.frame.image_bgr, result, **render_kw)
    assert_image_matches(name, image)


def test_golden_files_are_small():
    for path in GOLDEN_DIR.glob("*.png"):
        assert path.stat().st_size < 100_000, f"{path.name} is too large for the repo"


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"panel": True}, {"skeleton_only": True}, {"blur_face": True}],
    ids=["default", "panel", "skeleton_only", "blur_face"],
)
@pytest.mark.parametrize("mirror", [False, True])
def test_render_returns_new_image_and_keeps_input(kwargs, mirror):
    result = demo_result("front", SIZE)
    image = result.frame.image_bgr
    before = image.copy()
    out = OverlayRenderer(**kwargs).render(image, result, mirror=mirror)
    assert np.array_equal(image, before)
    assert out is not image and not np.shares_memory(out, image)
    assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[2] == 3
    width = SIZE[0] + (MetricsPanelAnnotator().width_for(SIZE[1]) if kwargs.get("panel") else 0)
    assert out.shape[:2] == (SIZE[1], width)


def _color_count(image: np.ndarray, color, box, tol: int = 40) -> int:
    x0, y0, x1, y1 = (round(v) for v in box)
    roi = image[max(0, y0) : y1, max(0, x0) : x1].astype(np.int16)
    return int((np.abs(roi - np.array(color)).max(axis=2) <= tol).sum())


def test_mirror_keeps_labels_anatomical():
    """ "L" sits beside the patient's left shoulder wherever the mirror puts it."""
    canvas = np.full((SIZE[1], SIZE[0], 3), 128, np.uint8)
    result = demo_result("front", SIZE, image_bgr=canvas)
    renderer = OverlayRenderer(skeleton=False, reference_lines=False, angles=False)
    plain = renderer.render(canvas, result)
    mirrored = renderer.render(canvas, result, mirror=True)
    left = result.pose_image.point(LM.LEFT_SHOULDER)  # image-right in a front view
    w = SIZE[0]
    unmirrored_box = (left[0], left[1], left[0] + 40, left[1] + 40)
    mirrored_box = (w - 1 - left[0] - 40, left[1], w - 1 - left[0], left[1] + 40)
    assert _color_count(plain, st.LEFT_COLOR, unmirrored_box) > 5
    assert _color_count(mirrored, st.LEFT_COLOR, mirrored_box) > 5
    assert _color_count(mirrored, st.LEFT_COLOR, unmirrored_box) == 0
    assert _color_count(mirrored, st.RIGHT_COLOR, unmirrored_box) > 5
    # Text is drawn after the flip: the legend reads the same in both modes.
    legend = np.s_[0:60, 0:200]
    assert np.array_equal(plain[legend], mirrored[legend])


def test_mirror_equals_flipped_scene_for_drawings_without_text():
    result = demo_result("left", SIZE)
    renderer = OverlayRenderer(labels=False, angles=False)
    plain = renderer.render(result.frame.image_bgr, result)
    mirrored = renderer.render(result.frame.image_bgr, result, mirror=True)
    diff = np.abs(mirrored.astype(np.int16) - plain[:, ::-1].astype(np.int16)).max(axis=2)
    assert (diff > 60).mean() < 0.002


def test_skeleton_only_has_no_source_pixels():
    red = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
    red[..., 2] = 255
    result = demo_result("front", SIZE, image_bgr=red)
    out = OverlayRenderer(skeleton_only=True, blur_face=True).render(red, result)
    pure_red = (out[..., 2] > 200) & (out[..., 1] < 50) & (out[..., 0] < 50)
    assert not pure_red.any()
    assert tuple(out[-1, -1]) == st.BACKGROUND_COLOR


def test_blur_face_changes_only_the_head_region():
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, (SIZE[1], SIZE[0], 3), dtype=np.uint8)
    result = demo_result("front", SIZE, image_bgr=noise)
    kw = dict(skeleton=False, reference_lines=False, angles=False, labels=False)
    plain = OverlayRenderer(**kw).render(noise, result)
    blurred = OverlayRenderer(blur_face=True, **kw).render(noise, result)
    x0, y0, x1, y1 = face_box(result, noise.shape[:2])
    head = np.s_[y0:y1, x0:x1]
    face_pts = result.pose_image.xy_px[:11]
    assert (x0 <= face_pts[:, 0].min()) and (face_pts[:, 0].max() <= x1)
    assert (y0 <= face_pts[:, 1].min()) and (face_pts[:, 1].max() <= y1)
    # Noise blurred this strongly loses almost all of its variance.
    assert blurred[head].astype(float).std() < 0.25 * plain[head].astype(float).std()
    outside = np.ones(noise.shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(blurred[outside], noise[outside])


def test_metric_annotations_only_when_measurable():
    result = demo_result("front", SIZE)
    metrics = dict(result.metrics)
    metrics["shoulder_tilt"] = Metric.not_measurable("shoulder_tilt", "deg", "shoulder hidden")
    not_measurable = dataclasses.replace(result, metrics=metrics)
    del metrics["shoulder_tilt"]
    absent = dataclasses.replace(result, metrics=metrics)
    renderer = OverlayRenderer()
    image = result.frame.image_bgr
    a = renderer.render(image, not_measurable)
    assert np.array_equal(a, renderer.render(image, absent))
    assert not np.array_equal(a, renderer.render(image, result))


@pytest.mark.parametrize("roll_deg", [-8.0, 0.0, 10.0])
def test_plumb_line_follows_true_vertical(roll_deg):
    """With a roll the plumb line leans: a true horizontal turns counter-clockwise as
    displayed, so a true vertical's lower end moves to the right."""
    canvas = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
    result = demo_result("front", SIZE, image_bgr=canvas, roll_deg=roll_deg)
    out = OverlayRenderer(skeleton=False, angles=False, labels=False).render(canvas, result)
    # Intensity-weighted: an antialiased 1 px slanted line spreads over two pixels.
    white = np.clip(out.min(axis=2).astype(float) - 60.0, 0.0, None)
    xs = np.arange(SIZE[0])

    def centre_x(row: int) -> float:
        return float((white[row] * xs).sum() / white[row].sum())

    top, bottom = 2, SIZE[1] - 3
    expected = math.tan(math.radians(roll_deg)) * (bottom - top)
    assert centre_x(bottom) - centre_x(top) == pytest.approx(expected, abs=2.0)


def test_no_person_message_only_at_top():
    result = demo_result(person=False, size_wh=SIZE)
    image = result.frame.image_bgr
    out = OverlayRenderer().render(image, result)
    changed = np.argwhere((out != image).any(axis=2))
    assert len(changed) > 50
    assert changed[:, 0].max() < SIZE[1] * 0.2


def test_render_scales_pose_to_a_resized_image():
    result = demo_result("front", SIZE)
    small = cv2.resize(result.frame.image_bgr, (240, 180))
    out = OverlayRenderer(panel=True).render(small, result, mirror=True)
    assert out.shape[0] == 180


def test_text_is_folded_for_hershey_without_losing_signs_or_umlauts():
    assert st.to_ascii("−2.0° ± 1") == "-2.0° +/- 1"
    assert st.to_ascii("patiënt") == "pati\x01ent"  # the two dots are drawn over the "e"
    plain = np.zeros((40, 160, 3), np.uint8)
    umlaut = plain.copy()
    st.put_text(plain, "patient", (4, 30), 0.8, (255, 255, 255), 1, box=False)
    st.put_text(umlaut, "patiënt", (4, 30), 0.8, (255, 255, 255), 1, box=False)
    assert abs(st.measure_text("patiënt", 0.8, 1)[0] - st.measure_text("patient", 0.8, 1)[0]) <= 4
    assert (umlaut != plain).any(axis=2).sum() > 4
    with pytest.raises(ValueError):
        OverlayRenderer(language="de")


def test_demo_canvas_is_synthetic():
    canvas = demo_canvas(SIZE)
    assert canvas.shape == (SIZE[1], SIZE[0], 3)


@pytest.mark.parametrize("scale", [0.5, 1.0, 2.0])
def test_diaeresis_dots_sit_where_the_font_dots_its_i(scale):
    """The two dots of "ë" at the height and size of the Hershey "i" dot, not above it."""
    thickness = max(1, round(scale * 2))

    def dot_rows(text: str) -> np.ndarray:
        img = np.zeros((200, 300, 3), np.uint8)
        st.put_text(img, text, (20, 150), scale, (255, 255, 255), thickness, box=False)
        rows = np.flatnonzero((img[..., 0] > 128).any(axis=1))
        first_gap = np.flatnonzero(np.diff(rows) > 1)[0]
        return rows[: first_gap + 1]  # the dot(s) above the letter's body

    i_dot, e_dots = dot_rows("i"), dot_rows("ë")
    assert abs(e_dots.mean() - i_dot.mean()) <= max(1.0, 0.05 * scale * 27)
    assert len(e_dots) <= len(i_dot) + 2


@pytest.mark.parametrize("scale", [0.4, 0.9, 2.0])
def test_diaeresis_dots_are_centred_on_their_letter_inside_a_word(scale):
    """In "patiënt" the dots sit over the "e" (the word is drawn in one run), not
    shifted onto the "n" as when the letter was drawn on its own."""
    thickness = max(1, round(scale * 2))
    plain = np.zeros((200, 400, 3), np.uint8)
    dotted = plain.copy()
    st.put_text(plain, "patient", (20, 150), scale, (255, 255, 255), thickness, box=False)
    st.put_text(dotted, "patiënt", (20, 150), scale, (255, 255, 255), thickness, box=False)
    assert st.measure_text("patiënt", scale, thickness) == st.measure_text(
        "patient", scale, thickness
    )
    dots = np.flatnonzero((dotted[..., 0] != plain[..., 0]).any(axis=0))
    head = np.zeros((200, 400), np.uint8)
    body = head.copy()
    cv2.putText(head, "pati", (20, 150), st.FONT, scale, 255, thickness, cv2.LINE_8)
    cv2.putText(body, "patie", (20, 150), st.FONT, scale, 255, thickness, cv2.LINE_8)
    e_ink = np.flatnonzero((head != body).any(axis=0))
    assert dots.size > 0
    dots_centre, e_centre = (dots[0] + dots[-1]) / 2, (e_ink[0] + e_ink[-1]) / 2
    # half a pixel: a pixel off already reads as a dot on the neighbouring letter
    assert abs(dots_centre - e_centre) <= 0.5, (dots_centre, e_centre)
    assert dots[0] >= e_ink[0] - 1 and dots[-1] <= e_ink[-1] + 1
