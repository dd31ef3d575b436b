"""Architecture checks: the core never imports Qt; the stack imports together."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def test_core_does_not_import_qt():
    # Every module outside posture_cam.ui, found by walking the package, so new packages
    # are covered without editing this list (alembic's migration scripts only run inside
    # alembic). The import-linter contract below checks the same statically.
    code = (
        "import importlib, pkgutil, sys, posture_cam\n"
        "def walk(path, prefix):\n"  # pkgutil.walk_packages would import ui/ packages
        "    for info in pkgutil.iter_modules(path, prefix):\n"
        "        n = info.name\n"
        "        if n == 'posture_cam.ui' or '.migrations' in n or n.endswith('__main__'):\n"
        "            continue\n"
        "        module = importlib.import_module(n)\n"
        "        if info.ispkg:\n"
        "            walk(module.__path__, n + '.')\n"
        "walk(posture_cam.__path__, 'posture_cam.')\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(len([m for m in sys.modules if m.startswith('posture_cam.')]), ','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, bad = out.stdout.split(" ", 1)
    assert int(count) > 40, "the walk found too few modules"
    assert bad.strip() == "", f"core imported Qt: {bad}"


def test_import_contracts_hold():
    """The [tool.importlinter] contracts in pyproject.toml (layers, Qt only in ui/,
    MediaPipe only in pose/, no cycles), as .ci/run checks them."""
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():
        exe = Path(shutil.which("lint-imports") or "lint-imports")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([str(exe)], capture_output=True, text=True, cwd=root, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


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


def test_types_check_clean():
    """mypy over the whole package with the [tool.mypy] settings, ui/ included, as
    .ci/run checks it."""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=root, timeout=600
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-1000:]


def test_every_top_level_module_has_a_layer():
    """The layers contract names every module and package of posture_cam/ (a module
    left out would be checked by no layer rule), and nothing that is not there."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    ]
    named = {name.strip() for layer in layers for name in layer.split(":")}
    package = root / "posture_cam"
    present = {p.stem for p in package.glob("*.py") if p.stem != "__init__"} | {
        p.name for p in package.iterdir() if (p / "__init__.py").is_file()
    }
    assert named == present, (sorted(present - named), sorted(named - present))


def test_no_module_is_exempt_from_type_checks():
    """The UI ratchet is gone: no [tool.mypy] override may silence a module again."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    silenced = [o["module"] for o in config.get("overrides", []) if o.get("ignore_errors")]
    assert not silenced, f"modules exempt from mypy: {silenced}"


def test_ui_classes_have_one_base():
    """Composition, not mixins: every class in posture_cam/ui derives from one base, so no
    class reads attributes that another class declares."""
    import ast

    ui = Path(__file__).resolve().parents[1] / "posture_cam" / "ui"
    classes = 0
    mixed = []
    for path in sorted(ui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                classes += 1
                if len(node.bases) > 1 or "mixin" in node.name.lower():
                    mixed.append(f"{path.relative_to(ui)}:{node.name}")
    assert classes > 30, "the walk found too few classes"
    assert not mixed, f"mixin-style classes in ui/: {mixed}"
