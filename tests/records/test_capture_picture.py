"""A stored capture's picture says what its table says: a video is drawn with its median
pose and its medians (as a snapshot is), over the frame nearest that pose, and the
capture records so (``quality["image"]``)."""

from __future__ import annotations

import numpy as np
import pytest

from posture_cam.records import ingest

pytestmark = pytest.mark.media

VIDEO = "videos/video_sports2d_demo3_woman_running_side_1.6s.mp4"


def test_a_video_capture_is_drawn_with_its_medians(media, model_path, monkeypatch) -> None:
    made, drawn = [], []
    real = ingest.shown_result

    def recording(best, summary, median_xy):
        made.append(best)
        return real(best, summary, median_xy)

    monkeypatch.setattr(ingest, "shown_result", recording)
    monkeypatch.setattr(ingest, "render_images", lambda result: drawn.append(result) or {})
    (capture,) = ingest.analyse_files(
        [media(VIDEO)], model_path=str(model_path), allow_network=False
    )
    (best,), (shown,) = made, drawn
    assert capture.quality["image"] == ingest.PICTURE_MEDIANS
    assert capture.quality["frames_used"] > 10
    medians = {m.metric_id: m.median for m in capture.metrics if m.median is not None}
    values = {mid: m.value for mid, m in shown.metrics.items() if m.value is not None}
    assert values == pytest.approx(medians)
    # The nearest frame's own values are not the medians (what the picture showed).
    own = {mid: best.metrics[mid].value for mid in medians}
    assert any(abs(own[mid] - medians[mid]) > 0.05 for mid in medians), own
    # Its skeleton is the median pose the record stores, drawn over that frame.
    xy = np.array([[np.nan, np.nan] if p is None else p for p in capture.landmarks], float)
    assert shown.pose_image.xy_px == pytest.approx(xy, abs=0.01, nan_ok=True)
    assert shown.frame is best.frame
