"""A note that qualifies a value ("judged against a body height of 170 cm") carries into
the averaged capture when more than half of the frames its median is taken over carry
it (``capture.averaging.majority_notes``). Before, every frame of the webcam clip
analysed with a scale profile said so of its shoulder height difference, and the
aggregate's ``reason`` was null."""

from __future__ import annotations

import dataclasses
import json

import cv2
import pytest

from posture_cam.capture import averaging
from posture_cam.capture.averaging import AveragedCapture
from posture_cam.cli import main
from posture_cam.reasons import join, reason
from posture_cam.types import Metric, MetricStatus
from tests._helpers import result, validate_analyze_json
from tests.calibration._helpers import marker_scene

CLIP = "videos/video_gesture_woman_head_shoulders_webcamlike_7s.mp4"
NOMINAL = [{"code": "nominal_height", "height_cm": 170.0}]


@pytest.mark.media
def test_the_webcam_clip_keeps_its_nominal_height_note_in_the_aggregate(
    capsys, tmp_path, monkeypatch, model_path, media
):
    monkeypatch.setenv("POSTURE_CAM_MODEL", str(model_path))
    marker = tmp_path / "marker.png"
    cv2.imwrite(str(marker), marker_scene(200))
    args = [
        "calibrate",
        "scale",
        "--image",
        str(marker),
        "--marker-cm",
        "15",
        "--profile",
        "clinic",
    ]
    assert main(args) == 0
    capsys.readouterr()
    clip = str(media(CLIP))
    assert main(["analyze", clip, "--profile", "clinic", "--json", "--max-frames", "60"]) == 0
    doc = json.loads(capsys.readouterr().out)
    validate_analyze_json(doc)
    (rep,) = doc["inputs"]

    # Every frame that measures it (no hips in view: no body height) carries the note.
    measured = [
        f["metrics"]["shoulder_height_diff"]
        for f in rep["frames"]
        if f["metrics"].get("shoulder_height_diff", {}).get("value") is not None
    ]
    assert len(measured) >= 50
    assert all(m["unit"] == "cm" and m["reasons"] == NOMINAL for m in measured)

    aggregate = rep["aggregate"]
    assert aggregate["capture"]["frames_used"] == 12
    diff = aggregate["metrics"]["shoulder_height_diff"]
    assert diff["unit"] == "cm" and diff["median"] is not None and diff["n_frames"] == 12
    assert diff["reason"] == "judged against a body height of 170 cm"  # was null
    assert diff["reasons"] == NOMINAL
    # A value without a note keeps none; one never measured keeps its reason.
    assert aggregate["metrics"]["shoulder_tilt"]["reason"] is None
    assert aggregate["metrics"]["shoulder_tilt"]["reasons"] == []
    pelvis = aggregate["metrics"]["pelvic_tilt"]
    assert pelvis["median"] is None and pelvis["reasons"][0]["code"] == "landmarks_not_visible"

    # Dutch: the note is rebuilt from its code wherever the summary is read back.
    from posture_cam.capture_summary import CaptureSummary
    from posture_cam.i18n import localize, using_language

    back = CaptureSummary.from_json(aggregate).metrics["shoulder_height_diff"]
    with using_language("nl"):
        assert localize(back.reason) == "beoordeeld bij een lichaamslengte van 170 cm"


def _with_notes(i: int, value: float, note, unit: str = "cm"):
    """A frame whose shoulder height difference is ``value`` in ``unit`` with ``note``."""
    frame = result(i, {"shoulder_tilt": 1.0})
    metric = Metric("shoulder_height_diff", value, unit, MetricStatus.NORMAL, note)
    return dataclasses.replace(frame, metrics={**frame.metrics, metric.id: metric})


def _summary(frames):
    cap = AveragedCapture()
    for frame in frames:
        cap.add(frame)
    return cap.summary().metrics


NOMINAL_NOTE = reason("nominal_height", height_cm=170.0)
TRUNK = reason("height_from_trunk")
OTHER = reason("other_side_labels", side="left")


def test_a_note_of_most_frames_is_kept_one_of_few_is_not():
    kept = _summary([_with_notes(i, 1.0 + i, NOMINAL_NOTE if i < 3 else None) for i in range(5)])
    assert kept["shoulder_height_diff"].reason == NOMINAL_NOTE
    assert kept["shoulder_height_diff"].to_json()["reasons"] == NOMINAL
    assert kept["shoulder_tilt"].reason is None  # no frame had a note on it
    few = _summary([_with_notes(i, 1.0 + i, NOMINAL_NOTE if i < 2 else None) for i in range(5)])
    assert few["shoulder_height_diff"].reason is None
    half = _summary([_with_notes(i, 1.0 + i, NOMINAL_NOTE if i < 2 else None) for i in range(4)])
    assert half["shoulder_height_diff"].reason is None  # half is not a majority


def test_notes_count_part_by_part_over_the_frames_of_the_median_unit():
    # Every frame estimates the height from the trunk; two of five also used the other
    # side's points: only the first part is in the majority.
    notes = [join([TRUNK, OTHER]) if i < 2 else TRUNK for i in range(5)]
    stats = _summary([_with_notes(i, float(i), n) for i, n in enumerate(notes)])
    diff = stats["shoulder_height_diff"]
    assert diff.reason == TRUNK and diff.to_json()["reasons"] == [{"code": "height_from_trunk"}]
    # Both parts in the majority: both kept, in the order first seen.
    notes = [join([OTHER, TRUNK]) if i < 3 else TRUNK for i in range(5)]
    diff = _summary([_with_notes(i, float(i), n) for i, n in enumerate(notes)])[
        "shoulder_height_diff"
    ]
    assert [p["code"] for p in diff.to_json()["reasons"]] == [
        "other_side_labels",
        "height_from_trunk",
    ]
    # Frames in a minority unit (a profile changed mid-capture) are not counted: two cm
    # frames with the note, three %height frames without it; the median is taken over
    # the %height frames, none of which carries the note.
    frames = [_with_notes(i, 1.0, NOMINAL_NOTE) for i in range(2)]
    frames += [_with_notes(i, 1.0, None, unit="%height") for i in range(2, 5)]
    diff = _summary(frames)["shoulder_height_diff"]
    assert diff.unit == "%height" and diff.reason is None


def test_majority_notes_of_plain_words_and_none():
    majority_notes = averaging.majority_notes
    assert majority_notes([]) is None
    assert majority_notes([None, None]) is None
    assert majority_notes(["an old note", "an old note", None]) == "an old note"
    assert majority_notes([NOMINAL_NOTE, NOMINAL_NOTE, TRUNK]) == NOMINAL_NOTE
