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
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from posture_cam import paths
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
#: No visit is dated before this year (`visit add --date`): an earlier one is a typo.
EARLIEST_VISIT_YEAR = 1990


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
        """Delete the patient, every visit and capture, every image file and the app's
        reports of the patient. Returns the image files removed (:meth:`delete_patient`
        says what else)."""
        return self.delete_patient(code).images

    def delete_patient(self, code: str) -> Removal:
        """Delete the patient, every visit and capture, every image file and the PDF
        reports the app wrote for the patient (:func:`report_paths`)."""
        with self.session() as s:
            patient = self.find_patient(s, code)
            patient_id = patient.id
            visit_ids = [v.id for v in patient.visits]
            s.delete(patient)
        folder = files.patient_dir(patient_id)
        count = _count_files(folder)
        files.remove_tree(folder)
        return Removal(code, visit_ids, count, _remove_files(report_paths(code)))

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

    def find_visit(self, s: Session, visit_id: int) -> Visit:
        visit = s.scalar(
            select(Visit)
            .where(Visit.id == visit_id)
            .options(selectinload(Visit.patient), selectinload(Visit.captures))
        )
        if visit is None:
            raise UnknownRecordError(
                _(
                    "no visit {id} (see `posture-cam patients list` and `posture-cam visits "
                    "CODE` for the ids)"
                ).format(id=visit_id)
            )
        return visit

    def visit(self, visit_id: int) -> dict[str, Any]:
        """One visit as in ``patients show --json``'s ``visit_list``, with its
        ``patient`` code."""
        with self.session() as s:
            visit = self.find_visit(s, visit_id)
            return {"patient": visit.patient.code, **_listed(visit)}

    def remove_visit(self, visit_id: int) -> Removal:
        """Delete one visit with its captures, metrics and image files (its folder under
        :func:`posture_cam.records.db.files_dir`) and the app's PDF report of it."""
        with self.session() as s:
            visit = self.find_visit(s, visit_id)
            code, patient_id = visit.patient.code, visit.patient_id
            # Every image row's file, in case one lies outside the visit's folder.
            stored = {files.resolve(i.path) for c in visit.captures for i in c.images}
            s.delete(visit)
        folder = files.patient_dir(patient_id) / f"v{visit_id}"
        outside = {p for p in stored if folder.resolve() not in p.parents}
        count = _count_files(folder) + len(_remove_files(sorted(outside)))
        files.remove_tree(folder)
        reports = _remove_files([report_dir() / report_name(code, visit_id)])
        return Removal(code, [visit_id], count, reports)

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


@dataclasses.dataclass(frozen=True)
class Removal:
    """What a removal deleted: the patient's ``code``, the ids of the ``visits``, the
    number of image files and the report files."""

    code: str
    visits: list[int]
    images: int
    reports: list[Path]


def report_dir() -> Path:
    """Where the app writes a visit's PDF report unless told otherwise."""
    return paths.user_data_dir() / "reports"


def report_name(code: str, visit_id: int) -> str:
    """The file name of the app's report of a visit in :func:`report_dir`."""
    return f"{code}_visit{visit_id}.pdf"


def report_paths(code: str) -> list[Path]:
    """The app's reports of the patient ``code`` in :func:`report_dir` (of any visit,
    also one removed since)."""
    folder = report_dir()
    if not folder.is_dir():
        return []
    name = re.compile(re.escape(code) + r"_visit\d+\.pdf")
    return sorted(p for p in folder.iterdir() if name.fullmatch(p.name) and p.is_file())


def _count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def _remove_files(candidates: Sequence[Path]) -> list[Path]:
    """Delete the files of ``candidates`` that exist; returns those deleted."""
    removed = []
    for path in candidates:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def check_visit_date(day: dt.date, birth_year: int | None = None) -> dt.date:
    """Refuse a visit date in the future (after today, local time), before the
    patient's ``birth_year`` or before :data:`EARLIEST_VISIT_YEAR`: a typing mistake
    that would spoil every chart and make the latest visit the wrong one."""
    today = dt.date.today()
    if day > today:
        raise InputError(
            day.isoformat(),
            _("visit date in the future"),
            _("give the day of the visit, today ({today}) at the latest").format(
                today=today.isoformat()
            ),
        )
    if birth_year is not None and birth_year > EARLIEST_VISIT_YEAR and day.year < birth_year:
        raise InputError(
            day.isoformat(),
            _("visit date before the patient's birth year {year}").format(year=birth_year),
            _("give the day of the visit as YYYY-MM-DD"),
        )
    if day.year < EARLIEST_VISIT_YEAR:
        raise InputError(
            day.isoformat(),
            _("visit date before {year}").format(year=EARLIEST_VISIT_YEAR),
            _("give the day of the visit as YYYY-MM-DD"),
        )
    return day


def _listed(v: Visit) -> dict[str, Any]:
    return {
        "id": v.id,
        "date": v.date_time.date().isoformat(),
        "setting": v.setting,
        "therapist": v.therapist,
        "views": [c.view for c in v.captures],
    }


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
        doc["visit_list"] = [_listed(v) for v in patient.visits]
    return doc
