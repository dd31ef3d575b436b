"""Run independent tasks in a pool of worker processes, results in task order.

Used by ``posture-cam analyze --jobs N``: MediaPipe runs one inference at a time per
process, so a batch on one process leaves the other cores idle.

Workers are forked from a *fork server* (spawned where there is none, e.g. Windows): a
fresh single-threaded process that imports the ``preload`` modules (the pipeline and
MediaPipe, about 2 s of CPU) once and forks each worker from that clean state, so no
worker pays the imports again and none inherits a thread or a lock (MediaPipe and
OpenCV start theirs only when a model or a video is opened, in the worker; numpy's
OpenBLAS is kept to one thread in the server for this). :func:`start_early` starts the
server while the caller is still loading its own modules. Workers ignore Ctrl+C; the
parent catches it, terminates every worker and waits for them, so no orphaned worker
keeps running.

Scheduling: the pool starts once and each worker runs the initializer once. Tasks are
handed out longest first (by the caller's cost estimate), one at a time, so a long
video that comes last in the input does not run alone at the end while the other cores
idle; results are still yielded in input order, each as soon as it and every task
before it are done.

Stderr: only the parent writes to the user's terminal. A worker's file descriptor 2
points at a private temporary file, so what native code writes there (FFmpeg's "moov
atom not found", OpenCV's decoder warnings, MediaPipe's logs) comes back with the task's
result and the parent writes it, in input order, before it yields that result. Native
libraries write a line in pieces (FFmpeg: "[mov @ 0x..] ", then the message), so a
worker writing to the terminal itself could split the parent's error lines.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from posture_cam.i18n import current_language, set_language
from posture_cam.runtime import fork_server

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def start_early(preload: Sequence[str]) -> None:
    """Start the fork server now, importing ``preload`` (module names) once, so that it
    is ready when :func:`run_in_processes` needs workers. Call it as soon as a batch is
    known to need a pool, before the caller's own slow imports; a no-op without fork
    server or when one already runs (its preload stays)."""
    fork_server.start(preload)


def _init(initializer: Callable[..., None], args: tuple[Any, ...], language: str) -> None:
    # Ctrl+C reaches the whole process group; only the parent acts on it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _capture_stderr()
    set_language(language)  # a new worker starts in English: messages in the parent's
    initializer(*args)


#: In a worker: the temporary file its fd 2 points at, and the inherited stderr.
_captured: tuple[int, int] | None = None


def _capture_stderr() -> None:
    global _captured
    try:
        with tempfile.TemporaryFile() as file:
            fd = os.dup(file.fileno())
        inherited = os.dup(2)
    except OSError:  # no writable temp folder: stderr stays shared
        return
    os.dup2(fd, 2)
    _captured = (fd, inherited)


def _take_stderr() -> bytes:
    """What this worker wrote to fd 2 since the last call (b"" when not captured)."""
    sys.stderr.flush()
    if _captured is None:
        return b""
    fd = _captured[0]
    os.lseek(fd, 0, os.SEEK_SET)  # fd 2 shares this offset (dup2)
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    return b"".join(chunks)


def _indexed(work: Callable[[T], R], item: tuple[int, T]) -> tuple[int, R, bytes]:
    index, task = item
    try:
        result = work(task)
    except BaseException:
        if _captured is not None:  # the task's native messages may explain it
            os.write(_captured[1], _take_stderr())
        raise
    return index, result, _take_stderr()


def _relay(text: bytes) -> None:
    if text:
        sys.stderr.write(text.decode(errors="replace"))
        sys.stderr.flush()


def longest_first(costs: Sequence[float]) -> list[int]:
    """Task indices by descending cost; equal costs keep their input order."""
    return sorted(range(len(costs)), key=lambda i: -costs[i])


def run_in_processes(
    work: Callable[[T], R],
    tasks: Sequence[T],
    processes: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
    costs: Sequence[float] | None = None,
    preload: Sequence[str] = (),
) -> Iterator[R]:
    """Yield ``work(task)`` for every task, in task order, from ``processes`` workers.

    Args:
        work: module-level function (spawned workers import it), run once per task.
        tasks: picklable task arguments.
        processes: worker processes to start.
        initializer: module-level function; ``initializer(*initargs)`` runs once in
            each worker before its first task.
        initargs: arguments of ``initializer``.
        costs: estimated run time of each task (any unit); the costliest start first.
            None: in task order.
        preload: modules the fork server imports once for every worker (see
            :func:`start_early`); ``work``'s module at least.

    An exception in ``work`` is raised here; on that, on Ctrl+C or when the caller stops
    early, the workers are terminated and joined.
    """
    order = longest_first(costs) if costs is not None else list(range(len(tasks)))
    start_early(preload)
    context = fork_server.context()
    pool = context.Pool(
        processes, initializer=_init, initargs=(initializer, initargs, current_language())
    )
    finished = False
    try:
        done: dict[int, tuple[R, bytes]] = {}
        next_index = 0
        # chunksize 1: inputs take very different times (a photo vs a long video).
        for index, result, stderr in pool.imap_unordered(
            functools.partial(_indexed, work), ((i, tasks[i]) for i in order), chunksize=1
        ):
            done[index] = result, stderr
            while next_index in done:
                result, stderr = done.pop(next_index)
                _relay(stderr)
                yield result
                next_index += 1
        finished = True
    finally:
        if finished:
            pool.close()
        else:
            pool.terminate()
        pool.join()
