"""The Python API as a library user drives it: one ``Pipeline`` reused for several
recorded clips, with ``reset()`` between them (the docstring's "call between
independent inputs"), on the real model and media."""

from __future__ import annotations

import numpy as np

from posture_cam.config import PipelineConfig
from posture_cam.pipeline import Pipeline
from posture_cam.sources import open_source

WALKING = "videos/video_sports2d_demo4_older_woman_walking_side_13s.mp4"
WEBCAM = "videos/video_gesture_woman_head_shoulders_webcamlike_7s.mp4"


def _frames(path, first, count):
    with open_source(path) as source:
        return [f for f in source if first <= f.index < first + count][:count]


def test_reset_between_clips_restarts_the_models_tracking(model_path, media_dir):
    """Five frames of the walking woman near the end of her clip, reset(), then the
    webcam clip's first frame: MediaPipe's tracker kept her region of the walking clip,
    so the reused pipeline found nobody in a frame where a new pipeline finds the woman
    at the webcam (old code: person_found False). After reset() the next process()
    restarts the model's stream: the frame gives exactly what a new pipeline gives."""
    config = PipelineConfig(model_path=str(model_path))
    webcam_first = _frames(media_dir / WEBCAM, 0, 1)[0]
    with Pipeline.open(config, mode="video") as fresh:
        expected = fresh.process(webcam_first)
    assert expected.person_found

    with Pipeline.open(config, mode="video") as reused:
        walking = [reused.process(f) for f in _frames(media_dir / WALKING, 300, 5)]
        assert all(r.person_found for r in walking)  # she was tracked in the other clip
        reused.reset()
        got = reused.process(webcam_first)

    assert got.person_found, "the reused pipeline kept tracking the previous clip's person"
    np.testing.assert_array_equal(got.pose_image.xy_px, expected.pose_image.xy_px)
    assert {k: m.value for k, m in got.metrics.items()} == {
        k: m.value for k, m in expected.metrics.items()
    }


def _values(pipeline, path, count):
    with open_source(path) as source:
        return [
            {k: m.value for k, m in pipeline.process(f).metrics.items()}
            for f in source
            if f.index < count
        ]


def test_a_whole_clip_after_reset_gives_what_a_new_pipeline_gives(model_path, media_dir):
    """The webcam clip's first 30 frames after 40 of its frames and reset(): the
    restarted model used to get times 1 ms apart after the last clip's (it still
    counted them), so 29 of 30 frames differed from a new pipeline (by up to 3.6°)."""
    config = PipelineConfig(model_path=str(model_path))
    with Pipeline.open(config, mode="video") as fresh:
        expected = _values(fresh, media_dir / WEBCAM, 30)
    with Pipeline.open(config, mode="video") as reused:
        _values(reused, media_dir / WEBCAM, 40)
        reused.reset()
        assert _values(reused, media_dir / WEBCAM, 30) == expected


def test_a_clip_fed_without_reset_starts_over_as_after_reset(model_path, media_dir):
    """A second clip fed to a stream pipeline without reset(): its times go back to 0,
    which the quality gate already took as a new stream, while the smoothing and the
    model kept the previous clip's state. Now process() resets as reset() does."""
    config = PipelineConfig(model_path=str(model_path))
    with Pipeline.open(config, mode="video") as fresh:
        expected = _values(fresh, media_dir / WEBCAM, 20)
    with Pipeline.open(config, mode="video") as reused:
        _values(reused, media_dir / WALKING, 10)  # ends at t ≈ 300 ms; the webcam starts at 0
        assert _values(reused, media_dir / WEBCAM, 20) == expected


def test_analyze_stops_each_video_after_max_frames(model_path, media_dir):
    from posture_cam.batch import analyze

    report = analyze(media_dir / WEBCAM, max_frames=12, model_path=str(model_path))
    (video,) = report.inputs
    assert [f["index"] for f in video.frames] == list(range(12))
