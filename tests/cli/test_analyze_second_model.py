"""``analyze`` on a photo weighs in the installed second keypoint model, says so in its
JSON, and can be told not to; it never downloads it when the pose model is there."""

from __future__ import annotations

import json

import numpy as np
import pytest

from posture_cam import paths
from posture_cam.cli import main
from posture_cam.config import PipelineConfig
from posture_cam.errors import ModelError
from posture_cam.landmarks import LM
from posture_cam.pipeline import pose_model_present, second_model_for
from posture_cam.pose.model import movenet_build, store
from posture_cam.pose.movenet import COCO_TO_LM
from tests._helpers import install_second_model

PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
VIDEO = "videos/video_sports2d_demo3_woman_running_side_1.6s.mp4"
BODY = sorted(COCO_TO_LM.values())
POSE_MODEL = "pose_landmarker_full.task"


INSTALL_HINT = (
    "; photos measured with the pose model alone: `posture-cam models fetch movenet` "
    "installs the second keypoint model"
)


def _input(capsys, *args, stderr: str | None = None) -> dict:
    """The JSON of ``analyze`` on one input. Its summary line on stderr ends with
    ``stderr`` when given, else it does not say how to install the second model (it is
    installed, turned off, or the input is a video)."""
    assert main(["analyze", "--json", *map(str, args)]) == 0
    captured = capsys.readouterr()
    summary = captured.err.strip().splitlines()[-1]
    if stderr is None:
        assert "models fetch movenet" not in summary, summary
    else:
        assert summary.endswith(stderr), summary
    return json.loads(captured.out)["inputs"][0]


def _xy(doc: dict) -> np.ndarray:
    """(33, 2) landmark pixels of the photo's frame; NaN where the JSON has none."""
    rows = doc["frames"][0]["landmarks"]
    return np.array([r[:2] if r is not None else (np.nan, np.nan) for r in rows], float)


@pytest.mark.media
def test_a_photo_weighs_in_the_installed_second_model(
    media, model_path, movenet_model, capsys, monkeypatch
):
    monkeypatch.setattr(paths, "repo_models_dir", lambda: None)
    photo = media(PHOTO)
    alone = _input(capsys, photo, "--model", model_path, stderr=INSTALL_HINT)
    assert alone["models"] == [POSE_MODEL]  # not installed: the pose model alone
    install_second_model(movenet_model)
    both = _input(capsys, photo, "--model", model_path)
    off = _input(capsys, photo, "--model", model_path, "--no-second-model")
    fast = _input(capsys, photo, "--model", model_path, "--fast")
    assert both["models"] == [POSE_MODEL, movenet_build.FILE_NAME]
    assert off["models"] == fast["models"] == [POSE_MODEL]
    # The table says so in its title line.
    assert main(["analyze", str(photo), "--model", str(model_path)]) == 0
    title = capsys.readouterr().out.splitlines()[0]
    assert title.endswith(": photo, Front, with the second keypoint model"), title
    assert off["frames"] == alone["frames"]

    lm_both, lm_off = _xy(both), _xy(off)
    moved = np.linalg.norm(lm_both - lm_off, axis=1)
    others = [i for i in range(33) if i not in BODY]
    assert np.array_equal(lm_both[others], lm_off[others], equal_nan=True)
    assert np.nanmax(moved[BODY]) > 0.5  # the shoulders and hips moved ...
    height = np.nanmax(lm_off[:, 1]) - np.nanmin(lm_off[:, 1])
    assert np.nanmax(moved[BODY]) < 0.03 * height  # ... by at most a few pixels
    # The numbers follow the points they are measured from.
    tilt = {
        k: d["frames"][0]["metrics"]["shoulder_tilt"]["value"] for k, d in (("b", both), ("o", off))
    }
    assert tilt["b"] != tilt["o"]
    assert abs(tilt["b"] - tilt["o"]) < 2.0
    left, right = lm_both[LM.LEFT_SHOULDER], lm_both[LM.RIGHT_SHOULDER]
    # Displayed x grows to the image's right; the patient's left shoulder is on the
    # image's right in a front view: its height above the right one is the tilt.
    expected = np.degrees(np.arctan2(right[1] - left[1], left[0] - right[0]))
    assert tilt["b"] == pytest.approx(expected, abs=0.05)


@pytest.mark.media
def test_an_explicit_second_model_and_a_missing_one(media, model_path, movenet_model, capsys):
    photo = media(PHOTO)
    given = _input(capsys, photo, "--model", model_path, "--second-model", movenet_model)
    assert given["models"] == [POSE_MODEL, movenet_build.FILE_NAME]
    # Videos never use it.
    video = _input(
        capsys, media(VIDEO), "--model", model_path, "--second-model", movenet_model,
        "--max-frames", "3",
    )  # fmt: skip
    assert video["models"] == [POSE_MODEL]
    missing = photo.parent / "no_such_model.npz"
    code = main(["analyze", str(photo), "--model", str(model_path), "--second-model", str(missing)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    assert len(err) == 1 and "no_such_model.npz" in err[0] and "models fetch movenet" in err[0]
    assert "Traceback" not in err[0]


def test_the_second_model_is_fetched_only_on_first_use(monkeypatch, capsys, tmp_path):
    """With the pose model present nothing is downloaded: the second model is fetched
    together with the pose model on first use, and a failed fetch is one line."""
    monkeypatch.setattr(paths, "repo_models_dir", lambda: None)
    monkeypatch.delenv(store.MODEL_ENV, raising=False)
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise ModelError("registry.npmjs.org: no network")

    monkeypatch.setattr(movenet_build, "build_movenet", refuse)
    given = PipelineConfig(model_path=str(tmp_path / "model.task"))
    assert pose_model_present(given)
    assert not pose_model_present(PipelineConfig())
    monkeypatch.setenv(store.MODEL_ENV, str(tmp_path / "model.task"))
    assert pose_model_present(PipelineConfig())

    assert second_model_for(given) is None and calls == []
    assert second_model_for(given, fetch=True) is None and len(calls) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "posture-cam: registry.npmjs.org: no network; photos are measured with the pose model alone"
    ]
    assert second_model_for(PipelineConfig(second_model=False), fetch=True) is None
    assert len(calls) == 1
    explicit = PipelineConfig(second_model_path=str(tmp_path / "m.npz"))
    assert second_model_for(explicit, fetch=True) == tmp_path / "m.npz"
