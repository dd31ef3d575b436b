"""The calibration wizard: its pages, measuring widgets and (Qt-free) steps."""
