"""Where the records database lives, how it is opened, and its migrations.

* Default: SQLite at ``<user data dir>/records/records.sqlite3`` (``posture_cam.paths``),
  file mode 0600 in a 0700 folder, WAL journal, foreign keys ON, 5 s busy timeout.
* ``POSTURE_CAM_DATABASE_URL`` (e.g. ``postgresql+psycopg://user:pw@server/posture``)
  points every workstation of a practice at one server. Image files still live under
  the data dir (``records/files``); point ``POSTURE_CAM_DATA_DIR`` at a shared folder
  when several workstations share a server.

:func:`open_engine` applies the Alembic migrations shipped in
``posture_cam/records/migrations`` on every open (an empty store gets the whole schema,
an older one is upgraded) and refuses a database whose schema is newer than this
version knows. Database failures become one-line :class:`DatabaseError` s.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy import exc as sa_exc

from posture_cam import paths
from posture_cam.i18n import _
from posture_cam.records.errors import DatabaseError

DATABASE_URL_ENV = "POSTURE_CAM_DATABASE_URL"
MIGRATIONS = "posture_cam.records:migrations"


def records_dir() -> Path:
    """Folder of the SQLite database and of every image file of the records."""
    return paths.user_data_dir() / "records"


def files_dir() -> Path:
    return records_dir() / "files"


def database_url() -> str:
    """``POSTURE_CAM_DATABASE_URL`` or the SQLite file in :func:`records_dir`."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    return f"sqlite:///{records_dir() / 'records.sqlite3'}"


def describe(url: str) -> str:
    """What to name in a message: an SQLite store's file path (the thing a user can
    move, restore or delete), else the URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        return "the database URL"
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return str(parsed.database)
    return parsed.render_as_string(hide_password=True)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents as 0700, and make ``path`` 0700 when it
    existed with another mode (it holds patient records). Parents that existed keep
    their mode: the user chose them. (Before, the missing parents got the umask's 0755:
    the records folder above the PostgreSQL store's ``files`` folder, and the data
    folder.) A folder that is 0700 already is left alone, so that a read-only disk or a
    folder of another user that needs no change is no error.

    Raises:
        OutputError: ``path`` cannot be created or made private (read-only disk, a
            folder of another user, a file in the way); exit 9.
    """
    from posture_cam.atomic import ensure_dir, output_error

    ensure_dir(path, private=True)
    try:
        if stat.S_IMODE(path.stat().st_mode) != 0o700:
            os.chmod(path, 0o700)
    except OSError as exc:
        raise output_error(path, exc) from None
    return path


def _prepare_sqlite_file(url: str) -> Callable[[], sqlite3.Connection] | None:
    """Make the SQLite file's folder private and create the file 0600 when missing.

    A store that exists in a folder this process cannot write (a read-only disk, a
    folder of another user) is opened read-only instead: its records can be listed,
    shown, exported and backed up; a change is refused by SQLite (exit 8). Returns the
    function that opens such a connection, else None.

    Raises:
        OutputError: the folder or the file cannot be created (exit 9).
        DatabaseError: the read-only store was not closed cleanly (exit 8).
    """
    from sqlalchemy.engine import make_url

    from posture_cam.atomic import output_error

    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    db_path = Path(database)
    if db_path.is_file() and not os.access(db_path.parent, os.W_OK):
        return _read_only_connect(db_path, url)
    ensure_private_dir(db_path.parent)
    if not db_path.exists():
        # Created here with 0600 so that SQLite (which gives -wal and -shm files the
        # database file's mode) never makes a world-readable patient file.
        try:
            os.close(os.open(db_path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as exc:
            raise output_error(db_path, exc) from None
    return None


def _read_only_connect(db_path: Path, url: str) -> Callable[[], sqlite3.Connection]:
    """Open a store in a folder that cannot be written. SQLite cannot open a WAL
    database read-only without its ``-shm`` file, which it cannot create there
    ("unable to open database file"). With no changes waiting in a ``-wal`` file (a
    store closed cleanly) the file is opened ``immutable``: SQLite reads it without
    ``-shm`` or locks. With changes waiting, and the ``-shm`` file there too, it is
    opened ``mode=ro`` (reads the ``-wal``); without ``-shm`` it cannot be read here."""
    wal = Path(f"{db_path}-wal")
    waiting = wal.is_file() and wal.stat().st_size > 0
    if waiting and not Path(f"{db_path}-shm").is_file():
        raise DatabaseError(
            _(
                "{url}: the records database is in a folder that cannot be written and was "
                "not closed cleanly (its -wal file holds changes): open it once where it "
                "can be written, or copy the records folder to such a disk"
            ).format(url=describe(url))
        )
    uri = f"file:{urllib.parse.quote(str(db_path))}?" + ("mode=ro" if waiting else "immutable=1")
    return lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)


#: How long a SQLite writer waits for another one before "database is locked".
BUSY_TIMEOUT_S = 5.0


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite's own implicit transactions are switched off so that SQLAlchemy's BEGIN
    # (below) makes a visit one real transaction (recipe of the SQLAlchemy SQLite docs).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={round(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(conn) -> None:
    # IMMEDIATE: the write lock is taken at BEGIN, where SQLite waits busy_timeout (5 s)
    # for another writer. A deferred BEGIN that reads and then writes while another
    # connection writes gets "database is locked" at once, without waiting (SQLite
    # cannot wait there without risking a deadlock): a second `patients add` failed in
    # 0.0 s while the app saved a visit. Readers are not blocked (WAL).
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def create(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`database_url`) without migrating."""
    url = url or database_url()
    try:
        if url.startswith("sqlite"):
            read_only = _prepare_sqlite_file(url)
            engine = create_engine(url, creator=read_only) if read_only else create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (sa_exc.ArgumentError, ImportError, ValueError) as exc:
        raise DatabaseError(
            _("{url}: cannot use this database URL ({exc}); check {DATABASE_URL_ENV}").format(
                url=describe(url), exc=exc, DATABASE_URL_ENV=DATABASE_URL_ENV
            )
        ) from None


@contextlib.contextmanager
def translate_errors(url: str) -> Iterator[None]:
    """Turn driver errors into one :class:`DatabaseError` line naming the database."""
    try:
        yield
    except sa_exc.OperationalError as exc:
        raise DatabaseError(
            _("{url}: {exc}").format(url=describe(url), exc=_explain(exc, url))
        ) from None
    except sa_exc.DatabaseError as exc:
        raise DatabaseError(
            _("{url}: {exc}").format(url=describe(url), exc=_explain(exc, url))
        ) from None


#: Less free space than this on the SQLite store's disk makes a "disk I/O error" a full
#: disk: SQLite's shared-memory file (``-shm``, 32 KiB) could not grow. No file left to
#: create (inodes) makes "unable to open database file" one: the -wal could not be made.
NEARLY_FULL_BYTES = 1 << 20


def _explain(exc: sa_exc.DBAPIError, url: str | None = None) -> str:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return _(
            "database is locked by another program (close the other posture-cam window "
            "or wait, then try again)"
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return _(
            "the database file is corrupt (restore it with `posture-cam restore BACKUP` or "
            "move the file away to start an empty store)"
        )
    # A statement that fails rolls its whole transaction back: nothing was changed.
    if (
        "database or disk is full" in low
        or "no space left" in low
        or (("disk i/o error" in low or "unable to open" in low) and _nearly_full(url))
    ):
        return _("the disk is full: free some space and try again (nothing was changed)")
    if "readonly database" in low:
        return _(
            "the records are on a disk or in a folder that cannot be written: they can be "
            "read, not changed (nothing was changed)"
        )
    if "unable to open database file" in low:
        return _(
            "cannot open the records database: check that the folder exists and can be written"
        )
    if "connection" in low or "could not" in low:
        return _("cannot reach the database server ({error})").format(error=text)
    return text


def _nearly_full(url: str | None) -> bool:
    """True when the SQLite store at ``url`` is on a disk with almost no space left, or
    on which no file can be created any more."""
    from sqlalchemy.engine import make_url

    try:
        database = make_url(url or "").database
    except sa_exc.ArgumentError:
        return False
    if not database or database == ":memory:":
        return False
    folder = Path(database).parent
    try:
        if shutil.disk_usage(folder).free < NEARLY_FULL_BYTES:
            return True
        st = os.statvfs(folder) if hasattr(os, "statvfs") else None
    except OSError:
        return False
    return st is not None and st.f_files > 0 and st.f_favail == 0


def head_revision() -> str:
    return _script().get_current_head()


def _script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def _config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    return cfg


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` (default: the newest this version ships).

    Raises:
        DatabaseError: the database holds a revision this version does not know (it was
            written by a newer posture_cam), or it is locked / corrupt / unreachable.
    """
    from alembic import command

    url = engine.url.render_as_string(hide_password=False)
    with translate_errors(url):
        current = current_revision(engine)
        known = {rev.revision for rev in _script().walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseError(
                _(
                    "{url}: the records database has schema revision {current}, newer than "
                    "this posture_cam knows (newest {newest}); update posture_cam to open it"
                ).format(url=describe(url), current=current, newest=head_revision())
            )
        if current is None and _has_foreign_tables(engine):
            raise DatabaseError(
                _(
                    "{url}: this database holds other tables and no posture_cam schema "
                    "version; point POSTURE_CAM_DATABASE_URL at an empty database"
                ).format(url=describe(url))
            )
        cfg = _config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)


def _has_foreign_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
    return bool(names - {"alembic_version"})


def open_engine(url: str | None = None) -> Engine:
    """An engine on the records database, migrated to the newest schema."""
    engine = create(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine
