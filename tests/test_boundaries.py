"""Architecture checks: the core never imports Qt; the stack imports together."""

from __future__ import annotations

import os
import subprocess
import sys

CORE_MODULES = [
    "posture_cam",
    "posture_cam.types",
    "posture_cam.landmarks",
    "posture_cam.pipeline",
    "posture_cam.pose",
    "posture_cam.sources",
    "posture_cam.cli",
    "posture_cam.metrics",
    "posture_cam.overlay",
    "posture_cam.calibration",
    "posture_cam.home",
    "posture_cam.home.session",
    "posture_cam.home.wording",
    "posture_cam.records",
    "posture_cam.records.report",
]


def test_core_does_not_import_qt():
    code = (
        "import importlib, sys\n"
        f"for m in {CORE_MODULES!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported Qt: {out.stdout}"


def test_cv2_mediapipe_and_pyside6_work_together():
    code = (
        "import os; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
        "import cv2, mediapipe, numpy as np\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "img = cv2.cvtColor(np.zeros((8, 8, 3), np.uint8), cv2.COLOR_BGR2RGB)\n"
        "w = QLabel('ok'); w.show(); app.processEvents()\n"
        "print(cv2.__version__, mediapipe.__version__, img.shape)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "(8, 8, 3)" in out.stdout


def test_only_the_contrib_opencv_distribution_is_installed():
    from importlib import metadata

    names = {(d.metadata["Name"] or "").lower() for d in metadata.distributions()}
    assert "opencv-contrib-python" in names
    clashing = names & {"opencv-python", "opencv-python-headless", "opencv-contrib-python-headless"}
    assert not clashing, f"a second OpenCV distribution breaks cv2: {clashing}"


def test_app_without_a_display_says_what_to_do():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "posture_cam"], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "no display found" in line and "posture-cam analyze" in line
