"""The main window and the controllers it is composed of (live session, snapshots,
calibration, settings)."""
