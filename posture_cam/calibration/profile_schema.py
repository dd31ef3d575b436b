"""The one schema of a calibration profile file, and its one loader.

Shape is checked with JSON Schema (``jsonschema``); what a schema cannot say (finite
numbers, a camera matrix that is a camera matrix, a principal point inside the image)
is checked in :func:`check_semantics`. Every way a hand-edited, truncated or foreign
file can be wrong ends in one :class:`~posture_cam.errors.CalibrationError` naming the
file, the field and what to do; nothing else escapes (RecursionError from absurdly deep
nesting included).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from posture_cam.errors import CalibrationError
from posture_cam.i18n import _

SCHEMA_VERSION = 1
#: A camera rolled further than this is not a camera on a tripod; refuse the number.
MAX_ROLL_DEG = 45.0
#: OpenCV's distortion models have 4, 5, 8, 12 or 14 coefficients.
DIST_LENGTHS = (4, 5, 8, 12, 14)
_MAX_FILE_BYTES = 1_000_000

_NUMBER = {"type": "number"}
_OPT_OBJECT = {"type": ["object", "null"]}
_OPT_STRING = {"type": ["string", "null"]}

PROFILE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "posture_cam calibration profile",
    "type": "object",
    "required": ["schema", "name"],
    "properties": {
        "schema": {"const": SCHEMA_VERSION},
        "name": {"type": "string", "minLength": 1, "maxLength": 64},
        "camera_id": _OPT_STRING,
        "created": _OPT_STRING,
        "updated": _OPT_STRING,
        "methods": {"type": "array", "items": {"type": "string"}},
        "image_size_wh": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 1, "maximum": 100_000},
                    "minItems": 2,
                    "maxItems": 2,
                },
            ]
        },
        "roll_deg": {**_NUMBER, "minimum": -MAX_ROLL_DEG, "maximum": MAX_ROLL_DEG},
        "cm_per_px": {
            "oneOf": [{"type": "null"}, {**_NUMBER, "exclusiveMinimum": 0, "maximum": 100}]
        },
        "camera_matrix": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "array",
                    "minItems": 3,
                    "maxItems": 3,
                    "items": {"type": "array", "minItems": 3, "maxItems": 3, "items": _NUMBER},
                },
            ]
        },
        "dist_coeffs": {
            "oneOf": [
                {"type": "null"},
                {"type": "array", "items": _NUMBER, "enum_lengths": list(DIST_LENGTHS)},
            ]
        },
        "level": _OPT_OBJECT,
        "scale": _OPT_OBJECT,
        "lens": _OPT_OBJECT,
    },
}


def _validator():
    import jsonschema

    def enum_lengths(validator, lengths, instance, schema):
        if isinstance(instance, list) and len(instance) not in lengths:
            yield jsonschema.ValidationError(
                f"has {len(instance)} values; OpenCV needs {', '.join(map(str, lengths))}"
            )

    cls = jsonschema.validators.extend(
        jsonschema.Draft202012Validator, {"enum_lengths": enum_lengths}
    )
    return cls(PROFILE_SCHEMA)


def _fix_hint(name: str) -> str:
    return _(
        "fix the file, or remove it with 'posture-cam calibrate remove {name}' and calibrate again"
    ).format(name=name)


def check_semantics(data: dict[str, Any]) -> str | None:
    """What JSON Schema cannot check; returns the problem or None."""
    for key in ("roll_deg", "cm_per_px"):
        value = data.get(key)
        if isinstance(value, float) and not math.isfinite(value):
            return _("{key} is not a finite number").format(key=key)
    k = data.get("camera_matrix")
    if k is not None:
        flat = [v for row in k for v in row]
        if not all(math.isfinite(v) for v in flat):
            return _("camera_matrix holds NaN or infinite values")
        fx, fy, cx, cy = k[0][0], k[1][1], k[0][2], k[1][2]
        if fx <= 0 or fy <= 0:
            return _("camera_matrix has a zero or negative focal length")
        if k[1][0] != 0 or k[2][0] != 0 or k[2][1] != 0 or k[2][2] != 1:
            return _("camera_matrix is not an intrinsics matrix (last row must be 0 0 1)")
        size = data.get("image_size_wh")
        if size is None:
            return _("a lens calibration needs image_size_wh (the resolution it was made at)")
        if not (0 <= cx <= size[0] and 0 <= cy <= size[1]):
            return _("camera_matrix principal point lies outside the image")
    dist = data.get("dist_coeffs")
    if dist is not None:
        if not all(math.isfinite(v) for v in dist):
            return _("dist_coeffs holds NaN or infinite values")
        if k is None:
            return _("dist_coeffs without a camera_matrix")
    return None


def parse_profile_text(text: str, path: str | Path, name: str) -> dict[str, Any]:
    """Parse and validate a profile file's text; returns the checked dict.

    Raises:
        CalibrationError: anything wrong, as one line naming ``path`` and what to do.
    """
    hint = _fix_hint(name)
    if len(text) > _MAX_FILE_BYTES:
        raise CalibrationError(
            _("{path}: calibration profile is too large to be one; {hint}").format(
                path=path, hint=hint
            )
        )
    too_deep = _("{path}: calibration profile is nested too deeply; {hint}").format(
        path=path, hint=hint
    )
    try:
        data = json.loads(text)
    except RecursionError:
        raise CalibrationError(too_deep) from None
    except ValueError as exc:
        raise CalibrationError(
            _("{path}: calibration profile is corrupt: not valid JSON ({exc}); {hint}").format(
                path=path, exc=exc, hint=hint
            )
        ) from None
    try:
        error = next(iter(sorted(_validator().iter_errors(data), key=_error_rank)), None)
    except RecursionError:
        raise CalibrationError(too_deep) from None
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or _("the file")
        raise CalibrationError(
            _("{path}: calibration profile is invalid: {where}: {error}; {hint}").format(
                path=path, where=where, error=_short(error), hint=hint
            )
        )
    problem = check_semantics(data)
    if problem:
        raise CalibrationError(
            _("{path}: calibration profile is invalid: {problem}; {hint}").format(
                path=path, problem=problem, hint=hint
            )
        )
    return data


def _error_rank(error) -> tuple[int, str]:
    return (len(error.absolute_path), str(list(error.absolute_path)))


def _short(error) -> str:
    """jsonschema's message, without echoing a huge instance."""
    if error.validator == "oneOf" and error.context:
        # "or null" is implied; report why the non-null alternative failed.
        real = [e for e in error.context if e.validator_value != "null"] or error.context
        best = max(real, key=lambda e: len(e.relative_path))
        where = "/".join(str(p) for p in best.relative_path)
        return _trim((f"item {where}: " if where else "") + best.message)
    return _trim(error.message)


def _trim(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def read_profile_file(path: Path, name: str) -> dict[str, Any]:
    """Read and validate ``path``.

    Raises:
        CalibrationError: unreadable or invalid (one line, names the file).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CalibrationError(
            _("{path}: calibration profile cannot be read ({exc}); {hint}").format(
                path=path, exc=exc, hint=_fix_hint(name)
            )
        ) from None
    return parse_profile_text(text, path, name)
