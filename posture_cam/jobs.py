"""Run independent tasks in a pool of spawned worker processes, results in task order.

Used by ``posture-cam analyze --jobs N``: MediaPipe runs one inference at a time per
process, so a batch on one process leaves the other cores idle. Workers are *spawned*
(not forked: a fork would copy MediaPipe's and OpenCV's threads and locks in whatever
state they were) and ignore Ctrl+C; the parent catches it, terminates every worker and
waits for them, so no orphaned worker keeps running.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _init(initializer: Callable[..., None], args: tuple[Any, ...]) -> None:
    # Ctrl+C reaches the whole process group; only the parent acts on it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*args)


def run_in_processes(
    work: Callable[[T], R],
    tasks: Sequence[T],
    processes: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """Yield ``work(task)`` for every task, in task order, from ``processes`` workers.

    ``work`` and ``initializer`` must be module-level functions (spawned workers import
    them); ``initializer(*initargs)`` runs once in each worker. An exception in ``work``
    is raised here; on that, on Ctrl+C or when the caller stops early, the workers are
    terminated and joined.
    """
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(processes, initializer=_init, initargs=(initializer, initargs))
    finished = False
    try:
        # chunksize 1: inputs take very different times (a photo vs a long video).
        yield from pool.imap(work, tasks, chunksize=1)
        finished = True
    finally:
        if finished:
            pool.close()
        else:
            pool.terminate()
        pool.join()
