"""Import a home-check file as visits with setting ``home``.

The file is the JSON document of docs/records.md ("Home-check file"):
``{"schema": "posture_cam.home_check/1", "checks": [{"date_time", "view", "metrics":
{ID: {"median", "sd", "iqr", "n_frames", "unit", "status", "source"}}, "quality",
"landmarks", "image_png_base64"}]}``; images are skeleton-only. Each check becomes one
home visit with one capture; all are stored in one transaction each, and a malformed file
stores nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from pathlib import Path
from typing import Any

from posture_cam.errors import InputError
from posture_cam.records.ingest import CaptureData, MetricData
from posture_cam.records.store import Store

HOME_SCHEMA = "posture_cam.home_check/1"
_VIEWS = ("front", "back", "left", "right")


def parse_home_file(path: str | Path) -> list[tuple[dt.datetime, CaptureData]]:
    """Validate and convert the file; raises ``InputError`` naming what is wrong."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such file", "check the path") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            path, f"not a home-check file ({exc})", "export it again from the home check"
        ) from None
    if not isinstance(doc, dict) or doc.get("schema") != HOME_SCHEMA:
        raise InputError(path, f"not a home-check file (schema must be {HOME_SCHEMA})")
    checks = doc.get("checks")
    if not isinstance(checks, list) or not checks:
        raise InputError(path, "home-check file holds no checks")
    out = []
    for n, check in enumerate(checks, 1):
        try:
            out.append(_check(check))
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise InputError(path, f"check {n} is malformed ({exc})") from None
    return out


def _check(check: dict[str, Any]) -> tuple[dt.datetime, CaptureData]:
    when = dt.datetime.fromisoformat(check["date_time"]).replace(tzinfo=None)
    view = check["view"]
    if view not in _VIEWS:
        raise ValueError(f"view {view!r}")
    metrics = []
    for metric_id, m in check["metrics"].items():
        median = m.get("median", m.get("value"))
        metrics.append(
            MetricData(
                metric_id=str(metric_id),
                median=None if median is None else float(median),
                sd=None if m.get("sd") is None else float(m["sd"]),
                iqr=None if m.get("iqr") is None else float(m["iqr"]),
                n=int(m.get("n_frames", m.get("n", 1 if median is not None else 0))),
                unit=m.get("unit"),
                status=str(m.get("status", "not_measurable")),
                source=str(m.get("source", "model")),
                reason=m.get("reason"),
            )
        )
    images = {}
    if check.get("image_png_base64"):
        png = base64.b64decode(check["image_png_base64"], validate=True)
        if not png.startswith(b"\x89PNG"):
            raise ValueError("image is not a PNG")
        # Home checks carry skeleton-only images: no camera pixel leaves the home.
        images[("skeleton", "en")] = png
    capture = CaptureData(
        view=view,
        source_file=check.get("source_file") or "home check",
        kind="home",
        metrics=metrics,
        quality=check.get("quality") or {"ok": None},
        landmarks=check.get("landmarks"),
        resolution_wh=check.get("resolution_wh"),
        model_name=check.get("model_name"),
        model_sha256=check.get("model_sha256"),
        images=images,
    )
    return when, capture


def import_home_file(store: Store, code: str, path: str | Path) -> list[int]:
    """Store every check of the file as a home visit; returns the new visit ids."""
    checks = parse_home_file(path)
    store.patient(code)
    return [
        store.add_visit(code, [capture], date_time=when, setting="home") for when, capture in checks
    ]
