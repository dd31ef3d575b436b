"""The pose model's own process: the child side of :mod:`posture_cam.pose.process`.

Importing this module applies :mod:`posture_cam.runtime.no_telemetry` and then imports
MediaPipe's pose landmarker (:mod:`posture_cam.pose.mp_tasks`), so that a fork server
that preloads it hands every child a ready MediaPipe that can never phone home.
:func:`serve` is the child's main function: it owns one
:class:`~posture_cam.pose.estimator.PoseEstimator` and answers the parent's requests
on a pipe, one at a time, reading the frames from shared memory.

Requests (tuples, first item the operation) and replies:

* ``("open", options, warm_up_wh)``: (re)create the estimator with these keyword
  arguments and, when ``warm_up_wh`` is a (width, height), run it once on a black
  frame of that size (MediaPipe builds its graph on the first frame: 0.2 s here);
  reply ``("ready", None)`` or an error.
* ``("estimate", shm_name, shape, index, t_ms, source_id, due_s, max_wait_s)``: run
  the model on the uint8 RGB frame in that shared-memory segment (the parent
  converted it from BGR while copying it there); reply
  ``("ok", PoseEstimate, started_s)``, ``started_s`` the ``time.perf_counter()`` at
  which the model took the frame (one clock for both processes on Linux and macOS).
  A stream with ``num_poses > 1`` counts the people in view on a thread beside it
  (:mod:`posture_cam.pose.crowd_counter`): ``people_counted`` is that of the newest
  finished check.

  The parent may send the next frames while the model works on one (it keeps the
  model busy back to back: :class:`~posture_cam.pose.process.ProcessEstimator`). When
  the model is free and more than one frame waits, it takes the newest: each older
  one is answered ``("skipped", None)``, in order. A frame never waits behind an older
  one, and one that waited while a newer came is never worked on. A live stream's
  frames say when they were due (``due_s``, ``time.perf_counter()``) and how long they
  may wait (``max_wait_s``): when the newest waited longer, it is skipped too and the
  model takes the next one, which then meets an idle model (rationed,
  :class:`~posture_cam.runtime.frame_skips.SkipRation`, as the live loop's own
  :mod:`~posture_cam.live.freshness` does; None: never).
* ``("restart",)``: :meth:`PoseEstimator.restart_stream`; reply ``("ok", None)``.
* ``("close",)``: close the landmarker and exit (no reply).

Errors reply ``("error", kind, message)`` with ``kind`` ``model`` (a
:class:`~posture_cam.errors.ModelError`, already one line for the user) or ``bug``.
EOF on the pipe (the parent is gone) also ends the child, and on Linux the kernel kills
it when its parent process dies (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import dataclasses
import os
import signal
import sys
import time
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory
from typing import Any

import cv2
import numpy as np

from posture_cam.runtime import cpu_placement, no_telemetry
from posture_cam.runtime.long_lived import freeze_long_lived

no_telemetry.block()  # before MediaPipe loads: its uploader must never run unblocked
# The fork server preloads this module. Only the pose landmarker's part of MediaPipe
# (pose.mp_tasks: no audio tasks, no matplotlib) comes with it: about 1 s sooner.
from posture_cam.errors import ModelError  # noqa: E402
from posture_cam.i18n import set_language  # noqa: E402
from posture_cam.pose import mp_tasks  # noqa: E402, F401
from posture_cam.pose.crowd_counter import CrowdCounter  # noqa: E402
from posture_cam.pose.estimator import PoseEstimator, quiet_native_stderr  # noqa: E402
from posture_cam.runtime.frame_skips import SkipRation  # noqa: E402
from posture_cam.types import Frame  # noqa: E402

#: prctl(2) option: the signal this process gets when its parent dies.
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: have the kernel SIGKILL this process when its parent process ends."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _attach(name: str) -> SharedMemory:
    """Open the parent's segment. The parent owns and unlinks it; the child shares the
    parent's resource tracker (fork server and spawn pass it on), which unlinks what
    is left only when the parent died without doing so."""
    return SharedMemory(name=name)


class _Server:
    """The child's state: the estimator, its crowd counter and the segments it has opened.

    Args:
        count_cpus: the CPUs for the crowd counter's thread (the app's, when the model
            has a CPU of its own); None: where the OS puts it.
    """

    def __init__(self, count_cpus: frozenset[int] | None = None) -> None:
        self.estimator: PoseEstimator | None = None
        self.crowd: CrowdCounter | None = None
        self.count_cpus = count_cpus
        self.segments: dict[str, SharedMemory] = {}
        self.skips = SkipRation()

    def too_late(self, request: tuple[Any, ...]) -> bool:
        """Whether the model, free now, skips this newest waiting frame (see the
        module's docstring); spends a skip when it does."""
        due_s, max_wait_s = request[6], request[7]
        if due_s is None or max_wait_s is None:
            return False
        self.skips.earn()
        if time.perf_counter() - due_s <= max_wait_s or not self.skips.can_spend():
            return False
        self.skips.spend()
        return True

    def open(self, options: dict[str, Any]) -> PoseEstimator:
        """(Re)create the estimator. A stream that counts the people in view
        (``num_poses > 1``) tracks one person here and counts beside it
        (:mod:`posture_cam.pose.crowd_counter`), never inside a frame's request."""
        self.close_estimator()
        if options.get("mode") == "video" and int(options.get("num_poses", 2)) > 1:
            self.crowd = CrowdCounter(
                options["model_path"],
                options["num_poses"],
                options.get("crowd_check_ms", 2000.0),
                self.count_cpus,
            )
            options = {**options, "num_poses": 1}  # the stream's landmarker as before
        self.estimator = PoseEstimator(**options)
        return self.estimator

    def handle(self, request: tuple[Any, ...]) -> tuple[Any, ...]:
        op = request[0]
        if op == "open":
            estimator = self.open(request[1])
            if request[2] is not None:
                width, height = request[2]
                black = np.zeros((height, width, 3), dtype=np.uint8)
                estimator.estimate(Frame(black, 0, 0.0, "warm-up"))
            return ("ready", None)
        if self.estimator is None:
            raise RuntimeError(f"{op!r} before the model was opened")
        if op == "restart":
            self.estimator.restart_stream()
            return ("ok", None)
        if op == "estimate":
            started_s = time.perf_counter()
            _, name, shape, index, t_ms, source_id = request[:6]
            rgb = np.ndarray(shape, dtype=np.uint8, buffer=self.segment(name).buf)
            # The Frame gives the model the index, time and source; its pixels are RGB
            # here, and only estimate_rgb and the crowd count (told so) read them.
            frame = Frame(rgb, index, t_ms, source_id)
            try:
                estimate = self.estimator.estimate_rgb(rgb, frame)
                if self.crowd is not None:
                    self.crowd.offer(frame, rgb=True)  # after the model: never delays it
                    if self.crowd.exception is not None:
                        raise self.crowd.exception
                    estimate = dataclasses.replace(estimate, people_counted=self.crowd.count)
            finally:
                del rgb, frame  # no view may outlive the segment (close() would refuse)
            return ("ok", estimate, started_s)
        raise RuntimeError(f"unknown request {op!r}")

    def segment(self, name: str) -> SharedMemory:
        if name not in self.segments:
            if len(self.segments) >= 4:  # the parent re-created its slots: drop the old
                self.close_segments()
            self.segments[name] = _attach(name)
        return self.segments[name]

    def close_estimator(self) -> None:
        if self.crowd is not None:
            self.crowd.close()
            self.crowd = None
        if self.estimator is not None:
            self.estimator.close()
            self.estimator = None

    def close_segments(self) -> None:
        for segment in self.segments.values():
            segment.close()
        self.segments.clear()


def serve(
    conn: Connection,
    language: str,
    placement: cpu_placement.CpuPlacement = cpu_placement.UNPINNED,
) -> None:
    """The child's main loop (the ``multiprocessing.Process`` target).

    Args:
        conn: this end of the pipe to the parent.
        language: the parent's UI language (for the one-line errors).
        placement: the live app's :mod:`posture_cam.runtime.cpu_placement`: the model runs on
            its ``model_cpus``, the crowd count on its ``app_cpus``; unpinned leaves
            the process where the OS puts it.
    """
    die_with_parent()
    if placement.model_cpus:
        # Before MediaPipe starts its threads (on "open"): they inherit this CPU set.
        cpu_placement.pin_threads(placement.model_cpus)
    # The crowd count runs on the app's CPUs (they have time to spare); the model keeps
    # its own to itself. The parent says which they are: this process was forked from
    # a fork server that runs on the model's CPU, so it cannot tell them itself.
    count_cpus = placement.app_cpus or None
    # OpenCV's thread pool (for one colour conversion a frame) would only compete with
    # MediaPipe's threads and with the app for the same two cores.
    cv2.setNumThreads(1)
    # Ctrl+C reaches the whole process group; the app decides and closes this child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    no_telemetry.block()
    set_language(language)
    # MediaPipe and the rest were imported (by the fork server): keep the garbage
    # collector's full walks (25-50 ms, between two frames) off them.
    freeze_long_lived(collect_first=True)
    # MediaPipe's C++ log lines (INFO / WARNING on the first frames with a person)
    # would land in the app's terminal; the in-process estimator mutes them too.
    with quiet_native_stderr():
        _serve_requests(conn, count_cpus)


def _serve_requests(conn: Connection, count_cpus: frozenset[int] | None) -> None:
    server = _Server(count_cpus)
    waiting: collections.deque[tuple[Any, ...]] = collections.deque()
    try:
        while True:
            try:
                if not waiting:
                    waiting.append(conn.recv())
                while conn.poll(0):  # what else came while the model worked
                    waiting.append(conn.recv())
            except (EOFError, OSError):
                return  # the parent is gone
            request = waiting.popleft()
            if request[0] == "close":
                return
            if request[0] == "estimate" and waiting and waiting[0][0] == "estimate":
                reply: tuple[Any, ...] = ("skipped", None)  # a newer frame waits
            elif request[0] == "estimate" and server.too_late(request):
                reply = ("skipped", None)  # the next one will meet an idle model
            else:
                reply = _handled(server, request)
            try:
                conn.send(reply)
            except (BrokenPipeError, OSError):
                return
    finally:
        server.close_estimator()
        server.close_segments()
        conn.close()


def _handled(server: _Server, request: tuple[Any, ...]) -> tuple[Any, ...]:
    """The reply to one request; errors become an ``("error", kind, message)`` reply."""
    try:
        return server.handle(request)
    except ModelError as exc:
        return ("error", "model", str(exc))
    except Exception as exc:  # process boundary: the parent raises it
        return ("error", "bug", f"{type(exc).__name__}: {exc}")
