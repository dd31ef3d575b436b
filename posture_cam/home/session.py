"""Home check state machine: guide the patient, then capture automatically.

Fed one :class:`~posture_cam.types.FrameResult` at a time from the one ``Pipeline``
(``HomeCheckSession.feed``), it says what to show and captures without any key press:

``GUIDING``   one instruction at a time (:mod:`posture_cam.home.guidance`) until the
              quality gate passes and the hands are down;
``COUNTDOWN`` "hold still… 2, 1": gate-passing frames are collected into an
              :class:`~posture_cam.capture.averaging.AveragedCapture` until they cover
              ``hold_s`` seconds (and at least ``min_frames`` frames); a failure
              lasting more than ``grace_ms`` (a blink of the tracker is forgiven)
              starts over. Hands raised or in front of the face (the gate's
              ``arms_clear`` check, or :func:`~posture_cam.home.guidance.hands_raised`)
              *pause* the hold instead ("lower your hands", the progress keeps the
              collected part); it goes on when the frames pass again if the body has
              not moved (shoulder midpoint and width within ``move_frac`` of the
              shoulder width of the collected frames), else it starts over, as it does
              when the person leaves or the pause lasts more than ``max_pause_s``;
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

from posture_cam.capture.averaging import AveragedCapture
from posture_cam.home.capture_result import HOME_METRICS, HomeCapture, HomeMeasurement
from posture_cam.home.guidance import Instruction, hands_raised, instruction_for, only_settling
from posture_cam.landmarks import LM
from posture_cam.metrics.quality import is_upper_body
from posture_cam.reasons import parts_json
from posture_cam.types import FrameResult, View

#: Instructions that pause the hold rather than restart it: the patient can fix them in
#: place (lower the hands) without moving the body that is being measured.
PAUSING = frozenset({Instruction.LOWER_HANDS, Instruction.ARMS_DOWN})
#: Instructions that end a pause at once (after the grace time): the person is gone.
_GONE = frozenset({Instruction.STEP_INTO_VIEW, Instruction.ONLY_YOU})

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


def _shoulders(result: FrameResult) -> tuple[float, float, float] | None:
    """Shoulder midpoint x, y and shoulder width (image px), or None if not both seen."""
    pose = result.pose_image
    if pose is None or not pose.has(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
        return None
    left, right = pose.point(LM.LEFT_SHOULDER), pose.point(LM.RIGHT_SHOULDER)
    return (
        float(left[0] + right[0]) / 2,
        float(left[1] + right[1]) / 2,
        float(math.hypot(left[0] - right[0], left[1] - right[1])),
    )


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
        max_pause_s: a pause (hands raised) longer than this starts the hold over.
        move_frac: after a pause, the shoulder midpoint may have moved and the
            shoulder width changed by at most this fraction of the collected frames'
            shoulder width; more means the body moved and the hold starts over.
        now: returns the wall-clock time stamped on the capture (tests inject one).
    """

    def __init__(
        self,
        hold_s: float = 2.0,
        grace_ms: float = 300.0,
        min_frames: int = 10,
        max_pause_s: float = 10.0,
        move_frac: float = 0.08,
        now: Callable[[], _dt.datetime] | None = None,
    ) -> None:
        if hold_s <= 0:
            raise ValueError("hold_s must be > 0")
        self.hold_s = float(hold_s)
        self.grace_ms = float(grace_ms)
        self.min_frames = max(1, int(min_frames))
        self.max_pause_s = float(max_pause_s)
        self.move_frac = float(move_frac)
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
        self._last_ready_ms = -math.inf
        self._misses = 0  # failed frames in a row during the countdown
        self._held_ms = 0.0  # frame time collected (pauses excluded), see _covered_ms
        self._blink_ms = 0.0  # part of _held_ms added by the current run of failed frames
        self._paused_ms = 0.0  # frame time spent in pauses
        self._pause_start_ms: float | None = None  # set while paused
        self._pause_instruction = Instruction.LOWER_HANDS  # what the pause asks for
        # A failure outlasted the grace time: the hold starts over at the next passing
        # frame, unless raised hands turn up first (the arm on its way up often fails
        # other checks a few frames before arms_clear, more so at a low frame rate).
        self._lapsed = False
        self._prev_ms: float | None = None  # previous frame of the countdown
        self._step_ms = 0.0  # latest frame step outside a pause
        self._seen = 0  # frames fed during the countdown, pauses included
        self._shoulders: list[tuple[float, float, float]] = []  # mid x, mid y, width (px)
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
        if (
            self._capture is not None
            and instruction is Instruction.READY
            and (self._lapsed or self._moved(result))
        ):
            self._drop_countdown()  # a lapse, or back after a pause somewhere else
        if self._capture is None and instruction is Instruction.READY:
            self._capture = AveragedCapture()
        if self._capture is not None:
            self._advance(result, instruction, t_ms)
        if self._capture is None:
            self._state = HomeState(Phase.GUIDING, instruction, None, 0.0, levels, None, elapsed_s)
            return self._state
        complete = self._covered_ms() >= self.hold_s * 1000.0 - 1e-6
        if complete and self._capture.frames_used >= self.min_frames:
            capture = self._finish(result, elapsed_s)
            self._state = HomeState(
                Phase.CAPTURED, Instruction.READY, None, 1.0, levels, capture, elapsed_s
            )
            return self._state
        held_s = self._held_ms / 1000.0  # time since the first collected frame
        done = min(1.0, held_s / self.hold_s)
        if self._lapsed:
            # The hold starts over at the next passing frame, unless raised hands turn up
            # first (then it was the arm on its way up: a pause). Undecided until then, so
            # the bar keeps the collected part and the number is hidden; before, it fell
            # to 0 and came back a moment later at every such pause (at 10 frames/s the
            # clip's arm rising showed "starting over" for 0.5 s, then 66 %).
            self._state = HomeState(
                Phase.COUNTDOWN, instruction, None, done, levels, None, elapsed_s
            )
            return self._state
        if self._pause_start_ms is not None:
            # Paused: say what to fix (hold still once only the settling is left); the
            # progress bar keeps the collected part.
            fix = (
                instruction
                if instruction in PAUSING or only_settling(result)
                else self._pause_instruction
            )
            self._state = HomeState(Phase.COUNTDOWN, fix, None, done, levels, None, elapsed_s)
            return self._state
        left = max(1, math.ceil(self.hold_s - held_s - 1e-9))
        self._state = HomeState(
            Phase.COUNTDOWN, Instruction.READY, left, done, levels, None, elapsed_s
        )
        return self._state

    def _advance(self, result: FrameResult, instruction: Instruction, t_ms: float) -> None:
        """Account for one frame of a running countdown (collect, pause, or start over)."""
        assert self._capture is not None
        self._seen += 1
        self._tally(result)
        dt_ms = 0.0 if self._prev_ms is None else t_ms - self._prev_ms
        self._prev_ms = t_ms
        if instruction is Instruction.READY:
            if self._pause_start_ms is not None:
                # Resuming: the pause ends here; this frame covers one ordinary step.
                self._paused_ms += t_ms - self._pause_start_ms
                self._pause_start_ms = None
                dt_ms = min(dt_ms, self._step_ms)
            else:
                self._step_ms = dt_ms or self._step_ms
            self._held_ms += dt_ms
            self._blink_ms = 0.0
            self._last_ready_ms = t_ms
            self._misses = 0
            self._capture.add(result)
            pose = result.pose_measured
            assert pose is not None  # READY means a person was measured
            xyv = np.column_stack([pose.xy_px, pose.visibility])
            self._window.append((result.view.view, xyv, result))
            shoulders = _shoulders(result)
            if shoulders is not None:
                self._shoulders.append(shoulders)
            return
        if only_settling(result) and self._pause_start_ms is None and not self._lapsed:
            # The gate lets the pose settle after a run of refused frames: a blink it
            # forgave stays forgiven; these frames are not collected and do not count.
            return
        self._misses += 1
        if self._pause_start_ms is None and instruction in PAUSING:
            # The pause began after the last passing frame: the failed frames before
            # this one were not a blink after all.
            self._pause_start_ms = self._last_ready_ms
            self._pause_instruction = instruction
            self._held_ms -= self._blink_ms
            self._blink_ms = 0.0
            self._lapsed = False
        if self._pause_start_ms is not None:
            gone = instruction in _GONE and t_ms - self._last_ready_ms > self.grace_ms
            if gone or t_ms - self._pause_start_ms > self.max_pause_s * 1000.0:
                self._drop_countdown()
            return
        if self._lapsed:
            if instruction in _GONE:
                self._drop_countdown()
            return
        if self._misses > 1 and t_ms - self._last_ready_ms > self.grace_ms:
            if instruction in _GONE:
                self._drop_countdown()
            else:
                self._lapsed = True
            return
        self._held_ms += dt_ms  # a blink of the tracker inside the hold
        self._blink_ms += dt_ms

    def _covered_ms(self) -> float:
        """Frame time the hold covers: each collected frame one frame step (as in
        :attr:`posture_cam.capture.averaging.AveragedCapture.elapsed_s`), pauses left out."""
        return self._held_ms + self._step_ms if self._window else 0.0

    def _moved(self, result: FrameResult) -> bool:
        """True when the shoulders are not where the collected frames had them."""
        now = _shoulders(result)
        if now is None or not self._shoulders:
            return False
        x, y, w = (float(v) for v in np.median(np.array(self._shoulders), axis=0))
        tol_px = self.move_frac * w
        return bool(math.hypot(now[0] - x, now[1] - y) > tol_px or abs(now[2] - w) > tol_px)

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
        # The most frequent reason of each check (a Reason: English words and codes).
        reasons_by_id = {
            cid: counts.most_common(1)[0][0] or None for cid, counts in self._reasons.items()
        }
        checks = tuple(
            {
                "id": cid,
                "ok": True,  # every frame whose values were used passed it
                "frames_failed": int(self._fails.get(cid, 0)),
                "reason": reasons_by_id.get(cid),
                "reasons": parts_json(reasons_by_id.get(cid)),
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
            frames_seen=self._seen,
            frames_used=capture.frames_used,
            seconds=self._covered_ms() / 1000.0,
            waited_s=elapsed_s,
            paused_s=self._paused_ms / 1000.0,
            last_result=last_used,
        )
