"""Named calibration profiles: one JSON file per camera set-up in ``profiles_dir()``.

A profile gathers what the three calibrations measured: camera roll (level), scale at
the patient's plane and lens intrinsics. Each calibration updates only its own fields;
the others are kept. :meth:`CalibrationProfile.correct_pose` applies them to landmarks:
undistort (when a lens calibration exists), then rotate about the image centre by
``-roll_deg`` as displayed, so that true horizontals become horizontal.

Roll convention (docs/architecture.md): ``roll_deg`` is the angle by which a true
horizontal line appears rotated counter-clockwise as displayed (image y down).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture_cam import paths
from posture_cam.atomic import output_error, write_json_atomic
from posture_cam.calibration.profile_schema import SCHEMA_VERSION, read_profile_file
from posture_cam.errors import CalibrationError
from posture_cam.i18n import _
from posture_cam.types import Pose

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def now_iso() -> str:
    """Local time with offset, seconds resolution (profile dates)."""
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def check_name(name: str) -> str:
    """Validate a profile name (it becomes a file name)."""
    if not _NAME_RE.match(name or ""):
        raise CalibrationError(
            _(
                "invalid profile name {name!r}: use 1-64 letters, digits, '_', '-' or "
                "'.' starting with a letter or digit"
            ).format(name=name)
        )
    return name


def profile_path(name: str) -> Path:
    return paths.profiles_dir() / f"{check_name(name)}.json"


def rotate_points(
    xy_px: np.ndarray, angle_deg: float, center_xy: tuple[float, float]
) -> np.ndarray:
    """Rotate points counter-clockwise *as displayed* (image y down).

    Args:
        xy_px: (N, 2) pixel coordinates; NaN rows stay NaN.
        angle_deg: rotation, degrees; positive = counter-clockwise on screen (the same
            sense as ``cv2.getRotationMatrix2D``).
        center_xy: rotation centre in pixels.
    """
    a = np.deg2rad(angle_deg)
    c, s = np.cos(a), np.sin(a)
    d = np.asarray(xy_px, dtype=np.float64) - np.asarray(center_xy, dtype=np.float64)
    # With y down, a screen-CCW rotation maps (1, 0) to (cos, -sin).
    out = np.empty_like(d)
    out[:, 0] = c * d[:, 0] + s * d[:, 1]
    out[:, 1] = -s * d[:, 0] + c * d[:, 1]
    return out + np.asarray(center_xy, dtype=np.float64)


@dataclass(frozen=True, eq=False)
class CalibrationProfile:
    """What is known about one camera set-up.

    Attributes:
        name: profile name (file ``profiles_dir()/NAME.json``).
        camera_id: free text identifying the camera (e.g. ``camera:0``), or None.
        roll_deg: camera roll, degrees (see module docstring); 0 when not levelled.
        cm_per_px: centimetres per pixel at the patient's plane, or None.
        camera_matrix: (3, 3) float64 intrinsics K in pixels, or None.
        dist_coeffs: (k1, k2, p1, p2, k3 ...) float64 OpenCV distortion, or None.
        image_size_wh: (width, height) in pixels the calibrations were made at.
        level: how the roll was measured (method, residual_deg, date, source ...).
        scale: how the scale was measured (method, residual / uncertainty, date ...).
        lens: how the lens was calibrated (rms_px, views, date ...).
        created: ISO date of the first calibration.
        updated: ISO date of the last change.
    """

    name: str
    camera_id: str | None = None
    roll_deg: float = 0.0
    cm_per_px: float | None = None
    camera_matrix: np.ndarray | None = None
    dist_coeffs: np.ndarray | None = None
    image_size_wh: tuple[int, int] | None = None
    level: dict[str, Any] | None = None
    scale: dict[str, Any] | None = None
    lens: dict[str, Any] | None = None
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)

    @property
    def has_lens(self) -> bool:
        return self.camera_matrix is not None and self.dist_coeffs is not None

    @property
    def methods(self) -> list[str]:
        """Which calibrations this profile holds, e.g. ``["level:board", "lens"]``."""
        out = []
        if self.level:
            out.append(f"level:{self.level.get('method', '?')}")
        if self.scale:
            out.append(f"scale:{self.scale.get('method', '?')}")
        if self.lens:
            out.append("lens")
        return out

    # -- applying the calibration -------------------------------------------------

    def _intrinsics_for(self, resolution_wh: tuple[int, int]) -> np.ndarray | None:
        """K for this resolution: the stored one, or scaled when the camera delivers the
        same aspect ratio at another size (webcams switch modes); None if unusable."""
        if not self.has_lens or self.camera_matrix is None:
            return None
        if self.image_size_wh is None or tuple(resolution_wh) == tuple(self.image_size_wh):
            return self.camera_matrix
        sx = resolution_wh[0] / self.image_size_wh[0]
        sy = resolution_wh[1] / self.image_size_wh[1]
        if abs(sx - sy) > 0.01 * sx:
            return None  # a cropped sensor mode: the stored lens model does not apply
        k = self.camera_matrix.copy()
        k[0, :] *= sx
        k[1, :] *= sy
        return k

    def for_resolution(self, resolution_wh: tuple[int, int]) -> CalibrationProfile:
        """This profile as it applies to images of ``resolution_wh``.

        The profile records the resolution it was made at (``image_size_wh``). Another
        resolution with the same aspect ratio (a webcam switching modes) is the same
        field of view sampled more or less finely: ``cm_per_px`` and the intrinsics are
        rescaled, the roll (an angle) is unchanged. Another aspect ratio is a cropped
        sensor mode or another camera: the roll still holds, but a scale or lens
        calibration would silently be wrong, so it is refused.

        Raises:
            CalibrationError: the profile holds a scale or lens calibration that does not
                apply at this resolution (exit code 5; the message says why).
        """
        size = self.image_size_wh
        w, h = int(resolution_wh[0]), int(resolution_wh[1])
        if size is None or (w, h) == tuple(size):
            return self
        sx, sy = w / size[0], h / size[1]
        if abs(sx - sy) > 0.01 * sx:
            if self.cm_per_px is None and not self.has_lens:
                return self  # roll only: an angle does not depend on the resolution
            raise CalibrationError(
                _(
                    "profile {name!r} was made at {made_w}x{made_h} but the source is {w}x{h} "
                    "(another aspect ratio: a cropped mode or another camera), so its scale "
                    "/ lens calibration does not apply; calibrate at this resolution or use "
                    "another --profile"
                ).format(name=self.name, made_w=size[0], made_h=size[1], w=w, h=h)
            )
        k = None
        if self.camera_matrix is not None:
            k = self.camera_matrix.copy()
            k[0, :] *= sx
            k[1, :] *= sy
            k[2, :] = (0.0, 0.0, 1.0)
        return dataclasses.replace(
            self,
            cm_per_px=None if self.cm_per_px is None else self.cm_per_px / sx,
            camera_matrix=k,
            image_size_wh=(w, h),
        )

    def undistort_points(self, xy_px: np.ndarray, resolution_wh: tuple[int, int]) -> np.ndarray:
        """Remove lens distortion from pixel points (identity without a lens calibration).

        Args:
            xy_px: (N, 2) pixel coordinates in the raw image; NaN rows stay NaN.
            resolution_wh: (width, height) of the image the points come from.

        Returns:
            (N, 2) float64 points in an ideal pinhole image with the same K.
        """
        xy = np.asarray(xy_px, dtype=np.float64)
        k = self._intrinsics_for(resolution_wh)
        if k is None or len(xy) == 0:
            return xy.copy()
        ok = np.isfinite(xy).all(axis=1)
        out = xy.copy()
        if ok.any():
            und = cv2.undistortPoints(xy[ok].reshape(-1, 1, 2), k, self.dist_coeffs, P=k)
            out[ok] = und.reshape(-1, 2)
        return out

    def level_points(self, xy_px: np.ndarray, resolution_wh: tuple[int, int]) -> np.ndarray:
        """Rotate points by ``-roll_deg`` about the image centre (no undistortion)."""
        w, h = resolution_wh
        return rotate_points(xy_px, -self.roll_deg, ((w - 1) / 2.0, (h - 1) / 2.0))

    def correct_points(self, xy_px: np.ndarray, resolution_wh: tuple[int, int]) -> np.ndarray:
        """Undistort, then level: raw image pixels -> measurement pixels."""
        return self.level_points(self.undistort_points(xy_px, resolution_wh), resolution_wh)

    def correct_pose(self, pose: Pose) -> Pose:
        """The pose in measurement coordinates (undistorted, levelled).

        Depth, visibility and world coordinates are unchanged; missing points stay NaN.
        """
        if not self.has_lens and self.roll_deg == 0.0:
            return pose
        return pose.with_xy(self.correct_points(pose.xy_px, pose.resolution_wh))

    # -- (de)serialisation -------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "name": self.name,
            "camera_id": self.camera_id,
            "created": self.created,
            "updated": self.updated,
            "methods": self.methods,
            "image_size_wh": None if self.image_size_wh is None else list(self.image_size_wh),
            "roll_deg": float(self.roll_deg),
            "cm_per_px": None if self.cm_per_px is None else float(self.cm_per_px),
            "camera_matrix": None
            if self.camera_matrix is None
            else np.asarray(self.camera_matrix).tolist(),
            "dist_coeffs": None
            if self.dist_coeffs is None
            else np.asarray(self.dist_coeffs).ravel().tolist(),
            "level": self.level,
            "scale": self.scale,
            "lens": self.lens,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CalibrationProfile:
        """Build from :meth:`to_json` output; raises ValueError / KeyError / TypeError
        on malformed data (the loader turns those into a CalibrationError)."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"unknown profile schema {data.get('schema')!r}")
        k = data.get("camera_matrix")
        dist = data.get("dist_coeffs")
        size = data.get("image_size_wh")
        cm = data.get("cm_per_px")
        k_arr = None if k is None else np.array(k, dtype=np.float64).reshape(3, 3)
        dist_arr = None if dist is None else np.array(dist, dtype=np.float64).ravel()
        if cm is not None and not (float(cm) > 0 and np.isfinite(float(cm))):
            raise ValueError(f"cm_per_px must be positive, got {cm!r}")
        roll = float(data.get("roll_deg", 0.0))
        if not np.isfinite(roll):
            raise ValueError("roll_deg is not a number")
        return cls(
            name=str(data["name"]),
            camera_id=data.get("camera_id"),
            roll_deg=roll,
            cm_per_px=None if cm is None else float(cm),
            camera_matrix=k_arr,
            dist_coeffs=dist_arr,
            image_size_wh=None if size is None else (int(size[0]), int(size[1])),
            level=data.get("level"),
            scale=data.get("scale"),
            lens=data.get("lens"),
            created=str(data.get("created", "")),
            updated=str(data.get("updated", "")),
        )

    def updated_with(self, **changes: Any) -> CalibrationProfile:
        """A copy with some fields replaced and ``updated`` set to now."""
        return dataclasses.replace(self, updated=now_iso(), **changes)


# -- the store -----------------------------------------------------------------


def load_profile(name: str) -> CalibrationProfile:
    """Read ``profiles_dir()/NAME.json``.

    Raises:
        CalibrationError: the profile is missing or corrupt (the message says what to do).
    """
    path = profile_path(name)
    if not path.is_file():
        known = ", ".join(list_profiles()) or "none yet"
        raise CalibrationError(
            _(
                "{path}: no calibration profile {name!r} (known: {known}); create it "
                "with 'posture-cam calibrate level --profile {name} ...'"
            ).format(path=path, name=name, known=known)
        )
    data = read_profile_file(path, name)  # the one validated way in (profile_schema)
    return dataclasses.replace(CalibrationProfile.from_json(data), name=name)


def load_or_new(name: str, camera_id: str | None = None) -> CalibrationProfile:
    """The existing profile (to update) or a new empty one."""
    path = profile_path(name)
    profile = load_profile(name) if path.exists() else CalibrationProfile(name=name)
    if camera_id is not None:
        profile = dataclasses.replace(profile, camera_id=camera_id)
    return profile


def save_profile(profile: CalibrationProfile) -> Path:
    """Write the profile atomically; returns its path."""
    return write_json_atomic(profile_path(profile.name), profile.to_json())


def list_profiles() -> list[str]:
    """Names of the saved profiles, sorted."""
    folder = paths.profiles_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if _NAME_RE.match(p.stem))


def remove_profile(name: str) -> Path:
    """Delete a profile; CalibrationError if it does not exist, OutputError (one line,
    exit 9) if its folder cannot be written (read-only, no permission)."""
    path = profile_path(name)
    if not path.is_file():
        raise CalibrationError(
            _("{path}: no calibration profile {name!r} to remove").format(path=path, name=name)
        )
    try:
        path.unlink()
    except OSError as exc:
        raise output_error(path, exc) from None
    return path


def check_image_size(profile: CalibrationProfile, size_wh: tuple[int, int], source: str) -> None:
    """Refuse to mix resolutions in one profile: pixels (roll is fine, but cm_per_px and
    K are per resolution) would silently mean different things."""
    if profile.image_size_wh is not None and tuple(profile.image_size_wh) != tuple(size_wh):
        pw, ph = profile.image_size_wh
        raise CalibrationError(
            _(
                "{source}: image is {w}x{h} but profile {name!r} was "
                "calibrated at {pw}x{ph}; use the same camera resolution or another "
                "--profile"
            ).format(
                source=source,
                w=size_wh[0],
                h=size_wh[1],
                name=profile.name,
                pw=pw,
                ph=ph,
            )
        )
