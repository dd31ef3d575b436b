"""Landmark smoothing (placeholder until the One Euro filter lands: passes poses through)."""

from __future__ import annotations

from posture_cam.config import PipelineConfig
from posture_cam.types import Pose


class NoSmoother:
    def smooth(self, pose: Pose, t_ms: float) -> Pose:
        return pose

    def reset(self) -> None:
        pass


def make_smoother(config: PipelineConfig) -> NoSmoother:
    return NoSmoother()
