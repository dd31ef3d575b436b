"""Structured metric reasons: a stable code and its data, words in any language, never ids."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
import string
from pathlib import Path

import numpy as np
import pytest

from posture_cam import reasons
from posture_cam.capture_summary import MetricStats
from posture_cam.cli.analyze_table import input_rows
from posture_cam.i18n import localize, using_language
from posture_cam.landmarks import LM
from posture_cam.metrics import MetricsEngine
from posture_cam.testing import standing_pose
from posture_cam.types import MetricStatus, View, ViewEstimate

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "analyze.schema.json").read_text("utf-8"))
#: A landmark id or name in text a person reads ("left_hip (23)", "left_hip").
LANDMARK_ID = re.compile(r"\(\d+\)|\b(?:left|right)_[a-z]")


def webcam_pose():
    """The synthetic standing figure cut at the waist, like a desk webcam."""
    pose = standing_pose((640, 480), "front", shoulder_tilt_deg=2.0)
    xy, vis = pose.xy_px.copy(), pose.visibility.copy()
    xy[LM.LEFT_HIP :], vis[LM.LEFT_HIP :] = np.nan, 0.0
    return dataclasses.replace(pose, xy_px=xy, visibility=vis)


def test_missing_landmarks_are_a_code_with_names_and_words_in_each_language():
    out = MetricsEngine().compute(webcam_pose(), ViewEstimate(View.FRONT, 1.0), None)
    pelvic = out["pelvic_tilt"]
    assert pelvic.status is MetricStatus.NOT_MEASURABLE
    assert pelvic.reason.code == "landmarks_not_visible"
    assert pelvic.reason.data == {"landmarks": ["left_hip", "right_hip"]}
    assert pelvic.to_json()["reasons"] == [
        {"code": "landmarks_not_visible", "landmarks": ["left_hip", "right_hip"]}
    ]
    assert str(pelvic.reason) == "not in the picture: left hip, right hip"
    with using_language("nl"):
        assert localize(pelvic.reason) == "niet in beeld: linkerheup, rechterheup"
    # Lengths lack the body-size reference (no hips): a code, not words to match.
    shift = out["shoulder_shift"]
    assert shift.reason.code in {"landmarks_not_visible", "no_body_size_reference"}
    assert out["shoulder_tilt"].value is not None and out["shoulder_tilt"].reason is None
    for metric in out.values():
        for lang in ("en", "nl"):
            with using_language(lang):
                assert not LANDMARK_ID.search(localize(metric.reason)), metric


def test_every_code_renders_in_dutch_with_its_data():
    data = {
        "landmarks": ["left_knee", "right_foot_index"],
        "knee_deg": 92.4,
        "trunk_deg": 38.8,
        "height_cm": 170.0,
        "side": "right",
        "first": "c7",
        "second": "tragus",
        "px": 3.0,
    }
    for code, msgid in reasons.MESSAGES.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(msgid) if f}
        r = reasons.reason(code, **{f: data[f] for f in fields})
        assert r.code == code and set(r.data) == fields
        with using_language("nl"):
            dutch = localize(r)
        assert dutch and dutch != str(r), code
        assert "{" not in dutch and not LANDMARK_ID.search(dutch), dutch
    with using_language("nl"):
        assert localize(reasons.reason("not_standing", knee_deg=92.4)).endswith("(kniehoek 92°)")
        assert "rechts" in localize(reasons.reason("near_side_missing", side="right"))


def test_joined_notes_keep_every_code_and_survive_json_and_pickle():
    joined = reasons.join(
        [reasons.reason("near_side_missing", side="left"), reasons.reason("height_from_trunk")]
    )
    assert [p["code"] for p in joined.to_json()] == ["near_side_missing", "height_from_trunk"]
    assert str(joined).count("; ") == 1
    assert reasons.join([None, ""]) is None
    stats = MetricStats(1.2, 0.1, 0.1, 1.0, 1.4, 5, "%height", MetricStatus.NORMAL, joined, "model")
    back = MetricStats.from_json(json.loads(json.dumps(stats.to_json())))
    assert back.reason == joined and back.reason.to_json() == joined.to_json()
    with using_language("nl"):
        assert localize(back.reason).startswith("punten aan de camerakant ontbreken")
    unpickled = pickle.loads(pickle.dumps(joined))
    assert unpickled.to_json() == joined.to_json() and unpickled == joined
    assert reasons.has_code(unpickled, "height_from_trunk")
    assert not reasons.has_code("no body-size reference", "no_body_size_reference")
    # Older JSON without codes keeps its words.
    old = {k: v for k, v in stats.to_json().items() if k != "reasons"} | {"reason": "hips hidden"}
    assert MetricStats.from_json(old).reason == "hips hidden"


def test_the_schema_lists_exactly_the_codes():
    enum = SCHEMA["$defs"]["reasons"]["items"]["properties"]["code"]["enum"]
    assert sorted(enum) == sorted(reasons.MESSAGES)


def test_analyze_table_groups_missing_landmarks_in_words_from_the_codes():
    out = MetricsEngine().compute(webcam_pose(), ViewEstimate(View.FRONT, 1.0), None)
    rep = {"frames": [{"metrics": {k: m.to_json() for k, m in out.items()}}]}
    with using_language("nl"):
        rows, missing = input_rows(rep)
    assert rows and missing
    assert any(r.startswith("niet in beeld: heupen") for r in missing), missing
    assert not any(LANDMARK_ID.search(r) for r in missing), missing


@pytest.mark.parametrize("code", ["nope", ""])
def test_an_unknown_code_is_refused(code):
    with pytest.raises(KeyError):
        reasons.reason(code)


CHECK_DATA = {
    "landmarks": ["left_wrist", "right_knee"],
    "yaw_deg": 41.6,
    "deg": 27.2,
    "edges": [
        {"edge": "bottom", "landmarks": ["left_ankle"]},
        {"edge": "left", "landmarks": ["right_wrist"]},
    ],
    "places": ["over_face", "raised"],
    "motion_pct": 2.44,
    "window_s": 1.0,
    "limit_pct": 1.5,
}


def test_every_quality_check_code_renders_in_dutch_with_its_data():
    for code, msgid in reasons.CHECK_MESSAGES.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(msgid) if f}
        r = reasons.reason(code, **{f: CHECK_DATA[f] for f in fields})
        assert r.code == code and r.to_json() == [{"code": code, **r.data}]
        back = reasons.from_json("?", json.loads(json.dumps(r.to_json())))
        assert back == r  # rebuilt from the code: the same English words
        with using_language("nl"):
            dutch = localize(back)
        assert dutch and dutch != str(r), code
        assert "{" not in dutch and not LANDMARK_ID.search(dutch), dutch
    cut = reasons.reason("cut_off", edges=CHECK_DATA["edges"], feet_not_in_view=True)
    assert str(cut) == (
        "body cut off at the bottom edge (left ankle); left edge (right wrist); "
        "bottom edge (feet not in view)"
    )
    with using_language("nl"):
        assert localize(
            reasons.reason(
                "moving", **{k: CHECK_DATA[k] for k in ("motion_pct", "window_s", "limit_pct")}
            )
        ).startswith("beweegt: 2,4 % van de lichaamslengte")


def test_the_schema_lists_exactly_the_quality_check_codes():
    enum = SCHEMA["$defs"]["check_reasons"]["items"]["properties"]["code"]["enum"]
    assert sorted(enum) == sorted(reasons.CHECK_MESSAGES)
    assert not set(reasons.CHECK_MESSAGES) & set(reasons.MESSAGES)  # one meaning per code
