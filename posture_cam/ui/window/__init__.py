"""The main window and the controllers it is composed of (settings, live session,
snapshots, calibration, sources, pose model), each owning its state; the list is in
:mod:`posture_cam.ui.window.main_window`. The live worker thread they drive
(:mod:`~posture_cam.ui.live_worker`) sits one level up: the home window uses it too."""
