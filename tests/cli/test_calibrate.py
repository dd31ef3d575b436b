"""``posture-cam calibrate`` / ``calibration`` end to end, and roll correction on a real photo."""

from __future__ import annotations

import json
import re

import cv2
import numpy as np
import pytest

from posture_cam.calibration import load_profile
from posture_cam.calibration.board import render_board
from posture_cam.cli import main
from posture_cam.types import Pose
from tests.calibration._helpers import DIST_TRUE, K_TRUE, lens_views, level_scene, marker_scene


def test_the_saved_line_speaks_dutch(tmp_path, capsys):
    level = tmp_path / "level.png"
    cv2.imwrite(str(level), level_scene(roll_deg=-3.0))
    args = ["--lang", "nl", "calibrate", "level", "--image", str(level), "--profile", "kliniek"]
    assert main(args) == 0
    out = capsys.readouterr().out.strip()
    assert re.match(r"kanteling −(2,9\d|3,0\d)° uit ChArUco-bord \(\d+ hoeken", out), out
    assert out.endswith("opgeslagen in profiel 'kliniek'") and "deg" not in out
    # The profile file keeps the English words.
    assert load_profile("kliniek").level["detail"].startswith("ChArUco board (")


def test_level_scale_lens_list_show_remove(tmp_path, capsys):
    level = tmp_path / "level.png"
    cv2.imwrite(str(level), level_scene(roll_deg=3.0))
    assert main(["calibrate", "level", "--image", str(level), "--profile", "clinic"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("roll +3.0") and "from ChArUco board (" in out
    assert out.endswith("saved to profile 'clinic'") and "\n" not in out

    scale = tmp_path / "marker.png"
    cv2.imwrite(str(scale), marker_scene(200))
    assert (
        main(
            [
                "calibrate",
                "scale",
                "--image",
                str(scale),
                "--marker-cm",
                "15",
                "--profile",
                "clinic",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.startswith("scale 0.0750 cm/px from 15 cm ArUco marker id 99")
    p = load_profile("clinic")
    assert p.roll_deg == pytest.approx(3.0, abs=0.05)  # kept by the scale step
    assert p.cm_per_px == pytest.approx(0.075, rel=0.01)

    lens_dir = tmp_path / "lens"
    lens_dir.mkdir()
    for name, img in lens_views(K_TRUE, DIST_TRUE, size_wh=(1280, 720)):
        cv2.imwrite(str(lens_dir / name), img)
    assert main(["calibrate", "lens", "--images", str(lens_dir), "--profile", "clinic"]) == 0
    assert capsys.readouterr().out.startswith("lens fx ")
    p = load_profile("clinic")
    assert p.has_lens and p.cm_per_px == pytest.approx(0.075, rel=0.01)

    assert main(["calibrate", "list"]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("clinic  roll +3.0") and "scale 0.0750 cm/px  lens RMS" in listed
    assert main(["calibrate", "show", "clinic"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["methods"] == ["level:board", "scale:marker", "lens"]
    assert len(shown["dist_coeffs"]) == 5 and shown["image_size_wh"] == [1280, 720]
    assert main(["calibrate", "remove", "clinic"]) == 0
    assert main(["calibration", "list"]) == 0
    assert "no calibration profiles" in capsys.readouterr().out


def test_points_and_roi_levels(tmp_path, capsys):
    img = tmp_path / "x.png"
    cv2.imwrite(str(img), np.full((100, 100, 3), 128, np.uint8))
    assert (
        main(
            ["calibrate", "level", "--image", str(img), "--points", "12,90,10,10", "--profile", "p"]
        )
        == 0
    )
    assert "two points on a true vertical" in capsys.readouterr().out
    assert load_profile("p").roll_deg == pytest.approx(np.degrees(np.arctan2(2, 80)))
    assert (
        main(["calibrate", "level", "--image", str(img), "--roi", "10,10,50,50", "--profile", "p"])
        == 5
    )
    assert "no straight vertical line" in capsys.readouterr().err


def test_bad_input_exit_codes(tmp_path, capsys):
    missing = tmp_path / "missing.png"
    assert main(["calibrate", "level", "--image", str(missing), "--profile", "p"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("posture-cam: error: ") and "missing.png" in err and "\n" not in err

    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((480, 640, 3), 128, np.uint8))
    assert main(["calibrate", "level", "--image", str(blank), "--profile", "p"]) == 5
    assert "no ChArUco board found" in capsys.readouterr().err
    assert (
        main(["calibrate", "scale", "--image", str(blank), "--marker-cm", "15", "--profile", "p"])
        == 5
    )
    assert "no ArUco marker" in capsys.readouterr().err
    assert main(["calibrate", "lens", "--images", str(tmp_path), "--profile", "p"]) == 5
    assert "usable in only 0 of 1" in capsys.readouterr().err
    assert main(["calibrate", "lens", "--images", str(missing), "--profile", "p"]) == 2
    assert main(["calibrate", "show", "nope"]) == 5
    assert main(["calibrate", "remove", "nope"]) == 5
    assert main(["calibration", "target", "--out", str(tmp_path / "t.png")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["calibrate", "level", "--image", str(blank), "--points", "1,2,3", "--profile", "p"])
    assert exc.value.code == 2


def _compose_and_rotate(photo: np.ndarray, angle_deg: float):
    """Photo with the board pasted into its top-left corner (clear of the person), padded,
    and the whole scene rotated counter-clockwise on screen by ``angle_deg``."""
    h, w = photo.shape[:2]
    board = render_board(px_per_square=max(16, w // 24), margin_px=max(8, w // 48))
    bh, bw = board.shape
    scene = photo.copy()
    scene[4 : 4 + bh, 4 : 4 + bw] = board[..., None]
    pad = int(0.08 * max(h, w))
    scene = cv2.copyMakeBorder(scene, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(200,) * 3)
    c = (scene.shape[1] / 2, scene.shape[0] / 2)
    m = cv2.getRotationMatrix2D(c, angle_deg, 1.0)
    rotated = cv2.warpAffine(
        scene, m, scene.shape[1::-1], flags=cv2.INTER_CUBIC, borderValue=(200,) * 3
    )
    return scene, rotated


def _tilt(xy, a, b):
    d = xy[a] - xy[b]
    return np.degrees(np.arctan2(-d[1], d[0]))


LEVEL_PHOTOS = (
    "images/standing_frontal/frontal_icon_028009_woman_studio.jpg",
    "images/derived_stills_from_videos/still_frontal_sports2d_demo5_f005_man_dumbbells.jpg",
)


def _analyze_json(capsys, *args):
    import json

    code = main(["analyze", "--json", "--view", "front", *map(str, args)])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)["inputs"][0]["frames"][0]["metrics"]


@pytest.mark.media
@pytest.mark.slow
def test_level_correction_on_real_frontal_photos(tmp_path, model_path, media, capsys):
    """calibrate level + analyze --profile on rotated photos with a board composited in:
    the tilts of the rotated photo match those of the unrotated one."""
    from posture_cam.calibration.profile import rotate_points

    diffs = []
    for i, rel in enumerate(LEVEL_PHOTOS):
        photo = cv2.imread(str(media(rel)))
        for angle in (3.7, -6.2):
            scene, rotated = _compose_and_rotate(photo, angle)
            scene_path, rotated_path = tmp_path / f"s{i}.png", tmp_path / f"r{i}{angle}.png"
            cv2.imwrite(str(scene_path), scene)
            cv2.imwrite(str(rotated_path), rotated)
            name = f"real{i}{angle}"
            assert (
                main(["calibrate", "level", "--image", str(rotated_path), "--profile", name]) == 0
            )
            out = capsys.readouterr().out
            assert out.startswith("roll ") and "saved to profile" in out
            profile = load_profile(name)
            assert profile.roll_deg == pytest.approx(angle, abs=0.15)
            # The correction itself is exact up to the roll estimate.
            pts = np.array([[100.0, 200.0], [400.0, 180.0]])
            c = ((scene.shape[1] - 1) / 2, (scene.shape[0] - 1) / 2)
            back = profile.correct_pose(
                Pose.from_arrays(
                    np.vstack([rotate_points(pts, angle, c), np.full((31, 2), 1.0)]),
                    scene.shape[1::-1],
                )
            ).xy_px[:2]
            assert _tilt(back, 1, 0) == pytest.approx(_tilt(pts, 1, 0), abs=0.15)
            ref = _analyze_json(capsys, scene_path, "--model", model_path)
            cor = _analyze_json(capsys, rotated_path, "--model", model_path, "--profile", name)
            uncorrected = _analyze_json(capsys, rotated_path, "--model", model_path)
            for mid in ("shoulder_tilt", "pelvic_tilt", "head_tilt"):
                diffs.append(abs(cor[mid]["value"] - ref[mid]["value"]))
                # Without the profile the tilt carries the camera roll.
                assert abs(uncorrected[mid]["value"] - ref[mid]["value"] - angle) < 1.0
    diffs = np.array(diffs)
    # Shoulders, pelvis and head within 0.3 deg as a median; the rest is the pose
    # model's own noise under rotation (bench/accuracy.py), bounded here at 1 deg.
    assert np.median(diffs) <= 0.3, diffs
    assert diffs.max() <= 1.0, diffs


@pytest.mark.media
def test_the_height_scale_and_the_profile_list_speak_dutch_with_symbols(capsys, model_path, media):
    """Degrees as ``°`` (never "graden"/"deg"), the eye-height fraction with a decimal
    comma, and the list's moment as ``YYYY-MM-DD HH:MM``, as every other output."""
    photo = media("images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg")
    args = ["--lang", "nl", "calibrate", "scale", "--image", str(photo), "--height-cm", "168"]
    assert main([*args, "--model", str(model_path), "--profile", "kamer-2"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"schaal 0,\d{4} cm/px uit lichaamslengte 168 cm \(ogen tot vloer \d+ px", out)
    assert "/ 0,936, ±3 %" in out, out
    args = ["--lang", "nl", "calibrate", "level", "--image", str(photo), "--vertical"]
    assert main([*args, "--points", "100,100,103,400", "--profile", "kamer-2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("kanteling +0,57° uit twee punten op een echte verticaal"), out
    assert "±0,27° per px" in out and "graden" not in out

    assert main(["--lang", "nl", "calibrate", "list"]) == 0
    listed = capsys.readouterr().out.strip()
    assert re.fullmatch(
        r"kamer-2  kanteling \+0,57°  schaal 0,\d{4} cm/px  geen lenscorrectie  "
        r"\d+×\d+ px  bijgewerkt \d{4}-\d\d-\d\d \d\d:\d\d",
        listed,
    ), listed
