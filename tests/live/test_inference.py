"""InferenceThread: the model's thread of the live loop (fakes, no model, no Qt)."""

from __future__ import annotations

import queue
import threading
import time

import numpy as np

from posture_cam import live
from posture_cam.live.feeds import Fed
from posture_cam.live.inference import InferenceThread
from posture_cam.live.loop import draw_live, fit_to_display
from posture_cam.pipeline import Pipeline
from posture_cam.testing import PassThroughRenderer, ScriptedEstimator, standing_pose
from posture_cam.types import Frame

POSE = standing_pose((640, 480), "front")


class SubmittingEstimator(ScriptedEstimator):
    """Runs elsewhere (as the model's process does): submit, then collect; logs the
    order of calls so the test sees that ``prepare`` ran in between."""

    def __init__(self) -> None:
        super().__init__([POSE])
        self.log: list[str] = []
        self._frame: Frame | None = None

    def submit(self, frame: Frame) -> None:
        self.log.append(f"submit {frame.index}")
        self._frame = frame

    def collect(self):
        assert self._frame is not None
        self.log.append(f"collect {self._frame.index}")
        return self.estimate(self._frame)


class PipelinedFake(ScriptedEstimator):
    """Takes frames while it works (as the model's process does): answers in order,
    skipping every frame whose index is in ``skip`` (a newer one waited)."""

    slots = 3

    def __init__(self, skip: set[int]) -> None:
        super().__init__([POSE])
        self.skip = skip
        self.answers: queue.Queue[tuple[object, float]] = queue.Queue()
        self.submitted: list[tuple[int, float | None, float | None]] = []

    def submit(self, frame: Frame, due_s=None, max_wait_s=None) -> None:
        self.submitted.append((frame.index, due_s, max_wait_s))
        answer = None if frame.index in self.skip else self.estimate(frame)
        self.answers.put((answer, time.perf_counter()))

    def submit_restart(self) -> None:
        raise AssertionError("one stream only here")

    def collect_next(self):
        return self.answers.get(timeout=5.0)


def _feed(count: int):
    image = np.zeros((480, 640, 3), np.uint8)
    frames = iter(Fed(Frame(image, i, i * 33.0, "fake"), 0.0) for i in range(count))
    lock = threading.Lock()

    def next_frame(_should_stop):
        with lock:
            return next(frames, None)

    return next_frame


def test_prepare_runs_while_the_model_works_and_rides_along():
    estimator = SubmittingEstimator()
    render = live.RenderOptions(display_wh=(320, 240))

    def prepare(fed: Fed) -> np.ndarray:
        estimator.log.append(f"prepare {fed.frame.index}")
        return fit_to_display(fed.frame.image_bgr, render)

    thread = InferenceThread(estimator, _feed(1), prepare).start()
    item = thread.next(lambda: False)
    thread.stop()
    assert item is not None and item.estimate.pose is POSE
    assert estimator.log == ["submit 0", "prepare 0", "collect 0"]
    assert isinstance(item.prepared, np.ndarray) and item.prepared.shape == (240, 320, 3)


def test_an_estimator_without_submit_is_called_as_before():
    estimator = ScriptedEstimator([POSE])
    thread = InferenceThread(estimator, _feed(1), lambda fed: "unused").start()
    item = thread.next(lambda: False)
    thread.stop()
    assert item is not None and item.prepared is None and estimator.calls == 1


def test_draw_live_uses_the_shrunk_frame_only_at_the_size_asked_for():
    image = np.full((480, 640, 3), 7, np.uint8)
    result = Pipeline(ScriptedEstimator([POSE])).process(Frame(image, 0, 0.0, "fake"))
    renderer = PassThroughRenderer()
    render = live.RenderOptions(display_wh=(320, 240))
    marked = np.full((240, 320, 3), 99, np.uint8)
    assert (draw_live(renderer, image, result, render, shrunk=marked) == 99).all()
    stale = np.full((120, 160, 3), 99, np.uint8)  # the display was resized meanwhile
    drawn = draw_live(renderer, image, result, render, shrunk=stale)
    assert drawn.shape == (240, 320, 3) and (drawn == 7).all()
    assert draw_live(renderer, image, result, render).shape == (240, 320, 3)


def test_a_small_frame_is_drawn_at_the_views_size_at_most_three_times_larger():
    """A 225 x 289 photo in a large view: the overlay is drawn on the enlarged frame
    (crisp words), not drawn small and scaled up by the view (blurred, badges on values)."""
    image = np.full((100, 80, 3), 7, np.uint8)
    result = Pipeline(ScriptedEstimator([POSE])).process(Frame(image, 0, 0.0, "fake"))
    renderer = PassThroughRenderer()
    assert live.loop.display_size((80, 100), live.RenderOptions(display_wh=(400, 200))) == (
        160, 200,
    )  # fmt: skip
    big = live.RenderOptions(display_wh=(1000, 1000))
    assert draw_live(renderer, image, result, big).shape == (300, 240, 3)  # 3x at most
    same = live.RenderOptions(display_wh=(82, 102))  # about the view's size: as it is
    assert draw_live(renderer, image, result, same).shape == (100, 80, 3)
    assert live.loop.display_size((80, 100), live.RenderOptions(display_wh=None)) == (80, 100)


def test_how_long_a_frame_queued_for_the_model_rides_along():
    """``queued_ms``: from the moment the frame was due to the model's start (the part
    of a frame's wait that bench/app_latency.py reports on its own)."""
    image = np.zeros((480, 640, 3), np.uint8)
    due_s = time.perf_counter() - 0.050  # due 50 ms before the model can start
    items = iter([Fed(Frame(image, 0, 0.0, "fake"), due_s)])
    thread = InferenceThread(ScriptedEstimator([POSE]), lambda _s: next(items, None)).start()
    item = thread.next(lambda: False)
    thread.stop()
    assert item is not None
    assert 50.0 <= item.queued_ms < 50.0 + 1000.0 * (time.perf_counter() - due_s)


def test_a_pipelined_estimator_gets_every_frame_and_its_skips_count_as_dropped():
    """Frames go to the estimator as they come, with when they were due and how long
    they may wait; the answers come back in order, and a frame the model skipped adds
    itself to the next estimate's ``dropped``."""
    estimator = PipelinedFake(skip={1, 2, 5})
    thread = InferenceThread(estimator, _feed(8), max_wait_s=0.0167).start()
    items = []
    while (item := thread.next(lambda: False)) is not None:
        items.append(item)
        time.sleep(0.02)  # slower than the answers: the slot keeps the newest
    thread.stop()
    assert [index for index, _, _ in estimator.submitted] == list(range(8))
    assert all(wait == 0.0167 and due == 0.0 for _, due, wait in estimator.submitted)
    shown = {item.fed.frame.index: item.fed.dropped for item in items}
    assert not shown.keys() & {1, 2, 5} and 7 in shown
    # Every frame is shown or counted as dropped by the next one shown, exactly once.
    assert len(shown) + sum(shown.values()) == 8
