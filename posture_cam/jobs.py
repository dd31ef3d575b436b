"""Run independent tasks in a pool of spawned worker processes, results in task order.

Used by ``posture-cam analyze --jobs N``: MediaPipe runs one inference at a time per
process, so a batch on one process leaves the other cores idle. Workers are *spawned*
(not forked: a fork would copy MediaPipe's and OpenCV's threads and locks in whatever
state they were) and ignore Ctrl+C; the parent catches it, terminates every worker and
waits for them, so no orphaned worker keeps running.

Scheduling: the pool starts once and each worker runs the initializer once (the pose
model and its libraries load there, not per task). Tasks are handed out longest first
(by the caller's cost estimate), one at a time, so a long video that comes last in the
input does not run alone at the end while the other cores idle; results are still
yielded in input order, each as soon as it and every task before it are done.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from posture_cam.i18n import current_language, set_language

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _init(initializer: Callable[..., None], args: tuple[Any, ...], language: str) -> None:
    # Ctrl+C reaches the whole process group; only the parent acts on it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_language(language)  # a spawned worker starts in English: messages in the parent's
    initializer(*args)


def _indexed(work: Callable[[T], R], item: tuple[int, T]) -> tuple[int, R]:
    index, task = item
    return index, work(task)


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

    An exception in ``work`` is raised here; on that, on Ctrl+C or when the caller stops
    early, the workers are terminated and joined.
    """
    order = longest_first(costs) if costs is not None else list(range(len(tasks)))
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(
        processes, initializer=_init, initargs=(initializer, initargs, current_language())
    )
    finished = False
    try:
        done: dict[int, R] = {}
        next_index = 0
        # chunksize 1: inputs take very different times (a photo vs a long video).
        for index, result in pool.imap_unordered(
            functools.partial(_indexed, work), ((i, tasks[i]) for i in order), chunksize=1
        ):
            done[index] = result
            while next_index in done:
                yield done.pop(next_index)
                next_index += 1
        finished = True
    finally:
        if finished:
            pool.close()
        else:
            pool.terminate()
        pool.join()
