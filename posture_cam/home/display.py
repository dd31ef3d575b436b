"""What home mode draws on the live image: the skeleton only, no numbers, no labels.

The home view is deliberately calm: one instruction and two spirit levels live beside
the picture, so the picture itself carries only the skeleton (coloured by side). Runs in
the live worker thread; Qt-free.
"""

from __future__ import annotations

import cv2
import numpy as np

from posture_cam.overlay.annotators import SkeletonAnnotator
from posture_cam.overlay.privacy import neutral_background
from posture_cam.overlay.renderer import display_result
from posture_cam.types import FrameResult


class HomeRenderer:
    """Skeleton over the camera image (or over a neutral canvas with ``skeleton_only``).

    Args:
        skeleton_only: draw no camera pixels (privacy; README screenshots).
    """

    def __init__(self, *, skeleton_only: bool = False) -> None:
        self.skeleton_only = skeleton_only
        self._skeleton = SkeletonAnnotator(line_scale=1.3, dot_scale=1.2)

    def render(
        self, image_bgr: np.ndarray, result: FrameResult, *, mirror: bool = False
    ) -> np.ndarray:
        """A new (H, W, 3) uint8 image: ``image_bgr`` (flipped with ``mirror``) + skeleton."""
        h, w = image_bgr.shape[:2]
        if self.skeleton_only:
            scene = neutral_background(image_bgr.shape)
        elif mirror:
            scene = cv2.flip(image_bgr, 1)
        else:
            scene = image_bgr.copy()
        return self._skeleton.annotate(scene, display_result(result, (w, h), mirror=mirror))


def crop_to_drawing(image_bgr: np.ndarray, margin_px: int = 24) -> np.ndarray:
    """The part of a skeleton-only picture that holds the drawing, plus a margin.

    Everything that differs from the neutral canvas counts as drawing, so lines and
    their value labels stay whole. An empty canvas is returned unchanged.
    """
    canvas = np.asarray(neutral_background((1, 1, 3))[0, 0], dtype=np.int16)
    drawn = np.abs(image_bgr.astype(np.int16) - canvas).max(axis=2) > 12
    ys, xs = np.nonzero(drawn)
    if xs.size == 0:
        return image_bgr
    h, w = image_bgr.shape[:2]
    x0, x1 = max(0, int(xs.min()) - margin_px), min(w, int(xs.max()) + 1 + margin_px)
    y0, y1 = max(0, int(ys.min()) - margin_px), min(h, int(ys.max()) + 1 + margin_px)
    return image_bgr[y0:y1, x0:x1]
