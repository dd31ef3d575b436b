"""The app under faults: broken settings files never stop the start, a settings file
that cannot be written leaves the change working for the session with one notice, a
crashing pipeline clears the stale numbers, and Ctrl+C / SIGTERM quit cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from posture_cam.app_settings import AppSettings, load_settings_checked, settings_path
from posture_cam.pipeline import Pipeline
from posture_cam.testing import ScriptedEstimator, SyntheticFrameSource
from tests.faults._helpers import REPO
from tests.ui.window._helpers import POSE, close_and_check, make_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

#: file text -> fields that must fall back to their default
BAD_SETTINGS = {
    "deep_nesting": ('{"a":' * 100_000 + "1" + "}" * 100_000, None),
    "a_list": ("[1, 2, 3]", None),
    "null": ("null", None),
    "not_json": ("{mirror: yes", None),
    "profile_is_a_number": ('{"profile": 5, "mirror": true}', "profile"),
    "hold_is_infinite": ('{"hold_s": 1e999, "mirror": true}', "hold_s"),
    "hold_is_nan": ('{"hold_s": NaN, "mirror": true}', "hold_s"),
    "data_folder_is_a_number": ('{"data_folder": 123, "mirror": true}', "data_folder"),
    "wrong_types": ('{"camera_index": "0", "language": 1, "mirror": true}', "camera_index"),
}


@pytest.mark.parametrize("case", sorted(BAD_SETTINGS))
def test_broken_settings_fall_back_with_one_notice(case):
    text, field = BAD_SETTINGS[case]
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    settings, notices = load_settings_checked()
    assert len(notices) == 1 and str(path) in notices[0] and "\n" not in notices[0]
    if field is None:
        assert settings == AppSettings()
    else:
        assert field in notices[0]
        assert getattr(settings, field) == getattr(AppSettings(), field)
        assert settings.mirror is True  # the good fields are kept


def test_unwritable_settings_still_apply_for_the_session(qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(blocker))  # the settings folder is a file
    win = make_window(qtbot)
    win.store._persist = True
    notices = []
    win.store.saveFailed.connect(notices.append)
    win.store.update(mirror=True)
    win.store.update(mirror=False)
    win.store.update(mirror=True)
    assert win.store.settings.mirror is True and win.side.mirror_check.isChecked()
    assert len(notices) == 1 and "cannot write" in notices[0]
    close_and_check(win)


class _Boom(Pipeline):
    # ``complete`` is the part after the pose model: ``process`` runs it, and the live
    # loop calls it for each estimate of its inference thread.
    def complete(self, frame, estimate, inference_ms):
        if frame.index >= 10:
            raise RuntimeError("a bug in the pipeline")
        return super().complete(frame, estimate, inference_ms)


def test_a_crashing_pipeline_clears_the_numbers_and_the_app_keeps_running(qtbot):
    win = make_window(qtbot)
    _source, _pipeline, renderer = win.session._factories
    win.session._factories = (
        lambda spec: SyntheticFrameSource(POSE, count=200, fps=30.0),
        lambda config, mode: _Boom(ScriptedEstimator([POSE]), config),
        renderer,
    )
    # Keep the panel filled while frames come, as the window does (throttled there).
    win.session.resultReady.connect(lambda r: win.side.metrics_panel.update_result(r.result, True))
    with qtbot.waitSignal(win.session.failed, timeout=10_000):
        win.session.start("synthetic")
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.empty, timeout=5000)
    assert win.side.metrics_panel.row_texts() == {}
    assert "a bug in the pipeline" in win.empty.message.text()
    assert win.isVisible()  # the app keeps running: open another source
    close_and_check(win)


def _start_app(tmp_path, model_path, media, settings_text: str | None = None, command="app"):
    data = tmp_path / "ud"
    data.mkdir()
    if settings_text is not None:
        (data / "app_settings.json").write_text(settings_text)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        POSTURE_CAM_MODEL=str(model_path),
        POSTURE_CAM_DATA_DIR=str(data),
        PYTHONPATH=str(REPO),
        PYTHONFAULTHANDLER="1",
    )
    video = media("videos/video_tfjs_pose_1_woman_dancing_frontal_4s.mp4")
    return subprocess.Popen(
        [sys.executable, "-m", "posture_cam", *_command_args(command, tmp_path), str(video)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _command_args(command: str, tmp_path) -> list[str]:
    if command == "home":
        return ["home", "--export-dir", str(tmp_path / "export"), "--source"]
    return ["app", "--source"]


def _wait_until_playing(app: subprocess.Popen, timeout_s: float = 180.0) -> None:
    """Until the live worker thread runs (its name shows in /proc): the window is up."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        assert app.poll() is None, app.communicate()[1][-3000:]
        names = []
        for comm in Path(f"/proc/{app.pid}/task").glob("*/comm"):
            with contextlib.suppress(OSError):
                names.append(comm.read_text())
        if any(n.startswith("LiveWorker") for n in names):
            time.sleep(1.0)
            return
        time.sleep(0.2)
    raise AssertionError("the app did not start playing")


@pytest.mark.media
@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; signals")
@pytest.mark.parametrize(
    ("command", "signals"),
    [
        ("app", (signal.SIGINT, signal.SIGINT)),  # the second one lands during shutdown
        ("app", (signal.SIGTERM,)),
        ("home", (signal.SIGINT, signal.SIGINT)),
    ],
)
def test_app_quits_cleanly_on_signals(tmp_path, model_path, media, command, signals):
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000  # and starts despite this settings file
    app = _start_app(tmp_path, model_path, media, settings_text=deep, command=command)
    try:
        _wait_until_playing(app)
        for signum in signals:
            app.send_signal(signum)
            time.sleep(0.2)
        _out, err = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == 128 + signals[0], err[-3000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]


def test_snapshot_draws_the_median_pose_and_never_spans_a_video_loop(qtbot, tmp_path):
    """The picture shows the pose the averaged numbers describe, and a capture window
    restarts when the source restarts (frame index going back)."""
    from posture_cam.capture import snapshot
    from posture_cam.live import LiveResult
    from posture_cam.testing import PassThroughRenderer, standing_pose
    from posture_cam.types import Frame
    from posture_cam.ui.window.snapshot_capture import SnapshotContext, SnapshotController

    drawn = []

    class Recorder(PassThroughRenderer):
        def render(self, image, result, mirror=False, plus_minus=None):
            drawn.append(result.pose_image)
            return image

    controller = SnapshotController(lambda privacy, lang: Recorder())
    ctx = SnapshotContext(
        source="clip.mp4", model_path=None, profile=None, privacy="none", language="en",
        folder=tmp_path / "s", countdown_s=0.0, hold_s=0.3, require_quality=False, strict=False,
    )  # fmt: skip
    from posture_cam.config import PipelineConfig

    no_smoothing = PipelineConfig(smoothing="none")
    pipeline = Pipeline(ScriptedEstimator([standing_pose((640, 480), "front")]), no_smoothing)
    image = np.zeros((480, 640, 3), np.uint8)

    def feed(index: int, t_ms: float, tilt: float):
        pipeline.estimator._poses = [standing_pose((640, 480), "front", shoulder_tilt_deg=tilt)]
        result = pipeline.process(Frame(image, index, t_ms, "clip.mp4"))
        controller.add_result(LiveResult(result, image, 0.0, 0.0, 0.0, 0, index, None))

    controller.start(ctx, None)
    assert controller.state == "hold"
    feed(98, 0.0, 20.0)  # end of the video's first pass: a different pose
    feed(99, 33.0, 20.0)
    for i in range(12):  # the video looped: index 0 again
        feed(i, 66.0 + 33.0 * i, 4.0 if i % 3 else 6.0)
    qtbot.waitUntil(lambda: controller.state == "idle", timeout=5000)
    record = json.loads(controller.last_files.sidecar.read_text())
    # Nothing from before the loop point (t = 0 and 33 ms, the first pass's end).
    assert min(f["t_ms"] for f in record["quality"]["per_frame"]) >= 66.0
    assert record["image"]["pose"].startswith("median")
    median = snapshot.median_pose(
        [standing_pose((640, 480), "front", shoulder_tilt_deg=t) for t in (4.0, 4.0, 6.0)]
    )
    np.testing.assert_allclose(drawn[-1].xy_px, median.xy_px, atol=1e-6)


def test_the_window_warns_when_the_profile_was_made_at_another_resolution(qtbot):
    from posture_cam.calibration.profile import CalibrationProfile, save_profile
    from posture_cam.config import PipelineConfig

    save_profile(CalibrationProfile("clinic", roll_deg=1.0, image_size_wh=(1280, 720)))
    win = make_window(qtbot, config=PipelineConfig(profile="clinic"))
    qtbot.waitUntil(lambda: win.video.shown is not None, timeout=5000)
    qtbot.waitUntil(lambda: "⚠" in win.side.profile_label.text(), timeout=5000)
    text = win.side.profile_label.text()
    assert win.status_line.profile_label.text() == text  # the status bar warns too
    assert "clinic" in text and "1280×720" in text and "640×480" in text
    close_and_check(win)
