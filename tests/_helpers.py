"""Test helpers shared across folders: synthetic frame results (no model, no media), and
the developer scripts of ``tools/`` imported as modules."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from posture_cam.types import (
    Frame,
    FrameResult,
    Metric,
    MetricStatus,
    Pose,
    PoseEstimate,
    QualityCheck,
    QualityReport,
    View,
    ViewEstimate,
)

FPS = 30.0
IMAGE = np.zeros((4, 4, 3), np.uint8)
POSE = Pose.from_arrays(np.full((33, 2), 2.0), (4, 4))
GOOD = QualityReport((QualityCheck("visible", True), QualityCheck("still", True)))


def bad(reason: str = "patient moving") -> QualityReport:
    return QualityReport((QualityCheck("visible", True), QualityCheck("still", False, reason)))


def result(
    i: int,
    values: dict[str, float | None],
    *,
    view: View = View.FRONT,
    quality: QualityReport = GOOD,
    person: bool = True,
    unit: str = "deg",
    status: MetricStatus = MetricStatus.NORMAL,
) -> FrameResult:
    metrics = {
        mid: Metric(mid, v, unit, status)
        if v is not None
        else Metric.not_measurable(mid, unit, "ears not visible")
        for mid, v in values.items()
    }
    return FrameResult(
        frame=Frame(IMAGE, i, i * 1000.0 / FPS, "test"),
        estimate=PoseEstimate(POSE if person else None, (POSE,) if person else ()),
        pose_image=POSE if person else None,
        pose_measured=POSE if person else None,
        view=ViewEstimate(view, 0.9),
        quality=quality,
        metrics=metrics if person else {},
    )


REPO_ROOT = Path(__file__).resolve().parents[1]
ANALYZE_SCHEMA_PATH = REPO_ROOT / "docs" / "schema" / "analyze.schema.json"


def validate_analyze_json(doc: dict) -> None:
    """Assert that ``doc`` follows docs/schema/analyze.schema.json (the first errors shown)."""
    import json

    from jsonschema import Draft202012Validator

    schema = json.loads(ANALYZE_SCHEMA_PATH.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=lambda e: e.path)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def load_script(folder: str, name: str) -> ModuleType:
    """Import ``<folder>/<name>.py`` of the checkout, a script that lives beside the
    package, not in it (``bench/``, ``tools/``). It is registered in ``sys.modules``
    under ``name`` (its dataclasses look their module up there, and every test gets
    the same one); its folder is on ``sys.path`` while it loads, so it may import its
    siblings by name."""
    if name in sys.modules:
        return sys.modules[name]
    where = str(REPO_ROOT / folder)
    sys.path.insert(0, where)
    try:
        spec = importlib.util.spec_from_file_location(name, Path(where) / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(where)


def load_tool(name: str) -> ModuleType:
    """Import ``tools/<name>.py``, a developer script (:func:`load_script`)."""
    return load_script("tools", name)


def install_second_model(model: Path) -> Path:
    """Install a built ``movenet_thunder.npz`` (and its ``.sha256``) in the user's
    models folder, as ``posture-cam models fetch movenet`` does; returns the folder."""
    import shutil

    from posture_cam import paths
    from posture_cam.pose.model import movenet_build

    folder = paths.models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".sha256"):
        shutil.copy(f"{model}{suffix}", folder / f"{movenet_build.FILE_NAME}{suffix}")
    return folder


#: Fluorescent green (#39FF14) in BGR: the default sticker colour.
STICKER_BGR = (20, 255, 57)


def sticker_places(pose, facing: int, tilt_deg: float = 14.0) -> dict[str, np.ndarray]:
    """Where a therapist's tragus, C7, ASIS and PSIS stickers go on the side-view
    ``pose`` (image pixels, whole): near its ear, behind and above its shoulders, and
    across its hips with the pelvis tilted ``tilt_deg`` (+ anterior: the ASIS lower).

    Args:
        pose: the pose model's pose of the photo.
        facing: +1 when the patient faces the image's right, -1 its left.
        tilt_deg: the sagittal pelvic tilt the ASIS-PSIS line makes.
    """
    import math

    from posture_cam.landmarks import LM
    from posture_cam.metrics.body import trunk_length_px

    trunk = trunk_length_px(pose)
    up, fwd = np.array([0.0, -1.0]), np.array([float(facing), 0.0])
    xy = pose.xy_px
    ear = np.nanmean(xy[[LM.LEFT_EAR, LM.RIGHT_EAR]], axis=0)
    sh = np.nanmean(xy[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]], axis=0)
    hip = np.nanmean(xy[[LM.LEFT_HIP, LM.RIGHT_HIP]], axis=0)
    tilt = math.radians(tilt_deg)
    half = 0.17 * trunk * np.array([facing * math.cos(tilt), math.sin(tilt)])
    centre = hip + 0.12 * trunk * up
    return {
        "tragus": np.round(ear + 0.03 * trunk * fwd + 0.01 * trunk * up),
        "c7": np.round(sh - 0.13 * trunk * fwd + 0.16 * trunk * up),
        "asis": np.round(centre + half),
        "psis": np.round(centre - half),
    }


def paint_stickers(image_bgr: np.ndarray, places: dict[str, np.ndarray], trunk_px: float):
    """A copy of ``image_bgr`` with a green disc (2 % of the trunk, at least 4 px) at
    each of ``places``."""
    import cv2

    marked = image_bgr.copy()
    radius = max(4, round(0.02 * trunk_px))
    for xy in places.values():
        cv2.circle(marked, (int(xy[0]), int(xy[1])), radius, STICKER_BGR, -1, cv2.LINE_AA)
    return marked


#: MediaPipe's C++ log lines (absl: "W0000 00:00:1796… file.cc:81] …"): they come now
#: and then (e.g. "Input tensor memory is not aligned", from whatever address an array
#: got) and the Tasks API has no switch for them. Tests of what *we* write skip them.
ABSL_LOG_LINE = r"[IWEF]\d{4} \d\d:\d\d:\d\d"


def own_stderr_lines(stderr: str) -> list[str]:
    """The non-blank lines of ``stderr`` that are not MediaPipe's own log lines."""
    import re

    return [ln for ln in stderr.splitlines() if ln.strip() and not re.match(ABSL_LOG_LINE, ln)]
