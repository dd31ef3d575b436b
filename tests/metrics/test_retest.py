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


def test_one_subject_gives_sem_without_icc() -> None:
    r = reliability([[50.0, 51.0, 49.0]])
    assert r.icc_2_1 is None and r.icc_3_1 is None
    assert r.sem == pytest.approx(1.0)
    with pytest.raises(ValueError):
        reliability([[1.0]])


def test_retest_command_on_reframed_photos(media, model_path, tmp_path) -> None:
    photos = (
        "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg",
        "images/seated_side/seated_side_nvv_hunchback_flip_SLOUCH_facing_right.jpg",
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
            "--json",
            "--offline",
            "--model",
            str(model_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    doc = json.loads(out.stdout)
    assert doc["subjects"] == 2
    cva = doc["metrics"]["cva"]
    assert cva["n_subjects"] == 2 and cva["n_trials"] == 3 and cva["unit"] == "deg"
    # Upright vs hunched differ by >10°, re-framing moves the CVA by ~1°: high ICC.
    assert cva["icc_3_1"] > 0.9 and cva["icc_2_1"] > 0.9
    assert 0 < cva["sem"] < 3 and cva["mdc95"] == pytest.approx(2.772 * cva["sem"], rel=1e-3)
