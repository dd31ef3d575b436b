"""JSON form of one frame's result: the ``frames`` entries of ``analyze --json`` and of
the Python API's report (:class:`~posture_cam.batch.results.InputReport`).

NaN never reaches JSON: a missing landmark is ``null``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from posture_cam.capture_summary import JSON_DECIMALS, MetricStats
from posture_cam.metrics.catalogue import is_proxy
from posture_cam.types import FrameResult, Pose


def _num(value: float, ndigits: int) -> float | None:
    return round(float(value), ndigits) if math.isfinite(value) else None


def landmarks_to_json(pose: Pose) -> list[list[float | None] | None]:
    """33 entries ``[x_px, y_px, z_px, visibility]``, or null for a missing landmark."""
    out: list[list[float | None] | None] = []
    for (x, y), z, vis in zip(pose.xy_px, pose.z_px, pose.visibility, strict=True):
        if not (math.isfinite(x) and math.isfinite(y)):
            out.append(None)
        else:
            out.append([_num(x, 2), _num(y, 2), _num(z, 2), _num(vis, 4)])
    return out


def frame_result_to_json(
    result: FrameResult,
    *,
    landmarks: bool = True,
    stats: Mapping[str, MetricStats] | None = None,
) -> dict[str, Any]:
    """One frame as in ``posture-cam analyze --json`` (an entry of ``frames`` in
    docs/schema/analyze.schema.json).

    Args:
        result: the frame's result.
        landmarks: include the 33 landmarks.
        stats: a photo's statistics (``posture_cam.capture.photo.photo_stats``): each
            metric then carries ``uncertainty``, its ± as a visit stores it (null where
            there is none); None for a video frame (its ± is in the ``aggregate``).
    """
    doc: dict[str, Any] = {
        "index": result.frame.index,
        "t_ms": round(result.frame.t_ms, 3),
        "person_found": result.person_found,
        "num_people": result.num_people,
    }
    if landmarks:
        doc["landmarks"] = landmarks_to_json(result.pose_image) if result.pose_image else None
    doc["view"] = result.view.to_json()
    doc["quality"] = result.quality.to_json()
    doc["metrics"] = {
        # Nothing measured, nothing stands in: a value never measured is no proxy.
        mid: {
            **m.to_json(),
            "proxy": m.value is not None and is_proxy(mid, m.source, bool(m.landmarks)),
        }
        for mid, m in result.metrics.items()
    }
    if stats is not None:
        for mid, entry in doc["metrics"].items():
            entry["uncertainty"] = _plus_minus(stats.get(mid), entry["value"])
    if result.markers is not None:
        doc["markers"] = result.markers.to_json()
    return doc


def _plus_minus(stats: MetricStats | None, value: float | None) -> float | None:
    """The ± of a measured value, rounded like an aggregate's; None without one."""
    if value is None or stats is None or not stats.measured or stats.uncertainty is None:
        return None
    return round(float(stats.uncertainty), JSON_DECIMALS)
