"""posture_cam: turn a webcam, video or photo into a posture and symmetry assessment.

Results are screening aids, not diagnoses. Core modules never import Qt; only
``posture_cam.ui`` does. The packages, their layers and the threads: docs/architecture.md.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
