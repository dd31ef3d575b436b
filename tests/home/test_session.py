"""Home check state machine: guidance, automatic capture, no key press (synthetic poses)."""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pytest

from posture_cam.home.guidance import Instruction, hands_raised
from posture_cam.home.session import HomeCheckSession, Phase
from posture_cam.landmarks import LM
from posture_cam.metrics.quality import QualityGate
from posture_cam.pipeline import Pipeline
from posture_cam.testing import ScriptedEstimator, upper_body_pose
from posture_cam.types import Frame, Pose

FPS = 25.0
#: Frames the gate keeps refusing ("settling") after a run of refused ones: 0.3 s.
SETTLE_FRAMES = int(QualityGate().settle_ms // (1000.0 / FPS))
FIXED_NOW = _dt.datetime(2026, 3, 1, 9, 30, tzinfo=_dt.timezone(_dt.timedelta(hours=1)))


def _upper_body(shoulder_tilt_deg: float = 0.0, dy_px: float = 0.0) -> Pose:
    return upper_body_pose((640, 480), shoulder_tilt_deg, dy_px)


def _raised_hand() -> Pose:
    pose = _upper_body()
    xy = pose.xy_px.copy()
    xy[LM.RIGHT_WRIST] = xy[LM.RIGHT_EAR] + (0.0, -10.0)  # waving beside the face
    return Pose.from_arrays(xy, (640, 480))


def _run(poses: list[Pose | None], session: HomeCheckSession):
    image = np.zeros((480, 640, 3), np.uint8)
    states = []
    with Pipeline(ScriptedEstimator(poses)) as pipeline:
        for i in range(len(poses)):
            frame = Frame(image, i, i * 1000.0 / FPS, "synthetic")
            states.append(session.feed(pipeline.process(frame)))
    return states


def test_guides_then_captures_after_two_still_seconds_without_a_key():
    poses = [None] * 10 + [_upper_body(4.0)] * 80
    states = _run(poses, HomeCheckSession(hold_s=2.0, now=lambda: FIXED_NOW))
    assert states[0].phase is Phase.GUIDING
    assert states[0].instruction is Instruction.STEP_INTO_VIEW
    phases = [s.phase for s in states]
    first_countdown = phases.index(Phase.COUNTDOWN)
    captured_at = phases.index(Phase.CAPTURED)
    assert first_countdown == 10
    # 2 s at 25 fps = 50 frames covered; the 50th frame completes the capture.
    assert captured_at == first_countdown + 49
    assert [s.countdown for s in states[first_countdown:captured_at]] == [2] * 25 + [1] * 24
    capture = states[-1].capture
    assert capture is not None and capture.time == FIXED_NOW
    assert str(capture.view) == "front" and capture.framing == "upper_body"
    # only head and shoulder metrics; the synthetic 4° tilt comes back
    assert set(capture.measurements) == {"head_tilt", "shoulder_tilt"}
    assert capture.measurements["shoulder_tilt"].value == pytest.approx(4.0, abs=0.05)
    assert capture.measurements["shoulder_tilt"].n == 50
    assert capture.frames_used == 50
    assert capture.waited_s == pytest.approx(captured_at / FPS)
    # captured is sticky until restart
    assert states[-1].phase is Phase.CAPTURED


def test_moving_restarts_the_countdown_and_says_hold_still():
    still = [_upper_body()] * 30
    moving = [_upper_body(dy_px=30.0 * (i % 2)) for i in range(20)]
    states = _run(still + moving + still * 3, HomeCheckSession(hold_s=2.0))
    assert any(s.instruction is Instruction.HOLD_STILL for s in states[30:50])
    # Until a still frame decides it, the lapse keeps the bar; then it starts over.
    assert all(s.progress >= 0.5 and s.countdown is None for s in states[45:50])
    restart = next(i for i in range(50, 90) if states[i].countdown is not None)
    assert states[restart].progress < 0.05
    assert all(s.phase is not Phase.CAPTURED for s in states[:50])
    assert states[-1].phase is Phase.CAPTURED
    assert states[-1].capture.measurements["shoulder_tilt"].sd == pytest.approx(0.0, abs=1e-6)


def test_raised_hand_says_lower_your_hands_and_blocks_capture():
    states = _run([_raised_hand()] * 80, HomeCheckSession(hold_s=2.0))
    assert all(s.instruction is Instruction.LOWER_HANDS for s in states)
    assert all(s.phase is Phase.GUIDING for s in states)


def test_hands_raised_geometry():
    image = np.zeros((480, 640, 3), np.uint8)
    with Pipeline(ScriptedEstimator([_raised_hand(), _upper_body()])) as pipeline:
        up = pipeline.process(Frame(image, 0, 0.0, "s"))
        down = pipeline.process(Frame(image, 1, 40.0, "s"))
    assert hands_raised(up) and not hands_raised(down)


def test_cut_off_at_the_bottom_says_move_back():
    pose = _upper_body(dy_px=200.0)  # shoulders below the picture
    states = _run([pose] * 5, HomeCheckSession())
    assert states[-1].instruction is Instruction.MOVE_BACK


def test_restart_starts_a_new_check():
    session = HomeCheckSession(hold_s=0.5)
    states = _run([_upper_body()] * 20, session)
    assert states[-1].phase is Phase.CAPTURED
    session.restart()
    assert session.state.phase is Phase.GUIDING and session.state.capture is None


def test_time_going_back_drops_the_countdown():
    session = HomeCheckSession(hold_s=2.0)
    pose = _upper_body()
    image = np.zeros((480, 640, 3), np.uint8)
    with Pipeline(ScriptedEstimator([pose])) as pipeline:
        for i in range(30):  # 1.2 s into the countdown
            state = session.feed(pipeline.process(Frame(image, i, i * 40.0, "s")))
        assert state.phase is Phase.COUNTDOWN and state.progress > 0.5
        pipeline.reset()
        state = session.feed(pipeline.process(Frame(image, 0, 0.0, "s")))  # the clip loops
    assert state.phase is Phase.COUNTDOWN and state.progress == 0.0


def test_a_slow_machine_waits_for_enough_frames_and_forgives_one_bad_frame():
    # 4 frames a second: 2 s hold = 8 frames; min_frames=10 extends it to 2.5 s.
    image = np.zeros((480, 640, 3), np.uint8)
    poses = [_upper_body()] * 6 + [None] + [_upper_body()] * 20
    session = HomeCheckSession(hold_s=2.0, min_frames=10)
    with Pipeline(ScriptedEstimator(poses)) as pipeline:
        states = [
            session.feed(pipeline.process(Frame(image, i, i * 250.0, "s")))
            for i in range(len(poses))
        ]
    phases = [s.phase for s in states]
    assert phases[6] is Phase.COUNTDOWN  # one lost frame 250 ms long did not restart it
    captured_at = phases.index(Phase.CAPTURED)
    assert captured_at == 10  # 10 usable frames (frames 0-5 and 7-10), 2.75 s
    assert states[captured_at].capture.frames_used == 10


def test_a_short_blink_and_the_gates_settling_after_it_do_not_restart_the_hold():
    hidden = _upper_body()
    xy = hidden.xy_px.copy()
    xy[LM.LEFT_EAR] = np.nan  # the tracker loses an ear for 5 frames (160 ms)
    hidden = Pose.from_arrays(xy, (640, 480))
    poses = [_upper_body()] * 20 + [hidden] * 5 + [_upper_body()] * 60
    states = _run(poses, HomeCheckSession(hold_s=2.0))
    # the blink and the settling after it are not shown: the countdown stays, its
    # progress waits while the settling frames are left out
    assert all(s.phase is Phase.COUNTDOWN for s in states[: 25 + SETTLE_FRAMES])
    assert all(s.instruction is Instruction.READY for s in states[: 25 + SETTLE_FRAMES])
    settling = states[25 : 25 + SETTLE_FRAMES]
    assert len({s.progress for s in settling}) == 1
    phases = [s.phase for s in states]
    captured_at = phases.index(Phase.CAPTURED)
    capture = states[captured_at].capture
    # nothing started over: the 20 frames before the blink are in the capture
    assert capture.frames_used == captured_at + 1 - 5 - SETTLE_FRAMES
    assert capture.frames_seen == captured_at + 1


def test_raised_hands_pause_the_hold_and_keep_the_collected_part():
    poses = [_upper_body()] * 30 + [_raised_hand()] * 30 + [_upper_body()] * 40
    states = _run(poses, HomeCheckSession(hold_s=2.0))
    paused = states[30:60]
    assert all(s.phase is Phase.COUNTDOWN and s.countdown is None for s in paused)
    assert all(s.instruction is Instruction.LOWER_HANDS for s in paused)
    # 30 frames collected before the pause: 29 steps of 40 ms of the 2 s
    assert all(s.progress == pytest.approx(29 * 40 / 2000) for s in paused)
    # lowered: the gate lets the pose settle for 0.3 s, still paused, saying hold still
    settling = states[60 : 60 + SETTLE_FRAMES]
    assert SETTLE_FRAMES == 7
    assert all(s.phase is Phase.COUNTDOWN and s.countdown is None for s in settling)
    assert all(s.instruction is Instruction.HOLD_STILL for s in settling)
    phases = [s.phase for s in states]
    # the hold goes on: 30 + 20 frames cover 2 s, the pause and the settling left out
    resumed = 60 + SETTLE_FRAMES
    assert phases.index(Phase.CAPTURED) == resumed + 19
    capture = states[-1].capture
    assert capture.frames_used == 50 and capture.measurements["shoulder_tilt"].n == 50
    assert capture.frames_seen == resumed + 20  # the paused frames were seen, not used
    assert capture.seconds == pytest.approx(2.0)
    assert capture.paused_s == pytest.approx((resumed - 29) * 40 / 1000)
    assert capture.waited_s == pytest.approx((resumed + 19) / FPS)


def test_moving_during_the_pause_starts_the_hold_over():
    moved = _upper_body(dy_px=60.0)
    width = np.linalg.norm(moved.xy_px[LM.LEFT_SHOULDER] - moved.xy_px[LM.RIGHT_SHOULDER])
    assert 0.08 * width < 60.0  # beyond the session's tolerance
    poses = [_upper_body()] * 30 + [_raised_hand()] * 30 + [moved] * 80
    states = _run(poses, HomeCheckSession(hold_s=2.0))
    resumed = next(i for i in range(60, 140) if states[i].instruction is Instruction.READY)
    assert states[resumed].progress == 0.0  # started over, nothing kept
    assert states[resumed - 1].progress > 0.5  # (the pause had kept 58 %)
    phases = [s.phase for s in states]
    assert phases.index(Phase.CAPTURED) == resumed + 49
    assert states[-1].capture.frames_used == 50 and states[-1].capture.paused_s == 0.0


def test_a_pause_longer_than_max_pause_starts_over():
    poses = [_upper_body()] * 30 + [_raised_hand()] * 80 + [_upper_body()] * 60
    states = _run(poses, HomeCheckSession(hold_s=2.0, max_pause_s=3.0))
    # 3 s = 75 frames after the last collected frame (29): the hold is dropped
    assert states[29 + 75].phase is Phase.COUNTDOWN
    assert states[29 + 76].phase is Phase.GUIDING
    assert states[29 + 76].instruction is Instruction.LOWER_HANDS
    phases = [s.phase for s in states]
    assert phases.index(Phase.CAPTURED) == 110 + SETTLE_FRAMES + 49
    assert states[-1].capture.frames_used == 50


def test_leaving_during_the_pause_starts_over():
    poses = [_upper_body()] * 30 + [_raised_hand()] * 10 + [None] * 20 + [_upper_body()] * 60
    states = _run(poses, HomeCheckSession(hold_s=2.0))
    assert states[55].phase is Phase.GUIDING
    assert states[55].instruction is Instruction.STEP_INTO_VIEW
    phases = [s.phase for s in states]
    assert phases.index(Phase.CAPTURED) == 60 + 49


def test_an_arm_on_its_way_up_that_fails_other_checks_first_still_pauses():
    # The arm rising often fails other checks for a few frames before arms_clear (more
    # so at a low frame rate): when raised hands follow, it is one pause, not a restart.
    moving = [_upper_body(dy_px=30.0 * (i % 2)) for i in range(10)]
    poses = [_upper_body()] * 30 + moving + [_raised_hand()] * 20 + [_upper_body()] * 40
    states = _run(poses, HomeCheckSession(hold_s=2.0))
    # Lapsed: undecided, so the bar keeps its part and the number is hidden (before,
    # it fell to 0, "starting over", and came back when the hands explained it).
    lapsed = states[38]
    assert lapsed.phase is Phase.COUNTDOWN and lapsed.countdown is None
    assert lapsed.progress >= 30 * 40 / 2000
    assert all(s.phase is Phase.COUNTDOWN for s in states[30:60])
    assert states[45].phase is Phase.COUNTDOWN
    assert states[45].instruction is Instruction.LOWER_HANDS
    # kept: 31 frames (the first "moving" one sits where the still ones do)
    assert states[45].progress == pytest.approx(30 * 40 / 2000)
    resumed = next(i for i in range(60, 100) if states[i].instruction is Instruction.READY)
    phases = [s.phase for s in states]
    assert phases.index(Phase.CAPTURED) == resumed + 18
    assert states[-1].capture.frames_used == 50


def test_the_exported_picture_draws_the_averaged_value_in_its_own_status_colour():
    # The picture took the median value but kept the last frame's status: a borderline
    # 2.7° drawn red when the last frame read 3.1° "outside" (and the reverse).
    import dataclasses

    from posture_cam.home.check_file import skeleton_result
    from posture_cam.types import MetricStatus

    states = _run([_upper_body(4.0)] * 80, HomeCheckSession(hold_s=2.0, now=lambda: FIXED_NOW))
    capture = states[-1].capture
    assert capture.last_result.metrics["shoulder_tilt"].status is MetricStatus.OUTSIDE
    borderline = dataclasses.replace(
        capture.measurements["shoulder_tilt"], value=2.0, status="borderline"
    )
    capture = dataclasses.replace(
        capture, measurements={**capture.measurements, "shoulder_tilt": borderline}
    )
    drawn = skeleton_result(capture).metrics["shoulder_tilt"]
    assert drawn.value == 2.0 and drawn.status is MetricStatus.BORDERLINE
