"""The records store: patients, visits and captures in the database, images as files.

``Store()`` opens (and migrates) the database named by
:func:`posture_cam.records.db.database_url`. Every change is one transaction; a visit
with its captures, metrics and image files is stored whole or not at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from posture_cam.errors import InputError
from posture_cam.i18n import _
from posture_cam.records import db, files
from posture_cam.records.errors import DuplicateRecordError, UnknownRecordError
from posture_cam.records.ingest import CaptureData
from posture_cam.records.models import (
    PRIVACY_MODES,
    SETTINGS,
    Capture,
    CaptureImage,
    CaptureMetric,
    Patient,
    Visit,
)
from posture_cam.records.spread import exported_uncertainty

#: A patient code: letters, digits, ``.``, ``_`` and ``-`` (it appears in file names).
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: Values in ``visits --json``, exports and reports are rounded to this many decimals
#: (0.1° / 0.1 %: finer digits would be noise, see docs/metrics.md).
DECIMALS = 1


def display_number(value: float | None) -> float | None:
    """``value`` as shown everywhere (JSON, CSV, report): rounded, never ``-0.0``."""
    if value is None:
        return None
    rounded = round(float(value), DECIMALS)
    return 0.0 if rounded == 0 else rounded


def check_code(code: str) -> str:
    if not CODE_PATTERN.match(code or ""):
        raise InputError(
            code or "''",
            _("not a valid patient code"),
            _("use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
        )
    return code


class Store:
    """Records on one database (SQLite file by default, or PostgreSQL).

    Args:
        url: SQLAlchemy URL; None = :func:`posture_cam.records.db.database_url`.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or db.database_url()
        self.engine = db.open_engine(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with (
            db.translate_errors(self.url),
            Session(self.engine, expire_on_commit=False) as s,
            s.begin(),
        ):
            yield s

    # -- patients -------------------------------------------------------------------

    def add_patient(
        self,
        code: str,
        *,
        name: str | None = None,
        birth_year: int | None = None,
        notes: str | None = None,
    ) -> Patient:
        check_code(code)
        if birth_year is not None and not 1900 <= birth_year <= dt.date.today().year:
            raise InputError(str(birth_year), _("not a plausible birth year"), _("use YYYY"))
        with self.session() as s:
            if s.scalar(select(Patient.id).where(Patient.code == code)) is not None:
                raise DuplicateRecordError(
                    _(
                        "patient {code} already exists (choose another code, or `posture-cam "
                        "patients show {code}`)"
                    ).format(code=code)
                )
            patient = Patient(code=code, name=name, birth_year=birth_year, notes=notes)
            s.add(patient)
        return patient

    def find_patient(self, s: Session, code: str) -> Patient:
        # A code no patient can have is a typing mistake (exit 2), not an unknown
        # patient whose hint would suggest `patients add` with that very code.
        check_code(code)
        patient = s.scalar(select(Patient).where(Patient.code == code))
        if patient is None:
            raise UnknownRecordError(
                _(
                    "no patient with code {code} (see `posture-cam patients list`, or add it "
                    "with `posture-cam patients add {code}`)"
                ).format(code=code)
            )
        return patient

    def list_patients(self, search: str | None = None) -> list[dict[str, Any]]:
        """Patients ordered by code, optionally those whose code or name contains ``search``."""
        with self.session() as s:
            query = select(Patient).options(selectinload(Patient.visits)).order_by(Patient.code)
            if search:
                like = f"%{search}%"
                query = query.where(or_(Patient.code.ilike(like), Patient.name.ilike(like)))
            return [patient_json(p) for p in s.scalars(query)]

    def patient(self, code: str) -> dict[str, Any]:
        with self.session() as s:
            return patient_json(self.find_patient(s, code), with_visits=True)

    def remove_patient(self, code: str) -> int:
        """Delete the patient, every visit and capture, and every file. Returns files removed."""
        with self.session() as s:
            patient = self.find_patient(s, code)
            patient_id = patient.id
            s.delete(patient)
        folder = files.patient_dir(patient_id)
        count = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
        files.remove_tree(folder)
        return count

    # -- visits ---------------------------------------------------------------------

    def add_visit(
        self,
        code: str,
        captures: Sequence[CaptureData],
        *,
        date_time: dt.datetime | None = None,
        setting: str = "clinic",
        therapist: str | None = None,
        profile: str | None = None,
        protocol: list[str] | None = None,
        notes: str | None = None,
    ) -> int:
        """Store one visit with its captures and image files (all or nothing).

        Returns:
            The new visit's id.
        """
        if setting not in SETTINGS:
            raise InputError(
                setting,
                _("not a visit setting"),
                _("use one of {settings}").format(settings=", ".join(SETTINGS)),
            )
        if not captures:
            raise InputError("FILE", _("a visit needs at least one capture"))
        written = files.FileTransaction()
        try:
            with self.session() as s:
                patient = self.find_patient(s, code)
                visit = Visit(
                    patient=patient,
                    date_time=date_time or dt.datetime.now().replace(microsecond=0),
                    setting=setting,
                    therapist=therapist,
                    profile=profile,
                    protocol=protocol or [c.view for c in captures],
                    notes=notes,
                )
                s.add(visit)
                s.flush()
                for data in captures:
                    self._add_capture(s, visit, data, written)
                visit_id = visit.id
        except BaseException:
            written.rollback()
            raise
        return visit_id

    def _add_capture(
        self, s: Session, visit: Visit, data: CaptureData, written: files.FileTransaction
    ) -> Capture:
        fields = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
        del fields["metrics"], fields["images"]
        capture = Capture(visit=visit, **fields)
        for position, m in enumerate(data.metrics):
            # MetricData's fields are CaptureMetric's columns.
            capture.metrics.append(CaptureMetric(**dataclasses.asdict(m), position=position))
        s.add(capture)
        s.flush()
        for (privacy, language), png in sorted(data.images.items()):
            if privacy not in PRIVACY_MODES:
                raise ValueError(f"unknown privacy mode {privacy!r}")
            rel = (
                f"p{visit.patient_id}/v{visit.id}/"
                f"c{capture.id}_{capture.view}_{privacy}_{language}.png"
            )
            sha = written.write(rel, png)
            capture.images.append(
                CaptureImage(privacy=privacy, language=language, path=rel, sha256=sha)
            )
        return capture

    def load_visits(self, s: Session, code: str) -> tuple[Patient, list[Visit]]:
        """The patient and all visits, oldest first, with captures, metrics and images."""
        patient = self.find_patient(s, code)
        visits = list(
            s.scalars(
                select(Visit)
                .where(Visit.patient_id == patient.id)
                .options(
                    selectinload(Visit.captures).selectinload(Capture.metrics),
                    selectinload(Visit.captures).selectinload(Capture.images),
                )
                .order_by(Visit.date_time, Visit.id)
            )
        )
        return patient, visits

    def visits_json(self, code: str) -> dict[str, Any]:
        """``{"patient": CODE, "visits": [...]}`` exactly as ``visits --json`` prints it."""
        with self.session() as s:
            patient, visits = self.load_visits(s, code)
            return {"patient": patient.code, "visits": [visit_json(v) for v in visits]}


def visit_json(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.id,
        "date": visit.date_time.date().isoformat(),
        "setting": visit.setting,
        "captures": [capture_json(c) for c in visit.captures],
    }


def capture_json(capture: Capture) -> dict[str, Any]:
    return {
        "view": capture.view,
        "metrics": {
            m.metric_id: {
                "value": display_number(m.median),
                "sd": display_number(m.sd),
                # ± of the value (frame spread ⊕ model repeatability); None where only
                # "sd" is known (records.spread: before revision 0004, or a sticker
                # value stored before the stickers' share joined its ±).
                "uncertainty": display_number(exported_uncertainty(m)),
                "unit": m.unit,
                "status": m.status,
                "source": m.source,
            }
            for m in capture.metrics
        },
    }


def patient_json(patient: Patient, *, with_visits: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "code": patient.code,
        "name": patient.name,
        "birth_year": patient.birth_year,
        "notes": patient.notes,
        "visits": len(patient.visits),
        "last_visit": (
            max(v.date_time for v in patient.visits).date().isoformat() if patient.visits else None
        ),
    }
    if with_visits:
        doc["visit_list"] = [
            {
                "id": v.id,
                "date": v.date_time.date().isoformat(),
                "setting": v.setting,
                "therapist": v.therapist,
                "views": [c.view for c in v.captures],
            }
            for v in patient.visits
        ]
    return doc
