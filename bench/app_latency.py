"""Live-app speed against a bare MediaPipe loop on the same clip, in one run.

1. **App**: the real ``MainWindow`` (offscreen; real worker, real full model, real
   overlay) plays the clip in real time. Measured: time from the start of this script
   to the first drawn frame (model file given, i.e. cached), then for ``--seconds``:
   displayed fps, dropped frames, latency (paint time - the moment the frame was due)
   and how long each painted frame waited anywhere instead of being worked on
   (latency - inference - post-processing - drawing).
2. **Bare loop**: ``cv2.VideoCapture`` + MediaPipe ``PoseLandmarker.detect_for_video``
   (VIDEO mode, one pose, as the app's stream) on the same clip, as fast as it goes.

Machines differ, so the targets are ratios of the two, both measured here:

* displayed fps >= 0.95 x min(source fps, bare-loop fps)
* latency p95 <= bare inference p95 + one source frame interval
* no painted frame waited longer than one source frame interval (its age at paint
  minus the time it was being worked on: inference, post-processing, drawing)

The table ends with each target as a ratio (measured / allowed; <= 1 met for latency and
wait, >= 1 for fps) and the machine's load average before, between and after the two
parts: other processes on the machine change both parts, and not always equally.

Usage::

    QT_QPA_PLATFORM=offscreen python bench/app_latency.py \\
        [--video PATH] [--model PATH] [--seconds 10] [--size 1280x720] [--records CSV]

The video and model default to ``POSTURE_CAM_TEST_MEDIA`` / ``POSTURE_CAM_TEST_MODEL``,
else ``../shared`` beside the checkout. Exit code: 0 all targets met, 1 a target
missed, 2 input missing or the app failed.
"""

from __future__ import annotations

import time

T_START = time.perf_counter()  # before the heavy imports: "start" of the app

import argparse  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CLIP = "videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"


def _default_video() -> Path:
    media = os.environ.get("POSTURE_CAM_TEST_MEDIA")
    return (Path(media) if media else SHARED / "media") / CLIP


def _default_model() -> Path:
    model = os.environ.get("POSTURE_CAM_TEST_MODEL")
    return Path(model) if model else SHARED / "models/pose_landmarker_full.task"


def _percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(values, q)) if values else float("nan")


def _load() -> str:
    """The 1-minute load average and the number of cores, e.g. ``1.52 on 2 cores``."""
    return f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def _app_tasks() -> list[tuple[int, str, Path]]:
    """(thread id, name, /proc task folder) of every thread of the app (Linux; else []).

    The app is this process and its live child processes (the pose model's process).
    Python threads by their ``threading`` name (the OS knows them all as "python"),
    the rest (Qt's, MediaPipe's) by the name the OS has for them; a child's threads
    are prefixed with ``child:``.
    """
    import multiprocessing
    import threading

    names = {t.native_id: t.name for t in threading.enumerate()}
    tasks = [("", task) for task in Path("/proc/self/task").glob("*")]
    for child in multiprocessing.active_children():
        tasks += [("child:", task) for task in Path(f"/proc/{child.pid}/task").glob("*")]
    out = []
    for prefix, task in tasks:
        tid = int(task.name)
        try:
            name = (not prefix and names.get(tid)) or (task / "comm").read_text().strip()
        except OSError:
            continue  # the thread ended meanwhile
        out.append((tid, prefix + name, task))
    return out


def _thread_cpu_s() -> dict[int, tuple[str, float]]:
    """Thread id -> (name, CPU seconds, user + system) of the app's threads.

    ``os.times()`` counts a child process only once it has ended, so the pose model's
    process is read here (:func:`_app_tasks`).
    """
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    out: dict[int, tuple[str, float]] = {}
    for tid, name, task in _app_tasks():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        # Fields after the name: state is [0], utime [11], stime [12] (proc(5)).
        out[tid] = (name, (int(fields[11]) + int(fields[12])) / ticks)
    return out


def _thread_runqueue_s() -> dict[int, tuple[str, float]]:
    """Thread id -> (name, seconds spent runnable but waiting for a CPU) of the app's
    threads (schedstat). A thread that waits for a core (other threads or processes
    on it) shows here, not in its CPU time."""
    out: dict[int, tuple[str, float]] = {}
    for tid, name, task in _app_tasks():
        try:
            waited_ns = int((task / "schedstat").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        out[tid] = (name, waited_ns / 1e9)
    return out


def _cores_by_thread(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]], elapsed_s: float
) -> dict[str, float]:
    """Cores each thread name used between two :func:`_thread_cpu_s` readings."""
    cores: dict[str, float] = {}
    for tid, (name, cpu) in after.items():
        start_name, start_cpu = before.get(tid, (name, 0.0))
        cores[start_name] = cores.get(start_name, 0.0) + (cpu - start_cpu) / elapsed_s
    return {name: c for name, c in cores.items() if c >= 0.01}


def run_app(video: Path, model: Path, seconds: float, size_wh: tuple[int, int]) -> dict[str, Any]:
    """Open the window on ``video``; measure start-up and ``seconds`` of playback."""
    from posture_cam.config import PipelineConfig
    from posture_cam.pose.process import start_early_for
    from posture_cam.runtime.cpu_placement import place_live_app

    # What `posture-cam app` does before it loads Qt and the window (cli/app.py).
    placement = place_live_app()
    start_early_for(PipelineConfig(model_path=str(model)))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from posture_cam.app_settings import AppSettings
    from posture_cam.ui.window.main_window import MainWindow

    t_imported = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    win = MainWindow(
        str(video), AppSettings(), PipelineConfig(model_path=str(model)), persist=False
    )
    win.resize(*size_wh)
    win.show()
    t_shown = time.perf_counter()
    stats = win.video.stats
    marks: dict[str, float] = {}
    state: dict[str, Any] = {"error": None, "t0": None, "cpu0": None}

    def on_opened(_info: object) -> None:
        marks.setdefault("source_opened", time.perf_counter())

    stages: dict[str, list[float]] = {
        "queued": [],
        "inference": [],
        "model": [],
        "post": [],
        "overlay": [],
    }

    # capture time -> (queued, inference, post, overlay) ms, for --records
    by_frame: dict[float, tuple[float, float, float, float]] = {}

    def on_result(live: Any) -> None:
        marks.setdefault("first_result", time.perf_counter())
        if stats.record_all:
            stages["queued"].append(live.queued_ms)
            stages["inference"].append(live.result.timings_ms["inference"])
            stages["model"].append(live.result.estimate.inference_ms)
            stages["post"].append(live.result.timings_ms["post"])
            stages["overlay"].append(live.render_ms)
            by_frame[live.capture_s] = (  # numbers only: a result holds its images
                live.queued_ms,
                live.result.timings_ms["inference"],
                live.result.timings_ms["post"],
                live.render_ms,
            )

    def fail(message: str) -> None:
        state["error"] = message
        app.quit()

    win.session.sourceOpened.connect(on_opened)
    win.session.resultReady.connect(on_result)
    win.session.failed.connect(lambda error: fail(f"{error.kind}: {error.message}"))
    win.session.ended.connect(lambda: fail("the video ended"))

    def poll() -> None:
        if "first_paint" not in marks:
            if stats.painted:
                marks["first_paint"] = stats.paint_times[0]
                # Warm-up: one second of playback before measuring.
                QTimer.singleShot(1000, start_measuring)
            elif time.perf_counter() - T_START > 120:
                fail("no frame was drawn within 120 s")
                return
            QTimer.singleShot(5, poll)

    gc_pauses_ms: list[float] = []
    gc_started: list[float] = []

    def on_gc(phase: str, _info: dict[str, int]) -> None:
        # A collection holds the GIL: every Python thread of the app waits for it.
        if not stats.record_all:
            return
        if phase == "start":
            gc_started[:] = [time.perf_counter()]
        elif gc_started:
            gc_pauses_ms.append((time.perf_counter() - gc_started.pop()) * 1000.0)

    gc.callbacks.append(on_gc)

    def start_measuring() -> None:
        state["t0"] = time.perf_counter()
        state["cpu0"] = os.times()
        state["threads0"] = _thread_cpu_s()
        state["queue0"] = _thread_runqueue_s()
        state["painted0"] = stats.painted
        stats.record_all = True
        QTimer.singleShot(int(seconds * 1000), stop_measuring)

    def stop_measuring() -> None:
        # Before quit(): Qt 6 closes the windows on quit, and closing stops the worker.
        stats.record_all = False
        state["t_end"] = time.perf_counter()
        state["cpu1"] = os.times()
        state["threads1"] = _thread_cpu_s()
        state["queue1"] = _thread_runqueue_s()
        app.quit()

    poll()
    app.exec()
    gc.callbacks.remove(on_gc)
    info = win.session.source_info
    win.close()
    win.session.wait_for_retired(10.0)
    if state["error"]:
        raise RuntimeError(state["error"])
    # Measured to the end (an error above is the only way not to be).
    t_end, cpu1, threads1 = state["t_end"], state["cpu1"], state["threads1"]
    elapsed = t_end - state["t0"]
    cpu0 = state["cpu0"]
    cpu_s = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
    # The pose model's process: os.times() does not count a child that still runs.
    cpu_s += sum(
        cpu - state["threads0"].get(tid, (name, 0.0))[1]
        for tid, (name, cpu) in threads1.items()
        if name.startswith("child:")
    )
    return {
        "startup": {
            "imports": t_imported - T_START,
            "window_shown": t_shown - T_START,
            "source_opened": marks["source_opened"] - T_START,
            "first_result": marks["first_result"] - T_START,
            "first_paint": marks["first_paint"] - T_START,
        },
        "elapsed_s": elapsed,
        "cores": cpu_s / elapsed,
        "source_fps": float(info.fps if info and info.fps else 30.0),
        "records": list(stats.records),
        "results_by_frame": by_frame,
        "thread_cores": _cores_by_thread(state["threads0"], threads1, elapsed),
        "thread_queued": _cores_by_thread(state["queue0"], state.get("queue1", {}), elapsed),
        "superseded": stats.superseded,
        "stages": stages,
        "placement": placement,
        "gc_pauses_ms": gc_pauses_ms,
    }


def run_bare(video: Path, model: Path, max_frames: int) -> dict[str, Any]:
    """Decode + ``detect_for_video`` back to back on the same clip."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python.core.base_options import BaseOptions
    from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

    options = PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=RunningMode.VIDEO,
        num_poses=1,
    )
    cap = cv2.VideoCapture(str(video))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    inference_ms: list[float] = []
    with PoseLandmarker.create_from_options(options) as landmarker:
        # Warm-up frame (graph start) outside the measurement.
        ok, bgr = cap.read()
        if not ok:
            raise RuntimeError(f"{video}: cannot decode")
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), 0)
        cpu0, t0, n = os.times(), time.perf_counter(), 0
        while n < max_frames:
            ok, bgr = cap.read()
            if not ok:
                break
            n += 1
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
            t_inf = time.perf_counter()
            landmarker.detect_for_video(image, round(n * 1000.0 / fps))
            inference_ms.append((time.perf_counter() - t_inf) * 1000.0)
        elapsed = time.perf_counter() - t0
        cpu1 = os.times()
    cap.release()
    cpu_s = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
    return {
        "frames": n,
        "fps": n / elapsed,
        "inference_ms": inference_ms,
        "cores": cpu_s / elapsed,
    }


def _placement_text(placement: Any) -> str:
    if not placement.pinned:
        return "none (one CPU, or POSTURE_CAM_PIN_CPUS=0); bare loop unpinned"
    model = ",".join(map(str, sorted(placement.model_cpus)))
    app = ",".join(map(str, sorted(placement.app_cpus)))
    return f"model process on CPU {model}, app threads on CPU {app}; bare loop unpinned"


def report(
    app: dict[str, Any], bare: dict[str, Any], video: Path, size: str, loads: list[str]
) -> bool:
    """Print the table; True when every target is met."""
    records = app["records"]
    source_fps = app["source_fps"]
    interval_ms = 1000.0 / source_fps
    elapsed = app["elapsed_s"]
    painted = len(records)
    shown_fps = painted / elapsed
    expected = round(elapsed * source_fps)
    dropped = max(0, expected - painted)
    latency = [r.latency_ms for r in records]
    waited = [r.waited_ms for r in records]
    gui = [(r.paint_s - r.emitted_s) * 1000.0 for r in records]
    bare_inf = bare["inference_ms"]
    s = app["startup"]

    fps_target = 0.95 * min(source_fps, bare["fps"])
    lat_target = _percentile(bare_inf, 95) + interval_ms
    lat_p95 = _percentile(latency, 95)
    longest = max(waited, default=float("nan"))
    checks = [
        (
            "displayed fps",
            shown_fps >= fps_target,
            f"{shown_fps:.1f} >= {fps_target:.1f} (0.95 x min(source, bare)); "
            f"ratio {shown_fps / fps_target:.2f} (>= 1)",
        ),
        (
            "latency p95",
            lat_p95 <= lat_target,
            f"{lat_p95:.0f} <= {lat_target:.0f} ms (bare inference p95 + interval); "
            f"ratio {lat_p95 / lat_target:.2f} (<= 1)",
        ),
        (
            "longest wait",
            longest <= interval_ms,
            f"{longest:.0f} <= {interval_ms:.0f} ms (one interval); "
            f"ratio {longest / interval_ms:.2f} (<= 1)",
        ),
    ]
    rows = [
        ("clip", f"{video.name}, {source_fps:.2f} fps"),
        ("window", f"{size}, offscreen, {os.cpu_count()} CPU cores"),
        ("CPU placement", _placement_text(app["placement"])),
        ("load average: start / app done / end", " / ".join(loads)),
        ("start -> imports done", f"{s['imports']:.2f} s"),
        ("start -> window shown", f"{s['window_shown']:.2f} s"),
        ("start -> model loaded", f"{s['source_opened']:.2f} s"),
        ("start -> first drawn frame", f"{s['first_paint']:.2f} s  (model file cached)"),
        (
            "bare loop fps",
            f"{bare['fps']:.1f}  ({bare['frames']} frames, {bare['cores']:.2f} cores)",
        ),
        (
            "bare inference median / p95",
            f"{_percentile(bare_inf, 50):.1f} / {_percentile(bare_inf, 95):.1f} ms",
        ),
        ("app measured", f"{elapsed:.1f} s, {app['cores']:.2f} cores (with its child processes)"),
        (
            "app cores by thread",
            ", ".join(
                f"{name} {cores:.2f}"
                for name, cores in sorted(app["thread_cores"].items(), key=lambda kv: -kv[1])
            ),
        ),
        (
            "app waiting for a CPU by thread",
            ", ".join(
                f"{name} {share:.2f}"
                for name, share in sorted(app["thread_queued"].items(), key=lambda kv: -kv[1])
            )
            + " (share of the time runnable but not running)",
        ),
        (
            "app displayed fps",
            f"{shown_fps:.1f}  = {shown_fps / source_fps:.2f} x source, "
            f"{shown_fps / bare['fps']:.2f} x bare loop",
        ),
        (
            "app dropped frames",
            f"{dropped} of {expected} ({100.0 * dropped / max(1, expected):.1f} %); "
            f"loop skipped {sum(r.dropped for r in records)}, GUI replaced {app['superseded']}",
        ),
        (
            "app latency median / p95",
            f"{_percentile(latency, 50):.0f} / {_percentile(latency, 95):.0f} ms",
        ),
        (
            "app wait median / p99 / max",
            f"{_percentile(waited, 50):.0f} / {_percentile(waited, 99):.0f} / "
            f"{max(waited, default=float('nan')):.0f} ms (one interval = {interval_ms:.0f} ms)",
        ),
        (
            "app queued for the model median / p99 / max",
            f"{_percentile(app['stages']['queued'], 50):.0f} / "
            f"{_percentile(app['stages']['queued'], 99):.0f} / "
            f"{max(app['stages']['queued'], default=float('nan')):.0f} ms (part of the wait)",
        ),
        (
            "app model in its process median / p95",
            f"{_percentile(app['stages']['model'], 50):.1f} / "
            f"{_percentile(app['stages']['model'], 95):.1f} ms (inference without the "
            "hand-over; the bare loop's is timed the same way)",
        ),
        (
            "app inference / post / overlay median",
            " / ".join(
                f"{_percentile(app['stages'][k], 50):.1f}" for k in ("inference", "post", "overlay")
            )
            + " ms",
        ),
        (
            "app garbage collections: count / longest",
            f"{len(app['gc_pauses_ms'])} / {max(app['gc_pauses_ms'], default=0.0):.1f} ms",
        ),
        ("overlay done -> painted median", f"{_percentile(gui, 50):.1f} ms"),
    ]
    rows += [(f"target: {name}", f"{'ok  ' if ok else 'MISS'} {text}") for name, ok, text in checks]
    width = max(len(k) for k, _ in rows)
    print(f"{'metric':<{width}} | value")
    print(f"{'-' * width}-|{'-' * 60}")
    for key, value in rows:
        print(f"{key:<{width}} | {value}")
    return all(ok for _, ok, _ in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--video", type=Path, default=_default_video())
    parser.add_argument("--model", type=Path, default=_default_model())
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--size", default="1280x720", help="window size WxH")
    parser.add_argument(
        "--records",
        type=Path,
        help="also write one CSV row per painted frame (when it was due, latency, work, "
        "wait, frames dropped before it), to see when the longest waits happened",
    )
    args = parser.parse_args(argv)
    for path, what, env in (
        (args.video, "video", "--video or POSTURE_CAM_TEST_MEDIA"),
        (args.model, "pose model", "--model or POSTURE_CAM_TEST_MODEL"),
    ):
        if not path.is_file():
            print(f"app_latency: {what} not found: {path} (give {env})", file=sys.stderr)
            return 2
    os.environ.setdefault("POSTURE_CAM_DATA_DIR", tempfile.mkdtemp(prefix="posture_cam_bench_"))
    width, height = (int(v) for v in args.size.lower().split("x"))
    loads = [_load()]
    try:
        app = run_app(args.video, args.model, args.seconds, (width, height))
    except RuntimeError as exc:
        print(f"app_latency: the app failed: {exc}", file=sys.stderr)
        return 2
    loads.append(_load())
    # The bare loop runs as the OS places it (its MediaPipe threads inherit this one's
    # CPUs), never on the app's CPU only.
    from posture_cam.runtime.cpu_placement import release

    release()
    bare = run_bare(args.video, args.model, round(args.seconds * app["source_fps"]))
    loads.append(_load())
    if args.records:
        _write_records(args.records, app["records"], app["results_by_frame"])
    return 0 if report(app, bare, args.video, args.size, loads) else 1


def _write_records(
    path: Path, records: list[Any], results: dict[float, tuple[float, float, float, float]]
) -> None:
    """One CSV row per painted frame; ``due_s`` counts from the first measured frame.
    Where its time went: queued for the model, inference (hand-over included),
    post-processing, overlay, and from the overlay's end to the paint."""
    import csv

    t0 = records[0].capture_s if records else 0.0
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "due_s",
                "latency_ms",
                "work_ms",
                "waited_ms",
                "dropped_before",
                "queued_ms",
                "inference_ms",
                "post_ms",
                "overlay_ms",
                "to_paint_ms",
            ]
        )
        for r in records:
            times = results.get(r.capture_s)
            parts = (
                [*times, (r.paint_s - r.emitted_s) * 1000.0]
                if times is not None
                else [float("nan")] * 5
            )
            writer.writerow(
                [
                    f"{r.capture_s - t0:.4f}",
                    f"{r.latency_ms:.1f}",
                    f"{r.work_ms:.1f}",
                    f"{r.waited_ms:.1f}",
                    r.dropped,
                    *(f"{v:.1f}" for v in parts),
                ]
            )


if __name__ == "__main__":
    raise SystemExit(main())
