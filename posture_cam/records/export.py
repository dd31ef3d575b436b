"""Export one patient's records: CSV (one row per visit × view × metric) or a zip with
everything (the JSON of every row, every image file) for a transfer or a GDPR access
request. Written atomically, mode 0600.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from posture_cam.atomic import write_bytes_atomic
from posture_cam.errors import InputError, OutputError
from posture_cam.i18n import _
from posture_cam.records import files
from posture_cam.records.compare import metric_mdc
from posture_cam.records.models import Capture, Patient, Visit
from posture_cam.records.spread import exported_uncertainty
from posture_cam.records.store import Store, display_number

CSV_COLUMNS = (
    "patient",
    "visit_id",
    "date",
    "setting",
    "view",
    "metric",
    "value",
    "sd",
    "uncertainty",
    "iqr",
    "n",
    "unit",
    "status",
    "source",
    "mdc",
    "reason",
)
#: Schema id of the JSON inside an export zip.
EXPORT_SCHEMA = "posture_cam.records.export/1"


def csv_rows(patient: Patient, visits: list[Visit]) -> list[dict[str, Any]]:
    rows = []
    for visit in visits:
        for capture in visit.captures:
            for m in capture.metrics:
                mdc, _, _ = metric_mdc(m.metric_id, m.unit, m.source)
                rows.append(
                    {
                        "patient": patient.code,
                        "visit_id": visit.id,
                        "date": visit.date_time.date().isoformat(),
                        "setting": visit.setting,
                        "view": capture.view,
                        "metric": m.metric_id,
                        "value": display_number(m.median),
                        "sd": display_number(m.sd),
                        "uncertainty": display_number(exported_uncertainty(m)),
                        "iqr": display_number(m.iqr),
                        "n": m.n,
                        "unit": m.unit,
                        "status": m.status,
                        "source": m.source,
                        "mdc": mdc,
                        "reason": m.reason,
                    }
                )
    return rows


def export_patient(store: Store, code: str, fmt: str, out: str | Path) -> Path:
    """Write ``code``'s records as ``csv`` or ``zip`` to ``out``."""
    if fmt not in ("csv", "zip"):
        raise InputError(fmt, _("not an export format"), _("use csv or zip"))
    with store.session() as s:
        patient, visits = store.load_visits(s, code)
    data = _csv_bytes(patient, visits) if fmt == "csv" else _zip_bytes(patient, visits)
    try:
        write_bytes_atomic(out, data, mode=0o600)
    except OSError as exc:
        raise OutputError(
            out,
            _("cannot write ({strerror})").format(strerror=exc.strerror),
            _("choose another --out"),
        ) from None
    return Path(out)


def _csv_bytes(patient: Patient, visits: list[Visit]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(patient, visits):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return text.getvalue().encode("utf-8")


def patient_document(patient: Patient, visits: list[Visit]) -> dict[str, Any]:
    """Every stored field of the patient, full precision (the zip's ``patient.json``)."""
    return {
        "schema": EXPORT_SCHEMA,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "patient": {
            "code": patient.code,
            "name": patient.name,
            "birth_year": patient.birth_year,
            "notes": patient.notes,
            # Stored as UTC without its offset (models.utcnow): say so, as date_time,
            # exported_at and points_audit's times do.
            "created_at": patient.created_at.replace(tzinfo=dt.UTC).isoformat(),
        },
        "visits": [
            {
                "id": v.id,
                # Stored as this computer's local time: say which (the UTC offset of
                # that date here), as a home check's own time does.
                "date_time": v.date_time.astimezone().isoformat(),
                "setting": v.setting,
                "therapist": v.therapist,
                "profile": v.profile,
                "protocol": v.protocol,
                "notes": v.notes,
                "captures": [_capture_doc(c) for c in v.captures],
            }
            for v in visits
        ],
    }


def _capture_doc(c: Capture) -> dict[str, Any]:
    return {
        "id": c.id,
        "view": c.view,
        "source_file": c.source_file,
        "kind": c.kind,
        "quality": c.quality,
        "landmarks": c.landmarks,
        "resolution_wh": c.resolution_wh,
        "model_name": c.model_name,
        "model_sha256": c.model_sha256,
        "points_audit": c.points_audit,
        "metrics": [
            {
                "metric": m.metric_id,
                "median": m.median,
                "sd": m.sd,
                "uncertainty": m.uncertainty,
                "iqr": m.iqr,
                "n": m.n,
                "unit": m.unit,
                "status": m.status,
                "source": m.source,
                "reason": m.reason,
            }
            for m in c.metrics
        ],
        "images": [
            {
                "privacy": i.privacy,
                "language": i.language,
                "file": f"images/{i.path}",
                "sha256": i.sha256,
            }
            for i in c.images
        ],
    }


def _zip_bytes(patient: Patient, visits: list[Visit]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "patient.json",
            json.dumps(patient_document(patient, visits), indent=2, ensure_ascii=False),
        )
        zf.writestr("metrics.csv", _csv_bytes(patient, visits))
        for v in visits:
            for c in v.captures:
                for img in c.images:
                    path = files.resolve(img.path)
                    if path.is_file():
                        # Stored (not deflated): PNGs are compressed already.
                        zf.write(path, f"images/{img.path}", compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()
