"""Calibration (placeholder until the calibration module lands)."""
