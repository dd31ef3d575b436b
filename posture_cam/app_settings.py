"""App settings: one frozen dataclass persisted as JSON in the user data dir.

Qt-free and in the core because both the app (``posture_cam.ui``) and the CLI read
them (``posture-cam report`` takes its image privacy from them; ``posture-cam app``
its model variant before Qt starts).

Plain JSON (not QSettings) so that tests isolate it with ``POSTURE_CAM_DATA_DIR`` and
the file is readable by hand. Layering (later wins): defaults -> settings file ->
command-line flags (``posture-cam app --mirror`` ...). Update with
``dataclasses.replace``; never mutate.

The file is read in one place, :func:`load_settings_checked`, and every field is
checked against one JSON Schema (:data:`SETTINGS_SCHEMA`: type, range, choices) plus
"finite number". A bad field falls back to its default and yields one notice naming
the file, the field and the value; a file that is not JSON, not an object or absurdly
nested gives defaults and one notice. Unknown keys are ignored (a newer version's file).
Nothing in the file can stop the app from starting.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from posture_cam import paths
from posture_cam.atomic import write_json_atomic
from posture_cam.config import MARKER_NAMES, marker_colour_ok
from posture_cam.i18n import Text, available_languages, environment_language

log = logging.getLogger(__name__)

SETTINGS_FILE = "app_settings.json"
#: Languages with a catalogue (adding a language is adding its catalogue file).
LANGUAGES = available_languages()
PRIVACY_MODES = ("none", "blur_face", "skeleton_only")
#: The stored visit image (``posture_cam.records.models.PRIVACY_MODES``) of each mode.
RECORDS_IMAGE = {"none": "full", "blur_face": "blur", "skeleton_only": "skeleton"}
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
        language: a language with a catalogue (:data:`LANGUAGES`: ``en``, ``nl``).
        export_privacy: ``none``, ``blur_face`` or ``skeleton_only`` for snapshots and
            the visit images the records show and report (:meth:`records_image`).
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
        markers: the skin markers (stickers) placed on the patient, marker names
            (:data:`~posture_cam.config.MARKER_NAMES`) kept in protocol order; () =
            look for none. The app's pipeline looks for them (side views).
        marker_colour: the stickers' colour: a name (``green``), ``#RRGGBB`` or
            ``h,s,v`` (:func:`~posture_cam.config.marker_colour_ok`).
    """

    camera_index: int = 0
    model_variant: str = "full"
    mirror: bool = False
    # Before a language is saved: the environment's (LANG=nl_NL.UTF-8 -> nl), else English.
    language: str = dataclasses.field(default_factory=environment_language)
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
    markers: tuple[str, ...] = ()
    marker_colour: str = "green"

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
        unknown = sorted(set(self.markers) - set(MARKER_NAMES))
        if unknown:
            raise ValueError(
                f"unknown marker {', '.join(unknown)}; known: {', '.join(MARKER_NAMES)}"
            )
        if not marker_colour_ok(self.marker_colour):
            raise ValueError(f"marker_colour {self.marker_colour!r} is not a sticker colour")
        # A JSON list (or any order) becomes the protocol-ordered tuple the pipeline takes.
        ordered = tuple(n for n in MARKER_NAMES if n in self.markers)
        object.__setattr__(self, "markers", ordered)
        object.__setattr__(self, "marker_colour", self.marker_colour.strip().lower())

    def records_image(self, *, shown: bool) -> str:
        """Which stored visit image (``full``, ``blur`` or ``skeleton``) the app shows on
        screen (``shown``) or writes into a report: the snapshot privacy, and on screen
        the skeleton only as well while the live view hides the camera image."""
        if shown and self.display_skeleton_only:
            return "skeleton"
        return RECORDS_IMAGE[self.export_privacy]

    def pipeline_fields(self) -> dict[str, Any]:
        """The :class:`~posture_cam.config.PipelineConfig` fields these settings set:
        model variant, calibration profile and skin markers."""
        return {
            "model_variant": self.model_variant,
            "profile": self.profile,
            "markers": self.markers,
            "marker_colour": self.marker_colour,
        }

    def to_json(self) -> dict[str, Any]:
        doc = dataclasses.asdict(self)
        doc["markers"] = list(self.markers)
        return doc

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AppSettings:
        """Build settings from a dict, keeping defaults for unknown or bad entries."""
        return cls.from_json_checked(data)[0]

    @classmethod
    def from_json_checked(cls, data: dict[str, Any]) -> tuple[AppSettings, list[str]]:
        """Settings from a dict plus one problem text per field that was refused."""
        import jsonschema  # 0.13-0.15 s to import: only when there is a file to check

        validator = jsonschema.Draft202012Validator(SETTINGS_SCHEMA)
        fields = {f.name for f in dataclasses.fields(cls)}
        good: dict[str, Any] = {}
        problems: list[str] = []
        for key, value in data.items():
            if key not in fields:
                continue
            rule = SETTINGS_SCHEMA["properties"][key]
            error = jsonschema.exceptions.best_match(
                validator.evolve(schema=rule).iter_errors(value)
            )
            if error is None and not _finite(value):
                problems.append(f"{key}: {value!r} is not a finite number")
            elif error is None and key in _FURTHER_CHECKS and not _FURTHER_CHECKS[key][0](value):
                problems.append(f"{key}: {_short(repr(value))} {_FURTHER_CHECKS[key][1]}")
            elif error is not None:
                problems.append(f"{key}: {_short(error.message)}")
            else:
                good[key] = value
        try:
            return cls(**good), problems
        except (TypeError, ValueError) as exc:  # a cross-field rule the schema missed
            return cls(), [*problems, str(exc)]


_PATH_OR_NULL = {"type": ["string", "null"], "minLength": 1, "maxLength": 4096}

#: One schema for the settings file: what each field may hold (defaults otherwise).
SETTINGS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "posture_cam app settings",
    "type": "object",
    "properties": {
        "camera_index": {"type": "integer", "minimum": 0, "maximum": 63},
        "model_variant": {"enum": list(MODEL_VARIANTS)},
        "mirror": {"type": "boolean"},
        "language": {"enum": list(LANGUAGES)},
        "export_privacy": {"enum": list(PRIVACY_MODES)},
        "display_skeleton_only": {"type": "boolean"},
        "data_folder": _PATH_OR_NULL,
        "profile": {"type": ["string", "null"], "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"},
        "countdown_s": {"type": "number", "minimum": 0, "maximum": 60},
        "hold_s": {"type": "number", "minimum": 0.2, "maximum": 60},
        "require_quality": {"type": "boolean"},
        "strict_quality": {"type": "boolean"},
        "video_end": {"enum": list(VIDEO_END)},
        "mode": {"enum": list(MODES)},
        "home_export_dir": _PATH_OR_NULL,
        "markers": {"type": "array", "items": {"enum": list(MARKER_NAMES)}, "maxItems": 16},
        "marker_colour": {"type": "string", "minLength": 1, "maxLength": 32},
    },
}
#: Checks the schema cannot say: field -> (test, what a refused value is not).
_FURTHER_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "marker_colour": (
        marker_colour_ok,
        "is not a sticker colour (green, yellow, orange, pink, blue, #RRGGBB or h,s,v)",
    ),
}


def _finite(value: Any) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def settings_path() -> Path:
    return paths.user_data_dir() / SETTINGS_FILE


def load_settings_checked(path: str | Path | None = None) -> tuple[AppSettings, list[str]]:
    """Read the settings file: the settings and the notices to show (empty when fine).

    Never raises: a missing file gives defaults silently; anything wrong gives defaults
    for what is wrong and a notice that names the file and says what was ignored.
    """
    p = Path(path) if path else settings_path()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        return AppSettings(), []
    except (OSError, UnicodeDecodeError) as exc:
        return AppSettings(), [
            Text(
                "{path}: settings file unreadable ({error}); using the defaults", path=p, error=exc
            )
        ]
    try:
        data = json.loads(text)
    except RecursionError:
        return AppSettings(), [
            Text("{path}: settings file is nested too deeply; using the defaults", path=p)
        ]
    except ValueError as exc:
        return AppSettings(), [
            Text(
                "{path}: settings file is not valid JSON ({error}); using the defaults",
                path=p,
                error=exc,
            )
        ]
    if not isinstance(data, dict):
        return AppSettings(), [
            Text("{path}: settings file is not a JSON object; using the defaults", path=p)
        ]
    settings, problems = AppSettings.from_json_checked(data)
    if not problems:
        return settings, []
    return settings, [
        Text(
            "{path}: ignored {problems} (the default is used instead)",
            path=p,
            problems="; ".join(problems),
        )
    ]


def load_settings(path: str | Path | None = None) -> AppSettings:
    """Read the settings file; defaults for whatever is missing or wrong (logged)."""
    settings, notices = load_settings_checked(path)
    for notice in notices:
        log.warning("settings: %s", notice)
    return settings


def save_settings(settings: AppSettings, path: str | Path | None = None) -> Path:
    """Write the settings atomically."""
    return write_json_atomic(Path(path) if path else settings_path(), settings.to_json())
