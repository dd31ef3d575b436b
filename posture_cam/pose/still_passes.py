"""Test-time averaging for stills: more model passes on one photo, mapped back and merged.

IMAGE mode only; streams never use it. The passes run through a ``detect`` callable
(one plain model pass, :meth:`PoseEstimator._detect`), so this module holds the geometry
and the choice of passes, not the model.

* flip: the landmark model is not exactly mirror-symmetric; on a photo and its mirror
  image its shoulder line can differ by 1-4 degrees. The model also runs on the
  horizontally flipped photo, those landmarks are mapped back (x -> W - 1 - x, patient's
  left <-> right labels swapped) and averaged. A photo and its mirror image then give
  mirrored landmarks.
* rotation (``rotations_deg``): the model's landmarks move by about a degree when the
  photo is rotated; running it also on the photo rotated by a few small angles (and on
  their mirror images), mapping the landmarks back and averaging makes the measured
  angles follow a rotation of the photo more closely (bench/accuracy.py).
* crop refinement (``refine_crop_px``): a second pass on a square crop around each
  person found by a plain pass. Measured and not used by default: against keypoint
  annotations it did not beat the passes it costs (bench/landmark_accuracy.py).

Each extra view costs one inference (about 25-40 ms here). ``PipelineConfig`` runs a
photo fourteen times (as is, mirrored, +-4/8/12 deg and their mirrors). Against human
keypoint annotations and motion-capture joints six passes (+-8 deg only) were as close,
but the fourteen keep the angles following a rotated photo about twice as closely
(docs/metrics.md, "Landmark accuracy on photos").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from posture_cam.pose.merge import box_iou, drop_outside, merge_flipped, merge_views, unflip
from posture_cam.types import Frame, Pose

#: One plain model pass: ``detect(rgb, frame, resolution_wh)`` -> the people found, in
#: pixels of an image of ``resolution_wh`` (None: the frame's own size).
Detect = Callable[[np.ndarray, Frame, tuple[int, int] | None], list[Pose]]


@dataclass(frozen=True)
class StillPasses:
    """Which passes a still gets (see module docstring); all off = one plain pass.

    Attributes:
        flip_average: also run on the mirrored photo and average.
        rotations_deg: also run on the photo rotated by these angles (counter-clockwise
            as displayed) and average.
        refine_crop_px: run a second pass on a square crop of this many pixels a side
            around each person of a plain first pass; 0 = none.
        min_visibility: landmarks below this visibility count as missing when merging.
    """

    flip_average: bool = False
    rotations_deg: tuple[float, ...] = ()
    refine_crop_px: int = 0
    min_visibility: float = 0.5

    def poses(self, detect: Detect, rgb: np.ndarray, frame: Frame) -> list[Pose]:
        """The people on ``rgb`` (RGB of ``frame``) after every configured pass."""
        if self.refine_crop_px:
            return [self._refine(detect, rgb, frame, p) for p in detect(rgb, frame, None)]
        return self.averaged(detect, rgb, frame)

    def averaged(self, detect: Detect, rgb: np.ndarray, frame: Frame) -> list[Pose]:
        """The people on ``rgb`` with the flip / rotation averaging."""
        return self._merged(detect, rgb, frame)[0]

    def averaged_with_views(
        self, detect: Detect, rgb: np.ndarray, frame: Frame
    ) -> tuple[list[Pose], list[list[Pose]]]:
        """:meth:`averaged`, and the people of every single view mapped back onto
        ``rgb`` (one list per model pass), from which a point's spread over the views
        tells how sure the model is of it (``pose.movenet.view_spread_px2``)."""
        poses, views = self._merged(detect, rgb, frame)
        if any(self.rotations_deg) or self.flip_average:  # as _merged clips the people
            views = [[drop_outside(p) for p in view] for view in views]
        return poses, views

    def _merged(
        self, detect: Detect, rgb: np.ndarray, frame: Frame
    ) -> tuple[list[Pose], list[list[Pose]]]:
        """The averaged people, and the single views as the model gave them."""
        poses, views = self._pair(detect, rgb, frame, 0.0)
        extra = []
        for angle_deg in self.rotations_deg:
            if angle_deg:
                merged, more = self._pair(detect, rgb, frame, angle_deg)
                extra.append(merged)
                views += more
        if extra:
            poses = merge_views(poses, extra, self.min_visibility)
        if extra or self.flip_average:
            poses = [drop_outside(p) for p in poses]
        return poses, views

    def _pair(
        self, detect: Detect, rgb: np.ndarray, frame: Frame, angle_deg: float
    ) -> tuple[list[Pose], list[list[Pose]]]:
        """Detect on the image rotated by ``angle_deg`` and, with flip averaging, on its
        mirror image rotated by ``-angle_deg`` (the mirror of the same rotation);
        landmarks are mapped back to the original image and averaged. Also returns the
        one or two views before averaging."""
        poses = detect_rotated(detect, rgb, frame, angle_deg)
        if not self.flip_average:
            return poses, [poses]
        flipped = np.ascontiguousarray(rgb[:, ::-1])
        mirrored = [unflip(p) for p in detect_rotated(detect, flipped, frame, -angle_deg)]
        return merge_flipped(poses, mirrored, self.min_visibility), [poses, mirrored]

    def _refine(self, detect: Detect, rgb: np.ndarray, frame: Frame, first: Pose) -> Pose:
        """Second pass on a square crop around ``first`` at ``refine_crop_px`` a side.

        On the whole photo the person detector sees the person small and places a
        coarse region; on the crop the person fills the detector's view, as the
        tracker's region does between video frames. The crop is padded with black
        where it leaves the photo. Falls back to ``first`` when the crop finds no
        one overlapping it.
        """
        crop = crop_around(rgb, first, self.refine_crop_px)
        if crop is None:
            return first
        image, origin_xy, px_per_crop_px = crop
        on_crop = Frame(image, frame.index, frame.t_ms, frame.source_id)
        back = [
            drop_outside(
                Pose(
                    p.xy_px * px_per_crop_px + origin_xy,
                    p.z_px * px_per_crop_px,
                    p.visibility,
                    p.presence,
                    frame.resolution_wh,
                    p.world_xyz_m,
                )
            )
            for p in self.averaged(detect, image, on_crop)
        ]
        scored = [(box_iou(first, p), k) for k, p in enumerate(back)]
        if not scored or max(scored)[0] < 0.3:
            return first
        return back[max(scored)[1]]


def detect_rotated(detect: Detect, rgb: np.ndarray, frame: Frame, angle_deg: float) -> list[Pose]:
    """One pass on ``rgb`` rotated by ``angle_deg`` (padded, nothing cut off), with the
    landmarks mapped back onto ``rgb``'s pixels."""
    if abs(angle_deg) < 1e-6:
        return detect(rgb, frame, None)
    from posture_cam.pose.transforms import rotate_padded

    warped = rotate_padded(rgb, angle_deg)
    h, w = warped.image_bgr.shape[:2]
    poses = detect(warped.image_bgr, frame, (w, h))
    inverse = np.linalg.inv(np.vstack([warped.affine, [0.0, 0.0, 1.0]]))[:2]
    back = []
    for pose in poses:
        # MediaPipe's pixels are continuous (edges at 0 and W); the affine works on
        # pixel centres, hence the half-pixel shifts.
        xy = (pose.xy_px - 0.5) @ inverse[:, :2].T + inverse[:, 2] + 0.5
        back.append(
            Pose(
                xy,
                pose.z_px,
                pose.visibility,
                pose.presence,
                frame.resolution_wh,
                pose.world_xyz_m,
            )
        )
    return back


def crop_around(
    rgb: np.ndarray, pose: Pose, size_px: int, margin: float = 1.25
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Square crop of ``rgb`` around the landmark box of ``pose``, resized to ``size_px``.

    Args:
        rgb: (H, W, 3) uint8 image.
        pose: the person to crop around (pixel coordinates of ``rgb``).
        size_px: side of the returned square image.
        margin: side of the crop relative to the longer side of the landmark box.

    Returns:
        ``(image, origin_xy, px_per_crop_px)``: the (size_px, size_px, 3) crop and the
        mapping ``xy_photo = xy_crop * px_per_crop_px + origin_xy`` (continuous pixel
        coordinates, as the model reports them); None when the pose has no box.
    """
    import cv2

    box = pose.bbox_xyxy()
    if box is None:
        return None
    x0, y0, x1, y1 = box
    side = max(round(max(x1 - x0, y1 - y0) * margin), 8)
    left = round((x0 + x1) / 2 - side / 2)
    top = round((y0 + y1) / 2 - side / 2)
    h, w = rgb.shape[:2]
    # Pad with black where the square leaves the photo (as the model's own crops do).
    pad = (max(0, -top), max(0, top + side - h), max(0, -left), max(0, left + side - w))
    window = rgb[max(0, top) : top + side, max(0, left) : left + side]
    if any(pad):
        window = cv2.copyMakeBorder(window, *pad, cv2.BORDER_CONSTANT, value=(0, 0, 0))
    interp = cv2.INTER_AREA if side > size_px else cv2.INTER_LINEAR
    image = np.ascontiguousarray(cv2.resize(window, (size_px, size_px), interpolation=interp))
    return image, np.array([left, top], dtype=np.float64), side / size_px
