"""ORM models of the records store (SQLAlchemy 2.x declarative, no Qt).

```
Patient ──< Visit ──< Capture ──< CaptureMetric
                          └──────< CaptureImage (one file per privacy mode and language)
```

Deleting a patient deletes its visits, captures, metrics and image rows (``ON DELETE
CASCADE`` in the database and ``delete-orphan`` in the ORM); the image *files* are removed
by :mod:`posture_cam.records.store`. The schema is created and changed only by the Alembic
migrations in ``posture_cam/records/migrations`` (never ``create_all``), so that a store
made by any earlier version opens with this one.

An id is never given twice, not even after the newest row is deleted: visit ids are in
reports, exports and image paths. SQLite tables have ``AUTOINCREMENT`` (revision 0006;
plain SQLite gives ``max(id) + 1``), PostgreSQL's sequences never go back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from posture_cam.reasons import from_json

#: Settings of a visit.
SETTINGS = ("clinic", "home")
#: Privacy modes of a stored image (``OverlayRenderer``: full image, blurred face, skeleton).
PRIVACY_MODES = ("full", "blur", "skeleton")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Patient(Base):
    """A patient, known by a pseudonymous code (shown on files and reports).

    Attributes:
        code: unique pseudonymous key, e.g. ``P-0042``.
        name: optional full name (printed on a report only when asked for).
        birth_year: optional year of birth.
        notes: free text.
    """

    __tablename__ = "patients"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids never reused (0006)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str | None] = mapped_column(String(200))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    visits: Mapped[list[Visit]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Visit.date_time, Visit.id",
    )


class Visit(Base):
    """One visit: a set of captures taken on one occasion (clinic or home).

    Attributes:
        date_time: when the visit took place (naive local time as entered).
        setting: ``clinic`` or ``home``.
        therapist: who took it (free text), or None.
        profile: calibration profile name, or None.
        protocol: the planned views in order, e.g. ``["front", "left", "back", "right"]``.
        notes: free text.
    """

    __tablename__ = "visits"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids never reused (0006)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True, nullable=False
    )
    date_time: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    setting: Mapped[str] = mapped_column(String(16), nullable=False, default="clinic")
    therapist: Mapped[str | None] = mapped_column(String(200))
    profile: Mapped[str | None] = mapped_column(String(200))
    protocol: Mapped[list[str] | None] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    patient: Mapped[Patient] = relationship(back_populates="visits")
    captures: Mapped[list[Capture]] = relationship(
        back_populates="visit",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Capture.id",
    )


class Capture(Base):
    """One averaged capture of one view.

    Attributes:
        view: ``front``, ``back``, ``left`` or ``right``.
        source_file: name of the analysed photo/video (no folder), or ``live``.
        kind: ``image``, ``video`` or ``live``.
        quality: ``{"ok": bool, "checks": [{"id", "ok", "reason"}], "frames_seen",
            "frames_used", ...}``.
        landmarks: the median landmarks, 33 entries ``[x_px, y_px]`` or null.
        resolution_wh: ``[width, height]`` of the frames the landmarks refer to.
        model_name, model_sha256: the pose model file (for a photo measured with the
            second keypoint model too: both file names, joined by " + ") and the pose
            model's SHA-256.
        points_audit: moved or placed points (``--point`` / markers), a list of
            ``{"landmark", "from_xy", "to_xy", "by", "at"}``; added in revision 0002.
        external_id: the ``check_id`` of an imported home-check file (unique, so a check
            is imported once); added in revision 0003.
    """

    __tablename__ = "captures"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids never reused (0006)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), index=True, nullable=False
    )
    view: Mapped[str] = mapped_column(String(16), nullable=False)
    source_file: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="image")
    quality: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    landmarks: Mapped[list[Any] | None] = mapped_column(JSON)
    resolution_wh: Mapped[list[int] | None] = mapped_column(JSON)
    model_name: Mapped[str | None] = mapped_column(String(200))
    model_sha256: Mapped[str | None] = mapped_column(String(64))
    points_audit: Mapped[list[Any] | None] = mapped_column(JSON)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    visit: Mapped[Visit] = relationship(back_populates="captures")
    metrics: Mapped[list[CaptureMetric]] = relationship(
        back_populates="capture",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CaptureMetric.position",
    )
    images: Mapped[list[CaptureImage]] = relationship(
        back_populates="capture",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CaptureImage.id",
    )

    def metric(self, metric_id: str) -> CaptureMetric | None:
        return next((m for m in self.metrics if m.metric_id == metric_id), None)

    def image(self, privacy: str, language: str = "en") -> CaptureImage | None:
        for img in self.images:
            if img.privacy == privacy and img.language == language:
                return img
        return next((i for i in self.images if i.privacy == privacy), None)


#: The pictures a privacy mode allows, best first: the one asked for, then each that
#: shows less (a skeleton has no camera pixels, so it is always allowed). A home check
#: stores only its skeleton picture; the report and the app fall back to it.
SHOWS_NO_MORE_THAN: dict[str, tuple[str, ...]] = {
    "full": ("full", "blur", "skeleton"),
    "blur": ("blur", "skeleton"),
    "skeleton": ("skeleton",),
}


class CaptureMetric(Base):
    """The averaged value of one metric in one capture.

    Attributes:
        metric_id: catalogue id (a contract: ``cva``, ``shoulder_tilt`` ...).
        median: the median over the used frames, in ``unit`` (None: not measurable).
        sd, iqr: sample SD and inter-quartile range over the frames (0 for a photo).
        n: frames in which it was measured.
        unit: ``deg``, ``cm``, ``%height``, ``%`` or ``index``.
        status: ``normal``, ``borderline``, ``outside`` or ``not_measurable``.
        source: where the number came from: ``model``, ``marker`` or ``point``.
        reason: why it was not measurable, else None (English, as stored).
        reasons: the same as codes and data (``posture_cam.reasons``, revision 0005),
            so it is shown in the reader's language; None for older records.
        position: order within the capture (the pipeline's order).
    """

    __tablename__ = "capture_metrics"
    __table_args__ = (
        UniqueConstraint("capture_id", "metric_id"),
        {"sqlite_autoincrement": True},  # ids never reused (0006)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capture_id: Mapped[int] = mapped_column(
        ForeignKey("captures.id", ondelete="CASCADE"), index=True, nullable=False
    )
    metric_id: Mapped[str] = mapped_column(String(64), nullable=False)
    median: Mapped[float | None] = mapped_column(Float)
    sd: Mapped[float | None] = mapped_column(Float)
    iqr: Mapped[float | None] = mapped_column(Float)
    n: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    unit: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False, default="model")
    reason: Mapped[str | None] = mapped_column(Text)
    uncertainty: Mapped[float | None] = mapped_column(Float)  # ± of the median (0004)
    reasons: Mapped[list[Any] | None] = mapped_column(JSON)  # reason codes (0005)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    capture: Mapped[Capture] = relationship(back_populates="metrics")

    @property
    def why(self) -> str | None:
        """Why it was not measurable, or for a measured value the note that qualifies
        it ("judged against a body height of 170 cm"); rebuilt from its codes where it
        has them (a :class:`posture_cam.reasons.Reason`, shown in the current language),
        else the stored text; None when there is neither."""
        return from_json(self.reason, self.reasons)


class CaptureImage(Base):
    """An annotated image file of a capture.

    Attributes:
        privacy: ``full``, ``blur`` (face blurred) or ``skeleton`` (no camera pixels).
        language: language of the labels drawn on it (``en`` / ``nl``).
        path: file path relative to the records folder (never absolute).
        sha256: of the file's bytes, checked by export.
    """

    __tablename__ = "capture_images"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids never reused (0006)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capture_id: Mapped[int] = mapped_column(
        ForeignKey("captures.id", ondelete="CASCADE"), index=True, nullable=False
    )
    privacy: Mapped[str] = mapped_column(String(16), nullable=False)
    language: Mapped[str] = mapped_column(String(8), nullable=False, default="en")
    path: Mapped[str] = mapped_column(String(500), nullable=False)
    sha256: Mapped[str | None] = mapped_column(String(64))

    capture: Mapped[Capture] = relationship(back_populates="images")
