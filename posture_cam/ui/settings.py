"""App settings: one frozen dataclass persisted as JSON in the user data dir.

Plain JSON (not QSettings) so that tests isolate it with ``POSTURE_CAM_DATA_DIR`` and
the file is readable by hand. Layering (later wins): defaults -> settings file ->
command-line flags (``posture-cam app --mirror`` ...). Update with
``dataclasses.replace``; never mutate. Unknown keys and invalid values in the file are
ignored (the default is used), so an old or hand-edited file never stops the app.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from posture_cam import paths
from posture_cam.atomic import write_json_atomic

log = logging.getLogger(__name__)

SETTINGS_FILE = "app_settings.json"
LANGUAGES = ("en", "nl")
PRIVACY_MODES = ("none", "blur_face", "skeleton_only")
MODEL_VARIANTS = ("lite", "full", "heavy")
VIDEO_END = ("loop", "stop")
MODES = (None, "therapist", "home")


@dataclass(frozen=True)
class AppSettings:
    """Everything the app remembers between runs.

    Attributes:
        camera_index: default camera opened by ``posture-cam`` without a source.
        model_variant: ``lite``, ``full`` or ``heavy``.
        mirror: show the image mirrored (display only; inference never mirrors).
        language: ``en`` or ``nl``.
        export_privacy: ``none``, ``blur_face`` or ``skeleton_only`` for snapshots.
        display_skeleton_only: show only the skeleton live (no camera pixels).
        data_folder: where snapshot sessions go; None = ``paths.sessions_dir()``.
        profile: calibration profile applied by the pipeline, or None.
        countdown_s: snapshot countdown before the capture starts.
        hold_s: length of the averaged capture.
        require_quality: average only frames that pass the quality gate.
        strict_quality: refuse a snapshot during which the quality gate never passed
            (otherwise it is saved, marked "not clinical quality" with the reasons).
        video_end: ``loop`` or ``stop`` at the end of a video file.
        mode: what ``posture-cam`` opens: ``therapist`` (this window) or ``home``
            (home mode); None until chosen at first start.
        home_export_dir: where home mode writes the files for the therapist; None =
            ``posture_cam.home.check_file.default_export_dir()``.
    """

    camera_index: int = 0
    model_variant: str = "full"
    mirror: bool = False
    language: str = "en"
    export_privacy: str = "none"
    display_skeleton_only: bool = False
    data_folder: str | None = None
    profile: str | None = None
    countdown_s: float = 3.0
    hold_s: float = 2.0
    require_quality: bool = True
    strict_quality: bool = False
    video_end: str = "loop"
    mode: str | None = None
    home_export_dir: str | None = None

    def __post_init__(self) -> None:
        checks = {
            "language": (self.language, LANGUAGES),
            "export_privacy": (self.export_privacy, PRIVACY_MODES),
            "model_variant": (self.model_variant, MODEL_VARIANTS),
            "video_end": (self.video_end, VIDEO_END),
            "mode": (self.mode, MODES),
        }
        for name, (value, allowed) in checks.items():
            if value not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
        if self.camera_index < 0:
            raise ValueError("camera_index must be >= 0")
        if self.countdown_s < 0 or self.hold_s <= 0:
            raise ValueError("countdown_s must be >= 0 and hold_s > 0")

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AppSettings:
        """Build settings from a dict, keeping defaults for unknown or bad entries."""
        settings = cls()
        types = {f.name: f.type for f in dataclasses.fields(cls)}
        for key, value in data.items():
            if key not in types:
                continue
            try:
                settings = dataclasses.replace(settings, **{key: value})
            except (TypeError, ValueError) as exc:
                log.warning("settings: ignoring %s=%r (%s)", key, value, exc)
        return settings


def settings_path() -> Path:
    return paths.user_data_dir() / SETTINGS_FILE


def load_settings(path: str | Path | None = None) -> AppSettings:
    """Read the settings file; defaults when it is missing or unreadable."""
    p = Path(path) if path else settings_path()
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return AppSettings()
    except (OSError, ValueError) as exc:
        log.warning("settings: %s unreadable (%s); using defaults", p, exc)
        return AppSettings()
    return AppSettings.from_json(data) if isinstance(data, dict) else AppSettings()


def save_settings(settings: AppSettings, path: str | Path | None = None) -> Path:
    """Write the settings atomically."""
    return write_json_atomic(Path(path) if path else settings_path(), settings.to_json())
