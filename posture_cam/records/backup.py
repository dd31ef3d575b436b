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

import datetime as dt
import errno
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, text
from sqlalchemy import exc as sa_exc

from posture_cam.atomic import (
    PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE,
    atomic_open,
    output_error,
    remove_stale_temps,
    temp_path_for,
)
from posture_cam.errors import InputError, OutputError
from posture_cam.i18n import _
from posture_cam.records import db
from posture_cam.records.errors import DatabaseError
from posture_cam.records.models import Base

BACKUP_FORMAT = "posture_cam.records.backup/1"


def _tables():
    return Base.metadata.sorted_tables  # parents before children


def copy_rows(src: Engine, dst: Engine) -> dict[str, int]:
    """Replace every row of ``dst`` with those of ``src`` in one transaction on ``dst``.

    Ids are copied as they are. Each table's next id is then above every id either
    database had given (``src``'s and ``dst``'s high-water marks: SQLite's
    ``sqlite_sequence``, PostgreSQL's sequence) and above every row copied, so that an
    id a report, an export or a note named is never given to another row: restoring a
    backup made after ``visit remove`` of the newest visit, or restoring an older backup
    over a store that had gone further, gave an old visit's id to the next visit.
    """
    counts = {}
    with src.connect() as sconn, dst.begin() as dconn:
        given = {t.name: max(_high_water(sconn, t), _high_water(dconn, t)) for t in _tables()}
        for table in reversed(_tables()):
            dconn.execute(delete(table))
        for table in _tables():
            rows = [dict(r._mapping) for r in sconn.execute(select(table))]
            if rows:
                dconn.execute(insert(table), rows)
            counts[table.name] = len(rows)
        for table in _tables():
            _set_high_water(dconn, table, max(given[table.name], _max_id(dconn, table)))
    return counts


def _max_id(conn: Connection, table: Table) -> int:
    return int(conn.scalar(select(func.max(table.c.id))) or 0)


def _sqlite_sequence(conn: Connection) -> bool:
    """True when the SQLite database has ``sqlite_sequence`` (tables with AUTOINCREMENT,
    revision 0006 on)."""
    return bool(
        conn.scalar(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n"),
            {"n": "sqlite_sequence"},
        )
    )


def _pg_sequence(conn: Connection, table: Table) -> str | None:
    return conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})


def _high_water(conn: Connection, table: Table) -> int:
    """The largest id ``table`` has ever given (or holds): SQLite's ``sqlite_sequence``,
    PostgreSQL's sequence (the last value taken), else the largest id it holds."""
    highest = _max_id(conn, table)
    if conn.dialect.name == "sqlite" and _sqlite_sequence(conn):
        seq = conn.scalar(
            text("SELECT seq FROM sqlite_sequence WHERE name = :n"), {"n": table.name}
        )
        highest = max(highest, int(seq or 0))
    elif conn.dialect.name == "postgresql":
        sequence = _pg_sequence(conn, table)
        if sequence:
            last, called = conn.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
            highest = max(highest, int(last) if called else int(last) - 1)
    return highest


def _set_high_water(conn: Connection, table: Table, highest: int) -> None:
    """Make ``table`` give ``highest + 1`` as its next id (ids are inserted explicitly
    by :func:`copy_rows`)."""
    if conn.dialect.name == "sqlite" and _sqlite_sequence(conn):
        params = {"n": table.name, "seq": highest}
        done = conn.execute(text("UPDATE sqlite_sequence SET seq = :seq WHERE name = :n"), params)
        if not done.rowcount and highest:
            conn.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:n, :seq)"), params)
    elif conn.dialect.name == "postgresql":
        sequence = _pg_sequence(conn, table)
        if sequence:
            conn.execute(text("SELECT setval(:s, :v, false)"), {"s": sequence, "v": highest + 1})


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


#: SQLite result codes that mean the temporary copy cannot be written -> errno.
_COPY_ERRNO = {
    sqlite3.SQLITE_FULL: errno.ENOSPC,
    sqlite3.SQLITE_READONLY: errno.EROFS,
    sqlite3.SQLITE_CANTOPEN: errno.EACCES,
}


def _sqlite_online_backup(engine: Engine, copy: Path) -> None:
    """Copy the store into ``copy`` (SQLite's online backup). A copy that cannot be
    written (the temporary folder full or read-only) is an OutputError; a store that
    cannot be read goes to ``db.translate_errors`` (locked, corrupt)."""
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
    except sqlite3.Error as exc:
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code in _COPY_ERRNO:
            raise output_error(copy, OSError(_COPY_ERRNO[code], str(exc))) from None
        raise sa_exc.OperationalError(None, None, exc) from None
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

    All or nothing: the backup's images are first unpacked beside the records' image
    folder (0700 / 0600 from the first byte), then the rows are replaced in one
    transaction, and only then is the new folder renamed into place. A full or read-only
    disk, or a refused database, leaves the store and its images as they were.

    Raises:
        InputError: the file is missing or not a posture_cam backup.
        OutputError: the backup's images (or its database, in the temporary folder)
            cannot be unpacked: disk full, read-only.
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
            staged = _stage_files(backup_file)
            try:
                target = _open_target(store_url)
                try:
                    with db.translate_errors(store_url):
                        copy_rows(source, target)
                finally:
                    target.dispose()
            except BaseException:
                shutil.rmtree(staged, ignore_errors=True)
                raise
        finally:
            source.dispose()
        _swap_files(staged)
    return manifest


def _extract(backup_file: Path, tmp: Path) -> dict[str, Any]:
    """Check ``backup_file`` and unpack its database into ``tmp``; its manifest."""
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
            try:
                zf.extract("records.sqlite3", tmp)
            except OSError as exc:  # the temporary folder is full or read-only
                raise output_error(tmp / "records.sqlite3", exc) from None
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise InputError(
            backup_file,
            _("not a posture_cam records backup"),
            _("use a file made by `posture-cam backup`"),
        ) from None
    return manifest


def _stage_files(backup_file: Path) -> Path:
    """Unpack the backup's ``files/`` into a new hidden folder beside the image folder
    (same disk, so that it can be renamed into place); folders 0700, files 0600 from
    the first byte, each fsynced. Returns the folder.

    Raises:
        OutputError: it cannot be written (disk full, read-only); nothing is left.
    """
    root = db.files_dir()
    db.ensure_private_dir(root.parent)
    remove_stale_temps(root.parent)  # what a killed restore left behind
    staged = temp_path_for(root)
    try:
        staged.mkdir(mode=PRIVATE_DIR_MODE)
        os.chmod(staged, PRIVATE_DIR_MODE)
        with zipfile.ZipFile(backup_file) as zf:
            for info in zf.infolist():
                if not info.filename.startswith("files/") or info.is_dir():
                    continue
                path = staged / info.filename.removeprefix("files/")
                if staged.resolve() not in path.resolve().parents:
                    raise InputError(
                        backup_file,
                        _("not a posture_cam records backup"),
                        _("use a file made by `posture-cam backup`"),
                    )
                folder = staged
                for part in path.parent.relative_to(staged).parts:
                    folder = folder / part
                    if not folder.is_dir():
                        folder.mkdir(mode=PRIVATE_DIR_MODE)
                        os.chmod(folder, PRIVATE_DIR_MODE)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
                with os.fdopen(fd, "wb") as out, zf.open(info) as member:
                    shutil.copyfileobj(member, out)
                    out.flush()
                    os.fsync(out.fileno())
    except OSError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise output_error(root, exc) from None
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


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
            try:
                os.replace(old, Path(f"{path}.corrupt-{stamp}{suffix}"))
            except OSError as exc:  # a read-only folder
                raise output_error(old, exc) from None
    return db.open_engine(store_url)


def _swap_files(staged: Path) -> None:
    """Rename the unpacked folder into place; the old images go only after."""
    root = db.files_dir()
    old = temp_path_for(root)
    try:
        if root.exists():
            os.replace(root, old)
        try:
            os.replace(staged, root)
        except OSError:
            if old.exists():
                os.replace(old, root)
            raise
    except OSError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise output_error(root, exc) from None
    shutil.rmtree(old, ignore_errors=True)
