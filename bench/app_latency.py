"""Live-app throughput and latency: the real window, offscreen, on a 30 fps video.

Runs ``MainWindow`` (real worker thread, real full model, real overlay) on a 720p
30 fps video in real time for ``--seconds`` and prints a table:

    source fps | displayed fps | dropped frames | latency median / p95 | inference ms

Latency = the moment the frame is painted (end of ``VideoView.paintEvent``) minus the
moment the frame was due from the source (its capture time), both
``time.perf_counter()``. Dropped = source frames the worker skipped because it was
behind + results replaced before the GUI painted them.

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/app_latency.py \
        [--video PATH] [--model PATH] [--seconds 10] [--size 1280x720]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
VIDEO = SHARED / "media/videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"
MODEL = SHARED / "models/pose_landmarker_full.task"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=VIDEO)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--size", default="1280x720", help="window size WxH")
    args = parser.parse_args(argv)
    for path, what in ((args.video, "video (--video)"), (args.model, "pose model (--model)")):
        if not path.is_file():
            print(f"app_latency: {what} not found: {path}", file=sys.stderr)
            return 2
    os.environ.setdefault("POSTURE_CAM_DATA_DIR", tempfile.mkdtemp(prefix="posture_cam_bench_"))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from posture_cam.config import PipelineConfig
    from posture_cam.ui.settings import AppSettings
    from posture_cam.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    width, height = (int(v) for v in args.size.lower().split("x"))
    win = MainWindow(
        str(args.video), AppSettings(), PipelineConfig(model_path=str(args.model)), persist=False
    )
    win.resize(width, height)
    win.show()
    stats = win.video.stats
    inference: list[float] = []
    render: list[float] = []
    state = {"t0": None, "results": 0, "paint0": 0, "dropped0": 0}

    def on_result(live) -> None:
        if state["t0"] is None:  # warm-up done: start measuring at the first result
            state["t0"] = time.perf_counter()
            state["paint0"] = stats.painted
            stats.record_all = True
            return
        state["results"] += 1
        inference.append(live.result.timings_ms["inference"])
        render.append(live.render_ms)

    win.session.resultReady.connect(on_result)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(app.quit)

    def arm() -> None:
        if state["t0"] is None:
            QTimer.singleShot(100, arm)
        else:
            deadline.start(int(args.seconds * 1000))

    arm()
    app.exec()
    elapsed = time.perf_counter() - (state["t0"] or time.perf_counter())
    info = win.session.source_info
    source_fps = info.fps if info else float("nan")
    painted = stats.painted - state["paint0"]
    lat = np.array(stats.all_latencies_ms or [np.nan])
    expected = round(elapsed * source_fps)
    dropped = max(0, expected - painted)
    win.close()

    rows = [
        (
            "video",
            f"{args.video.name} ({win.latest.result.frame.resolution_wh[0]}x"
            f"{win.latest.result.frame.resolution_wh[1]})"
            if win.latest
            else "?",
        ),
        ("window", f"{width}x{height}, offscreen, {os.cpu_count()} CPU cores"),
        ("measured", f"{elapsed:.1f} s"),
        ("source fps", f"{source_fps:.2f}"),
        ("displayed fps", f"{painted / elapsed:.1f}  ({painted} frames painted)"),
        (
            "dropped frames",
            f"{dropped} of {expected} ({100.0 * dropped / max(1, expected):.0f} %)"
            f"; worker skipped {stats.source_dropped}, GUI replaced "
            f"{stats.superseded}",
        ),
        ("latency median / p95", f"{np.median(lat):.0f} / {np.percentile(lat, 95):.0f} ms"),
        (
            "inference median / p95",
            f"{np.median(inference):.0f} / {np.percentile(inference, 95):.0f} ms",
        ),
        ("overlay render median", f"{np.median(render):.1f} ms"),
    ]
    width_col = max(len(k) for k, _ in rows)
    print(f"{'metric':<{width_col}} | value")
    print(f"{'-' * width_col}-|{'-' * 40}")
    for key, value in rows:
        print(f"{key:<{width_col}} | {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
