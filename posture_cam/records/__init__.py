"""Patient records: patients, visits and captures (SQLAlchemy + Alembic, no Qt).

``Store`` is the entry point; see ``docs/records.md`` for the data model, the files on
disk, the JSON shapes and the exit codes.
"""

from posture_cam.records.errors import (
    DatabaseError,
    DuplicateRecordError,
    RecordsError,
    UnknownRecordError,
)
from posture_cam.records.store import Store

__all__ = ["DatabaseError", "DuplicateRecordError", "RecordsError", "Store", "UnknownRecordError"]
