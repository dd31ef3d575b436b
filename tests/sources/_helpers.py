"""Shared by the source tests: the length of the ``tiny_video`` fixture (conftest.py)."""

#: Frames in ``tiny_video``.
N_VIDEO_FRAMES = 12
