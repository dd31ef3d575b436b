"""Home check state machine: guide the patient, then capture automatically.

Fed one :class:`~posture_cam.types.FrameResult` at a time from the one ``Pipeline``
(``HomeCheckSession.feed``), it says what to show and captures without any key press:

``GUIDING``   one instruction at a time (:mod:`posture_cam.home.guidance`) until the
              quality gate passes and the hands are down;
``COUNTDOWN`` "hold still… 2, 1": every frame of the next ``hold_s`` seconds (and at
              least ``min_frames`` frames) goes into an
              :class:`~posture_cam.capture.AveragedCapture`; a failure lasting more
              than ``grace_ms`` (a blink of the tracker is forgiven) starts over;
``CAPTURED``  the averaged head and shoulder metrics (:class:`HomeCapture`); the
              session stays here until :meth:`HomeCheckSession.restart`.

Times are frame times (``t_ms``), so a recorded clip behaves as a live camera would.
Qt-free: the UI only renders the returned :class:`HomeState`.
"""

from __future__ import annotations

import datetime as _dt
import math
import uuid
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from posture_cam.capture import AveragedCapture
from posture_cam.home.capture_result import HOME_METRICS, HomeCapture, HomeMeasurement
from posture_cam.home.guidance import Instruction, hands_raised, instruction_for
from posture_cam.landmarks import LM
from posture_cam.metrics.quality import is_upper_body
from posture_cam.types import FrameResult, View

#: Id of home mode's own check in the file's quality list (see guidance.hands_raised).
HANDS_CHECK = "hands_lowered"


class Phase(StrEnum):
    GUIDING = "guiding"
    COUNTDOWN = "countdown"
    CAPTURED = "captured"


@dataclass(frozen=True)
class Levels:
    """Live spirit-level readings (degrees, positive = the patient's left side higher).

    None where the frame does not show it (no person, ears hidden ...).
    """

    head_tilt_deg: float | None = None
    shoulder_tilt_deg: float | None = None


@dataclass(frozen=True)
class HomeState:
    """What the home view shows after a frame.

    Attributes:
        phase: guiding, countdown or captured.
        instruction: the one instruction (``READY`` during the countdown).
        countdown: the number to show during the countdown (2, 1), else None.
        progress: 0..1 of the hold during the countdown (1 when captured).
        levels: live head and shoulder level for the spirit-level bars.
        capture: the result, once captured.
        elapsed_s: frame time since the first frame of this check.
    """

    phase: Phase
    instruction: Instruction
    countdown: int | None = None
    progress: float = 0.0
    levels: Levels = field(default_factory=Levels)
    capture: HomeCapture | None = None
    elapsed_s: float = 0.0


def _levels(result: FrameResult) -> Levels:
    def value(metric_id: str) -> float | None:
        m = result.metrics.get(metric_id)
        return None if m is None or m.value is None else float(m.value)

    return Levels(value("head_tilt"), value("shoulder_tilt"))


def framing_of(result: FrameResult) -> str:
    """``upper_body`` (no hip seen), ``waist_up`` (no knee or ankle) or ``full_body``."""
    pose = result.pose_measured
    if pose is None or is_upper_body(pose):
        return "upper_body"
    legs = (LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE)
    return "full_body" if any(pose.has(i) for i in legs) else "waist_up"


class HomeCheckSession:
    """The home check (see module docstring).

    Args:
        hold_s: seconds the gate must hold while the averaged capture runs.
        grace_ms: a failure shorter than this, or a single failed frame, does not
            restart the countdown (a blink of the tracker; a slow machine sees few frames).
        min_frames: the capture also waits for this many usable frames, so a slow
            machine (few frames a second) still averages enough of them.
        now: returns the wall-clock time stamped on the capture (tests inject one).
    """

    def __init__(
        self,
        hold_s: float = 2.0,
        grace_ms: float = 300.0,
        min_frames: int = 10,
        now: Callable[[], _dt.datetime] | None = None,
    ) -> None:
        if hold_s <= 0:
            raise ValueError("hold_s must be > 0")
        self.hold_s = float(hold_s)
        self.grace_ms = float(grace_ms)
        self.min_frames = max(1, int(min_frames))
        self._now = now or (lambda: _dt.datetime.now().astimezone())
        self.restart()

    def restart(self) -> None:
        """Start a new check (the "check again" button)."""
        self._t0_ms: float | None = None
        self._last_t_ms = -math.inf
        self._state = HomeState(Phase.GUIDING, Instruction.STEP_INTO_VIEW)
        self._drop_countdown()

    def _drop_countdown(self) -> None:
        self._capture: AveragedCapture | None = None
        self._start_ms = 0.0
        self._last_ready_ms = -math.inf
        self._misses = 0  # failed frames in a row during the countdown
        self._window: list[tuple[View, np.ndarray, FrameResult]] = []
        self._fails: Counter[str] = Counter()
        self._reasons: dict[str, Counter[str]] = {}

    @property
    def state(self) -> HomeState:
        return self._state

    def feed(self, result: FrameResult) -> HomeState:
        """Advance by one frame and return what to show."""
        if self._state.phase is Phase.CAPTURED:
            return self._state
        t_ms = float(result.frame.t_ms)
        if self._t0_ms is None or t_ms <= self._last_t_ms:
            # First frame, or time went back (a looping clip, a new source): frames
            # before and after must not be averaged together.
            self._t0_ms = t_ms
            self._drop_countdown()
        self._last_t_ms = t_ms
        elapsed_s = (t_ms - self._t0_ms) / 1000.0
        instruction = instruction_for(result)
        levels = _levels(result)
        if self._capture is None and instruction is Instruction.READY:
            self._capture = AveragedCapture(seconds=self.hold_s)
            self._start_ms = t_ms
        if self._capture is not None:
            self._tally(result)
            if instruction is Instruction.READY:
                self._last_ready_ms = t_ms
                self._misses = 0
                self._capture.add(result)
                pose = result.pose_measured
                assert pose is not None  # READY means a person was measured
                xyv = np.column_stack([pose.xy_px, pose.visibility])
                self._window.append((result.view.view, xyv, result))
            else:
                self._misses += 1
                if self._misses > 1 and t_ms - self._last_ready_ms > self.grace_ms:
                    self._drop_countdown()
        if self._capture is None:
            self._state = HomeState(Phase.GUIDING, instruction, None, 0.0, levels, None, elapsed_s)
            return self._state
        if self._capture.is_complete and self._capture.frames_used >= self.min_frames:
            capture = self._finish(result, elapsed_s)
            self._state = HomeState(
                Phase.CAPTURED, Instruction.READY, None, 1.0, levels, capture, elapsed_s
            )
            return self._state
        held_s = (t_ms - self._start_ms) / 1000.0
        done = min(1.0, held_s / self.hold_s)
        left = max(1, math.ceil(self.hold_s - held_s - 1e-9))
        self._state = HomeState(
            Phase.COUNTDOWN, Instruction.READY, left, done, levels, None, elapsed_s
        )
        return self._state

    def _tally(self, result: FrameResult) -> None:
        for check in result.quality.failed():
            self._fails[check.id] += 1
            self._reasons.setdefault(check.id, Counter())[check.reason or ""] += 1
        if hands_raised(result):
            self._fails[HANDS_CHECK] += 1

    def _finish(self, last: FrameResult, elapsed_s: float) -> HomeCapture:
        capture = self._capture
        assert capture is not None
        summary = capture.summary()
        view = View(summary.capture.view or View.UNKNOWN)
        used = [(xyv, r) for v, xyv, r in self._window if v is view]
        stack = np.stack([xyv for xyv, _ in used])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # points never seen: NaN
            median = np.nanmedian(stack, axis=0)
        last_used = used[-1][1]
        assert last_used.pose_measured is not None  # only measured frames are used
        wanted = HOME_METRICS.get(str(view), ())
        measurements = {
            mid: HomeMeasurement.from_summary(mid, summary.metrics[mid])
            for mid in wanted
            if mid in summary.metrics
        }
        ids = [c.id for c in last_used.quality.checks] + [HANDS_CHECK]
        checks = tuple(
            {
                "id": cid,
                "ok": True,  # every frame whose values were used passed it
                "frames_failed": int(self._fails.get(cid, 0)),
                "reason": (
                    self._reasons[cid].most_common(1)[0][0] or None
                    if cid in self._reasons
                    else None
                ),
            }
            for cid in ids
        )
        return HomeCapture(
            check_id=uuid.uuid4().hex,
            time=self._now(),
            view=view,
            framing=framing_of(last_used),
            measurements=measurements,
            quality_checks=checks,
            landmarks_xyv=median,
            resolution_wh=last_used.pose_measured.resolution_wh,
            frames_seen=capture.frames_seen,
            frames_used=capture.frames_used,
            seconds=capture.elapsed_s,
            waited_s=elapsed_s,
            last_result=last_used,
        )
