"""The pose model in a process of its own, frames through shared memory (no Qt).

On two cores the live app needs the model and everything else (decoding, smoothing,
metrics, drawing, painting) to run at the same time. In one process they share one
GIL: MediaPipe releases it while it infers, but its thread waits to get it back after
every call into Python, and the whole app used little more than one core.
:class:`ProcessEstimator` runs a :class:`~posture_cam.pose.estimator.PoseEstimator` in
a child process instead and has the same ``estimate`` / ``restart_stream`` / ``close``
as the in-process one (the :class:`~posture_cam.pipeline.Estimator` protocol), so the
pipeline and the live loop do not know the difference. The CLI's batch analysis keeps
the in-process estimator (its ``--jobs`` processes already use the cores).

* Frames go through ``multiprocessing.shared_memory``: ``SLOTS`` slots sized to the
  frame, re-created when the frame size changes. The frame is converted to the model's
  RGB order while it is copied in (on the caller's core, not the model's); the request
  and the reply (the small :class:`~posture_cam.types.PoseEstimate`) go through a
  pipe. A waiting thread blocks on the pipe, which releases the GIL.
* :meth:`ProcessEstimator.estimate` hands over one frame and waits for it. The live
  loop keeps the model busy instead (:meth:`~ProcessEstimator.submit` whenever a frame
  comes, :meth:`~ProcessEstimator.collect_next` on another thread): the next frame is
  already there when the model finishes one, and the model takes the newest of those
  that wait (the others are answered "skipped"; :mod:`posture_cam.pose.process_child`).
* The child is forked from a fork server that preloaded MediaPipe
  (:mod:`posture_cam.pose.process_child`; spawned where there is no fork server), never
  forked from the threaded app. It applies :mod:`posture_cam.runtime.no_telemetry` before
  MediaPipe loads, ignores Ctrl+C (the app decides), and dies with the app: EOF on the
  pipe ends it, and on Linux the kernel kills it when its parent goes.
* :func:`start_early` starts a child and loads the model while the app is still
  importing and building its window; the first :class:`ProcessEstimator` adopts it.
* A bad model file raises the same :class:`~posture_cam.errors.ModelError` line as the
  in-process estimator; a child that dies or stops answering raises a ModelError line
  too (every wait on the pipe has a timeout and notices a dead child at once).
* :meth:`ProcessEstimator.close` is deterministic: the child closes the landmarker and
  exits, is joined (killed if it does not end), and the segments are unlinked
  (``wait=False``: a daemon thread does the joining, for a window that closes).
"""

from __future__ import annotations

import collections
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

from posture_cam.config import PipelineConfig
from posture_cam.errors import ModelError, PostureCamError
from posture_cam.i18n import _, current_language
from posture_cam.pose.estimator import PoseEstimator
from posture_cam.runtime import cpu_placement, fork_server
from posture_cam.types import Frame, PoseEstimate

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


class _Child:
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


class _Slots:
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
    wanted["model_path"] = str(Path(model_path))
    wanted["rotations_deg"] = tuple(float(a) for a in wanted["rotations_deg"])
    return wanted


_spare_lock = threading.Lock()
_spare: _Child | None = None
_spare_thread: threading.Thread | None = None


def start_early(model_path: str | Path, **options: Any) -> None:
    """Start a child and load the model in the background (returns at once).

    The app calls this first thing, so that importing MediaPipe and loading the model
    overlap the app's own start-up; the next :class:`ProcessEstimator` adopts the
    child (re-opening the model there if its options differ). A no-op when a child is
    already waiting. A failure here is ignored: the estimator then starts its own
    child and reports the error.

    Args:
        model_path: the resolved ``.task`` file.
        **options: :class:`PoseEstimator` keyword arguments (see :func:`estimator_options`).
    """
    global _spare_thread
    wanted = estimator_options(model_path, **options)
    with _spare_lock:
        if _spare is not None or _spare_thread is not None:
            return
        _spare_thread = threading.Thread(
            target=_start_spare, args=(wanted,), name="pose-process-start", daemon=True
        )
        _spare_thread.start()


def start_early_for(config: PipelineConfig, mode: str = "video") -> None:
    """:func:`start_early` for the model and options ``config`` names, when the model
    is already on this machine (a model still to be downloaded is left to the
    estimator, which shows its progress)."""
    from posture_cam.pose.model.store import resolve_model

    try:
        model = resolve_model(
            config.model_path, config.model_variant, allow_network=False, allow_build=False
        )
    except PostureCamError:
        return
    start_early(model, mode=mode, **config.estimator_options())


def _start_spare(options: dict[str, Any]) -> None:
    global _spare
    try:
        child = _Child()
        child.send_open(options, WARM_UP_WH)
    except Exception:  # best effort: the estimator starts its own child and reports
        return
    with _spare_lock:
        _spare = child


def _take_spare() -> _Child | None:
    """The early-started child, once it has started; None when there is none."""
    global _spare, _spare_thread
    with _spare_lock:
        thread = _spare_thread
    if thread is not None:
        thread.join()
    with _spare_lock:
        child, _spare, _spare_thread = _spare, None, None
    if child is not None and not child.process.is_alive():
        child.stop(0.0)
        return None
    return child


def discard_spare() -> None:
    """Stop an early-started child that no estimator adopted (tests; in the app an
    unadopted child ends with the app: EOF on its pipe, a daemon process)."""
    child = _take_spare()
    if child is not None:
        child.stop()


class ProcessEstimator:
    """A :class:`~posture_cam.pose.estimator.PoseEstimator` in a child process.

    Same arguments as ``PoseEstimator`` (those that matter for streams and stills:
    model, mode, people, visibility, target, flip / rotation averaging, crowd check).
    Create, use and close it in one thread (or hand it over cleanly, as the live loop
    does); it is not thread-safe.

    Raises:
        ModelError: the model file is missing or unusable, or the child failed.
    """

    def __init__(self, model_path: str | Path, **options: Any) -> None:
        wanted = estimator_options(model_path, **options)
        self.model_path = Path(wanted["model_path"])
        self.mode: str = wanted["mode"]
        self._slots = _Slots()
        # Frames in flight, oldest first: their slot's name (None for a restart).
        self._in_flight: collections.deque[str | None] = collections.deque()
        self._room = threading.Condition()  # a slot was freed
        child = _take_spare()
        if child is None:
            child = _Child()
        self._child: _Child | None = child
        try:
            if child.options != wanted:
                if child.options is not None:
                    child.wait_opened()  # the spare's reply comes first
                child.send_open(wanted, None)
            child.wait_opened()
        except BaseException:
            self.close()
            raise

    @property
    def pid(self) -> int | None:
        """The child's process id (None once closed)."""
        return self._child.pid if self._child is not None else None

    @property
    def shared_memory_names(self) -> list[str]:
        """The names of the frame slots now in use (for tests)."""
        return self._slots.names

    @property
    def closed(self) -> bool:
        return self._child is None

    def __enter__(self) -> ProcessEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _alive_child(self) -> _Child:
        if self._child is None:
            raise RuntimeError("ProcessEstimator used after close()")
        return self._child

    def estimate(self, frame: Frame) -> PoseEstimate:
        """Run the model on one frame (BGR, never mirrored) in the child."""
        self.submit(frame)
        return self.collect()

    def submit(
        self, frame: Frame, due_s: float | None = None, max_wait_s: float | None = None
    ) -> None:
        """Hand ``frame`` to the child and return at once (it waits only while all
        ``SLOTS`` frame slots are in flight, or frames of another size are).

        :meth:`collect` (or, from another thread, :meth:`collect_next`) gets the
        answers in order. Frames submitted while the model works wait for it; when it
        is free it takes the newest and answers the older ones "skipped".

        Args:
            frame: the frame (BGR).
            due_s: when the frame was due (``time.perf_counter()``), for a live stream.
            max_wait_s: with ``due_s``: when the model is free and the newest frame has
                waited longer than this, the model skips it too (rationed:
                :class:`~posture_cam.runtime.frame_skips.SkipRation`) and takes the next one,
                which then meets an idle model.
        """
        child = self._alive_child()
        with self._room:
            while not self._slots.fits(frame.image_bgr):
                self._room.wait(POLL_S)
                child = self._alive_child()
            name, shape = self._slots.put(frame.image_bgr)
            self._in_flight.append(name)
        child.send(
            (
                "estimate",
                name,
                shape,
                frame.index,
                float(frame.t_ms),
                frame.source_id,
                due_s,
                max_wait_s,
            )
        )

    def submit_restart(self) -> None:
        """:meth:`restart_stream` in turn with the frames in flight: the frames
        submitted after it are the new stream (its answer is consumed by
        :meth:`collect_next`)."""
        child = self._alive_child()
        with self._room:
            self._in_flight.append(None)
        child.send(("restart",))

    @property
    def slots(self) -> int:
        """How many frames can be in flight at once."""
        return self._slots.count

    @property
    def in_flight(self) -> int:
        """Frames and restarts handed over and not answered yet."""
        with self._room:
            return len(self._in_flight)

    def collect(self) -> PoseEstimate:
        """The estimate of the one frame given to :meth:`submit`."""
        estimate, _started_s = self.collect_next()
        if estimate is None:  # only happens with more than one frame in flight
            raise RuntimeError("collect() after more than one submit(); use collect_next()")
        return estimate

    def collect_next(self) -> tuple[PoseEstimate | None, float]:
        """The answer to the oldest frame in flight: its estimate, or None when the
        model skipped it for a newer one, and the ``time.perf_counter()`` at which
        the model took it (when it was answered, for a skipped one)."""
        child = self._alive_child()
        while True:
            reply = child.receive_reply(ESTIMATE_TIMEOUT_S)
            with self._room:
                name = self._in_flight.popleft()
                if name is not None:
                    self._slots.free(name)
                self._room.notify_all()
            if name is None:  # the answer to a submit_restart
                continue
            if reply[0] == "skipped":
                return None, time.perf_counter()
            return reply[1], float(reply[2])

    def restart_stream(self) -> None:
        """Forget the tracking of a VIDEO-mode stream (see ``PoseEstimator``)."""
        child = self._alive_child()
        child.send(("restart",))
        child.receive(OPEN_TIMEOUT_S)

    def close(self, *, wait: bool = True) -> None:
        """Close the landmarker, end and join the child, unlink the frame slots.

        Args:
            wait: False returns without waiting for the child to shut MediaPipe down
                and exit (30-150 ms, seconds on a loaded machine); a daemon thread
                joins it (and kills it if it lingers). The live loop closes this way,
                so that closing the window does not wait for it.
        """
        child, self._child = self._child, None
        try:
            if child is not None:
                child.stop(wait=wait)
        finally:
            self._slots.release()
