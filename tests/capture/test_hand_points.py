"""A video with points given by hand (``analyze --point``): the ± of its averaged numbers
from those points holds the parts the points editor gives a corrected frame
(``posture_cam.capture.hand_points``), on a real clip and the real model. Before, such a
number carried its frame spread alone: no model repeatability for the shoulder the model
still placed, no placement estimate for the one given by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posture_cam.batch.analysis import analyze_inputs
from posture_cam.config import PipelineConfig
from posture_cam.markers.uncertainty import PLACEMENT_SD_MIN_PX
from posture_cam.metrics import spec

pytestmark = pytest.mark.media

#: Head and shoulders, frontal, body still; the gate passes about a third of the frames.
CLIP = "videos/video_gesture_woman_head_shoulders_webcamlike_7s.mp4"
LEFT_SHOULDER = (904.4, 678.7)  # given by hand: image pixels, about where the model has it


def _aggregate(media, model_path, points=()):
    config = PipelineConfig(model_path=str(model_path), points=points)
    report = analyze_inputs([media(CLIP)], config, max_frames=60, allow_network=False)
    (video,) = report.inputs
    assert video.aggregate is not None and video.aggregate.capture.view == "front"
    return video


def test_a_point_value_of_a_video_carries_model_and_placement_parts(media, model_path):
    x, y = LEFT_SHOULDER
    video = _aggregate(media, model_path, (f"left_shoulder={x},{y}",))
    tilt = video.aggregate.metrics["shoulder_tilt"]
    assert tilt.source == "point" and tilt.n_frames >= 10
    # The placement part, independently: shoulder tilt is the angle of the line between
    # the shoulders; one end off by σ along x and along y moves it by σ/L radians in
    # quadrature (only the part across the line counts). σ is the 3 px floor: the clip
    # shows no legs, so there is no body height to scale it with. L: in the latest frame
    # the capture used (the one the editor perturbs), to the right shoulder the model
    # placed.
    last = [f for f in video.frames if f["quality"] and f["quality"]["ok"]][-1]
    right = np.asarray(last["landmarks"][12][:2])
    length = float(np.hypot(*(right - np.asarray(LEFT_SHOULDER))))
    placement = math.degrees(PLACEMENT_SD_MIN_PX / length)
    model = spec("shoulder_tilt").repeatability  # the right shoulder is the model's
    want = math.sqrt(tilt.sd**2 + model**2 + placement**2)
    assert tilt.uncertainty == pytest.approx(want, rel=0.02)
    assert 0.2 < placement < 0.4 and tilt.uncertainty > tilt.sd + 0.5
    # A number that uses no point given by hand keeps the averaged ± unchanged.
    plain = _aggregate(media, model_path).aggregate.metrics["head_tilt"]
    head = video.aggregate.metrics["head_tilt"]
    assert head.source == "model" and head.uncertainty == pytest.approx(plain.uncertainty)
    assert head.uncertainty == pytest.approx(math.hypot(head.sd, spec("head_tilt").repeatability))
