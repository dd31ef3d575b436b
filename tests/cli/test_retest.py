"""``posture-cam retest`` without ``--json``: a table of the metrics' names and units, as
every other table of measurements shows them, in English and Dutch."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from posture_cam import wording
from posture_cam.metrics import CATALOGUE

PHOTOS = (
    (
        "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg",
        "images/standing_frontal/frontal_shapy_img18_woman_studio_neutral.jpg",
    ),
    (
        "images/standing_frontal/frontal_shapy_img02_person_neutral.jpg",
        "images/standing_frontal/frontal_shapy_img21_man_street.jpg",
    ),
)


def _retest(folders, model_path, *args: str) -> tuple[list[list[str]], str]:
    options = ["--offline", "--model", str(model_path)]
    proc = subprocess.run(
        [sys.executable, "-m", "posture_cam", *args, "retest", *map(str, folders), *options],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return [re.split(r" {2,}", line) for line in proc.stdout.splitlines()], proc.stdout


@pytest.mark.media
def test_retest_table_names_the_metrics_with_their_units(tmp_path, model_path, media):
    folders = []
    for s, photos in enumerate(PHOTOS):
        folder = tmp_path / f"subject{s}"
        folder.mkdir()
        for rel in photos:
            shutil.copy(media(rel), folder)
        folders.append(folder)

    (header, *rows), text = _retest(folders, model_path)
    assert header == ["Measurement", "Unit", "ICC(2,1)", "ICC(3,1)", "SEM", "MDC95"]
    order = [entry.id for entry in CATALOGUE]
    by_label = {wording.metric_label(mid): mid for mid in order}
    ids = [by_label[row[0]] for row in rows]  # every row is named, none by its id
    assert len(ids) >= 8 and "shoulder_tilt" in ids
    assert ids == sorted(ids, key=order.index)  # the analyze table's order
    units = {by_label[row[0]]: row[1] for row in rows if len(row) == 6}
    assert units["shoulder_tilt"] == "°" and units["head_shift"] == "% height"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\bdeg\b|%height", text)
    lines = text.splitlines()
    assert {len(line) for line in lines} == {len(lines[0])}  # numbers end under MDC95

    (header, *rows), text = _retest(folders, model_path, "--lang", "nl")
    assert header == ["Meting", "Eenheid", "ICC(2,1)", "ICC(3,1)", "SEM", "MDC95"]
    assert "Schouderscheefstand" in [row[0] for row in rows]
    assert not re.search(r"\d\.\d", text)  # decimal comma only
