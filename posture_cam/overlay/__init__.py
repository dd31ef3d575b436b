"""Overlay drawing (placeholder until the overlay module lands)."""
