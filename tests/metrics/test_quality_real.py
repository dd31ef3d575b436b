"""The quality gate guards the numbers on real clips: frames with an arm raised or a hand
over the face are refused, and over the frames it passes the head and shoulder tilt
stay steady; a person standing or sitting quietly still passes."""

from __future__ import annotations

import numpy as np
import pytest

from posture_cam.config import PipelineConfig
from posture_cam.metrics.occlusion import arm_angles_deg
from posture_cam.pipeline import Pipeline
from posture_cam.sources import open_source, read_image
from posture_cam.types import Frame

pytestmark = pytest.mark.media

WEBCAM = "videos/video_gesture_woman_head_shoulders_webcamlike_7s.mp4"
RAISES = "videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"


def _run(model_path, media, clip, max_frames=None):
    out = []
    cfg = PipelineConfig(model_path=str(model_path))
    with (
        Pipeline.open(cfg, mode="video", allow_network=False) as pipe,
        open_source(media(clip)) as src,
    ):
        for frame in src:
            if max_frames is not None and frame.index >= max_frames:
                break
            out.append(pipe.process(frame))
    return out


def test_webcam_clip_spread_over_passed_frames(model_path, media) -> None:
    results = _run(model_path, media, WEBCAM)
    passed = [r for r in results if r.quality.ok]
    # The still opening before her arm rises (0-0.8 s), less the first 0.3 s in which the
    # gate only watches her (nothing before them to judge motion by).
    assert len(passed) >= 10
    assert min(r.frame.t_ms for r in passed) >= 300.0
    watched = [r for r in results if r.frame.t_ms < 300.0]
    assert all([c.reason.code for c in r.quality.failed()] == ["watching"] for r in watched)
    for metric_id in ("shoulder_tilt", "head_tilt"):
        values = [r.metrics[metric_id].value for r in passed]
        # Before this gate: SD 2.2° (shoulder) over the frames it passed; before the
        # settling rule a lone frame passed at 1.0 s, between frames cut off at the
        # bottom edge and frames with her fist at the shoulder, its head tilt 2° from
        # the still opening (head tilt SD 0.46°; now 0.22°).
        assert np.std(values, ddof=1) <= 0.3, metric_id
    watched_ids = {r.frame.index for r in watched}
    refused_at = [
        r.frame.t_ms for r in results if not r.quality.ok and r.frame.index not in watched_ids
    ]
    for r in passed:  # no frame passes within 0.3 s after a refused one
        assert not any(0 < r.frame.t_ms - t <= 300.0 for t in refused_at), r.frame.index
    refused = [c for r in results for c in r.quality.failed() if c.id == "arms_clear"]
    assert len(refused) > 100  # thumbs-up held in front of the face from ~2.3 s
    assert any("over the face" in c.reason for c in refused)


TWO_PEOPLE = "videos/video_pose2sim_multi_cam02_two_people.mp4"


def test_a_stream_first_frames_are_watched_not_passed(model_path, media) -> None:
    # Two people: from frame 2 on the tracker's points jump (model_sure) and the arms are
    # out. Before the watching rule its first two frames passed (nothing before them to
    # judge motion or jumps by) and made an "ok" capture that flagged a trunk lean of
    # 8.2° "outside the norm" from them alone.
    results = _run(model_path, media, TWO_PEOPLE, max_frames=20)
    assert not any(r.quality.ok for r in results)
    for r in results[:2]:
        assert [(c.id, c.reason.code) for c in r.quality.failed()] == [("still", "watching")]


def test_lateral_raises_refused_but_still_stance_passes(model_path, media) -> None:
    results = _run(model_path, media, RAISES, max_frames=150)
    # He stands still with the dumbbells at his sides for the first ~1.5 s.
    assert sum(r.quality.ok for r in results[:40]) >= 30
    raised = [r for r in results if any(c.id == "arms_clear" for c in r.quality.failed())]
    assert raised and all(not r.quality.ok for r in raised)
    assert any("raised above the shoulders" in c.reason for r in raised for c in r.quality.failed())
    # At the top of a raise the dumbbells are level with the shoulders and the arms stop
    # for a moment: before the "held out" rule frames 97-102 passed with the upper arms
    # 69-83° from the trunk. Now no passed frame has an arm more than 40° out.
    passed = [r for r in results if r.quality.ok]
    assert passed and max(max(arm_angles_deg(r.pose_image).values()) for r in passed) <= 40.0
    held_out = [
        r.frame.index
        for r in raised
        if any("held out to the side" in c.reason for c in r.quality.failed())
    ]
    assert set(range(97, 103)) <= set(held_out)


@pytest.mark.parametrize(
    "photo",
    [
        "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg",
        "images/seated_side/seated_side_nvv_jav_other_man_upright.jpg",
    ],
)
def test_a_still_side_view_passes_in_a_stream(model_path, media, photo) -> None:
    """A patient sitting still side-on, as a camera streams it (the photo repeated for
    4 s): once the tracker has settled (1.3 s) the gate passes the frames. Before, the
    jump check measured side views by the shoulder width, which collapses side-on
    (36 px here: a 0.4 px jitter was "moving too fast"), and passed none of them."""
    image = read_image(media(photo))
    cfg = PipelineConfig(model_path=str(model_path))
    with Pipeline.open(cfg, mode="video", allow_network=False) as pipe:
        results = [pipe.process(Frame(image, i, i * 1000.0 / 30, photo)) for i in range(120)]
    settled = results[40:]
    assert all(r.view.view.is_side for r in settled)
    passed = sum(r.quality.ok for r in settled)
    assert passed >= 0.95 * len(settled), [c.reason for r in settled for c in r.quality.failed()]


@pytest.mark.parametrize(
    "photo, elbows",
    [
        ("images/standing_frontal/frontal_shapy_img05_woman_hands_on_hips.jpg", ["left_elbow"]),
        ("images/extra_people/h36m_S8_WalkDog_1.55011271_000026.jpg", None),
    ],
)
def test_arms_held_out_are_refused_and_named(model_path, media, photo, elbows) -> None:
    """Hands on the hips (the upper arm ~43° out) and arms held at shoulder height
    (~80-90°, hands below the shoulders) both passed before; a posture capture wants
    the arms hanging by the sides."""
    cfg = PipelineConfig(model_path=str(model_path))
    with Pipeline.open(cfg, mode="image", allow_network=False) as pipe:
        res = pipe.process(Frame(read_image(media(photo)), 0, 0.0, photo))
    check = {c.id: c for c in res.quality.checks}["arms_clear"]
    assert not check.ok and "arm held out to the side" in check.reason
    (part,) = [p for p in check.reason.to_json() if p["code"] == "arms_not_clear"]
    assert part["places"] == ["away"]
    if elbows is not None:
        assert part["landmarks"] == elbows
    else:
        assert set(part["landmarks"]) == {"left_elbow", "right_elbow"}


@pytest.mark.parametrize(
    "photo",
    [
        "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg",
        "images/seated_side/seated_side_nvv_straight_hf_upright_arms_folded_facing_left.jpg",
        "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg",
        "images/derived_stills_from_videos/still_frontal_sports2d_demo5_f005_man_dumbbells.jpg",
    ],
)
def test_quiet_people_pass_the_new_checks(model_path, media, photo) -> None:
    cfg = PipelineConfig(model_path=str(model_path))
    with Pipeline.open(cfg, mode="image", allow_network=False) as pipe:
        res = pipe.process(Frame(read_image(media(photo)), 0, 0.0, photo))
    checks = {c.id: c for c in res.quality.checks}
    assert checks["arms_clear"].ok and checks["model_sure"].ok, photo
