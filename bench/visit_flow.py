"""Drive the app through a whole patient visit and time it (run under Xvfb).

    DISPLAY=:94 QT_QPA_PLATFORM=xcb POSTURE_CAM_DATA_DIR=$(mktemp -d) \\
        python bench/visit_flow.py --model pose_landmarker_full.task \\
        --front ../shared/media/videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4 \\
        --left ../shared/media/videos/video_sports2d_demo4_older_woman_walking_side_13s.mp4

The real window (real model, real videos) with the visit panel: open/create a patient,
new visit (front, left, back, right), capture front on the first video, switch the source
and capture left on the second, skip back and right (no shared back/right video), finish,
report. Every step goes through the panel's buttons. Prints a table of the step times
and the time from the first capture to the PDF; writes a screenshot of the window with
the overview when ``--screenshot`` is given.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--front", required=True)
    ap.add_argument("--left")
    ap.add_argument("--screenshot")
    ap.add_argument("--timeout-s", type=float, default=90.0)
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from posture_cam.app_settings import AppSettings
    from posture_cam.config import PipelineConfig
    from posture_cam.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    t0 = time.perf_counter()
    win = MainWindow(
        args.front,
        AppSettings(hold_s=2.0),
        PipelineConfig(model_path=args.model),
        persist=False,
    )
    win.resize(1600, 900)
    win.show()
    rows: list[tuple[str, float]] = []
    from posture_cam.ui.records import VisitPanel

    panel = win.findChild(VisitPanel)

    def wait(predicate, what: str) -> None:
        deadline = time.perf_counter() + args.timeout_s
        while not predicate():
            app.processEvents()
            time.sleep(0.01)
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out waiting for {what}: {panel.message.text()}")

    def mark(what: str) -> None:
        rows.append((what, time.perf_counter()))

    wait(lambda: win.latest is not None and win.latest.result.person_found, "the first result")
    mark("first live result")
    panel.search_edit.setText("P-XVFB")
    panel.open_button.click()
    wait(lambda: win.visit.patient is not None, "the patient")
    panel.new_visit_button.click()
    mark("visit started")
    panel.capture_button.click()
    first_capture = time.perf_counter()
    mark("front capture started")
    wait(lambda: win.visit.visit.index >= 1 or panel.message.text(), "the front capture")
    if win.visit.visit.index < 1:
        raise SystemExit(f"front capture failed: {panel.message.text()}")
    mark("front captured")
    if args.left:
        win.session.start(args.left)
        seq0 = time.perf_counter()
        wait(
            lambda: (
                win.latest is not None
                and win.latest.result.frame.source_id.endswith(Path(args.left).name)
                and win.latest.result.person_found
                and time.perf_counter() - seq0 > 0.5
            ),
            "the side video",
        )
        panel.message.clear()
        panel.capture_button.click()
        wait(lambda: win.visit.visit.index >= 2 or panel.message.text(), "the left capture")
        if win.visit.visit.index < 2:
            print(f"left capture failed: {panel.message.text()}; skipped", file=sys.stderr)
            panel.skip_button.click()
        mark("left captured")
    while win.visit.visit.current_view is not None:
        panel.skip_button.click()
    panel.finish_button.click()
    wait(lambda: win.visit.visit.visit_id is not None, "the stored visit")
    mark("visit stored")
    panel.report_button.click()
    wait(
        lambda: (
            "Report written" in panel.message.text() or "report" in panel.message.text().lower()
        ),
        "the report",
    )
    mark("report written")
    pdf_s = time.perf_counter() - first_capture
    app.processEvents()
    if args.screenshot:
        win.grab().save(args.screenshot)
    print(f"{'step':<24} {'t since start (s)':>18}")
    for what, t in rows:
        print(f"{what:<24} {t - t0:>18.2f}")
    print(f"first capture -> PDF: {pdf_s:.2f} s")
    print(panel.message.text())
    visit = win.visit.visit
    print(
        "captured:",
        [c.view for c in visit.captures],
        "skipped:",
        [v for v in visit.protocol if visit.steps.get(v) == "skipped"],
    )
    win.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
