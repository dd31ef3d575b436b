"""Image files of the records: private, atomic, referenced by relative path.

Every file lives under :func:`posture_cam.records.db.files_dir` at
``p<patient id>/v<visit id>/c<capture id>_<view>_<privacy>_<lang>.png``; folders are
0700 and files 0600 from their first byte (``posture_cam.atomic`` with ``mode``). A
:class:`FileTransaction` remembers what it wrote so that a rolled-back visit leaves no
file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from pathlib import Path

from posture_cam.atomic import write_bytes_atomic
from posture_cam.records import db

FILE_MODE = 0o600


def resolve(relpath: str) -> Path:
    """Absolute path of a stored relative path (refuses paths leaving the folder)."""
    root = db.files_dir().resolve()
    path = (root / relpath).resolve()
    if root not in path.parents:
        raise ValueError(f"stored image path leaves the records folder: {relpath}")
    return path


def patient_dir(patient_id: int) -> Path:
    return db.files_dir() / f"p{patient_id}"


class FileTransaction:
    """Writes files for one database transaction and removes them again on rollback."""

    def __init__(self) -> None:
        self.written: list[Path] = []

    def write(self, relpath: str, data: bytes) -> str:
        """Write ``data`` privately at ``relpath``; returns its SHA-256."""
        target = db.files_dir() / relpath
        root = db.files_dir()
        db.ensure_private_dir(root)
        for parent in reversed(target.relative_to(root).parents[:-1]):
            db.ensure_private_dir(root / parent)
        write_bytes_atomic(target, data, mode=FILE_MODE)
        self.written.append(target)
        return hashlib.sha256(data).hexdigest()

    def rollback(self) -> None:
        """Delete every file written, then the folders left empty."""
        for path in reversed(self.written):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            for parent in path.parents:
                if parent == db.files_dir() or db.files_dir() not in parent.parents:
                    break
                try:
                    parent.rmdir()
                except OSError:
                    break
        self.written.clear()


def remove_tree(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
