"""Privacy exports: a blurred face, or no camera pixels at all (skeleton only)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from posture_cam.landmarks import LM
from posture_cam.overlay import style as st
from posture_cam.types import FrameResult, Pose

_FACE_IDS = list(range(11))  # nose, eyes, ears, mouth


def face_box(result: FrameResult, shape_hw: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """Generous (x0, y0, x1, y1) box around the measured person's head, or None."""
    return pose_face_box(result.pose_image, shape_hw)


def face_boxes(
    result: FrameResult, scene: np.ndarray, *, detect: bool = True
) -> list[tuple[int, int, int, int]]:
    """Boxes around every face in the frame, not only the measured person's.

    From every pose the model found in this frame (``estimate.all_poses``; a stream
    tracks one person, so others may be missing there) and from OpenCV's Haar face
    detectors (frontal and profile, shipped with OpenCV) run on ``scene``. Blurring a
    false detection costs a smudge; missing a face costs a patient's privacy.
    """
    h, w = scene.shape[:2]
    poses = [result.pose_image, *result.estimate.all_poses]
    boxes = [b for b in (pose_face_box(p, (h, w)) for p in poses) if b is not None]
    if detect:
        boxes.extend(detected_faces(scene))
    return boxes


def detected_faces(scene: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Faces found by OpenCV's Haar cascades, grown to cover the whole head."""
    cascades = _cascades()
    if not cascades:
        return []
    h, w = scene.shape[:2]
    scale = min(1.0, 960.0 / max(h, w))  # bounded cost on large photos
    gray = cv2.cvtColor(scene, cv2.COLOR_BGR2GRAY) if scene.ndim == 3 else scene
    if scale < 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.equalizeHist(gray)
    min_px = max(12, int(0.015 * max(gray.shape)))
    found = []
    for cascade, flip in cascades:
        for image, mirrored in ((gray, False), (gray[:, ::-1], True)) if flip else ((gray, False),):
            rects = cascade.detectMultiScale(
                np.ascontiguousarray(image),
                scaleFactor=1.1,
                minNeighbors=4,
                minSize=(min_px, min_px),
            )
            for x, y, bw, bh in rects if len(rects) else []:
                if mirrored:
                    x = image.shape[1] - x - bw
                found.append((x / scale, y / scale, bw / scale, bh / scale))
    boxes = []
    for x, y, bw, bh in found:
        m = 0.35 * max(bw, bh)
        x0, y0 = max(0, round(x - m)), max(0, round(y - 1.3 * m))
        x1, y1 = min(w, round(x + bw + m)), min(h, round(y + bh + m))
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            boxes.append((x0, y0, x1, y1))
    return boxes


@lru_cache(maxsize=1)
def _cascades() -> tuple[tuple[cv2.CascadeClassifier, bool], ...]:
    """(classifier, also run mirrored) pairs; empty when OpenCV ships no cascades."""
    folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
    out = []
    for name, flip in (
        ("haarcascade_frontalface_alt2.xml", False),
        ("haarcascade_profileface.xml", True),
    ):
        if folder is None:
            break
        cascade = cv2.CascadeClassifier(str(Path(folder) / name))
        if not cascade.empty():
            out.append((cascade, flip))
    return tuple(out)


def pose_face_box(pose: Pose | None, shape_hw: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """Generous (x0, y0, x1, y1) box around the head of ``pose`` in scene pixels, or None.

    The face landmarks only span eyes to mouth and ear to ear; the head reaches well
    above the eyes and below the mouth, so the box grows by a margin proportional to
    the face size (and never smaller than a quarter of the shoulder width). Without
    face landmarks the head is assumed to sit above the shoulder midpoint.
    """
    if pose is None:
        return None
    h, w = shape_hw
    face = pose.xy_px[_FACE_IDS]
    face = face[np.isfinite(face).all(axis=1)]
    shoulder_w = 0.0
    if pose.has(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
        shoulder_w = float(
            np.hypot(*(pose.point(LM.LEFT_SHOULDER) - pose.point(LM.RIGHT_SHOULDER)))
        )
    if len(face):
        x0, y0 = face.min(axis=0)
        x1, y1 = face.max(axis=0)
        size = max(x1 - x0, y1 - y0, 0.5 * shoulder_w, 0.02 * float(np.hypot(h, w)))
        cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    elif shoulder_w > 0:
        mid = (pose.point(LM.LEFT_SHOULDER) + pose.point(LM.RIGHT_SHOULDER)) / 2.0
        size = 0.6 * shoulder_w
        cx, cy = float(mid[0]), float(mid[1]) - 1.3 * size
    else:
        return None
    box = (cx - 1.3 * size, cy - 1.7 * size, cx + 1.3 * size, cy + 1.4 * size)
    x0, y0, x1, y1 = (round(float(v)) for v in box)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return x0, y0, x1, y1


class FaceBlurAnnotator:
    """Strongly blurs the head region so a face cannot be recognised.

    The region is shrunk to a few pixels and scaled back up, which destroys facial
    detail far more reliably than a Gaussian of the same cost, then smoothed so it
    reads as a blur rather than as mosaic blocks.

    Every face in the frame is blurred: the measured person's, every other pose the
    model found, and every face OpenCV's detectors find (:func:`face_boxes`).

    Args:
        cells: how many pixels the region is reduced to across its larger side.
        detect: also run the OpenCV face detectors (off only for speed-critical uses).
    """

    def __init__(self, cells: int = 8, detect: bool = True) -> None:
        self.cells = max(2, int(cells))
        self.detect = detect

    def annotate(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        # Find every face on the untouched image first, then blur them all.
        for box in face_boxes(result, scene, detect=self.detect):
            self._blur(scene, box)
        return scene

    def _blur(self, scene: np.ndarray, box: tuple[int, int, int, int]) -> None:
        x0, y0, x1, y1 = box
        roi = scene[y0:y1, x0:x1]
        bh, bw = roi.shape[:2]
        k = self.cells / max(bh, bw)
        small = cv2.resize(
            roi, (max(1, round(bw * k)), max(1, round(bh * k))), interpolation=cv2.INTER_AREA
        )
        blurred = cv2.resize(small, (bw, bh), interpolation=cv2.INTER_LINEAR)
        ksize = max(3, (min(bh, bw) // 6) | 1)
        roi[:] = cv2.GaussianBlur(blurred, (ksize, ksize), 0)


def neutral_background(shape: tuple[int, ...]) -> np.ndarray:
    """A new dark neutral canvas of the given (H, W, 3) shape for skeleton-only exports."""
    return _background(tuple(int(v) for v in shape)).copy()


@lru_cache(maxsize=4)
def _background(shape: tuple[int, ...]) -> np.ndarray:
    # Filling a 3-channel image with a colour is ~5 ms at 720p in NumPy; copying a
    # cached canvas is a plain memcpy.
    canvas = np.empty(shape, dtype=np.uint8)
    canvas[:] = st.BACKGROUND_COLOR
    canvas.setflags(write=False)
    return canvas
