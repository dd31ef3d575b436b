"""The multiprocessing fork server that the batch pool and the live pose model share.

Child processes are forked from a *fork server*: a fresh single-threaded process that
imported the ``preload`` modules once (MediaPipe, the pipeline: seconds of CPU), so a
child starts without paying the imports and never inherits a thread or a lock of the
(threaded) caller. Where there is none (Windows) children are spawned. One server
serves a whole process: the first :func:`start` decides what it preloads; later
callers use it as it is (a child then imports what is missing itself).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from typing import Any


def context() -> Any:
    """The ``forkserver`` multiprocessing context, or ``spawn`` where there is none."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def start(preload: Sequence[str]) -> Any:
    """Start the fork server (if none runs yet) importing ``preload`` once.

    Blocks only while the server process is launched, not while it imports.

    Returns:
        The context to create processes with (see :func:`context`).
    """
    ctx = context()
    if ctx.get_start_method() != "forkserver":
        return ctx
    from multiprocessing import forkserver

    if getattr(forkserver._forkserver, "_forkserver_pid", None) is not None:
        return ctx  # already running: its preload stays
    ctx.set_forkserver_preload(list(preload))
    # numpy starts OpenBLAS threads at import; a process that forks must have none.
    saved = os.environ.get("OPENBLAS_NUM_THREADS")
    os.environ["OPENBLAS_NUM_THREADS"] = saved or "1"
    try:
        forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["OPENBLAS_NUM_THREADS"]
    return ctx
