"""Test-retest statistics (ICC, SEM, MDC95) and the ``retest`` command."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import cv2
import numpy as np
import pytest

from posture_cam.metrics.retest import reliability

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def test_icc_matches_shrout_and_fleiss() -> None:
    r = reliability(SHROUT_FLEISS)
    assert r.icc_2_1 == pytest.approx(0.29, abs=0.005)
    assert r.icc_3_1 == pytest.approx(0.71, abs=0.005)
    x = np.array(SHROUT_FLEISS, float)
    ms_w = ((x - x.mean(axis=1, keepdims=True)) ** 2).sum() / (6 * 3)
    assert r.sem == pytest.approx(math.sqrt(ms_w))
    assert r.mdc95 == pytest.approx(1.96 * math.sqrt(2) * r.sem)


def test_icc_intervals_match_pingouin() -> None:
    """The 95 % intervals of McGraw & Wong (1996) as pingouin 0.7.0's intraclass_corr
    gives them (2 decimals) for Shrout & Fleiss' table, and the captures' means."""
    r = reliability(SHROUT_FLEISS)
    assert r.icc_2_1_ci95 == pytest.approx((0.02, 0.76), abs=0.005)  # ICC(A,1)
    assert r.icc_3_1_ci95 == pytest.approx((0.34, 0.95), abs=0.005)  # ICC(C,1)
    assert r.capture_means == pytest.approx(np.mean(SHROUT_FLEISS, axis=0))
    doc = r.to_json()
    assert doc["icc_2_1_ci95"] == [round(v, 4) for v in r.icc_2_1_ci95]
    assert len(doc["capture_means"]) == 4


def test_a_shift_between_captures_lowers_icc_2_1_not_icc_3_1() -> None:
    """10 subjects, 3 sessions, the second 2 and the third 4 higher (pingouin: ICC(A,1)
    0.64, 95 % 0.08-0.90; ICC(C,1) 0.88, 0.71-0.97): absolute agreement counts the
    shift, consistency does not."""
    rng = np.random.default_rng(1)
    x = rng.normal(0, 5, 10)[:, None] + np.array([0.0, 2.0, 4.0]) + rng.normal(0, 1, (10, 3))
    r = reliability(x)
    assert r.icc_2_1 == pytest.approx(0.639, abs=0.001)
    assert r.icc_2_1_ci95 == pytest.approx((0.08, 0.90), abs=0.005)
    assert r.icc_3_1 == pytest.approx(0.885, abs=0.001)
    assert r.icc_3_1_ci95 == pytest.approx((0.71, 0.97), abs=0.005)
    assert np.diff(r.capture_means) == pytest.approx([2.0, 2.0], abs=0.8)


def test_one_or_two_subjects_give_sem_without_icc() -> None:
    r = reliability([[50.0, 51.0, 49.0]])
    assert r.icc_2_1 is None and r.icc_3_1 is None
    assert r.icc_2_1_ci95 is None and r.icc_3_1_ci95 is None
    # Two subjects: one degree of freedom between them; ICC(2,1) would be -1998000.
    two = reliability([[1.0, 2.0], [2.0, 1.001]])
    assert two.icc_2_1 is None and two.icc_3_1 is None and two.sem > 0
    assert r.sem == pytest.approx(1.0)
    with pytest.raises(ValueError):
        reliability([[1.0]])


def test_negative_icc_is_reported_as_computed() -> None:
    # Subjects alike, captures of each differing: MS_R = 0, MS_C = 0, MS_E = 1 (by hand).
    r = reliability([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0], [2.0, 2.0, 2.0]])
    assert r.icc_3_1 == pytest.approx(-0.5)  # (0 - 1) / (0 + 2·1)
    assert r.icc_2_1 == pytest.approx(-1.0)  # (0 - 1) / (0 + 2·1 + 3·(0 - 1)/3)
    assert r.sem == pytest.approx(math.sqrt(4 / 6))


# Three captures of one subject as the photos gave them (6 decimals), given for two
# subjects: no subject variance and no error, so ICC(3,1) is 0/0. Before the noise
# floor the cva came out None and its complement 90 - cva came out 0.25 (a ratio of
# rounding residues ~1e-24).
CVA = [53.501049, 53.494643, 53.503616]
HEAD_FORWARD = [36.498951, 36.505357, 36.496384]  # 90 - CVA


def test_zero_variance_gives_no_icc_for_a_metric_and_its_complement() -> None:
    assert [round(90 - v, 6) for v in CVA] == HEAD_FORWARD
    cva, head = reliability([CVA] * 3), reliability([HEAD_FORWARD] * 3)
    assert cva.icc_3_1 is None and head.icc_3_1 is None
    assert cva.icc_2_1 == 0.0 and head.icc_2_1 == 0.0  # all variance between captures
    assert cva.sem == pytest.approx(float(np.std(CVA, ddof=1)), rel=1e-9)
    means = {"mean", "capture_means"}  # these differ: the values are 90 - each other
    assert {k: v for k, v in cva.to_json().items() if k not in means} == {
        k: v for k, v in head.to_json().items() if k not in means
    }
    same = reliability([[50.0, 50.0]] * 3)
    assert same.sem == 0.0 and same.icc_2_1 is None and same.icc_3_1 is None


def test_no_agreement_interval_where_satterthwaite_df_is_near_zero() -> None:
    """Equal subject means (MS_R = 0) make Satterthwaite's v 0 (1e-31 after rounding):
    the F quantile is infinite. Before, inf / inf printed numpy's "RuntimeWarning: invalid
    value encountered in scalar divide" on the user's stderr (an error under this suite's
    filterwarnings); the ICC is given, its interval is None."""
    r = reliability([[1.0, 2.0], [2.0, 1.0], [1.0, 2.0]])
    assert r.icc_2_1 == pytest.approx(-2.0)  # (0 - 2/3) / (0 + 2/3 + 2·(1/6 - 2/3)/3)
    assert r.icc_2_1_ci95 is None
    assert r.icc_3_1 == pytest.approx(-1.0) and r.icc_3_1_ci95 == pytest.approx((-1.0, -1.0))
    # v = 0.0103: the F quantile is finite (9.9e307) but F·spread overflowed (numpy's
    # overflow warning) and the interval came out (−0.0, −9.1e-7), its low end above its
    # high end. Divided through by F it is the formula's value, around the ICC.
    near = reliability(
        [
            [-1.1085043328195603, -0.6277597303513563, 0.4638945695335247],
            [-1.1091848365628678, -0.6285169012107243, 0.46577116668135277],
            [-1.1069866265860913, -0.6304074601161116, 0.4640760759234965],
        ]
    )
    assert near.icc_2_1 == pytest.approx(-9.475e-7, rel=1e-3)
    low, high = near.icc_2_1_ci95
    assert low == pytest.approx(-1.0335e-6, rel=1e-3) and high == pytest.approx(-9.090e-7, rel=1e-3)
    assert low < near.icc_2_1 < high
    assert near.icc_3_1_ci95 is not None


def test_complementary_tables_give_the_same_statistics() -> None:
    x = np.array(SHROUT_FLEISS, float) * 1.37 + 40.0
    a, b = reliability(x), reliability(90.0 - x)
    for field in ("icc_2_1", "icc_3_1", "sem", "mdc95"):
        assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-12), field
    assert a.mean + b.mean == pytest.approx(90.0)


def test_retest_command_on_reframed_photos(media, model_path, tmp_path) -> None:
    photos = (
        "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg",
        "images/seated_side/seated_side_nvv_hunchback_flip_SLOUCH_facing_right.jpg",
        "images/seated_side/seated_side_nvv_img_woman_upright_stock.jpg",
    )
    for s, rel in enumerate(photos):
        img = cv2.imread(str(media(rel)))
        folder = tmp_path / f"subject{s}"
        folder.mkdir()
        for t, dx in enumerate((0, 9, -7)):  # three "captures": slightly re-framed
            m = np.float32([[1, 0, dx], [0, 1, -dx]])
            shifted = cv2.warpAffine(
                img, m, (img.shape[1], img.shape[0]), borderMode=cv2.BORDER_REPLICATE
            )
            cv2.imwrite(str(folder / f"capture{t}.png"), shifted)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "posture_cam",
            "retest",
            str(tmp_path / "subject0"),
            str(tmp_path / "subject1"),
            str(tmp_path / "subject2"),
            "--json",
            "--save",
            "--offline",
            "--model",
            str(model_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    doc = json.loads(out.stdout)
    assert doc["subjects"] == 3 and doc["view"] == "right"
    cva = doc["metrics"]["cva"]
    assert cva["n_subjects"] == 3 and cva["n_trials"] == 3 and cva["unit"] == "deg"
    # Upright vs hunched differ by >10°, re-framing moves the CVA by ~1°: high ICC, and
    # an interval that holds it (wide: 3 subjects).
    assert cva["icc_3_1"] > 0.9 and cva["icc_2_1"] > 0.9
    low, high = cva["icc_2_1_ci95"]
    assert 0.5 < low < cva["icc_2_1"] <= high <= 1.0
    # --save: these MDC95s are now this clinic's, for changes measured from the model.
    from posture_cam.metrics.mdc import mdc_for

    assert "saved as this clinic's MDC95" in out.stderr
    saved = mdc_for("cva", "model")
    assert saved.kind == "clinic retest" and saved.value == round(cva["mdc95"], 2)
    assert mdc_for("cva", "points").value == 4.96
    assert 0 < cva["sem"] < 3 and cva["mdc95"] == pytest.approx(2.772 * cva["sem"], rel=1e-3)
    # head_forward_angle = 90° - cva: the same reliability, the complementary mean.
    head = doc["metrics"]["head_forward_angle"]
    assert {**head, "mean": cva["mean"], "capture_means": cva["capture_means"]} == cva
    assert head["mean"] + cva["mean"] == pytest.approx(90.0, abs=2e-4)
    for h, c in zip(head["capture_means"], cva["capture_means"], strict=True):
        assert h + c == pytest.approx(90.0, abs=2e-4)


@pytest.mark.media
def test_retest_prints_no_numpy_warning_where_an_interval_cannot_be_formed(
    media, model_path, tmp_path
) -> None:
    """Three subjects' frontal photo pairs: shoulder tilt's subjects have (nearly) equal
    means, so ICC(2,1) has no interval. Before, numpy's RuntimeWarning reached stderr."""
    pairs = (
        ("frontal_shapy_img01_woman_neutral.jpg", "frontal_shapy_img18_woman_studio_neutral.jpg"),
        ("frontal_shapy_img02_person_neutral.jpg", "frontal_shapy_img21_man_street.jpg"),
        (
            "frontal_shapy_img06_man_hands_in_pockets.jpg",
            "frontal_dipan_front_image_man_home_lowres.jpg",
        ),
    )
    folders = []
    for s, pair in enumerate(pairs):
        folder = tmp_path / f"s{s}"
        folder.mkdir()
        for name in pair:
            (folder / name).write_bytes(media(f"images/standing_frontal/{name}").read_bytes())
        folders.append(str(folder))
    words = ["retest", *folders, "--json", "--offline", "--model", str(model_path)]
    out = subprocess.run(
        [sys.executable, "-m", "posture_cam", *words], capture_output=True, text=True, check=True
    )
    assert "Warning" not in out.stderr, out.stderr
    assert all(line.startswith("posture-cam: ") for line in out.stderr.splitlines()), out.stderr
    tilt = json.loads(out.stdout)["metrics"]["shoulder_tilt"]
    assert tilt["icc_2_1"] == pytest.approx(-1.721, abs=0.001) and tilt["icc_2_1_ci95"] is None
    assert tilt["icc_3_1_ci95"] is not None
