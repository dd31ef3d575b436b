"""Which CPUs the live app's pose model and the app's own threads run on (no Qt).

On a two-core machine the live app is two workloads: the pose model (MediaPipe in its
own process, :mod:`posture_cam.pose.process`) and everything else (decoding, the loop's
post-processing and overlay, the GUI's painting). Left to the scheduler they share both
cores, and the model's threads keep losing their core to the app's for a few
milliseconds at a time: on the 2-core bench machine the model took 33-35 ms a frame in
the app against 26-28 ms alone, and 6-10 % of the frames were dropped. Giving the model
a CPU of its own and the app the others (:func:`plan`) made the model as fast as alone
and the drops rare (docs/architecture.md, "Live speed").

* With two or more usable CPUs (``os.sched_getaffinity``) the model gets the last one,
  the app the rest; with one nothing is pinned.
* Only the live app places itself (:func:`place_live_app`, called by ``posture-cam app``
  before it starts any thread of its own); the batch CLI and the tests leave every
  process where the OS puts it.
* ``POSTURE_CAM_PIN_CPUS=0`` (or ``off``, ``no``, ``false``) turns it off.

Linux pins threads, not processes: a thread inherits the CPUs of the thread that
creates it. :func:`pin_threads` therefore sets every thread this process already has
(numpy's, Python's), and the ones created later (Qt's, FFmpeg's, the loop's) inherit
it. The model's process pins itself when it starts (:func:`model_cpus` tells the
parent's :mod:`posture_cam.pose.process` what to ask for). Where the OS has no
affinity calls (macOS, Windows) nothing is pinned.

Work that may wait (the camera-level reading, the crowd count) runs at the lowest
priority (:func:`run_this_thread_when_idle`), on CPU time the frames leave over.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

#: The switch: set to 0 / off / no / false to leave the live app's threads unpinned.
ENV_SWITCH = "POSTURE_CAM_PIN_CPUS"
_OFF_WORDS = frozenset({"0", "off", "no", "false"})


@dataclass(frozen=True)
class CpuPlacement:
    """The CPUs of the pose model's process and of the app's threads.

    Attributes:
        model_cpus: the model process's CPUs; None = not pinned.
        app_cpus: the app's threads' CPUs; None = not pinned.
    """

    model_cpus: frozenset[int] | None = None
    app_cpus: frozenset[int] | None = None

    @property
    def pinned(self) -> bool:
        return self.model_cpus is not None


#: Nothing pinned (one CPU, switched off, or not the live app).
UNPINNED = CpuPlacement()


def plan(available: Iterable[int], enabled: bool = True) -> CpuPlacement:
    """The placement for a machine with the ``available`` CPU numbers.

    The model takes the highest-numbered CPU (CPU 0 gets most of the kernel's
    interrupts), the app the others; with fewer than two CPUs or ``enabled`` False
    nothing is pinned.
    """
    cpus = sorted(set(available))
    if not enabled or len(cpus) < 2:
        return UNPINNED
    return CpuPlacement(model_cpus=frozenset(cpus[-1:]), app_cpus=frozenset(cpus[:-1]))


def enabled(environ: Mapping[str, str] | None = None) -> bool:
    """False when :data:`ENV_SWITCH` turns placement off."""
    env = os.environ if environ is None else environ
    return env.get(ENV_SWITCH, "").strip().lower() not in _OFF_WORDS


def available_cpus() -> frozenset[int]:
    """The CPUs this thread may run on (all of them where the OS cannot say)."""
    if hasattr(os, "sched_getaffinity"):
        return frozenset(os.sched_getaffinity(0))
    return frozenset(range(os.cpu_count() or 1))


def thread_ids() -> list[int]:
    """The native ids of this process's threads (Linux; else [])."""
    with contextlib.suppress(OSError):
        return sorted(int(task.name) for task in Path("/proc/self/task").iterdir())
    return []


def pin_thread(cpus: Iterable[int], native_id: int = 0) -> bool:
    """Pin one thread (0 = the calling one); False where that is not possible."""
    if not hasattr(os, "sched_setaffinity"):
        return False
    try:
        os.sched_setaffinity(native_id, set(cpus))
    except OSError:  # the thread ended meanwhile, or the CPUs are not ours
        return False
    return True


def pin_threads(cpus: Iterable[int]) -> int:
    """Pin every thread this process has now (and so every thread they create).

    Returns:
        How many threads were pinned (0 where the OS has no affinity calls).
    """
    wanted = frozenset(cpus)
    pinned = sum(pin_thread(wanted, tid) for tid in thread_ids())
    if not pinned and pin_thread(wanted):  # no /proc: at least the calling thread
        pinned = 1
    return pinned


#: The nice value of work that may wait: the lowest priority a thread can give itself.
WAITING_WORK_NICE = 19


def run_this_thread_when_idle() -> bool:
    """Give the calling thread (and the threads it creates) the lowest priority, for
    work that may wait (the camera-level reading, the crowd count), so that it runs on
    CPU time the frames leave over and never holds a CPU a frame's thread wants.

    Nice 19 has 1/68 of a normal thread's weight, so a frame's thread that wakes takes
    the CPU at once. At nice 10 (a tenth of the weight) a 70-190 ms crowd check or a
    15-75 ms level reading on the app's CPU still delayed the frames drawn meanwhile
    (``bench/app_latency.py --records``). ``SCHED_IDLE`` was tried too: it starved the
    crowd count when both cores were busy (no check landed within 60 s), where nice 19
    still gets about 1.5 % of a CPU: late, not stopped.

    Returns:
        False where the OS cannot set it (Linux sets nice per thread).
    """
    if not hasattr(os, "setpriority"):
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WAITING_WORK_NICE)
    except OSError:
        return False
    return True


_active = UNPINNED
_released_to: frozenset[int] | None = None


def place_live_app(environ: Mapping[str, str] | None = None) -> CpuPlacement:
    """Pin this process's threads to the app's CPUs and remember the model's.

    Call it before the app starts its threads (Qt, the model's process, the feed);
    ``posture-cam app`` does, first thing. The next pose-model process started by
    :mod:`posture_cam.pose.process` pins itself to :attr:`CpuPlacement.model_cpus`.

    Returns:
        The placement applied (:data:`UNPINNED` on one CPU or when switched off).
    """
    global _active, _released_to
    available = available_cpus()
    placement = plan(available, enabled(environ))
    if placement.app_cpus is not None and pin_threads(placement.app_cpus):
        _active, _released_to = placement, available
    else:
        _active = UNPINNED
    return _active


def release() -> None:
    """Undo :func:`place_live_app` for this process's threads (the benchmark's bare
    loop must run as the OS places it); a no-op when nothing was placed."""
    global _active, _released_to
    if _released_to is not None:
        pin_threads(_released_to)
    _active, _released_to = UNPINNED, None


@contextlib.contextmanager
def on_model_cpus() -> Iterator[None]:
    """Run the calling thread on the model's CPUs meanwhile (a no-op when nothing is
    placed): a process started meanwhile (the fork server, which imports MediaPipe
    for seconds while the app starts) runs there, not on the app's CPUs."""
    cpus = model_cpus()
    before = available_cpus()
    if cpus is None or not pin_thread(cpus):
        yield
        return
    try:
        yield
    finally:
        pin_thread(before)


def model_cpus() -> frozenset[int] | None:
    """The CPUs a pose-model process started now should pin itself to (None: any)."""
    return _active.model_cpus


def active() -> CpuPlacement:
    """The placement :func:`place_live_app` applied (:data:`UNPINNED` when none):
    a pose-model process started now pins its model to ``model_cpus`` and runs work
    that may wait (the crowd count) on ``app_cpus``."""
    return _active
