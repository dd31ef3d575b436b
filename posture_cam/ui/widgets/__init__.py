"""Reusable widgets: the live video view, metric and quality panels, notices."""
