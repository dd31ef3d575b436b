"""Fixtures of the bench tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from posture_cam.pose import PoseEstimator
from posture_cam.sources import read_image
from posture_cam.types import Frame
from tests.bench._helpers import load_bench

PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"


@pytest.fixture
def self_reference(tmp_path, model_path, media) -> Path:
    """A reference file whose joints are one plain pass of the model on a real photo."""
    photo = media(PHOTO)
    accuracy = load_bench("landmark_accuracy")
    with PoseEstimator(model_path, mode="image", num_poses=4, flip_average=False) as est:
        pose = est.estimate(Frame(read_image(photo), 0, 0.0, str(photo))).pose
    assert pose is not None
    joints = {
        n: [float(v) for v in pose.xy_px[i]]
        for n, i in accuracy.JOINTS.items()
        if np.isfinite(pose.xy_px[i]).all()  # a reference holds only the points it has
    }
    assert {"left_hip", "right_hip", "left_shoulder", "right_shoulder"} <= set(joints)
    ref = tmp_path / "reference.json"
    ref.write_text(json.dumps({"people": [{"image": str(photo), "joints": joints}]}))
    return ref
