"""Pipeline configuration as one frozen dataclass.

Layering (later wins): built-in defaults -> settings file -> command-line flags.
Update with ``dataclasses.replace(config, field=value)``; never mutate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: The views a capture can be measured in (``posture_cam.types.View``'s front, back and
#: side members): ``--view`` choices, the forced-view setting, the views records keep.
#: A plain tuple here so that the CLI's argument parsing needs no NumPy.
MEASURED_VIEWS: tuple[str, ...] = ("front", "back", "left", "right")
#: Skin marker names in head-to-foot order (SAPO protocol, lateral view), a contract
#: (``--markers``, ``--point``, records; ``posture_cam.named_points`` re-exports it).
#: Plain tuples here, like the views, so that the settings file and the command line
#: are checked without NumPy or OpenCV.
MARKER_NAMES: tuple[str, ...] = (
    "tragus",
    "c7",
    "acromion",
    "asis",
    "psis",
    "trochanter",
    "knee",
    "malleolus",
)
#: Sticker colours known by name (their HSV: ``posture_cam.markers.detect.NAMED_COLOURS``).
MARKER_COLOUR_NAMES: tuple[str, ...] = ("green", "yellow", "orange", "pink", "blue")
_HSV = re.compile(r"\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*")


def marker_colour_ok(text: str) -> bool:
    """Whether ``text`` names a sticker colour: a name of :data:`MARKER_COLOUR_NAMES`,
    ``#RRGGBB`` or ``h,s,v`` in OpenCV HSV (h 0-179, s and v 0-255); case and blanks
    around it do not matter. ``posture_cam.markers.MarkerColour.parse`` takes exactly
    these (and refuses the rest with the fix)."""
    t = text.strip().lower()
    if t in MARKER_COLOUR_NAMES or re.fullmatch(r"#[0-9a-f]{6}", t):
        return True
    hsv = _HSV.fullmatch(t)
    if hsv is None:
        return False
    h, s, v = (int(g) for g in hsv.groups())
    return h <= 179 and s <= 255 and v <= 255


@dataclass(frozen=True)
class PipelineConfig:
    """Settings that change what the pipeline computes.

    Attributes:
        model_path: explicit .task file; None = resolve through the model manager.
        model_variant: ``lite``, ``full`` or ``heavy`` when resolving.
        num_poses: how many people the landmarker may report (>= 1). With 2 or more
            the pipeline can flag extra people; the target is chosen by ``target``.
        target: ``largest`` (largest landmark bounding box; ties within 10% go to the
            most central) or ``central`` (closest to the image centre).
        min_visibility: landmarks below this visibility become NaN.
        flip_average: for stills (IMAGE mode), also run the model on the mirrored photo
            and average (see ``posture_cam.pose``); streams never do.
        rotation_average_deg: for stills, also run the model on the photo rotated by
            these angles (and their mirror images) and average the landmarks mapped
            back; () for a single pass. Streams never do.
        smoothing: ``one_euro`` or ``none``.
        one_euro_min_cutoff_hz: One Euro filter minimum cut-off frequency.
        one_euro_beta: One Euro filter speed coefficient.
        one_euro_d_cutoff_hz: One Euro filter derivative cut-off frequency.
        view: forced view (``front``/``back``/``left``/``right``) or None = detect.
        profile: name of the calibration profile to apply, or None.
        markers: skin markers placed on the patient (``posture_cam.markers`` names,
            e.g. ``("asis", "psis", "c7", "tragus")``); () = look for none.
        marker_colour: sticker colour: a name (``green``), ``#RRGGBB`` or ``h,s,v``.
        points: hand-given points ``NAME=X,Y`` (image pixels; marker or landmark
            names); they win over markers and landmarks.
        second_model: on stills, weigh in the second keypoint model's shoulders, hips,
            knees and ankles (``posture_cam.pose.movenet``) when it is installed
            (``posture-cam models fetch movenet``); streams never use it.
        second_model_path: an explicit ``movenet_thunder.npz``; None = the installed one.
    """

    model_path: str | None = None
    model_variant: str = "full"
    num_poses: int = 2
    target: str = "largest"
    min_visibility: float = 0.5
    flip_average: bool = True
    # Fourteen passes (photo, mirror, +-4/8/12 deg and their mirrors). Measured against
    # six (+-8 only): as close to keypoint annotations, but only the fourteen keep the
    # CVA following a rotated photo within 0.5 deg (0.29 vs 0.63); docs/metrics.md,
    # "Landmark accuracy on photos".
    rotation_average_deg: tuple[float, ...] = (-12.0, -8.0, -4.0, 4.0, 8.0, 12.0)
    smoothing: str = "one_euro"
    one_euro_min_cutoff_hz: float = 1.0
    one_euro_beta: float = 0.02
    one_euro_d_cutoff_hz: float = 1.0
    view: str | None = None
    profile: str | None = None
    markers: tuple[str, ...] = ()
    marker_colour: str = "green"
    points: tuple[str, ...] = ()
    second_model: bool = True
    second_model_path: str | None = None

    def estimator_options(self) -> dict[str, Any]:
        """The pose estimator's keyword arguments these settings set (not the model
        file or the mode), for the in-process and the separate-process estimator."""
        return {
            "num_poses": self.num_poses,
            "min_visibility": self.min_visibility,
            "target": self.target,
            "flip_average": self.flip_average,
            "rotations_deg": self.rotation_average_deg,
        }

    def __post_init__(self) -> None:
        if self.num_poses < 1:
            raise ValueError("num_poses must be >= 1")
        if self.target not in ("largest", "central"):
            raise ValueError(f"target must be 'largest' or 'central', got {self.target!r}")
        if self.smoothing not in ("one_euro", "none"):
            raise ValueError(f"smoothing must be 'one_euro' or 'none', got {self.smoothing!r}")
        if self.view is not None and self.view not in MEASURED_VIEWS:
            raise ValueError(f"view must be front/back/left/right, got {self.view!r}")
