"""A visit's photo capture names the models that placed its landmarks."""

from __future__ import annotations

import pytest

from posture_cam import paths
from posture_cam.pose.model import store
from posture_cam.records.ingest import analyse_files
from tests._helpers import install_second_model

PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
VIDEO = "videos/video_sports2d_demo3_woman_running_side_1.6s.mp4"


@pytest.mark.media
def test_a_photo_capture_names_both_models_a_video_one(
    media, model_path, movenet_model, monkeypatch
):
    monkeypatch.setenv(store.MODEL_ENV, str(model_path))
    monkeypatch.setattr(paths, "repo_models_dir", lambda: None)
    (alone,) = analyse_files([media(PHOTO)], allow_network=False)
    assert alone.model_name == "pose_landmarker_full.task"
    install_second_model(movenet_model)
    photo, video = analyse_files([media(PHOTO), media(VIDEO)], allow_network=False)
    assert photo.model_name == "pose_landmarker_full.task + movenet_thunder.npz"
    assert video.model_name == "pose_landmarker_full.task"
    # The pose model's hash identifies the model that found the person in both.
    assert photo.model_sha256 == video.model_sha256 == alone.model_sha256
    before = {m.metric_id: m.median for m in alone.metrics}
    after = {m.metric_id: m.median for m in photo.metrics}
    assert before.keys() == after.keys()
    assert before["shoulder_tilt"] != after["shoulder_tilt"]


@pytest.mark.media
def test_with_a_pose_model_present_a_visit_fetches_nothing(media, model_path, monkeypatch):
    from posture_cam.pose.model import movenet_build

    def no_fetch(*args, **kwargs):
        raise AssertionError("the second model must not be fetched with a pose model present")

    monkeypatch.setenv(store.MODEL_ENV, str(model_path))
    monkeypatch.setattr(paths, "repo_models_dir", lambda: None)
    monkeypatch.setattr(movenet_build, "build_movenet", no_fetch)
    (capture,) = analyse_files([media(PHOTO)], allow_network=True)
    assert capture.model_name == "pose_landmarker_full.task"
