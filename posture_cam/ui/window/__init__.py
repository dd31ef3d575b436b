"""The main window and the controllers it is composed of (settings, live session,
snapshots, calibration, sources, pose model), each owning its state; the list is in
:mod:`posture_cam.ui.window.main_window`. The live worker thread lives here too
(:mod:`~posture_cam.ui.window.live_worker`); the home window uses it as well."""
