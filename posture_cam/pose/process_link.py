"""The parent's end of the pose model's process: the child and the frame slots (no Qt).

* :class:`ModelChild`: one child process forked from the fork server
  (:mod:`posture_cam.pose.process_child` runs in it), its pipe, the options its
  estimator was opened with, and every wait on it (each with a timeout that notices a
  dead child at once; a death or silence is one :class:`~posture_cam.errors.ModelError`
  line); ``stop`` closes it deterministically (killed if it lingers).
* :class:`FrameSlots`: the ``SLOTS`` shared-memory segments the frames go through, sized
  to the frame and re-created when its size changes; a frame is converted to the model's
  RGB order while it is copied in (on the caller's core, not the model's).
* :func:`estimator_options`: a :class:`~posture_cam.pose.estimator.PoseEstimator`'s
  arguments with the defaults filled in, to compare what a child has open with what is
  wanted.

Used by :mod:`posture_cam.pose.process` (:class:`ProcessEstimator`) and
:mod:`posture_cam.pose.process_spare` (the early-started child).
"""

from __future__ import annotations

import contextlib
import inspect
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture_cam.errors import ModelError
from posture_cam.i18n import _, current_language
from posture_cam.pose.estimator import PoseEstimator
from posture_cam.runtime import cpu_placement, fork_server

#: The child module (imports MediaPipe); the fork server preloads it.
CHILD_MODULE = "posture_cam.pose.process_child"
#: Seconds to wait for the child to load a model (it may still be importing MediaPipe).
OPEN_TIMEOUT_S = 120.0
#: Seconds to wait for one estimate (a still with fourteen passes takes about 1 s).
ESTIMATE_TIMEOUT_S = 30.0
#: Seconds a closing child gets before it is killed.
CLOSE_TIMEOUT_S = 5.0
#: How often a wait on the pipe checks that the child still lives.
POLL_S = 0.1
#: Frame size used to warm up the model of an early-started child.
WARM_UP_WH = (640, 480)
#: Shared-memory frame slots: frames handed over and not yet answered, at most.
SLOTS = 3


def _child_main(
    conn: Connection,
    language: str,
    placement: cpu_placement.CpuPlacement = cpu_placement.UNPINNED,
) -> None:
    """The child's entry point (this module is light: MediaPipe loads in the child)."""
    from posture_cam.pose.process_child import serve

    serve(conn, language, placement)


class ModelChild:
    """One child process, its pipe and the options its estimator was opened with."""

    def __init__(self) -> None:
        with cpu_placement.on_model_cpus():  # the server imports MediaPipe meanwhile
            context = fork_server.start([CHILD_MODULE])
        self.conn, child_conn = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_child_main,
            # The live app gives the model a CPU of its own (posture_cam.runtime.cpu_placement).
            args=(child_conn, current_language(), cpu_placement.active()),
            name="pose-model",
            daemon=True,
        )
        # With a fork server this blocks until the server has preloaded MediaPipe.
        self.process.start()
        child_conn.close()  # only the child holds that end: its exit is our EOF
        self.options: dict[str, Any] | None = None
        self.opened = False

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def send_open(self, options: dict[str, Any], warm_up_wh: tuple[int, int] | None) -> None:
        self.options = dict(options)
        self.opened = False
        self.send(("open", self.options, warm_up_wh))

    def send(self, request: tuple[Any, ...]) -> None:
        try:
            self.conn.send(request)
        except (BrokenPipeError, ConnectionError, OSError) as exc:
            raise self.died() from exc

    def receive(self, timeout_s: float) -> Any:
        """The child's answer; raises ModelError for its error, death or silence."""
        return self.receive_reply(timeout_s)[1]

    def receive_reply(self, timeout_s: float) -> tuple[Any, ...]:
        """The child's whole reply tuple (see :mod:`posture_cam.pose.process_child`)."""
        deadline = time.monotonic() + timeout_s
        try:
            while not self.conn.poll(POLL_S):
                if not self.process.is_alive():
                    raise self.died()
                if time.monotonic() > deadline:
                    self.stop(0.0)
                    raise ModelError(
                        _(
                            "the pose model did not answer within {seconds:.0f} s and was "
                            "stopped; restart the app"
                        ).format(seconds=timeout_s)
                    )
            reply = self.conn.recv()
        except (EOFError, ConnectionError, OSError) as exc:
            raise self.died() from exc
        if reply[0] == "error":
            _error, kind, message = reply
            if kind == "model":
                raise ModelError(message)
            raise RuntimeError(f"pose model process: {message}")
        return tuple(reply)

    def wait_opened(self, timeout_s: float = OPEN_TIMEOUT_S) -> None:
        if not self.opened:
            self.receive(timeout_s)
            self.opened = True

    def died(self) -> ModelError:
        self.process.join(1.0)
        return ModelError(
            _(
                "the pose model process stopped unexpectedly (exit code {code}); "
                "restart the app, or try another model"
            ).format(code=self.process.exitcode)
        )

    def stop(self, timeout_s: float = CLOSE_TIMEOUT_S, *, wait: bool = True) -> None:
        """Ask the child to close its landmarker and exit; kill it if it does not.

        ``wait=False`` returns at once and leaves that to a daemon thread."""
        if not wait:
            threading.Thread(
                target=self.stop, args=(timeout_s,), name="pose-process-close", daemon=True
            ).start()
            return
        if self.process.is_alive():
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(("close",))
            self.process.join(timeout_s)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(CLOSE_TIMEOUT_S)
        self.conn.close()


class FrameSlots:
    """``count`` shared-memory segments sized to the frame; a slot is in use from
    :meth:`put` until :meth:`free` (its frame was answered)."""

    def __init__(self, count: int = SLOTS) -> None:
        self.count = count
        self.segments: list[SharedMemory] = []
        self.shape: tuple[int, ...] = ()
        self._free: list[SharedMemory] = []

    @property
    def in_use(self) -> int:
        return len(self.segments) - len(self._free)

    def fits(self, image: np.ndarray) -> bool:
        """Whether ``image`` can go into a slot now: one is free, or none is in use (the
        slots are then re-created for a new frame size)."""
        return self.in_use == 0 or (image.shape == self.shape and bool(self._free))

    def put(self, image_bgr: np.ndarray) -> tuple[str, tuple[int, ...]]:
        """Convert ``image_bgr`` to RGB into a free slot (see :meth:`fits`); returns the
        slot's name and the shape."""
        if image_bgr.shape != self.shape:
            if self.in_use:
                raise RuntimeError("the frame size changed while frames were in flight")
            self.release()
            size = max(1, int(np.prod(image_bgr.shape)))
            self.segments = [SharedMemory(create=True, size=size) for _ in range(self.count)]
            self._free = list(self.segments)
            self.shape = tuple(image_bgr.shape)
        if not self._free:
            raise RuntimeError(f"all {self.count} frame slots are in flight")
        segment = self._free.pop(0)
        view = np.ndarray(self.shape, dtype=np.uint8, buffer=segment.buf)
        out = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB, dst=view)  # copy and convert
        if out is not view:  # OpenCV wrote elsewhere (it never has: safety)
            view[...] = out
        del view, out  # no view may outlive the segment (close() would refuse)
        return segment.name, self.shape

    def free(self, name: str) -> None:
        """The frame in slot ``name`` was answered: the slot may take another."""
        for segment in self.segments:
            if segment.name == name and segment not in self._free:
                self._free.append(segment)
                return

    @property
    def names(self) -> list[str]:
        return [segment.name for segment in self.segments]

    def release(self) -> None:
        for segment in self.segments:
            segment.close()
            with contextlib.suppress(FileNotFoundError):
                segment.unlink()
        self.segments = []
        self._free = []
        self.shape = ()


def estimator_options(model_path: str | Path, **options: Any) -> dict[str, Any]:
    """:class:`PoseEstimator`'s arguments with its defaults filled in, for comparing
    what a child has open with what is wanted (TypeError for an unknown one)."""
    bound = inspect.signature(PoseEstimator).bind(model_path, **options)
    bound.apply_defaults()
    wanted = dict(bound.arguments)
    if wanted["mode"] not in ("image", "video"):
        raise ValueError(f"mode must be 'image' or 'video', got {wanted['mode']!r}")
    if wanted["mode"] == "video":  # streams never average (PoseEstimator ignores these)
        wanted.update(flip_average=False, rotations_deg=(), refine_crop_px=0)
        wanted["second_model_path"] = None
    if wanted["second_model_path"] is not None:
        wanted["second_model_path"] = str(Path(wanted["second_model_path"]))
    wanted["model_path"] = str(Path(model_path))
    wanted["rotations_deg"] = tuple(float(a) for a in wanted["rotations_deg"])
    return wanted
