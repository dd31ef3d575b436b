"""Real-window check of point correction: the app on an X server, driven like a user.

Starts ``Xvfb`` on the display you give (use only your own), opens the app on a shared
side photo, presses ``P``, drags the ear in the point dialog with the mouse (xdotool
mousedown / mousemove / mouseup), saves with Ctrl+S, and checks the saved JSON: the ear
was moved by about the dragged distance, the CVA is from a point with a ± larger than
the model's repeatability alone, and the audit and ± blocks are there. Prints one line
per check and exits 1 when one fails. Everything is written to a temporary folder (data,
settings), never to your own app data.

    python tools/points_window_check.py --display :14
        [--photo PATH] [--model PATH] [--drag-px 40] [--keep]

Needs Xvfb, xdotool and imagemagick (``import``, for the screenshots on failure), the real
model (``--model`` or ``$POSTURE_CAM_TEST_MODEL``) and the shared media
(``$POSTURE_CAM_TEST_MEDIA``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"
SCREEN_WH = (1920, 1080)
#: The point dialog's right column (``PointsDialog._build_layout``: fixed width).
SIDE_COLUMN_PX = 640


def run(*args: str, env: dict[str, str], check: bool = True) -> str:
    out = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    if check and out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {out.stderr.strip() or out.returncode}")
    return out.stdout.strip()


def find_window(pid: int, name: str, env: dict[str, str], timeout_s: float) -> str | None:
    """The id of a visible window of ``pid`` whose title contains ``name``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        ids = run("xdotool", "search", "--onlyvisible", "--pid", str(pid), env=env, check=False)
        for wid in ids.split():
            title = run("xdotool", "getwindowname", wid, env=env, check=False)
            if name in title:
                return wid
        time.sleep(0.5)
    return None


def geometry(wid: str, env: dict[str, str]) -> tuple[int, int, int, int]:
    """x, y, width, height of a window on the screen."""
    values = {}
    for line in run("xdotool", "getwindowgeometry", "--shell", wid, env=env).splitlines():
        key, _, value = line.partition("=")
        values[key] = int(value)
    return values["X"], values["Y"], values["WIDTH"], values["HEIGHT"]


def layout_metrics() -> tuple[int, int]:
    """(margin, spacing) of a Qt dialog's layout in the style the app uses."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QStyle

    app = QApplication.instance() or QApplication([])
    style = app.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin)
    spacing = style.pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)
    return margin, spacing if spacing >= 0 else 6


def ear_in_image(photo: Path, model: str) -> tuple[str, tuple[float, float], tuple[int, int]]:
    """The ear toward the camera, where the model puts it, and the photo's size."""
    from posture_cam.config import PipelineConfig
    from posture_cam.pipeline import Pipeline
    from posture_cam.sources import read_image
    from posture_cam.types import Frame

    image = read_image(photo)
    with Pipeline.open(PipelineConfig(model_path=model), mode="image") as pipeline:
        result = pipeline.process(Frame(image, 0, 0.0, str(photo)))
    side = "left" if str(result.view.view) == "left" else "right"
    editor_ear = result.pose_image.xy_px[7 if side == "left" else 8]
    h, w = image.shape[:2]
    return f"{side}_ear", (float(editor_ear[0]), float(editor_ear[1])), (w, h)


def to_screen(
    xy: tuple[float, float],
    image_wh: tuple[int, int],
    dialog: tuple[int, int, int, int],
    margin: int,
    spacing: int,
) -> tuple[int, int]:
    """Image pixels -> screen pixels in the dialog's canvas at "whole image" zoom
    (``PointCanvas.fit_rect`` / ``to_widget``)."""
    dx, dy, dw, dh = dialog
    cw, ch = dw - 2 * margin - spacing - SIDE_COLUMN_PX, dh - 2 * margin
    scale = min(cw / image_wh[0], ch / image_wh[1])
    ox, oy = (cw - image_wh[0] * scale) / 2, (ch - image_wh[1] * scale) / 2
    return (
        round(dx + margin + ox + (xy[0] + 0.5) * scale),
        round(dy + margin + oy + (xy[1] + 0.5) * scale),
    )


class Checks:
    def __init__(self) -> None:
        self.failed = 0

    def __call__(self, ok: bool, what: str) -> None:
        print(("ok    " if ok else "FAIL  ") + what)
        self.failed += not ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--display", required=True, help="an X display of your own, e.g. :14")
    media = os.environ.get("POSTURE_CAM_TEST_MEDIA", "../shared/media")
    parser.add_argument("--photo", default=str(Path(media) / PHOTO))
    parser.add_argument("--model", default=os.environ.get("POSTURE_CAM_TEST_MODEL"))
    parser.add_argument("--drag-px", type=int, default=40, help="screen pixels to the right")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (and a screenshot)"
    )
    args = parser.parse_args(argv)
    photo = Path(args.photo)
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            print(f"points_window_check: {tool} is not installed", file=sys.stderr)
            return 2
    if not photo.is_file() or not args.model or not Path(args.model).is_file():
        print(f"points_window_check: need --photo ({photo}) and --model", file=sys.stderr)
        return 2

    point, ear_xy, image_wh = ear_in_image(photo, args.model)
    margin, spacing = layout_metrics()
    work = Path(tempfile.mkdtemp(prefix="points_window_"))
    env = {
        **os.environ,
        "DISPLAY": args.display,
        "QT_QPA_PLATFORM": "xcb",
        "POSTURE_CAM_MODEL": args.model,
        "POSTURE_CAM_DATA_DIR": str(work / "data"),
        "XDG_CONFIG_HOME": str(work / "config"),
        "XDG_DATA_HOME": str(work / "share"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    w, h = SCREEN_WH
    xvfb = subprocess.Popen(
        ["Xvfb", args.display, "-screen", "0", f"{w}x{h}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app = None
    check = Checks()
    try:
        time.sleep(1.5)
        if xvfb.poll() is not None:
            print(f"points_window_check: Xvfb did not start on {args.display}", file=sys.stderr)
            return 2
        log = (work / "app.log").open("w")
        app = subprocess.Popen(
            [sys.executable, "-m", "posture_cam", "app", "--source", str(photo), "--lang", "en"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        main_id = find_window(app.pid, "", env, 60.0)
        check(main_id is not None, "the app's window is on the screen")
        if main_id is None:
            return 1
        # P before the photo is analysed only shows a notice: press until the dialog opens.
        dialog_id = None
        deadline = time.monotonic() + 120.0
        while dialog_id is None and time.monotonic() < deadline:
            run("xdotool", "windowfocus", "--sync", main_id, env=env, check=False)
            run("xdotool", "key", "--window", main_id, "p", env=env, check=False)
            dialog_id = find_window(app.pid, "Correct points", env, 2.0)
        check(dialog_id is not None, "P opens the point dialog")
        if dialog_id is None:
            return 1
        time.sleep(1.0)  # the dialog lays itself out
        box = geometry(dialog_id, env)
        sx, sy = to_screen(ear_xy, image_wh, box, margin, spacing)
        run("xdotool", "mousemove", "--sync", str(sx), str(sy), env=env)
        run("xdotool", "mousedown", "1", env=env)
        for step in range(1, 5):
            x = sx + args.drag_px * step // 4
            run("xdotool", "mousemove", "--sync", str(x), str(sy), env=env)
            time.sleep(0.1)
        run("xdotool", "mouseup", "1", env=env)
        time.sleep(0.5)  # the ± follows a pause of the drag
        if args.keep:  # what the therapist saw: the moved ear, the numbers and their ±
            run("import", "-window", "root", str(work / "dialog.png"), env=env, check=False)
        run("xdotool", "windowfocus", "--sync", dialog_id, env=env, check=False)
        run("xdotool", "key", "--window", dialog_id, "ctrl+s", env=env)
        saved: list[Path] = []
        deadline = time.monotonic() + 20.0
        while not saved and time.monotonic() < deadline:
            time.sleep(0.5)
            saved = sorted((work / "data").rglob("*_points.json"))
        check(bool(saved), "Ctrl+S saved a *_points.json sidecar")
        if not saved:
            shot = work / "screen.png"
            run("import", "-window", "root", str(shot), env=env, check=False)
            print(f"      screenshot: {shot}; app log: {work / 'app.log'}")
            return 1
        record = json.loads(saved[-1].read_text())
        screen = (box, image_wh, margin, spacing)
        check_record(record, point, ear_xy, screen, args.drag_px, check)
        print(f"      {saved[-1]}" + (f"; screenshot {work / 'dialog.png'}" if args.keep else ""))
    finally:
        if app is not None:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
        xvfb.terminate()
        xvfb.wait(10)
        if not args.keep and not check.failed:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if check.failed else 0


def check_record(record, point, ear_xy, screen, drag_px, check) -> None:  # type: ignore[no-untyped-def]
    """The saved JSON against what the mouse did."""
    from posture_cam.metrics.mdc import REPEATABILITY

    box, image_wh, margin, spacing = screen
    edits = record.get("points", {}).get("edits", [])
    entry = edits[0] if edits else {}
    check(len(edits) == 1 and entry.get("landmark") == point, f"the audit names {point} only")
    from_xy, to_xy = entry.get("from_xy") or [0, 0], entry.get("to_xy") or [0, 0]
    check(
        abs(from_xy[0] - ear_xy[0]) < 15 and abs(from_xy[1] - ear_xy[1]) < 15,
        f"it was picked where the model has it ({from_xy} vs {ear_xy[0]:.1f}, {ear_xy[1]:.1f})",
    )
    a = to_screen(tuple(from_xy), image_wh, box, margin, spacing)
    b = to_screen(tuple(to_xy), image_wh, box, margin, spacing)
    moved_screen = b[0] - a[0]
    check(
        abs(moved_screen - drag_px) <= 3 and abs(b[1] - a[1]) <= 2,
        f"moved {moved_screen} screen px right (dragged {drag_px})",
    )
    cva = record["metrics"].get("cva", {})
    check(cva.get("source") == "point", "cva is from a point")
    total = cva.get("uncertainty") or 0.0
    check(total > REPEATABILITY["cva"], f"cva ± {total:.2f}° > model {REPEATABILITY['cva']}°")
    parts = record["points"].get("uncertainty", {}).get("metrics", {}).get("cva", {})
    check((parts.get("placement") or 0) > 0, f"cva placement part ± {parts.get('placement')}°")
    changed = record["points"].get("changed_metrics", {}).get("cva", {})
    after = changed.get("after")
    check(
        after is not None and abs(after - (cva.get("median") or 0.0)) < 1e-3,
        f"changed_metrics: cva {changed.get('before')} -> {after}",
    )


if __name__ == "__main__":
    raise SystemExit(main())
