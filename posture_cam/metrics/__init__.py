"""Posture metrics (placeholder until the metrics module lands: reports nothing)."""

from __future__ import annotations

from posture_cam.types import Metric, Pose, QualityReport, View, ViewEstimate


def classify_view(pose: Pose) -> ViewEstimate:
    return ViewEstimate(View.UNKNOWN, 0.0)


class QualityGate:
    def check(self, pose: Pose | None, view: ViewEstimate, t_ms: float) -> QualityReport:
        return QualityReport(())

    def reset(self) -> None:
        pass


class MetricsEngine:
    def compute(
        self, pose: Pose, view: ViewEstimate, cm_per_px: float | None
    ) -> dict[str, Metric]:
        return {}
