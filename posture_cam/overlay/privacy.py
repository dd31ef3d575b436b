"""Privacy exports: a blurred face, or no camera pixels at all (skeleton only)."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from posture_cam.landmarks import LM
from posture_cam.overlay import style as st
from posture_cam.types import FrameResult

_FACE_IDS = list(range(11))  # nose, eyes, ears, mouth


def face_box(result: FrameResult, shape_hw: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """Generous (x0, y0, x1, y1) box around the head in scene pixels, or None.

    The face landmarks only span eyes to mouth and ear to ear; the head reaches well
    above the eyes and below the mouth, so the box grows by a margin proportional to
    the face size (and never smaller than a quarter of the shoulder width). Without
    face landmarks the head is assumed to sit above the shoulder midpoint.
    """
    pose = result.pose_image
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

    Args:
        cells: how many pixels the region is reduced to across its larger side.
    """

    def __init__(self, cells: int = 8) -> None:
        self.cells = max(2, int(cells))

    def annotate(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        box = face_box(result, scene.shape[:2])
        if box is None:
            return scene
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
        return scene


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
