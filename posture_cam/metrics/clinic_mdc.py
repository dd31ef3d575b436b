"""This clinic's own MDC95 per metric, measured with ``posture-cam retest --save``.

A clinic that measured its own set-up (camera, room, the patient re-positioned between
captures) judges changes against what it measured instead of a published or bench MDC:
``metrics.mdc.mdc_for`` takes these for values measured from the pose model (``retest``
analyses without stickers). The file, ``<data dir>/clinic_mdc.json``, is written
atomically and privately (0600); a file that cannot be read or is not this format is
ignored (one warning in the log): the declared MDCs apply then.

Format::

    {"format": "posture_cam.clinic_mdc/1", "saved": "2026-12-01T10:00:00+01:00",
     "subjects": 10, "captures_per_subject": 3, "view": "right",
     "metrics": {"cva": {"mdc95": 5.91, "sem": 2.13, "unit": "deg"}, ...}}
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from pathlib import Path

from posture_cam import paths
from posture_cam.atomic import write_json_atomic
from posture_cam.i18n import Text
from posture_cam.metrics.norms import Mdc

FILE_NAME = "clinic_mdc.json"
FORMAT = "posture_cam.clinic_mdc/1"
#: ``Mdc.kind`` of an MDC from this clinic's retest.
KIND = "clinic retest"

log = logging.getLogger(__name__)
_cache: dict[Path, tuple[int, dict[str, Mdc]]] = {}


def clinic_mdc_path() -> Path:
    return paths.user_data_dir() / FILE_NAME


def save_clinic_mdc(
    metrics: Mapping[str, tuple[float, float, str]],
    *,
    subjects: int,
    captures: int,
    view: str,
    saved: dt.datetime | None = None,
) -> Path:
    """Write ``metrics`` (id -> (MDC95, SEM, unit)) as this clinic's MDCs, replacing
    any saved before. Returns the file.

    Raises:
        OutputError: the file cannot be written.
    """
    when = (saved or dt.datetime.now()).astimezone()
    doc = {
        "format": FORMAT,
        "saved": when.isoformat(timespec="seconds"),
        "subjects": int(subjects),
        "captures_per_subject": int(captures),
        "view": view,
        "metrics": {
            mid: {"mdc95": round(float(mdc), 2), "sem": round(float(sem), 4), "unit": unit}
            for mid, (mdc, sem, unit) in metrics.items()
        },
    }
    return write_json_atomic(clinic_mdc_path(), doc)


def load_clinic_mdc() -> dict[str, Mdc]:
    """The saved MDCs by metric id ({} when none are saved or the file is unusable)."""
    path = clinic_mdc_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError(f"not {FORMAT}")
        source = Text(
            "posture-cam retest of {date}: {subjects} subjects × {captures} captures",
            date=str(doc["saved"])[:10],
            subjects=int(doc["subjects"]),
            captures=int(doc["captures_per_subject"]),
        )
        found = {
            str(mid): Mdc(value=float(m["mdc95"]), source=source, kind=KIND, sem=float(m["sem"]))
            for mid, m in doc["metrics"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s: not used (%s); the declared MDCs apply", path, exc)
        found = {}
    _cache[path] = (stamp, found)
    return found
