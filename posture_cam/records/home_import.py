"""Import home-check files (``posture-cam home`` → "send to my therapist") as visits with
setting ``home``.

The file format belongs to the home mode: ``posture_cam.home.load_home_check`` reads and
validates it (schema ``posture_cam/home/home_check.schema.json``, docs/home.md). Each
file becomes one home visit with one capture: the averaged metrics, the quality checks,
the median landmarks, the model and the skeleton-only image (no camera pixels). The
loader refuses a metric home mode does not measure in the file's view and impossible
numbers; each status is judged again here from the value (the file's word is kept in
the capture's quality only where it differs). A check is imported once: its
``check_id`` is kept and a second import is refused (exit 7). All files are read and
validated before anything is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from posture_cam.capture.averaging import classify_status
from posture_cam.i18n import _
from posture_cam.records.errors import DuplicateRecordError
from posture_cam.records.ingest import CaptureData, MetricData
from posture_cam.records.models import Capture
from posture_cam.records.store import Store
from posture_cam.types import MetricStatus


def judged_status(metric_id: str, value: float | None) -> str:
    """The status of a home check's value against this version's catalogue band, as a
    capture made here would get it (``classify_status``); ``not_measurable`` without a
    value. The file's own ``status`` is never trusted: an edited file could say
    "normal" for any value, and an older posture_cam may have judged against another
    band."""
    if value is None:
        return MetricStatus.NOT_MEASURABLE.value
    return classify_status(metric_id, float(value)).value


def capture_from_home_check(check) -> CaptureData:
    """A :class:`CaptureData` from a loaded ``posture_cam.home.HomeCheckFile``.

    Each metric's status is judged again from its value (:func:`judged_status`); where
    the file said otherwise, the capture's quality keeps the file's word under
    ``status_in_file`` (metric id -> status), for the audit trail."""
    metrics = []
    overruled: dict[str, str] = {}
    for metric_id, m in check.metrics.items():
        status = judged_status(metric_id, m["value"])
        if m["status"] != status:
            overruled[metric_id] = m["status"]
        metrics.append(
            MetricData(
                metric_id=metric_id,
                median=m["value"],
                sd=m["sd"],
                iqr=m["iqr"],
                n=int(m["n"]),
                unit=m["unit"],
                status=status,
                source=m["source"],
                reason=m.get("reason"),
                uncertainty=m.get("uncertainty"),
                reasons=m.get("reasons") or None,
            )
        )
    quality = dict(check.quality)
    quality.update(check.document.get("capture") or {})
    quality["framing"] = check.framing
    if overruled:
        quality["status_in_file"] = overruled
    language = check.document.get("language") or "en"
    images = {("skeleton", language): check.images[0].png} if check.images else {}
    points = check.landmarks["points"]
    return CaptureData(
        view=check.view,
        source_file=check.path.name,
        kind="home",
        metrics=metrics,
        quality=quality,
        landmarks=[None if p is None else [p[0], p[1]] for p in points],
        resolution_wh=list(check.landmarks["resolution_wh"]),
        model_name=check.model.get("file"),
        model_sha256=check.model.get("sha256"),
        images=images,
        external_id=check.check_id,
    )


def import_home_files(store: Store, code: str, paths: Sequence[str | Path]) -> list[int]:
    """Store every file as one home visit of ``code``; returns the new visit ids.

    Raises:
        InputError: a file is missing or not a valid home check (nothing is stored).
        UnknownRecordError: unknown patient.
        DuplicateRecordError: a check was imported before (nothing is stored).
    """
    from posture_cam.home import load_home_check

    checks = [load_home_check(p) for p in paths]
    store.patient(code)
    with store.session() as s:
        for check in checks:
            visit_id = s.scalar(
                select(Capture.visit_id).where(Capture.external_id == check.check_id)
            )
            if visit_id is not None:
                raise DuplicateRecordError(
                    _("{path}: this home check was already imported (visit {visit_id})").format(
                        path=check.path, visit_id=visit_id
                    )
                )
    seen: set[str] = set()
    for check in checks:
        if check.check_id in seen:
            raise DuplicateRecordError(
                _("{path}: the same home check is given twice").format(path=check.path)
            )
        seen.add(check.check_id)
    return [
        store.add_visit(
            code,
            [capture_from_home_check(check)],
            # Local wall-clock time, as every other visit is stored.
            date_time=check.time.astimezone().replace(tzinfo=None, microsecond=0),
            setting="home",
        )
        for check in checks
    ]
