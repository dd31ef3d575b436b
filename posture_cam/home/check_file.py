"""The home-check file: one JSON document per check that the patient sends to the therapist.

Format ``posture_cam.home_check``, version 1 (schema:
``posture_cam/home/home_check.schema.json``, also ``docs/schema/``; prose: docs/home.md).
One self-contained UTF-8 JSON file, so a patient can mail it and a therapist's
``posture-cam visit import FILE --patient CODE`` can read it without unpacking anything:

* the averaged head and shoulder metrics (value, sd, iqr, n, unit, status, source),
* the quality checks over the capture window, the median landmarks (pixels),
* the model file name and sha256, the app version, the check time (ISO 8601 with offset),
* skeleton-only images as base64 PNG: drawn on a neutral canvas from the landmarks, so
  they hold no camera pixels and no face.

No name, patient code, path or camera image is written: the therapist assigns the
patient on import. Files are written atomically and private (0600).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as _dt
import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

import cv2
import numpy as np

from posture_cam import __version__
from posture_cam.atomic import ensure_dir, write_json_atomic
from posture_cam.capture.snapshot import SCREENING_NOTE, file_sha256
from posture_cam.errors import InputError
from posture_cam.home.capture_result import HOME_METRICS, HomeCapture
from posture_cam.i18n import N_, _
from posture_cam.types import FrameResult, MetricStatus, Pose

FORMAT_ID = "posture_cam.home_check"
FORMAT_VERSION = 1
SUFFIX = ".json"
SCHEMA_PATH = Path(__file__).with_name("home_check.schema.json")
_FACE_POINTS = [0, 1, 2, 3, 4, 5, 6, 9, 10]  # nose, eyes, mouth (ears are kept)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_FIX_HINT = N_("ask the patient to send the file again, exactly as posture-cam home wrote it")
#: What a home check can hold, physically: an angle lies within -180…180°, a CVA (the
#: angle of the ear above the horizontal through C7) within 0…180°.
_VALUE_LIMITS: dict[str, tuple[float, float]] = {
    "head_tilt": (-180.0, 180.0),
    "shoulder_tilt": (-180.0, 180.0),
    "cva": (0.0, 180.0),
}
_SPREADS = ("sd", "iqr", "uncertainty", "mdc")


@dataclass(frozen=True)
class HomeImage:
    """One image of a home check (skeleton only: no camera pixels).

    Attributes:
        kind: ``skeleton``.
        png: the PNG file's bytes.
        width, height: pixels.
    """

    kind: str
    png: bytes
    width: int
    height: int


@dataclass(frozen=True)
class HomeCheckFile:
    """A validated home-check file, as :func:`load_home_check` returns it.

    Attributes:
        path: the file read.
        check_id: 32 hex digits, unique per check (an importer can refuse duplicates).
        time: when the check was made (timezone-aware).
        view: ``front`` / ``back`` / ``left`` / ``right``.
        framing: ``upper_body`` / ``waist_up`` / ``full_body``.
        metrics: metric id -> ``{value, sd, iqr, n, unit, status, source, proxy, reason}``.
        quality: ``{"ok": bool, "checks": [{id, ok, frames_failed, reason}]}``.
        landmarks: ``{"coordinates": "image_px", "resolution_wh": [w, h],
            "points": 33 x ([x_px, y_px, visibility] or None)}``.
        images: decoded skeleton images.
        model: ``{"file": name, "sha256": hex}``.
        app_version: version of posture_cam that wrote it.
        document: the whole JSON document.
    """

    path: Path
    check_id: str
    time: _dt.datetime
    view: str
    framing: str
    metrics: dict[str, dict[str, Any]]
    quality: dict[str, Any]
    landmarks: dict[str, Any]
    images: tuple[HomeImage, ...]
    model: dict[str, Any]
    app_version: str
    document: dict[str, Any]

    @property
    def setting(self) -> str:
        return "home"


def skeleton_result(capture: HomeCapture) -> FrameResult:
    """What the exported skeleton image draws: the *median* landmarks with the averaged
    values (so the picture says what the numbers say), without the eye, nose and mouth
    points (no face, not even a schematic one)."""
    xyv = capture.landmarks_xyv.copy()
    xyv[_FACE_POINTS, :2] = np.nan
    pose = Pose.from_arrays(xyv[:, :2], capture.resolution_wh, visibility=np.nan_to_num(xyv[:, 2]))
    last = capture.last_result
    # The averaged value with its own status: the last frame's status belongs to that
    # frame's value (a 2.7° median drawn red from a last frame at 3.1° "outside").
    metrics = {
        mid: dataclasses.replace(last.metrics[mid], value=m.value, status=MetricStatus(m.status))
        for mid, m in capture.measurements.items()
        if mid in last.metrics and m.value is not None
    }
    return dataclasses.replace(last, pose_image=pose, pose_measured=pose, metrics=metrics)


def skeleton_image(
    capture: HomeCapture, language: str, *, mirror: bool = False, labels: bool = True
) -> np.ndarray:
    """The (H, W, 3) uint8 skeleton-only picture of a capture (see :func:`skeleton_result`).

    Args:
        capture: the completed capture.
        language: language of the texts drawn (``en``/``nl``).
        mirror: draw it as the patient saw it in the mirror view (the home screen);
            the exported file is never mirrored.
        labels: draw the "L"/"R" markers and the colour legend.
    """
    from posture_cam.overlay.renderer import OverlayRenderer

    renderer = OverlayRenderer(skeleton_only=True, language=language, labels=labels)
    # Only the frame's size is used: skeleton_only draws on a neutral canvas.
    frame = capture.last_result.frame.image_bgr
    return renderer.render(frame, skeleton_result(capture), mirror=mirror)


def _skeleton_png(capture: HomeCapture, language: str) -> tuple[bytes, int, int]:
    image = skeleton_image(capture, language)
    ok, buf = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise ValueError("OpenCV could not encode the skeleton image as PNG")
    return buf.tobytes(), int(image.shape[1]), int(image.shape[0])


def _points_json(xyv: np.ndarray) -> list[list[float] | None]:
    out: list[list[float] | None] = []
    for x, y, v in xyv:
        if np.isfinite(x) and np.isfinite(y):
            out.append([round(float(x), 2), round(float(y), 2), round(float(v), 4)])
        else:
            out.append(None)
    return out


def build_home_check(
    capture: HomeCapture,
    *,
    model_path: str | Path | None,
    language: str = "en",
    images: bool = True,
) -> dict[str, Any]:
    """The JSON document of one home check (plain JSON types, valid against the schema).

    Args:
        capture: the completed automatic capture.
        model_path: the ``.task`` file used (only its name and sha256 are written).
        language: language of the texts drawn in the skeleton image (``en``/``nl``).
        images: include the skeleton-only image.
    """
    doc: dict[str, Any] = {
        "format": FORMAT_ID,
        "format_version": FORMAT_VERSION,
        "check_id": capture.check_id,
        "time": capture.time.isoformat(timespec="seconds"),
        "setting": "home",
        "view": str(capture.view),
        "framing": capture.framing,
        "capture": {
            "seconds": round(capture.seconds, 3),
            "frames_seen": capture.frames_seen,
            "frames_used": capture.frames_used,
            "waited_seconds": round(capture.waited_s, 3),
            "paused_seconds": round(capture.paused_s, 3),
        },
        "metrics": {k: m.to_json() for k, m in capture.measurements.items()},
        "quality": {
            "ok": all(c["ok"] for c in capture.quality_checks),
            "checks": [dict(c) for c in capture.quality_checks],
        },
        "landmarks": {
            "coordinates": "image_px",
            "resolution_wh": [int(capture.resolution_wh[0]), int(capture.resolution_wh[1])],
            "points": _points_json(capture.landmarks_xyv),
        },
        "images": [],
        "model": {
            "file": Path(model_path).name if model_path else None,
            "sha256": file_sha256(model_path),
        },
        "app": {"name": "posture_cam", "version": __version__},
        "language": language,
        "note": SCREENING_NOTE,
    }
    if images:
        png, w, h = _skeleton_png(capture, language)
        doc["images"].append(
            {
                "kind": "skeleton",
                "privacy": "skeleton_only",
                "media_type": "image/png",
                "width": w,
                "height": h,
                "data_base64": base64.b64encode(png).decode("ascii"),
            }
        )
    return doc


def default_export_dir() -> Path:
    """Where checks for the therapist go by default: ``<Documents>/posture_cam``.

    A folder the patient can find to attach the file to an e-mail (not the hidden user
    data dir).
    """
    import platformdirs

    return Path(platformdirs.user_documents_dir()) / "posture_cam"


def home_check_filename(doc: dict[str, Any]) -> str:
    """``home_check_<YYYY-MM-DD_HHMMSS>_<view>.json`` from the document's time and view."""
    when = _dt.datetime.fromisoformat(doc["time"])
    return f"home_check_{when.strftime('%Y-%m-%d_%H%M%S')}_{doc['view']}{SUFFIX}"


def write_home_check(doc: dict[str, Any], export_dir: str | Path) -> Path:
    """Write ``doc`` into ``export_dir`` (created 0700 when missing) as a private file.

    The name is :func:`home_check_filename`, made unique with ``_2``, ``_3`` ...; the
    write is atomic and the file is 0600. Returns the path written.
    """
    folder = ensure_dir(Path(export_dir).expanduser(), private=True)
    name = home_check_filename(doc)
    path, n = folder / name, 2
    while path.exists():
        path, n = folder / f"{Path(name).stem}_{n}{SUFFIX}", n + 1
    write_json_atomic(path, doc, private=True)
    return path


@functools.lru_cache(maxsize=1)
def home_check_schema() -> dict[str, Any]:
    """The JSON schema of the format (draft 2020-12)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_home_check(doc: Any, source: str | Path = "home check") -> None:
    """Raise :class:`InputError` naming ``source`` when ``doc`` is not a valid home check."""
    import jsonschema

    if isinstance(doc, dict) and doc.get("format") == FORMAT_ID:
        version = doc.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise InputError(
                source,
                _(
                    "home check format version {version} is newer than this posture_cam "
                    "understands ({supported})"
                ).format(version=version, supported=FORMAT_VERSION),
                _("update posture_cam and import it again"),
            )
    elif isinstance(doc, dict):
        raise InputError(source, _("not a posture_cam home check (no format id)"), _(_FIX_HINT))
    # Before the schema, whose words for these are less clear ("'x' is not one of ...").
    _check_metrics(doc, source)
    validator = jsonschema.Draft202012Validator(home_check_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "document"
        raise InputError(
            source,
            _("invalid home check at {where}: {message}").format(
                where=where, message=error.message
            ),
            _(_FIX_HINT),
        )
    try:
        _dt.datetime.fromisoformat(doc["time"])
    except ValueError as exc:
        raise InputError(
            source, _("invalid home check time {doc!r}").format(doc=doc["time"]), _(_FIX_HINT)
        ) from exc


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_metrics(doc: dict[str, Any], source: str | Path) -> None:
    """Refuse what ``posture-cam home`` never writes: a metric home mode does not measure
    in the file's view (``HOME_METRICS``), an impossible value (an angle outside
    -180…180°, a CVA outside 0…180°, NaN or infinite), a unit other than ``deg``, a
    source other than ``model``, a negative or infinite spread or frame count. Parts of
    the wrong type are left to the schema. A metric's ``status`` is not checked here:
    an importer judges the value against its own catalogue (``records.home_import``)."""
    view, metrics = doc.get("view"), doc.get("metrics")
    if not isinstance(metrics, dict) or view not in HOME_METRICS:
        return
    allowed = HOME_METRICS[view]
    for metric_id, entry in metrics.items():
        if metric_id not in allowed:
            raise InputError(
                source,
                _(
                    "invalid home check: posture-cam home does not measure {metric} in a "
                    "{view} view (only {allowed})"
                ).format(metric=metric_id, view=view, allowed=", ".join(allowed)),
                _(_FIX_HINT),
            )
        if isinstance(entry, dict):
            problem = _metric_problem(metric_id, entry)
            if problem:
                raise InputError(
                    source,
                    _("invalid home check: {metric} {problem}").format(
                        metric=metric_id, problem=problem
                    ),
                    _(_FIX_HINT),
                )


def _metric_problem(metric_id: str, entry: dict[str, Any]) -> str | None:
    """What makes one metric of a home check impossible (words), or None."""
    value = entry.get("value")
    lo, hi = _VALUE_LIMITS[metric_id]
    if _number(value) and not (math.isfinite(value) and lo <= value <= hi):
        return _("value {value} is impossible: an angle from {lo:g} to {hi:g}°").format(
            value=value, lo=lo, hi=hi
        )
    if value is not None and entry.get("unit") != "deg":
        return _("has unit {unit}, not deg").format(unit=entry.get("unit"))
    if entry.get("source", "model") != "model":
        return _("has source {source}: home checks measure with the pose model only").format(
            source=entry.get("source")
        )
    for key in (*_SPREADS, "n"):
        number = entry.get(key)
        if _number(number) and not (math.isfinite(number) and number >= 0):
            return _("{key} {value} is impossible: it is a finite number, never negative").format(
                key=key, value=number
            )
    return None


def _decode_image(entry: dict[str, Any], source: Path) -> HomeImage:
    try:
        png = base64.b64decode(entry["data_base64"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InputError(source, _("a home check image is not valid base64"), _(_FIX_HINT)) from exc
    if not png.startswith(_PNG_SIGNATURE):
        raise InputError(source, _("a home check image is not a PNG"), _(_FIX_HINT))
    return HomeImage(entry["kind"], png, int(entry["width"]), int(entry["height"]))


def load_home_check(path: str | Path) -> HomeCheckFile:
    """Read and validate a home-check file (see docs/home.md).

    Args:
        path: a file written by ``posture-cam home`` ("Send to my therapist").

    Returns:
        The validated contents; ``images`` hold decoded PNG bytes.

    Raises:
        InputError: the file is missing, unreadable, not JSON, not a home check, of a
            newer format version, or does not match the schema (one line naming the
            file and what to do).
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(p, _("file not found"), _("check the path of the home check")) from exc
    except IsADirectoryError as exc:
        raise InputError(p, _("is a folder, not a home check file")) from exc
    except OSError as exc:
        raise InputError(
            p, _("cannot read the file ({strerror})").format(strerror=exc.strerror)
        ) from exc
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(p, _("not a home check: the file is not JSON"), _(_FIX_HINT)) from exc
    if not isinstance(doc, dict):
        raise InputError(p, _("not a posture_cam home check (no format id)"), _(_FIX_HINT))
    validate_home_check(doc, p)
    return HomeCheckFile(
        path=p,
        check_id=doc["check_id"],
        time=_dt.datetime.fromisoformat(doc["time"]),
        view=doc["view"],
        framing=doc["framing"],
        metrics=doc["metrics"],
        quality=doc["quality"],
        landmarks=doc["landmarks"],
        images=tuple(_decode_image(e, p) for e in doc["images"]),
        model=doc["model"],
        app_version=doc["app"]["version"],
        document=doc,
    )
