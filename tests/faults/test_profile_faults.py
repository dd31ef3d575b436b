"""Broken calibration profiles: one clear line (exit 5), never a traceback, never a
silent nonsense value; ``calibrate list`` keeps showing the good ones; a profile made at
one resolution is rescaled or refused at another."""

from __future__ import annotations

import json

import numpy as np
import pytest

from posture_cam.calibration.profile import (
    CalibrationProfile,
    load_profile,
    profile_path,
    save_profile,
)
from posture_cam.cli import main
from posture_cam.errors import CalibrationError

_K = [[500.0, 0.0, 640.0], [0.0, 500.0, 360.0], [0.0, 0.0, 1.0]]

#: name -> (file text, a word the one-line message must contain)
BROKEN = {
    "list": ("[1, 2]", "not of type 'object'"),
    "null": ("null", "not of type 'object'"),
    "deep_list": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "deep_object": ('{"a":' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
    "not_json": ("{not json", "not valid JSON"),
    "dist3": (
        json.dumps(
            {
                "schema": 1,
                "name": "x",
                "camera_matrix": _K,
                "dist_coeffs": [0, 0, 0],
                "image_size_wh": [1280, 720],
            }
        ),
        "has 3 values",
    ),
    "size0": (json.dumps({"schema": 1, "name": "x", "image_size_wh": [0, 0]}), "minimum of 1"),
    "nan_k": (
        '{"schema": 1, "name": "x", "image_size_wh": [1280, 720],'
        ' "camera_matrix": [[NaN, 0, 640], [0, 500, 360], [0, 0, 1]]}',
        "NaN",
    ),
    "zero_k": (
        json.dumps(
            {
                "schema": 1,
                "name": "x",
                "image_size_wh": [1280, 720],
                "camera_matrix": [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
            }
        ),
        "focal length",
    ),
    "roll_huge": ('{"schema": 1, "name": "x", "roll_deg": 1e308}', "roll_deg"),
    "roll_nan": ('{"schema": 1, "name": "x", "roll_deg": NaN}', "roll_deg"),
    "wrong_types": (
        json.dumps({"schema": 1, "name": "x", "roll_deg": "3", "level": 5}),
        "not of type",
    ),
    "no_schema": (json.dumps({"name": "x"}), "schema"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_profile_is_one_clear_calibration_error(name):
    text, expected = BROKEN[name]
    path = profile_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    with pytest.raises(CalibrationError) as info:
        load_profile(name)
    message = str(info.value)
    assert str(path) in message and expected in message
    assert "calibrate remove" in message and "\n" not in message
    assert info.value.exit_code == 5


def test_cli_show_exits_5_and_list_keeps_the_good_profiles(capsys):
    save_profile(CalibrationProfile("clinic", roll_deg=1.5, image_size_wh=(1280, 720)))
    for name in ("list", "deep_list", "wrong_types"):
        profile_path(name).write_text(BROKEN[name][0])
    assert main(["calibrate", "show", "wrong_types"]) == 5
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["calibrate", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("clinic  roll +1.50°  no scale  no lens correction  1280×720 px")
    assert sorted(line.split()[0] for line in out if "BROKEN:" in line) == [
        "deep_list",
        "list",
        "wrong_types",
    ]


def _profile(**kw) -> CalibrationProfile:
    base = dict(name="cam", roll_deg=2.0, cm_per_px=0.2, image_size_wh=(1280, 720))
    base.update(kw)
    return CalibrationProfile(**base)


def test_same_aspect_ratio_rescales_scale_and_intrinsics_keeps_roll():
    p = _profile(camera_matrix=np.array(_K), dist_coeffs=np.zeros(5))
    q = p.for_resolution((1920, 1080))
    assert q.roll_deg == 2.0
    assert q.cm_per_px == pytest.approx(0.2 * 1280 / 1920)
    assert q.image_size_wh == (1920, 1080)
    np.testing.assert_allclose(q.camera_matrix[:2], np.array(_K)[:2] * 1.5)
    assert p.for_resolution((1280, 720)) is p


def test_other_aspect_ratio_refuses_scale_and_lens_but_keeps_a_roll_only_profile():
    with pytest.raises(CalibrationError, match="1280x720 but the source is 640x480"):
        _profile().for_resolution((640, 480))
    roll_only = _profile(cm_per_px=None)
    assert roll_only.for_resolution((640, 480)) is roll_only


def test_pipeline_applies_the_rescaled_profile():
    from posture_cam.pipeline import Pipeline
    from posture_cam.testing import ScriptedEstimator, standing_pose
    from posture_cam.types import Frame

    pose = standing_pose((1920, 1080), "front")
    pipeline = Pipeline(ScriptedEstimator([pose]), calibration=_profile())
    frame = Frame(np.zeros((1080, 1920, 3), np.uint8), 0, 0.0, "clip.mp4")
    result = pipeline.process(frame)
    assert result.cm_per_px == pytest.approx(0.2 * 1280 / 1920)
    assert result.roll_deg == 2.0
