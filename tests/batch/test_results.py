"""``analyze --json`` against docs/schema/analyze.schema.json, on a real photo and video,
and the README's example against the same schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from posture_cam.batch.results import AnalysisReport
from tests._helpers import validate_analyze_json

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "analyze.schema.json").read_text("utf-8"))
PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
VIDEO = "videos/video_tfjs_pose_1_woman_dancing_frontal_4s.mp4"


validate = validate_analyze_json


@pytest.mark.media
def test_analyze_json_of_a_photo_and_a_video_follows_the_schema(model_path, media):
    cmd = [sys.executable, "-m", "posture_cam", "analyze", "--json", "--model", str(model_path)]
    cmd += [str(media(VIDEO)), str(media(PHOTO)), "--max-frames", "20"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    validate(doc)
    video, photo = doc["inputs"]
    assert (video["kind"], photo["kind"]) == ("video", "image")
    assert video["frame_count"] == 20 and isinstance(video["aggregate"], dict)
    assert video["aggregate"]["capture"]["frames_seen"] == 20
    assert "aggregate" not in photo
    assert photo["frames"][0]["person_found"] is True
    assert len(photo["frames"][0]["landmarks"]) == 33
    # A photo's every metric carries its ± (null only where nothing was measured);
    # a video's frames carry none: their ± is the aggregate's.
    photo_metrics = photo["frames"][0]["metrics"].values()
    assert all((m["uncertainty"] is None) == (m["value"] is None) for m in photo_metrics)
    assert all("uncertainty" not in m for f in video["frames"] for m in f["metrics"].values())
    # The typed report reads the document back to the same document.
    assert AnalysisReport.from_json(doc).to_json() == doc


SIDE = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"


@pytest.mark.media
def test_a_photo_with_points_given_by_hand_follows_the_schema(model_path, media):
    points = ["c7=301.25,402.5", "tragus=357.75,251.125", "asis=398.5,702.25", "psis=297,681.5"]
    cmd = [sys.executable, "-m", "posture_cam", "analyze", "--json", "--fast", str(media(SIDE))]
    cmd += ["--model", str(model_path), *(f"--point={p}" for p in points)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    validate(doc)
    metrics = doc["inputs"][0]["frames"][0]["metrics"]
    for metric_id in ("cva", "pelvic_tilt_sagittal"):
        assert metrics[metric_id]["source"] == "point"
        assert metrics[metric_id]["uncertainty"] > 1.0  # the placement estimate (1.5°, 2.3°)


def _frame(metric: dict) -> dict:
    return {
        "index": 0,
        "t_ms": 0.0,
        "person_found": True,
        "num_people": 1,
        "view": {"view": "front", "confidence": 1.0, "forced": False},
        "quality": {"ok": True, "checks": []},
        "metrics": {"shoulder_tilt": metric},
    }


def test_uncertainty_belongs_to_photo_frames_only():
    base = {"value": 1.0, "unit": "deg", "status": "normal", "reason": None, "reasons": []}
    with_pm = {**base, "source": "model", "uncertainty": 0.78}
    without = {**base, "source": "model"}

    def doc(kind: str, metric: dict) -> dict:
        return {
            "inputs": [{"source": "x", "kind": kind, "frame_count": 1, "frames": [_frame(metric)]}]
        }

    validate(doc("image", with_pm))
    validate(doc("video", without))
    assert list(Draft202012Validator(SCHEMA).iter_errors(doc("image", without)))
    assert list(Draft202012Validator(SCHEMA).iter_errors(doc("video", with_pm)))


def test_a_string_aggregate_is_rejected():
    """The #8 bug: an aggregate printed as a JSON string must fail the schema."""
    doc = {
        "inputs": [
            {"source": "a.mp4", "kind": "video", "frame_count": 0, "frames": [], "aggregate": "{}"}
        ]
    }
    assert list(Draft202012Validator(SCHEMA).iter_errors(doc))


def test_readme_example_follows_the_schema():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("`--json` prints") :]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block, "README has no ```json example under analyze --json"
    validate(json.loads(block.group(1)))


def test_a_value_never_measured_is_no_proxy():
    """Side view without markers: the sagittal pelvic tilt (its catalogue entry is a
    proxy) said proxy true and the forward shoulder angle false, though neither has a
    value and nothing stands in for anything."""
    import numpy as np

    from posture_cam.batch.serialize import frame_result_to_json
    from posture_cam.pipeline import Pipeline
    from posture_cam.testing import ScriptedEstimator, standing_pose
    from posture_cam.types import Frame

    pose = standing_pose((720, 1280), "left")
    with Pipeline(ScriptedEstimator([pose])) as pipeline:
        result = pipeline.process(Frame(np.zeros((1280, 720, 3), np.uint8), 0, 0.0, "side"))
    metrics = frame_result_to_json(result, landmarks=False)["metrics"]
    for never in ("pelvic_tilt_sagittal", "forward_shoulder_angle"):
        assert metrics[never]["value"] is None and metrics[never]["proxy"] is False
    assert metrics["cva"]["value"] is not None and metrics["cva"]["proxy"] is True
