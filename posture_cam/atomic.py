"""All-or-nothing file output: the one helper every writer in posture_cam uses.

A write goes to a temporary file in the target's folder, is flushed to disk (fsync),
optionally *verified* (an image decodes, a video re-opens with the right frame count),
and only then renamed over the target. A crash, a full disk or a failed check leaves
the previous file untouched. Several files (a snapshot PNG and its JSON) are written
as a group: every part is written and verified before the first rename.

Temporary names are ``.<name>.<pid>.<random>.partial<suffix>``: hidden, marked
``.partial`` (``analyze DIR`` skips them, see :func:`is_temp_name`), ending in the
target's suffix (OpenCV picks a video container by it), and carrying the
writer's process id so that :func:`remove_stale_temps` can delete what a killed run
left behind without touching a live writer's file.

Patient files are private: files are created 0600 and folders 0700 whatever the umask
(``private=False`` gives the umask's usual 0644 / 0755, for models and print targets).
Every OS failure (disk full, read-only, permission, a folder in the way) becomes an
:class:`~posture_cam.errors.OutputError` naming the path and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from posture_cam.errors import OutputError
from posture_cam.i18n import N_, _

TEMP_SUFFIX = ".partial"
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700

#: A check run on the finished temporary file before it replaces the target; it raises
#: (any exception) or returns a problem text when the file is not good.
Verifier = Callable[[Path], "str | None"]


def is_temp_name(name: str) -> bool:
    """True for the names this module gives its temporary files (never an input)."""
    return name.startswith(".") and TEMP_SUFFIX in name


def temp_path_for(target: Path) -> Path:
    """A fresh temporary path next to ``target`` (same folder, so rename is atomic)."""
    tag = f"{os.getpid()}.{secrets.token_hex(4)}"
    return target.with_name(f".{target.name}.{tag}{TEMP_SUFFIX}{target.suffix}")


def _umask() -> int:
    """The process's umask, read without changing it where the OS tells it.

    ``os.umask`` can only read the mask by setting another: for that moment, a file
    another thread creates gets mode 0666 / 0777. Linux (4.7 and later) shows the mask
    in ``/proc/self/status``; elsewhere it is set and put back at once.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)  # the brief other mask is a private one, never a wider one
    os.umask(mask)
    return mask


def file_mode(private: bool, mode: int | None = None) -> int:
    """An explicit ``mode`` wins; else 0600 when ``private``, else what the umask gives."""
    if mode is not None:
        return mode
    return PRIVATE_FILE_MODE if private else 0o666 & ~_umask()


def ensure_dir(folder: str | Path, *, private: bool = True) -> Path:
    """Create ``folder`` (and missing parents) as 0700 when ``private``.

    Folders that already exist keep their mode: the user chose them.

    Raises:
        OutputError: it cannot be created (read-only, permission, a file in the way).
    """
    folder = Path(folder)
    missing = []
    p = folder
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if private:
            for created in missing:
                os.chmod(created, PRIVATE_DIR_MODE)
    except OSError as exc:
        raise output_error(folder, exc) from None
    if not folder.is_dir():
        raise OutputError(
            folder, _("exists and is not a folder"), _("choose another output folder")
        )
    return folder


def output_error(path: str | Path, exc: OSError) -> OutputError:
    """The user-facing error for an OS failure while writing ``path``."""
    problem, hint = _WRITE_PROBLEMS.get(exc.errno or 0, ("", N_("check the output path")))
    return OutputError(
        path,
        _("cannot write: {problem}").format(problem=_(problem) if problem else exc.strerror or exc),
        _(hint),
    )


#: errno -> (problem, what to do), translated at use.
_WRITE_PROBLEMS = {
    errno.ENOSPC: (N_("the disk is full"), N_("free some space or write to another disk")),
    errno.EDQUOT: (N_("the disk quota is exceeded"), N_("free some space or write elsewhere")),
    errno.EROFS: (N_("the disk is read-only"), N_("write to another folder")),
    errno.EACCES: (N_("permission denied"), N_("write to a folder you may write to")),
    errno.EPERM: (N_("permission denied"), N_("write to a folder you may write to")),
    errno.EISDIR: (N_("a folder with this name is in the way"), N_("remove or rename it")),
    errno.ENOTDIR: (N_("a file is in the way of the folder"), N_("choose another output path")),
    errno.EEXIST: (N_("a file is in the way of the folder"), N_("choose another output path")),
    errno.ENAMETOOLONG: (N_("the name is too long"), N_("choose a shorter output path")),
}


def _refuse_special(target: Path) -> None:
    """A device (``/dev/full``), pipe or socket at ``target`` must not be renamed over:
    that would replace it with a plain file. A folder is refused by the rename itself."""
    try:
        st = os.stat(target)
    except OSError:
        return  # nothing there yet (or unreadable: the write says why)
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise OutputError(
            target,
            _("cannot write: it is not a regular file (a device, pipe or socket)"),
            _("name a file instead"),
        )


def _fsync_dir(folder: Path) -> None:
    # The rename itself must reach the disk; not possible (nor needed) on Windows.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _verify(tmp: Path, target: Path, verify: Verifier | None) -> None:
    if verify is None:
        return
    try:
        problem = verify(tmp)
    except Exception as exc:  # a verifier failing to read the file is a failed check
        problem = str(exc) or type(exc).__name__
    if problem:
        raise OutputError(
            target,
            _(
                "the written file did not check out ({problem}); the previous file is unchanged"
            ).format(problem=problem),
            _("check free disk space and try again"),
        )


class _Pending:
    """One finished temporary file waiting to be renamed over its target."""

    def __init__(self, target: Path, private: bool, mode: int | None = None) -> None:
        _refuse_special(target)
        self.target = target
        self.tmp = temp_path_for(target)
        self.private = private
        self.mode = mode

    def finish(self, verify: Verifier | None) -> None:
        """fsync (the caller closed it), fix the mode, verify."""
        try:
            fd = os.open(self.tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(self.tmp, file_mode(self.private, self.mode))
        except OSError as exc:
            raise output_error(self.target, exc) from None
        _verify(self.tmp, self.target, verify)

    def commit(self) -> None:
        try:
            os.replace(self.tmp, self.target)
        except OSError as exc:
            raise output_error(self.target, exc) from None

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


@contextlib.contextmanager
def atomic_path(
    path: str | Path,
    *,
    verify: Verifier | None = None,
    private: bool = True,
    mode: int | None = None,
) -> Iterator[Path]:
    """Yield a temporary path to write ``path`` through (for writers that want a file
    name, like ``cv2.VideoWriter``); on success it is verified and renamed into place.

    Raises:
        OutputError: the folder or file cannot be written, or the check failed.
    """
    target = Path(path)
    ensure_dir(target.parent, private=private)
    pending = _Pending(target, private, mode)
    try:
        yield pending.tmp
        if not pending.tmp.is_file():
            raise OutputError(target, _("cannot write: nothing was written"), _("check the path"))
        pending.finish(verify)
        pending.commit()
    except OSError as exc:
        pending.discard()
        raise output_error(target, exc) from None
    except BaseException:
        pending.discard()
        raise
    _fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_open(
    path: str | Path,
    *,
    verify: Verifier | None = None,
    private: bool = True,
    mode: int | None = None,
) -> Iterator[BinaryIO]:
    """Open a temporary binary file for ``path``; on success verify and rename it.

    ``mode`` (e.g. ``0o600``) overrides ``private`` and is set before any byte is written.
    """
    with atomic_path(path, verify=verify, private=private, mode=mode) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode(private, mode))
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()


def write_bytes_atomic(
    path: str | Path,
    data: bytes,
    *,
    verify: Verifier | None = None,
    private: bool = True,
    mode: int | None = None,
) -> Path:
    with atomic_open(path, verify=verify, private=private, mode=mode) as fh:
        fh.write(data)
    return Path(path)


def write_text_atomic(path: str | Path, text: str, *, private: bool = True) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"), private=private)


def json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode()


def write_json_atomic(path: str | Path, obj: Any, *, private: bool = True) -> Path:
    return write_bytes_atomic(path, json_bytes(obj), private=private)


def write_group_atomic(
    files: Mapping[str | Path, bytes],
    *,
    verify: Mapping[str | Path, Verifier] | None = None,
    private: bool = True,
) -> list[Path]:
    """Write several files all-or-nothing (e.g. a snapshot PNG and its JSON sidecar).

    Every part is written, fsynced and verified before the first rename; if a rename
    fails, the parts already renamed are removed again (they are new files) so that no
    half pair is left.

    Raises:
        OutputError: a part could not be written or checked; nothing was renamed.
    """
    verify = {Path(k): v for k, v in (verify or {}).items()}
    pendings: list[_Pending] = []
    committed: list[_Pending] = []
    try:
        for path, data in files.items():
            target = Path(path)
            ensure_dir(target.parent, private=private)
            pending = _Pending(target, private)
            pendings.append(pending)
            try:
                fd = os.open(pending.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
            except OSError as exc:
                raise output_error(target, exc) from None
            pending.finish(verify.get(target))
        for pending in pendings:
            pending.commit()
            committed.append(pending)
    except BaseException:
        for pending in pendings:
            pending.discard()
        for pending in committed:
            with contextlib.suppress(OSError):
                os.unlink(pending.target)
        raise
    for folder in {p.target.parent for p in pendings}:
        _fsync_dir(folder)
    return [p.target for p in pendings]


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but belongs to someone else: leave it alone
    return True


def remove_stale_temps(folder: str | Path) -> list[Path]:
    """Delete temporary files (and folders) that a killed writer left in ``folder``.

    Only names made by :func:`temp_path_for` whose process is gone are removed.
    Returns the removed paths.
    """
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not is_temp_name(entry.name):
            continue
        parts = entry.name.rsplit(TEMP_SUFFIX, 1)[0].split(".")
        try:
            pid = int(parts[-2])
        except (IndexError, ValueError):
            continue
        if not _pid_alive(pid):
            with contextlib.suppress(OSError):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                removed.append(entry)
    return removed
