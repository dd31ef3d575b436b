"""Home mode window: a calm full-window view for a patient alone at a webcam.

The state machine, words, history and export are Qt-free in :mod:`posture_cam.home`;
this package only lays them out.
"""
