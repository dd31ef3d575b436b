"""The Qt-free live loop, iterated directly: fakes at the seams, no Qt, no model."""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from posture_cam import live
from posture_cam.config import PipelineConfig
from posture_cam.errors import CameraError, ModelError
from posture_cam.live.feeds import Fed
from posture_cam.live.freshness import FreshFrames
from posture_cam.pipeline import Pipeline
from posture_cam.sources import FrameSource, open_source
from posture_cam.testing import (
    PassThroughRenderer,
    ScriptedEstimator,
    StoppingCamera,
    SyntheticFrameSource,
    standing_pose,
)
from posture_cam.types import Frame, PoseEstimate

POSE = standing_pose((640, 480), "front", shoulder_tilt_deg=3.0)


class Recorder:
    """Factories that remember what they built, so tests can check who closed what."""

    def __init__(self, frames: int = 30) -> None:
        self.frames = frames
        self.sources: list[FrameSource] = []
        self.estimators: list[ScriptedEstimator] = []
        self.closed_sources = 0

    def source(self, spec: str) -> FrameSource:
        src = SyntheticFrameSource(POSE, count=self.frames, fps=30.0)
        close = src.close

        def counting_close() -> None:
            self.closed_sources += 1
            close()

        src.close = counting_close  # type: ignore[method-assign]
        self.sources.append(src)
        return src

    def pipeline(self, config: PipelineConfig, mode: str) -> Pipeline:
        estimator = ScriptedEstimator([POSE])
        self.estimators.append(estimator)
        return Pipeline(estimator, config)


def run(
    events: Iterator[live.LiveEvent],
    *,
    results: int,
    on_result=None,
    timeout_s: float = 10.0,
) -> list[live.LiveEvent]:
    """Collect events until ``results`` results arrived or the loop ended by itself."""
    seen: list[live.LiveEvent] = []
    deadline = time.monotonic() + timeout_s
    n = 0
    for event in events:
        seen.append(event)
        if isinstance(event, live.LiveResult):
            n += 1
            if on_result is not None:
                on_result(n, event)
            if n >= results:
                break
        assert time.monotonic() < deadline, "the loop did not deliver in time"
    return seen


def start(rec: Recorder, settings: live.LiveSettings | None = None, **kwargs):
    settings = settings or live.LiveSettings(PipelineConfig(), live.RenderOptions())
    stop = threading.Event()
    events = live.live_events(
        "synthetic",
        settings,
        stop.is_set,
        source_factory=kwargs.pop("source_factory", rec.source),
        pipeline_factory=kwargs.pop("pipeline_factory", rec.pipeline),
        renderer_factory=PassThroughRenderer,
        **kwargs,
    )
    return events, settings, stop


def test_video_results_in_order_then_closed():
    rec = Recorder()
    events, _settings, _stop = start(rec)
    seen = run(events, results=5)
    events.close()
    assert isinstance(seen[0], live.SourceInfo)
    assert seen[0].kind == "video" and seen[0].fps == 30.0 and seen[0].frame_count == 30
    results = [e for e in seen if isinstance(e, live.LiveResult)]
    assert [r.seq for r in results] == [1, 2, 3, 4, 5]
    assert all(r.result.person_found for r in results)
    assert results[-1].result.metrics["shoulder_tilt"].value == pytest.approx(3.0, abs=0.1)
    # Frames are played in real time: each result is due after the previous one.
    assert all(b.capture_s > a.capture_s for a, b in itertools.pairwise(results))
    assert [r.result.frame.index for r in results] == sorted(r.result.frame.index for r in results)
    # Closing the generator closes the source and the pipeline (in the caller's thread).
    assert rec.closed_sources >= 1 and rec.estimators[0].closed


def test_video_that_stops_ends_and_accounts_for_every_frame():
    rec = Recorder(frames=12)
    events, _settings, _stop = start(rec, video_end="stop", speed=4.0)
    seen = list(events)
    assert isinstance(seen[-1], live.LiveEnded)
    results = [e for e in seen if isinstance(e, live.LiveResult)]
    assert len(results) + sum(r.dropped for r in results) == 12


class SlowOnce(ScriptedEstimator):
    """The model, slow (60 ms: two frame intervals) on its fourth frame only."""

    def estimate(self, frame):
        if self.calls == 3:
            time.sleep(0.060)
        return super().estimate(frame)


def test_a_frame_that_queued_behind_a_slow_inference_is_skipped_for_a_fresh_one():
    """live.freshness in the loop: after the slow frame 3, frame 4 has waited 27 ms (more
    than half an interval) when the model is free: it is skipped (counted as dropped)
    and frame 5, due 6 ms later, meets an idle model. Every result says how long its
    frame queued for the model."""
    rec = Recorder(frames=12)

    def pipeline(config: PipelineConfig, mode: str) -> Pipeline:
        return Pipeline(SlowOnce([POSE]), config)

    events, _settings, _stop = start(rec, pipeline_factory=pipeline, video_end="stop")
    results = [e for e in events if isinstance(e, live.LiveResult)]
    indices = [r.result.frame.index for r in results]
    assert 4 not in indices
    after = results[indices.index(5)]
    assert after.dropped >= 1
    assert 0.0 < after.queued_ms < 15.0
    assert all(r.queued_ms > 0.0 for r in results)
    assert len(results) + sum(r.dropped for r in results) == 12


def test_looping_video_keeps_timestamps_increasing():
    rec = Recorder(frames=6)
    events, _settings, _stop = start(rec, speed=4.0)
    seen = run(events, results=14)
    events.close()
    times = [e.result.frame.t_ms for e in seen if isinstance(e, live.LiveResult)]
    assert len(rec.sources) >= 2, "the video was not re-opened for the next loop"
    assert all(b > a for a, b in itertools.pairwise(times))


class RestartRecorder(ScriptedEstimator):
    """A scripted estimator that logs frame indices and ``restart_stream`` calls."""

    def __init__(self) -> None:
        super().__init__([POSE])
        self.log: list[int | str] = []

    def estimate(self, frame):
        self.log.append(frame.index)
        return super().estimate(frame)

    def restart_stream(self) -> None:
        self.log.append("restart")


def test_looping_video_restarts_the_model_stream_at_each_loop_only():
    """The jump back to the clip's start must reset the model's tracking (VIDEO mode
    otherwise follows the end of the clip into its start): one restart_stream() per
    loop, right before the first frame of the new pass, none within a pass."""
    rec = Recorder(frames=6)
    estimator = RestartRecorder()

    def pipeline(config: PipelineConfig, mode: str) -> Pipeline:
        return Pipeline(estimator, config)

    events, _settings, _stop = start(rec, pipeline_factory=pipeline, speed=4.0)
    seen = run(events, results=16)
    events.close()
    log = estimator.log
    passes = len(rec.sources)
    assert passes >= 3, "the video did not loop twice"
    restarts = [k for k, entry in enumerate(log) if entry == "restart"]
    assert len(restarts) in (passes - 1, passes - 2)  # the last pass may not have a frame yet
    assert len(restarts) >= 2
    for k in restarts:
        before = [e for e in log[:k] if e != "restart"][-1]
        after = log[k + 1]
        assert isinstance(after, int) and isinstance(before, int)
        assert after < before, f"restart_stream() mid-pass: {log}"
    # Within a pass the frame index only grows: no restart was missed.
    for a, b in itertools.pairwise(log):
        if a != "restart" and b != "restart":
            assert b > a, f"a new pass without restart_stream(): {log}"
    assert sum(isinstance(e, live.LiveResult) for e in seen) == 16


def test_new_config_rebuilds_state_but_keeps_the_estimator():
    rec = Recorder()

    def on_result(n: int, _event: live.LiveResult) -> None:
        if n == 3:
            settings.set_config(dataclasses.replace(settings.snapshot().config, view="left"))

    events, settings, _stop = start(rec)
    seen = run(events, results=8, on_result=on_result)
    events.close()
    views = [(e.result.view.forced, str(e.result.view.view)) for e in seen[1:]]
    assert views[:3] == [(False, "front")] * 3
    assert views[-1] == (True, "left")
    # One estimator throughout (the model may already be on the next frame).
    assert len(rec.estimators) == 1 and rec.estimators[0].calls >= 8


def test_render_options_mirror_and_shrink_the_display_only():
    rec = Recorder()

    def on_result(n: int, _event: live.LiveResult) -> None:
        if n == 2:
            settings.set_render(live.RenderOptions(mirror=True, display_wh=(320, 400)))

    events, settings, _stop = start(rec)
    seen = run(events, results=5, on_result=on_result)
    events.close()
    first, last = seen[1], seen[-1]
    assert isinstance(first, live.LiveResult) and isinstance(last, live.LiveResult)
    assert first.image_bgr.shape == (480, 640, 3)
    assert last.image_bgr.shape == (240, 320, 3)  # fit inside 320x400, aspect kept
    frame = cv2.resize(last.result.frame.image_bgr, (320, 240), interpolation=cv2.INTER_LINEAR)
    np.testing.assert_array_equal(last.image_bgr, frame[:, ::-1])
    # The copy the GUI paints without converting: the same pixels, B, G, R, 255.
    assert last.display_bgrx is not None and last.display_bgrx.shape == (240, 320, 4)
    np.testing.assert_array_equal(last.display_bgrx[..., :3], last.image_bgr)
    assert (last.display_bgrx[..., 3] == 255).all()
    # Inference saw the un-mirrored frame.
    np.testing.assert_allclose(last.result.pose_image.xy_px, POSE.xy_px, equal_nan=True)


def test_still_is_processed_once_and_again_after_a_settings_change(tmp_path):
    photo = tmp_path / "still.png"
    cv2.imwrite(str(photo), np.full((240, 320, 3), 90, np.uint8))
    rec = Recorder()
    settings = live.LiveSettings(PipelineConfig(), live.RenderOptions())
    stop = threading.Event()
    events = live.live_events(
        str(photo),
        settings,
        stop.is_set,
        source_factory=open_source,
        pipeline_factory=rec.pipeline,
        renderer_factory=PassThroughRenderer,
    )
    assert isinstance(next(events), live.SourceInfo)
    first = next(events)
    assert isinstance(first, live.LiveResult) and first.seq == 1
    timer = threading.Timer(0.1, settings.set_config, [PipelineConfig(view="back")])
    timer.start()
    t0 = time.perf_counter()
    second = next(events)  # blocks until the settings change
    assert time.perf_counter() - t0 >= 0.09
    assert isinstance(second, live.LiveResult) and second.seq == 2
    assert second.result.view.forced and str(second.result.view.view) == "back"
    stop.set()
    assert list(events) == []  # a stop request ends the wait
    assert rec.estimators[0].closed


def test_stop_request_ends_the_loop_promptly():
    rec = Recorder(frames=10_000)
    events, _settings, stop = start(rec)
    run(events, results=2)
    stop.set()
    t0 = time.perf_counter()
    rest = list(events)
    assert time.perf_counter() - t0 < 0.2
    assert not [e for e in rest if isinstance(e, live.LiveError)]


def test_lost_camera_is_reported():
    rec = Recorder()
    events, _settings, _stop = start(rec, source_factory=lambda spec: StoppingCamera(frames=4))
    seen = list(events)
    assert seen[0].kind == "camera"
    error = seen[-1]
    assert isinstance(error, live.LiveError) and error.kind == "camera_lost"
    assert "unplugged" in error.message
    assert 1 <= sum(isinstance(e, live.LiveResult) for e in seen) <= 4


def _raise(exc: Exception):
    def factory(*_args):
        raise exc

    return factory


@pytest.mark.parametrize(
    ("where", "exc", "kind"),
    [
        ("source", CameraError("camera 3: cannot open"), "camera"),
        ("pipeline", ModelError("no model: run posture-cam models fetch"), "model"),
        ("pipeline", RuntimeError("model exploded"), "bug"),
    ],
)
def test_failures_become_one_error_event(where, exc, kind):
    rec = Recorder()
    factory = {f"{where}_factory": _raise(exc)}
    events, _settings, _stop = start(rec, **factory)
    seen = list(events)
    assert isinstance(seen[-1], live.LiveError)
    assert seen[-1].kind == kind and str(exc) in seen[-1].message
    if where == "pipeline":
        assert rec.closed_sources == 1  # the opened source is closed on failure


def test_fit_size_keeps_aspect_and_never_enlarges():
    assert live.fit_size((1280, 720), (640, 640)) == (640, 360)
    assert live.fit_size((640, 480), (1920, 1080)) == (640, 480)
    assert live.fit_size((640, 480), None) == (640, 480)
    assert live.fit_size((640, 480), (0, 100)) == (640, 480)


def test_settings_versions_grow_with_every_change():
    settings = live.LiveSettings(PipelineConfig(), live.RenderOptions())
    v0 = settings.snapshot()
    settings.set_render(live.RenderOptions(mirror=True))
    settings.set_config(PipelineConfig(view="left"))
    v2 = settings.snapshot()
    assert (v0.version, v2.version) == (0, 2)
    assert v2.render.mirror and v2.config.view == "left" and v0.config.view is None


class _OneAtATime:
    """An estimator that takes one frame at a time (no ``submit``)."""

    def estimate(self, frame: Frame) -> PoseEstimate:
        raise AssertionError("not called")


class _Pipelined(_OneAtATime):
    """An estimator that takes frames while it works (as the model's process does)."""

    slots = 3

    def submit(self, frame: Frame, due_s=None, max_wait_s=None) -> None: ...

    def submit_restart(self) -> None: ...

    def collect_next(self):
        raise AssertionError("not called")


def _late_then_fresh():
    image = np.zeros((2, 2, 3), np.uint8)
    now = time.perf_counter()
    frames = iter(
        [
            Fed(Frame(image, 0, 0.0, "clip"), now - 0.030),  # waited 30 ms > 16.7 ms
            Fed(Frame(image, 1, 33.4, "clip"), now + 0.003),
        ]
    )
    return lambda _should_stop: next(frames, None)


def test_the_skip_rule_is_applied_once_by_the_model_process_when_it_is_pipelined():
    """A pipelined model process skips a frame that waited too long itself, so the loop
    hands it every frame; only an estimator that takes one frame at a time gets the
    loop's FreshFrames. Both would spend two rations (up to 8 % of the frames)."""
    interval_s = 1 / 30
    feed = _late_then_fresh()
    next_frame, max_wait_s = live.loop.frame_picker(_Pipelined(), feed, interval_s)
    assert next_frame is feed
    assert max_wait_s == pytest.approx(interval_s / 2)
    assert next_frame(lambda: False).frame.index == 0  # the late frame goes to the model

    next_frame, max_wait_s = live.loop.frame_picker(_OneAtATime(), _late_then_fresh(), interval_s)
    assert isinstance(next_frame, FreshFrames)
    assert max_wait_s == pytest.approx(interval_s / 2)
    assert next_frame(lambda: False).frame.index == 1  # the late frame is skipped here
