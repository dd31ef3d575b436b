"""Backup and restore of the whole records store, in one portable format for both
backends.

A backup is a zip holding ``manifest.json`` (format, schema revision, source backend,
counts), ``records.sqlite3`` (every row, at the source's schema revision) and
``files/...`` (every image). From SQLite the database is copied with SQLite's online
backup API (consistent while the app keeps running); from PostgreSQL the rows are copied
through SQLAlchemy into a fresh SQLite file, so a backup of either restores into either.

Restore migrates the backup's database to this version's schema (refusing a newer
one), then replaces every row of the store in one transaction and swaps the image folder.
A corrupt SQLite store is moved aside (``records.sqlite3.corrupt-<time>``) first, so a
restore is the way out of a damaged database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, text

from posture_cam.atomic import atomic_open
from posture_cam.errors import InputError, OutputError
from posture_cam.i18n import _
from posture_cam.records import db
from posture_cam.records.errors import DatabaseError
from posture_cam.records.models import Base

BACKUP_FORMAT = "posture_cam.records.backup/1"


def _tables():
    return Base.metadata.sorted_tables  # parents before children


def copy_rows(src: Engine, dst: Engine) -> dict[str, int]:
    """Replace every row of ``dst`` with those of ``src`` in one transaction on ``dst``."""
    counts = {}
    with src.connect() as sconn, dst.begin() as dconn:
        for table in reversed(_tables()):
            dconn.execute(delete(table))
        for table in _tables():
            rows = [dict(r._mapping) for r in sconn.execute(select(table))]
            if rows:
                dconn.execute(insert(table), rows)
            counts[table.name] = len(rows)
        if dconn.dialect.name == "postgresql":
            for table in _tables():
                # Explicit ids were inserted: move each id sequence past them.
                dconn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    return counts


def backup(store_url: str, out: str | Path) -> dict[str, Any]:
    """Write a backup of the store at ``store_url`` to ``out``; returns the manifest."""
    engine = db.open_engine(store_url)
    try:
        with tempfile.TemporaryDirectory(prefix="posture_cam_backup_") as tmp:
            copy = Path(tmp) / "records.sqlite3"
            with db.translate_errors(store_url):
                if engine.dialect.name == "sqlite":
                    _sqlite_online_backup(engine, copy)
                    counts = _counts(db.create(f"sqlite:///{copy}"))
                else:
                    target = db.create(f"sqlite:///{copy}")
                    db.migrate(target, db.current_revision(engine) or "head")
                    counts = copy_rows(engine, target)
                    target.dispose()
            manifest = {
                "format": BACKUP_FORMAT,
                "revision": db.current_revision(engine),
                "backend": engine.dialect.name,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "rows": counts,
            }
            _write_zip(Path(out), copy, manifest)
    finally:
        engine.dispose()
    return manifest


def _sqlite_online_backup(engine: Engine, copy: Path) -> None:
    raw = engine.raw_connection()
    try:
        dest = sqlite3.connect(copy)
        try:
            driver = raw.driver_connection
            assert driver is not None  # an open connection has its sqlite3 connection
            driver.backup(dest)
            # One self-contained file in the zip (no -wal beside it).
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        raw.close()


def _counts(engine: Engine) -> dict[str, int]:
    try:
        with engine.connect() as conn:
            return {
                t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
                for t in _tables()
            }
    finally:
        engine.dispose()


def _write_zip(out: Path, database: Path, manifest: dict[str, Any]) -> None:
    try:
        with (
            atomic_open(out, mode=0o600) as fh,
            zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf,
        ):
            zf.writestr("manifest.json", json.dumps(manifest, indent=2))
            zf.write(database, "records.sqlite3")
            root = db.files_dir()
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.is_file():
                        zf.write(
                            path,
                            f"files/{path.relative_to(root)}",
                            compress_type=zipfile.ZIP_STORED,
                        )
    except OSError as exc:
        raise OutputError(
            out,
            _("cannot write the backup ({strerror})").format(strerror=exc.strerror),
            _("choose another FILE"),
        ) from None


def restore(store_url: str, backup_file: str | Path) -> dict[str, Any]:
    """Replace the whole store at ``store_url`` with ``backup_file``; returns its manifest.

    Raises:
        InputError: the file is missing or not a posture_cam backup.
        DatabaseError: the backup's schema is newer than this version, or the store is
            unusable (a corrupt SQLite store is moved aside instead).
    """
    backup_file = Path(backup_file)
    with tempfile.TemporaryDirectory(prefix="posture_cam_restore_") as tmp:
        manifest = _extract(backup_file, Path(tmp))
        source = db.create(f"sqlite:///{Path(tmp) / 'records.sqlite3'}")
        try:
            with db.translate_errors(str(backup_file)):
                db.migrate(source)  # refuses a newer schema; upgrades an older one
            target = _open_target(store_url)
            try:
                with db.translate_errors(store_url):
                    copy_rows(source, target)
            finally:
                target.dispose()
        finally:
            source.dispose()
        _swap_files(Path(tmp) / "files")
    return manifest


def _extract(backup_file: Path, tmp: Path) -> dict[str, Any]:
    if not backup_file.is_file():
        raise InputError(backup_file, _("no such backup file"), _("check the path"))
    try:
        with zipfile.ZipFile(backup_file) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            if manifest.get("format") != BACKUP_FORMAT:
                raise KeyError("format")
            for name in zf.namelist():
                target = (tmp / name).resolve()
                if tmp.resolve() not in target.parents:
                    raise KeyError(name)  # a path leaving the folder: not ours
            zf.extractall(tmp)
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise InputError(
            backup_file,
            _("not a posture_cam records backup"),
            _("use a file made by `posture-cam backup`"),
        ) from None
    return manifest


def _open_target(store_url: str) -> Engine:
    try:
        return db.open_engine(store_url)
    except DatabaseError as exc:
        if not store_url.startswith("sqlite") or "corrupt" not in str(exc):
            raise
    from sqlalchemy.engine import make_url

    database = make_url(store_url).database
    if not database:  # in-memory: no file to move aside
        return db.open_engine(store_url)
    path = Path(database)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{path}{suffix}")
        if old.exists():
            os.replace(old, Path(f"{path}.corrupt-{stamp}{suffix}"))
    return db.open_engine(store_url)


def _swap_files(new_files: Path) -> None:
    root = db.files_dir()
    db.ensure_private_dir(root.parent)
    old = root.with_name(f".files-old-{os.getpid()}")
    if root.exists():
        os.replace(root, old)
    if new_files.is_dir():
        shutil.copytree(new_files, root)
    else:
        root.mkdir()
    for path in [root, *root.rglob("*")]:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(old)
