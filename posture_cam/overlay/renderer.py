"""``OverlayRenderer``: the one entry point the CLI, the live app and snapshots call.

Order of drawing (later on top):

    base image (camera pixels, flipped in mirror mode, or a neutral canvas)
    -> face blur -> plumb line -> skeleton -> measured lines and angles
    -> marker and placed-point rings with their names -> L/R labels and legend
    -> "No person detected" -> metrics panel (joined on the right)

Mirror mode flips the image AND the pose before anything is drawn, so text stays
readable and every label stays anatomical: ``Pose.mirrored`` keeps landmark identity
(the patient's left shoulder is still landmark 11, drawn in the left-side colour with
"L" beside it, wherever it now appears). A flip also turns a counter-clockwise camera
roll into a clockwise one, so the roll changes sign for drawing. Skin markers and
placed points (``result.markers``) are flipped and scaled with the pose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import cv2
import numpy as np

from posture_cam.i18n import check_language
from posture_cam.overlay.annotators import NoPersonAnnotator, SideLabelAnnotator, SkeletonAnnotator
from posture_cam.overlay.panel import MetricsPanelAnnotator
from posture_cam.overlay.points import PointsAnnotator, display_points
from posture_cam.overlay.privacy import FaceBlurAnnotator, neutral_background
from posture_cam.overlay.references import (
    FrontalLinesAnnotator,
    PlumbLineAnnotator,
    SideViewAnnotator,
)
from posture_cam.types import FrameResult, Pose


class OverlayRenderer:
    """Draws a :class:`~posture_cam.types.FrameResult` over its image.

    Args:
        skeleton: draw the skeleton (coloured by anatomical side).
        reference_lines: draw the plumb line and the dashed true horizontals / verticals.
        angles: draw the measured lines' arcs and values, and the plumb-line offsets.
        labels: draw "L" / "R" beside shoulders and hips, and the colour legend.
        panel: join a metrics panel to the right of the image (the output gets wider).
        language: ``en`` or ``nl`` for every text.
        skeleton_only: draw on a dark neutral canvas instead of the camera pixels
            (privacy export).
        blur_face: strongly blur the head region before drawing (privacy export).
    """

    def __init__(
        self,
        *,
        skeleton: bool = True,
        reference_lines: bool = True,
        angles: bool = True,
        labels: bool = True,
        panel: bool = False,
        language: str = "en",
        skeleton_only: bool = False,
        blur_face: bool = False,
    ) -> None:
        self.language = check_language(language)
        self.skeleton_only = skeleton_only
        self.blur_face = blur_face
        self._blur = FaceBlurAnnotator() if blur_face and not skeleton_only else None
        annotators: list = []
        if reference_lines:
            annotators.append(PlumbLineAnnotator(offsets=angles))
        if skeleton or skeleton_only:
            annotators.append(SkeletonAnnotator())
        if reference_lines or angles:
            annotators.append(FrontalLinesAnnotator(reference_lines, angles, language))
            annotators.append(SideViewAnnotator(reference_lines, angles, language))
        # Where the marker / point numbers came from: drawn in every mode, skeleton-only too.
        annotators.append(PointsAnnotator(legend=labels, language=language))
        if labels:
            annotators.append(SideLabelAnnotator(legend=True, language=language))
        annotators.append(NoPersonAnnotator(language))
        self.annotators = tuple(annotators)
        self.panel = MetricsPanelAnnotator(language) if panel else None

    def render(
        self,
        image_bgr: np.ndarray,
        result: FrameResult,
        *,
        mirror: bool = False,
        plus_minus: Mapping[str, float | None] | None = None,
    ) -> np.ndarray:
        """Draw the overlay on a copy of ``image_bgr``.

        Args:
            image_bgr: (H, W, 3) uint8 BGR image of the frame, un-mirrored (usually
                ``result.frame.image_bgr``; a resized copy works too: the pose is scaled).
            result: the pipeline's result for that frame.
            mirror: show the frame as a mirror (flip image and pose, keep labels anatomical).
            plus_minus: metric id -> the ± of its value, for the burned-in panel (a
                snapshot's own ±, as its JSON has it); None: values without ±.

        Returns:
            A new (H, W, 3) uint8 BGR image, or (H, W + panel width, 3) with ``panel``.
        """
        if (
            not isinstance(image_bgr, np.ndarray)
            or image_bgr.dtype != np.uint8
            or image_bgr.ndim != 3
            or image_bgr.shape[2] != 3
        ):
            raise ValueError("image_bgr must be an (H, W, 3) uint8 BGR array")
        h, w = image_bgr.shape[:2]
        if self.skeleton_only:
            scene = neutral_background(image_bgr.shape)
        elif mirror:
            scene = cv2.flip(image_bgr, 1)  # a new array: the input stays untouched
        else:
            scene = image_bgr.copy()
        shown = display_result(result, (w, h), mirror=mirror)
        if self._blur is not None:
            scene = self._blur.annotate(scene, shown)
        for annotator in self.annotators:
            scene = annotator.annotate(scene, shown)
        if self.panel is not None:
            scene = self.panel.compose(scene, shown, plus_minus)
        return scene


def display_result(
    result: FrameResult, size_wh: tuple[int, int], *, mirror: bool = False
) -> FrameResult:
    """The result with ``pose_image``, ``markers`` and ``roll_deg`` as shown on a (W, H)
    display.

    Args:
        result: the pipeline's result (image coordinates of the un-mirrored frame).
        size_wh: the size of the image being drawn on.
        mirror: the display is flipped horizontally.
    """
    pose = result.pose_image
    if pose is not None:
        pose = _scaled(pose.mirrored() if mirror else pose, size_wh)
    roll = -result.roll_deg if mirror else result.roll_deg
    points = result.markers
    if points is not None:
        src = result.pose_image.resolution_wh if result.pose_image else result.frame.resolution_wh
        points = display_points(points, src, size_wh, mirror=mirror)
    if pose is result.pose_image and roll == result.roll_deg and points is result.markers:
        return result
    return dataclasses.replace(result, pose_image=pose, roll_deg=roll, markers=points)


def _scaled(pose: Pose, size_wh: tuple[int, int]) -> Pose:
    pw, ph = pose.resolution_wh
    w, h = size_wh
    if (pw, ph) == (w, h):
        return pose
    xy = pose.xy_px * np.array([w / pw, h / ph])
    return dataclasses.replace(pose, xy_px=xy, resolution_wh=(int(w), int(h)))
