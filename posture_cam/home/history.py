"""The patient's own history of home checks, kept locally in the user data dir.

``<user data dir>/home/history.json`` (folder 0700, file 0600, atomic writes): a list of
past checks, newest last, each ``{"check_id", "time", "view", "values": {metric: deg},
"file": path or null}``. Only numbers: the images and landmarks stay in the exported
file. A damaged history file is set aside (``history.json.damaged``) instead of
stopping the check.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from posture_cam import paths
from posture_cam.atomic import ensure_dir, write_json_atomic

HISTORY_SCHEMA = "posture_cam.home_history/1"
#: Checks kept (about two years of weekly checks).
MAX_ENTRIES = 100


@dataclass(frozen=True)
class HistoryEntry:
    """One past check.

    Attributes:
        check_id: the id written in the exported file (when it was sent).
        time: when it was made (timezone-aware).
        view: ``front`` / ``back`` / ``left`` / ``right``.
        values: metric id -> value in degrees.
        file: where "Send to my therapist" wrote it, or None.
    """

    check_id: str
    time: _dt.datetime
    view: str
    values: dict[str, float]
    file: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "time": self.time.isoformat(timespec="seconds"),
            "view": self.view,
            "values": {k: round(float(v), 3) for k, v in self.values.items()},
            "file": self.file,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> HistoryEntry:
        return cls(
            check_id=str(d["check_id"]),
            time=_dt.datetime.fromisoformat(d["time"]),
            view=str(d["view"]),
            values={str(k): float(v) for k, v in d["values"].items()},
            file=d.get("file"),
        )


def history_path() -> Path:
    return paths.user_data_dir() / "home" / "history.json"


class HomeHistory:
    """Read and append the local home history.

    Args:
        path: the history file; default :func:`history_path` (read at each call, so
            ``POSTURE_CAM_DATA_DIR`` set later still counts).
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self._path = Path(path) if path else None

    @property
    def path(self) -> Path:
        return self._path or history_path()

    def entries(self) -> list[HistoryEntry]:
        """Past checks, oldest first ([] when none or when the file was damaged)."""
        p = self.path
        if not p.exists():
            return []
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
            if doc.get("schema") != HISTORY_SCHEMA:
                raise ValueError(f"unknown schema {doc.get('schema')!r}")
            return [HistoryEntry.from_json(e) for e in doc["checks"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            os.replace(p, p.with_name(p.name + ".damaged"))
            return []

    def last(self, view: str | None = None) -> HistoryEntry | None:
        """The latest check (of ``view`` when given), or None."""
        found = [e for e in self.entries() if view is None or e.view == view]
        return found[-1] if found else None

    def append(self, entry: HistoryEntry) -> None:
        """Add a check (replacing one with the same id) and save atomically, 0600."""
        kept = [e for e in self.entries() if e.check_id != entry.check_id]
        kept = [*kept, entry][-MAX_ENTRIES:]
        p = self.path
        ensure_dir(p.parent, private=True)
        os.chmod(p.parent, 0o700)  # it holds health data even if it existed before
        write_json_atomic(p, {"schema": HISTORY_SCHEMA, "checks": [e.to_json() for e in kept]})
