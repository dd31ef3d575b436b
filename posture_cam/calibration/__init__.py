"""Camera calibration: level (roll), scale (cm per pixel), lens; named profiles; targets.

No Qt here: the printable target is drawn by ``pdf_target`` with matplotlib.

Typical use::

    profile = load_profile("clinic")          # CalibrationError if missing / corrupt
    pose_measured = profile.correct_pose(pose)  # undistort, then level by -roll_deg
    est = estimate_roll_from_board(frame_bgr)   # live level indicator (None = no board)
"""

from posture_cam.calibration.board import BoardSpec, detect_charuco, detect_markers
from posture_cam.calibration.lens import LensCalibration, LensProblem, calibrate_lens
from posture_cam.calibration.level import (
    RollEstimate,
    estimate_roll_from_board,
    roll_from_line,
    roll_from_points,
)
from posture_cam.calibration.profile import (
    CalibrationProfile,
    list_profiles,
    load_profile,
    remove_profile,
    save_profile,
)
from posture_cam.calibration.scale import (
    EYE_HEIGHT_FRACTION,
    ScaleEstimate,
    ScaleProblem,
    scale_from_height,
    scale_from_marker,
)

__all__ = [
    "EYE_HEIGHT_FRACTION",
    "BoardSpec",
    "CalibrationProfile",
    "LensCalibration",
    "LensProblem",
    "RollEstimate",
    "ScaleEstimate",
    "ScaleProblem",
    "calibrate_lens",
    "detect_charuco",
    "detect_markers",
    "estimate_roll_from_board",
    "list_profiles",
    "load_profile",
    "remove_profile",
    "roll_from_line",
    "roll_from_points",
    "save_profile",
    "scale_from_height",
    "scale_from_marker",
]
