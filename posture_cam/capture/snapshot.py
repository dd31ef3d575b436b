"""Snapshots for the patient file: a PNG with text metadata plus a JSON sidecar.

No Qt here: the app builds the image (overlay and metrics panel burned in) and the
record, this module writes them. Files land in a *session folder*
(``<sessions>/<YYYY-MM-DD_HHMMSS>/``), one per app run, under
``posture_cam.paths.sessions_dir()`` or a folder the user configured. Every write is
atomic (``posture_cam.atomic``): a crash leaves no half-written PNG or JSON.

PNG metadata uses standard text chunks, inserted before ``IEND``:

* ``tEXt`` for ASCII values (``Software``, ``Creation Time``);
* ``iTXt`` (UTF-8, uncompressed) for JSON and anything non-ASCII
  (``posture_cam:metrics``, ``posture_cam:record`` ...).

Pillow is not a dependency, so the chunks are written and read with ``struct`` and
``zlib.crc32`` (PNG spec, sections 5.3 and 11.3.4).
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import re
import struct
import warnings
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture_cam import __version__, paths
from posture_cam.atomic import ensure_dir, json_bytes, remove_stale_temps, write_group_atomic
from posture_cam.metrics.catalogue import is_proxy
from posture_cam.types import Pose

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Schema id written into every sidecar; bump when fields change meaning. A name of the
#: format, not of this module: it stayed when the module moved into ``capture/``.
SCHEMA = "posture_cam.snapshot/1"
#: PNG text keywords written by :func:`write_snapshot`.
KEY_METRICS = "posture_cam:metrics"
KEY_RECORD = "posture_cam:record"
KEY_VIEW = "posture_cam:view"
KEY_MODEL = "posture_cam:model"
#: The note every snapshot and home-check file carries, in English whatever the
#: language: a file's fields are data (screens show ``wording.screening_note()``).
SCREENING_NOTE = "Screening aid, not a diagnosis."


@dataclass(frozen=True)
class SnapshotFiles:
    """Where a snapshot was written.

    Attributes:
        png: the image with overlay, metrics panel and text metadata.
        sidecar: the JSON record next to it (same stem, ``.json``).
    """

    png: Path
    sidecar: Path

    @property
    def folder(self) -> Path:
        return self.png.parent


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _text_chunk(keyword: str, text: str) -> bytes:
    key = keyword.encode("latin-1")
    if not 1 <= len(key) <= 79 or b"\0" in key:
        raise ValueError(f"PNG text keyword must be 1-79 Latin-1 characters: {keyword!r}")
    if text.isascii():
        return _chunk(b"tEXt", key + b"\0" + text.encode("ascii"))
    # iTXt: keyword, NUL, compression flag 0, method 0, empty language, NUL,
    # empty translated keyword, NUL, UTF-8 text.
    return _chunk(b"iTXt", key + b"\0\0\0\0\0" + text.encode("utf-8"))


def _iter_chunks(png: bytes):
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file (bad signature)")
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        yield pos, kind, data
        pos += 12 + length


def png_add_text(png: bytes, texts: Mapping[str, str], *, json_keys: tuple[str, ...] = ()) -> bytes:
    """Return ``png`` with one text chunk per entry inserted before ``IEND``.

    Args:
        png: a complete PNG file.
        texts: keyword -> text. ASCII text becomes ``tEXt``, anything else ``iTXt``.
        json_keys: keywords to force into ``iTXt`` (UTF-8) even when ASCII, so that
            readers treat them as Unicode JSON.
    """
    end = None
    for pos, kind, _ in _iter_chunks(png):
        if kind == b"IEND":
            end = pos
    if end is None:
        raise ValueError("PNG has no IEND chunk")
    chunks = []
    for key, text in texts.items():
        if key in json_keys:
            chunks.append(_chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + text.encode()))
        else:
            chunks.append(_text_chunk(key, text))
    return png[:end] + b"".join(chunks) + png[end:]


def png_read_text(png: bytes) -> dict[str, str]:
    """All ``tEXt`` / ``iTXt`` / ``zTXt`` entries of a PNG (keyword -> text)."""
    out: dict[str, str] = {}
    for _, kind, data in _iter_chunks(png):
        if kind == b"tEXt":
            key, _, text = data.partition(b"\0")
            out[key.decode("latin-1")] = text.decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = data.partition(b"\0")
            out[key.decode("latin-1")] = zlib.decompress(rest[1:]).decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = data.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _tkey, _, text = rest.partition(b"\0")
            out[key.decode("latin-1")] = (zlib.decompress(text) if compressed else text).decode()
    return out


def encode_png(image_bgr: np.ndarray, texts: Mapping[str, str] | None = None) -> bytes:
    """Encode a BGR uint8 image as PNG bytes, with optional text metadata."""
    ok, buf = cv2.imencode(".png", image_bgr, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("OpenCV could not encode the snapshot as PNG")
    data = buf.tobytes()
    if texts:
        data = png_add_text(data, texts, json_keys=(KEY_METRICS, KEY_RECORD))
    return data


def new_session_dir(base: str | Path | None = None, now: _dt.datetime | None = None) -> Path:
    """A fresh session folder path (not created): ``<base>/<YYYY-MM-DD_HHMMSS>``.

    Args:
        base: parent folder; default ``paths.sessions_dir()``.
        now: the session start (local time); default now.
    """
    root = Path(base).expanduser() if base else paths.sessions_dir()
    stamp = (now or _dt.datetime.now()).strftime("%Y-%m-%d_%H%M%S")
    folder = root / stamp
    n = 2
    while folder.exists():
        folder = root / f"{stamp}_{n}"
        n += 1
    return folder


@functools.lru_cache(maxsize=8)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path: str | Path | None) -> str | None:
    """sha256 of a file (cached by path, size and mtime), or None when it is absent."""
    if not path:
        return None
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        return None
    return _sha256_cached(str(p), st.st_size, st.st_mtime_ns)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "to_json"):
        return obj.to_json()
    return str(obj)


def to_jsonable(obj: Any) -> Any:
    """Round-trip through JSON so numpy scalars, Paths and enums become plain types."""
    return json.loads(json.dumps(obj, default=_json_default, allow_nan=False))


def build_record(
    *,
    metrics: Mapping[str, Any],
    quality: Mapping[str, Any],
    view: str,
    source: str,
    privacy: str,
    model_path: str | Path | None,
    calibration_profile: str | None,
    time: _dt.datetime | None = None,
    extra: Mapping[str, Any] | None = None,
    on_model: Collection[str] = (),
) -> dict[str, Any]:
    """The sidecar record of one snapshot (plain JSON types).

    Args:
        metrics: averaged metrics, e.g. ``AveragedCapture.summary()`` (per metric:
            median, spread, n_frames, unit, status ...).
        quality: per-frame quality summary of the capture window.
        view: ``front``/``back``/``left``/``right``/``unknown``.
        source: source id (``camera:0`` or a file path); only the file name is kept,
            and nothing in ``skeleton_only`` mode (see :func:`exported_source_name`).
        privacy: ``none``, ``blur_face`` or ``skeleton_only``.
        model_path: the ``.task`` file used (its sha256 is recorded when readable).
        calibration_profile: name of the applied profile, or None.
        time: capture time (local, timezone-aware preferred); default now.
        extra: further fields to merge in.
        on_model: ids of the values from stickers or placed points that still rest on
            a model landmark (a tragus given, C7 estimated from the trunk): proxies, as
            ``analyze`` says of them (``Metric.landmarks`` not empty).
    """
    when = time or _dt.datetime.now().astimezone()
    record = {
        "schema": SCHEMA,
        "time": when.isoformat(timespec="seconds"),
        "app": {"name": "posture_cam", "version": __version__},
        # File name and hash identify the model; its path would name the user.
        "model": {
            "file": Path(model_path).name if model_path else None,
            "sha256": file_sha256(model_path),
        },
        "view": view,
        "source": exported_source_name(source, privacy),
        "privacy": privacy,
        "calibration_profile": calibration_profile,
        # Each number also says whether model landmarks stand in for its clinical points.
        "metrics": {
            mid: {**m, "proxy": _measured(m) and is_proxy(mid, m.get("source"), mid in on_model)}
            if isinstance(m, Mapping)
            else m
            for mid, m in metrics.items()
        },
        "quality": quality,
        "note": SCREENING_NOTE,
    }
    if extra:
        record.update(extra)
    return to_jsonable(record)


def exported_source_name(source: str | None, privacy: str) -> str | None:
    """What an export may say about its source: the file name only (no folder, which
    names the user and often the patient), and nothing at all in ``skeleton_only``."""
    if not source or privacy == "skeleton_only":
        return None
    if re.fullmatch(r"camera:\d+", source):
        return source
    return Path(source).name


def _png_decodes(path: Path) -> str | None:
    data = np.fromfile(str(path), dtype=np.uint8)
    ok = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) is not None
    return None if ok else "the PNG does not decode"


#: What the snapshot image shows, recorded in every sidecar (``image``).
IMAGE_NOTE = {
    "pose": "median of the capture's frames (the pose the numbers describe)",
    "metrics": "median over the capture",
    "background": "the capture's last frame",
}


def median_pose(poses: list[Pose]) -> Pose | None:
    """The per-landmark median of ``poses`` (pixel coordinates; NaN where a landmark was
    missing in every frame). The snapshot draws this pose, so the picture shows what
    the averaged numbers say rather than whatever the last frame happened to be."""
    poses = [p for p in poses if p is not None]
    if not poses:
        return None
    stack = np.stack([p.xy_px for p in poses])  # (T, 33, 2)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN landmark columns
        xy = np.nanmedian(stack, axis=0)
    return poses[-1].with_xy(xy)


def _safe_stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "snapshot"


def write_snapshot(
    image_bgr: np.ndarray,
    record: Mapping[str, Any],
    folder: str | Path,
    stem: str | None = None,
) -> SnapshotFiles:
    """Write ``<stem>.png`` (with text metadata) and ``<stem>.json`` atomically.

    Args:
        image_bgr: (H, W, 3) uint8 BGR image to save (already privacy-filtered).
        record: the sidecar record (see :func:`build_record`); its ``metrics``,
            ``view``, ``time``, ``app`` and ``model`` go into the PNG text chunks.
        folder: the session folder (created when missing).
        stem: file name without suffix; default ``snapshot_<HHMMSS>_<view>``, made
            unique within the folder.

    Returns:
        The paths written.
    """
    folder = ensure_dir(folder)
    remove_stale_temps(folder)  # what a killed app left behind
    if stem is None:
        stem = f"snapshot_{_dt.datetime.now().strftime('%H%M%S')}_{record.get('view', 'unknown')}"
    stem = _safe_stem(stem)
    candidate, n = stem, 2
    while (folder / f"{candidate}.png").exists() or (folder / f"{candidate}.json").exists():
        candidate, n = f"{stem}_{n}", n + 1
    app = record.get("app", {})
    model = record.get("model", {})
    texts = {
        "Software": f"{app.get('name', 'posture_cam')} {app.get('version', __version__)}",
        "Creation Time": str(record.get("time", "")),
        "Description": SCREENING_NOTE,
        KEY_VIEW: str(record.get("view", "unknown")),
        KEY_MODEL: json.dumps(model, ensure_ascii=False),
        KEY_METRICS: json.dumps(record.get("metrics", {}), ensure_ascii=False),
        KEY_RECORD: json.dumps(to_jsonable(record), ensure_ascii=False),
    }
    png = folder / f"{candidate}.png"
    sidecar = folder / f"{candidate}.json"
    # Both or neither: a PNG without its record (or the reverse) is worse than none.
    write_group_atomic(
        {png: encode_png(image_bgr, texts), sidecar: json_bytes(to_jsonable(record))},
        verify={png: _png_decodes},
    )
    return SnapshotFiles(png=png, sidecar=sidecar)


def _measured(metric: Mapping[str, Any]) -> bool:
    """A snapshot metric with a value (a capture's ``median``, a frame's ``value``)."""
    return metric.get("median", metric.get("value")) is not None
