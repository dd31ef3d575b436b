"""ProcessEstimator: the pose model in a child process, on the real model and media."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from posture_cam.config import PipelineConfig
from posture_cam.errors import ModelError
from posture_cam.pose import PoseEstimator, process_spare
from posture_cam.pose.process import SLOTS, ProcessEstimator, discard_spare, start_early
from posture_cam.runtime import cpu_placement
from posture_cam.sources import ImageSource, VideoFileSource
from posture_cam.types import Frame, PoseEstimate

pytestmark = pytest.mark.media

PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
VIDEO = "videos/video_tfjs_pose_1_woman_dancing_frontal_4s.mp4"
REPO = Path(__file__).resolve().parents[2]
#: Largest landmark difference (px) allowed between the two estimators on one input.
#: Measured: 0.0 (the child runs the same PoseEstimator on the same pixels).
SAME_PX = 1e-6


def _video_frames(path: Path, count: int) -> list[Frame]:
    with VideoFileSource(path) as src:
        frames = []
        for frame in src:
            frames.append(frame)
            if len(frames) == count:
                return frames
    return frames


def _max_difference_px(a: PoseEstimate, b: PoseEstimate) -> float:
    assert (a.pose is None) == (b.pose is None)
    if a.pose is None or b.pose is None:
        return 0.0
    assert np.array_equal(np.isnan(a.pose.xy_px), np.isnan(b.pose.xy_px))
    finite = np.isfinite(a.pose.xy_px)
    return float(np.max(np.abs(a.pose.xy_px[finite] - b.pose.xy_px[finite]), initial=0.0))


def _gone(pid: int) -> bool:
    """The process no longer exists (not even as a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("X",)


def test_a_photo_gives_the_same_landmarks_as_in_process(model_path, media):
    """Stills: fourteen passes (flip + rotations) as the app runs them."""
    options = PipelineConfig().estimator_options()
    with ImageSource(media(PHOTO)) as src:
        (frame,) = list(src)
    with PoseEstimator(model_path, mode="image", **options) as local:
        expected = local.estimate(frame)
    with ProcessEstimator(model_path, mode="image", **options) as remote:
        got = remote.estimate(frame)
    assert got.pose is not None and got.num_people == expected.num_people == 1
    assert _max_difference_px(got, expected) <= SAME_PX
    assert got.pose.resolution_wh == frame.resolution_wh


def test_a_video_gives_the_same_landmarks_and_restart_is_forwarded(model_path, media):
    """VIDEO mode frame by frame, then a restart of the stream (a looped video) and
    the clip's start again with increasing timestamps: the same in both processes."""
    frames = _video_frames(media(VIDEO), 20)
    assert len(frames) == 20
    again = [Frame(f.image_bgr, f.index, f.t_ms + 10_000.0, f.source_id) for f in frames[:8]]
    differences = []
    with (
        PoseEstimator(model_path, mode="video", num_poses=1) as local,
        ProcessEstimator(model_path, mode="video", num_poses=1) as remote,
    ):
        for frame in frames:
            differences.append(_max_difference_px(remote.estimate(frame), local.estimate(frame)))
        local.restart_stream()
        remote.restart_stream()
        for frame in again:
            differences.append(_max_difference_px(remote.estimate(frame), local.estimate(frame)))
    assert max(differences) <= SAME_PX


def test_restart_stream_changes_what_the_child_returns(model_path, media):
    """Without a restart, tracking carries over (the estimates differ from those after
    a restart): so the test above would notice a restart that is not forwarded."""
    frames = _video_frames(media(VIDEO), 20)
    jump = [Frame(f.image_bgr, f.index, f.t_ms + 10_000.0, f.source_id) for f in frames[:3]]
    results = []
    for restart in (False, True):
        with ProcessEstimator(model_path, mode="video", num_poses=1) as remote:
            for frame in frames:
                remote.estimate(frame)
            if restart:
                remote.restart_stream()
            results.append([remote.estimate(frame) for frame in jump])
    assert max(_max_difference_px(a, b) for a, b in zip(*results, strict=True)) > 0.01


def test_close_leaves_no_child_and_no_shared_memory(model_path, media):
    frames = _video_frames(media(VIDEO), 2)
    small = Frame(np.ascontiguousarray(frames[0].image_bgr[::2, ::2]), 2, 80.0, "small")
    remote = ProcessEstimator(model_path, mode="video", num_poses=1)
    pid = remote.pid
    assert pid is not None and not _gone(pid)
    remote.estimate(frames[0])
    first = remote.shared_memory_names
    assert len(first) == SLOTS and all(Path("/dev/shm", n).exists() for n in first)
    remote.estimate(frames[1])
    remote.estimate(small)  # another size: new slots, the old ones unlinked at once
    second = remote.shared_memory_names
    assert set(first).isdisjoint(second)
    assert not any(Path("/dev/shm", n).exists() for n in first)
    remote.close()
    assert remote.closed and remote.pid is None
    assert _gone(pid)
    assert not any(Path("/dev/shm", n).exists() for n in second)
    with pytest.raises(RuntimeError, match="after close"):
        remote.estimate(frames[0])
    remote.close()  # twice is harmless


def test_close_without_waiting_returns_before_the_child_has_ended(model_path, media):
    """The live loop's close: the slots are unlinked and the estimator closed at once,
    the child ends (joined by a daemon thread) shortly after, never left behind."""
    frames = _video_frames(media(VIDEO), 1)
    remote = ProcessEstimator(model_path, mode="video", num_poses=1)
    pid = remote.pid
    remote.estimate(frames[0])
    names = remote.shared_memory_names
    remote.close(wait=False)
    assert pid is not None and not _gone(pid)  # MediaPipe's shutdown takes >= 30 ms
    assert remote.closed and not any(Path("/dev/shm", n).exists() for n in names)
    deadline = time.monotonic() + 10.0
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _gone(pid)


STREET = "videos/video_openpose_paris_street_woman_with_sign_multi.avi"


def test_a_stream_counts_the_people_beside_the_model_not_in_its_way(model_path, media):
    """num_poses > 1: the child tracks one person and counts the others on a thread of
    its own (pose.crowd_counter), so a frame's reply never waits for a count: the first
    frame's reply has none yet, later ones have the pedestrians behind the woman (as
    the in-process estimator counts them, tests/pose/test_estimator.py)."""
    frames = _video_frames(media(STREET), 120)
    with ProcessEstimator(model_path, mode="video", num_poses=3) as remote:
        estimates = [remote.estimate(frame) for frame in frames]
        # The counter runs at nice 19: on a busy machine its first check lands late
        # (it loads its own landmarker first, at that priority too: at load 6 no check
        # had landed after 60 s of replaying the clip). Leave it the CPU and ask now and
        # then, with a frame of the clip's second half at a later time (a check due),
        # until one has landed.
        deadline, shift_ms = time.monotonic() + 240.0, 0.0
        while max(e.num_people for e in estimates) < 2 and time.monotonic() < deadline:
            time.sleep(0.25)
            shift_ms += 10_000.0
            f = frames[60 + len(estimates) % 60]
            estimates.append(
                remote.estimate(Frame(f.image_bgr, f.index, f.t_ms + shift_ms, f.source_id))
            )
    assert estimates[0].people_counted == 0
    assert all(len(e.all_poses) <= 1 for e in estimates)  # the stream tracks one person
    assert max(e.num_people for e in estimates) >= 2
    with ProcessEstimator(model_path, mode="video", num_poses=3) as remote:
        alone = [remote.estimate(frame).num_people for frame in _video_frames(media(VIDEO), 60)]
    assert set(alone) == {1}


def test_a_killed_child_is_one_clear_error_not_a_hang(model_path, media):
    frames = _video_frames(media(VIDEO), 3)
    with ProcessEstimator(model_path, mode="video", num_poses=1) as remote:
        remote.estimate(frames[0])
        pid = remote.pid
        assert pid is not None
        names = remote.shared_memory_names
        os.kill(pid, signal.SIGKILL)
        t0 = time.monotonic()
        with pytest.raises(ModelError) as info:
            remote.estimate(frames[1])
        assert time.monotonic() - t0 < 5.0
        message = str(info.value)
        assert "\n" not in message
        assert "pose model process stopped unexpectedly (exit code -9)" in message
        assert "restart the app" in message
    assert _gone(pid)
    assert not any(Path("/dev/shm", n).exists() for n in names)


def _in_process_error(model: Path) -> str:
    """The in-process estimator's error line, from a subprocess (MediaPipe leaves a
    thread behind after a failed load, which this test session would count)."""
    code = (
        "import sys\n"
        "from posture_cam.pose import PoseEstimator\n"
        "try:\n"
        "    PoseEstimator(sys.argv[1], mode='video')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc, sep='|')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", code, str(model)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return out.stdout.strip()


@pytest.mark.parametrize("content", [b"not a model at all", None])
def test_a_bad_model_file_is_the_same_error_as_in_process(tmp_path, content):
    model = tmp_path / "broken.task"
    if content is not None:
        model.write_bytes(content)
    with pytest.raises(ModelError) as remote:
        ProcessEstimator(model, mode="video")
    assert f"ModelError|{remote.value}" == _in_process_error(model)
    assert str(model) in str(remote.value)


def test_an_early_started_child_is_adopted(model_path, media):
    """start_early loads the model in the background; the estimator takes that child
    (the same process), also when it asks for other options (re-opened there)."""
    frames = _video_frames(media(VIDEO), 1)
    start_early(model_path, mode="video", num_poses=1)
    spare = process_spare.take_spare()
    assert spare is not None
    spare_pid = spare.pid
    with process_spare._spare_lock:
        process_spare._spare = spare  # put it back for the estimator
    with ProcessEstimator(model_path, mode="video", num_poses=2) as remote:
        assert remote.pid == spare_pid
        assert remote.estimate(frames[0]).pose is not None
    assert spare_pid is not None and _gone(spare_pid)
    start_early(model_path, mode="video")
    discard_spare()
    assert process_spare.take_spare() is None


_ORPHAN = """
import os, sys, time
from posture_cam.pose.process import ProcessEstimator
if __name__ == "__main__":
    estimator = ProcessEstimator(sys.argv[1], mode="video", num_poses=1)
    print(estimator.pid, flush=True)
    time.sleep(60)
"""


def test_the_child_dies_with_its_parent(model_path, tmp_path):
    """The app killed hard (no close): the child must not outlive it."""
    script = tmp_path / "orphan.py"
    script.write_text(_ORPHAN)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    parent = subprocess.Popen(
        [sys.executable, str(script), str(model_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert parent.stdout is not None
        child_pid = int(parent.stdout.readline())
        assert not _gone(child_pid)
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 10.0
        while not _gone(child_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(child_pid)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)


_PLACED = """
import json, os, sys, time
from pathlib import Path
import numpy as np
from posture_cam.runtime import cpu_placement
from posture_cam.pose.process import ProcessEstimator, start_early
from posture_cam.types import Frame
def cpu_sets(pid):
    tasks = list(Path(f"/proc/{pid}/task").iterdir())
    sets, idle = set(), set()
    for t in tasks:
        try:
            cpus = tuple(sorted(os.sched_getaffinity(int(t.name))))
            if os.getpriority(os.PRIO_PROCESS, int(t.name)) == 19:
                idle.add(cpus)
        except OSError:
            continue  # the thread ended meanwhile
        sets.add(cpus)
    return sorted(sets), sorted(idle), len(tasks)
if __name__ == "__main__":
    model, place, early = sys.argv[1], sys.argv[2] == "place", sys.argv[3] == "early"
    poses = int(sys.argv[4])
    available = sorted(os.sched_getaffinity(0))
    if place:
        cpu_placement.place_live_app()
    if early:
        start_early(model, mode="video", num_poses=poses)
    with ProcessEstimator(model, mode="video", num_poses=poses) as remote:
        black = np.zeros((480, 640, 3), np.uint8)
        remote.estimate(Frame(black, 0, 0.0, "black"))
        child, idle, threads = cpu_sets(remote.pid)
        # With more than one pose the crowd count's thread starts its own landmarker
        # beside the stream (pose.crowd_counter): wait until its threads exist.
        deadline, index = time.monotonic() + 60.0, 1
        while poses > 1 and len(child) < 2 and time.monotonic() < deadline:
            remote.estimate(Frame(black, index, index * 33.0, "black"))
            index += 1
            time.sleep(0.05)
            child, idle, threads = cpu_sets(remote.pid)
        got = {"available": available, "child": child, "idle": idle, "threads": threads}
        print(json.dumps(got))
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity on this OS")
@pytest.mark.parametrize(
    ("place", "early", "poses"),
    [("place", "early", 1), ("place", "direct", 1), ("no", "early", 1), ("place", "direct", 3)],
)
def test_the_live_apps_model_process_runs_on_a_cpu_of_its_own(
    model_path, tmp_path, place, early, poses
):
    """After cpu_placement.place_live_app every thread of the model's process (MediaPipe's
    too) runs on the model's CPU, whether the child was started early or by the
    estimator; without it (the batch CLI) the child may use every CPU. With more than
    one pose, the crowd count's thread and its landmarker's threads run on the app's
    CPUs (pose.crowd_counter), never beside the model on its CPU, and at the lowest
    priority (nice 19); the model's threads never are."""
    script = tmp_path / "placed.py"
    script.write_text(_PLACED)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop(cpu_placement.ENV_SWITCH, None)
    out = subprocess.run(
        [sys.executable, str(script), str(model_path), place, early, str(poses)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["threads"] > 1  # MediaPipe's threads were started and are counted
    planned = cpu_placement.plan(got["available"], enabled=place == "place")
    if not planned.pinned:
        assert got["child"] == [got["available"]]
    elif poses == 1:
        assert got["child"] == [sorted(planned.model_cpus or [])]
    else:
        assert got["child"] == sorted(
            [sorted(planned.app_cpus or []), sorted(planned.model_cpus or [])]
        )
    # Only the crowd count (poses > 1) runs at nice 19, on the app's CPUs when placed.
    if poses == 1:
        assert got["idle"] == []
    else:
        assert got["idle"] == [sorted(planned.app_cpus or got["available"])]


def test_frames_handed_over_while_the_model_works_are_answered_in_order(model_path, media):
    """Pipelined: three frames submitted back to back, then answered in order. The
    model takes the newest of those that wait (an older one is answered None,
    'skipped'); the last one is never skipped (nothing newer waits), and every frame
    it did take gives the landmarks of its own pixels (the same as in-process)."""
    frames = _video_frames(media(VIDEO), SLOTS * 4)
    answers = []
    with ProcessEstimator(model_path, mode="image", num_poses=1) as remote:
        for start in range(0, len(frames), SLOTS):
            batch = frames[start : start + SLOTS]
            for frame in batch:
                remote.submit(frame)
            assert remote.in_flight == SLOTS
            answers.append([(frame, *remote.collect_next()) for frame in batch])
            assert remote.in_flight == 0
    with PoseEstimator(model_path, mode="image", num_poses=1) as local:
        for batch in answers:
            _, last_estimate, _ = batch[-1]
            assert last_estimate is not None
            for frame, estimate, started_s in batch:
                assert started_s > 0.0
                if estimate is not None:
                    assert _max_difference_px(estimate, local.estimate(frame)) <= SAME_PX


def test_a_frame_that_waited_too_long_is_skipped_rationed(model_path, media):
    """A live frame due 1 s ago with 16 ms allowed: the model skips it while it has
    saved-up skips (two), then takes such frames; a frame on time is always taken."""
    frames = _video_frames(media(VIDEO), 5)
    with ProcessEstimator(model_path, mode="video", num_poses=1) as remote:
        taken = []
        for frame in frames[:4]:
            remote.submit(frame, due_s=time.perf_counter() - 1.0, max_wait_s=0.016)
            taken.append(remote.collect_next()[0] is not None)
        remote.submit(frames[4], due_s=time.perf_counter(), max_wait_s=0.016)
        on_time, _ = remote.collect_next()
    assert taken == [False, False, True, True]
    assert on_time is not None and on_time.pose is not None
