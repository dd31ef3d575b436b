"""The patient visit in the app: choose or create a patient, a guided protocol of
averaged captures, the visit overview with the change since the previous visit, and the
report. :class:`VisitController` owns the state; :class:`VisitPanel` shows it."""

from posture_cam.ui.records.ghost_layer import GhostLayer
from posture_cam.ui.records.visit_controller import VisitController
from posture_cam.ui.records.visit_panel import VisitPanel

__all__ = ["GhostLayer", "VisitController", "VisitPanel"]
