"""Dialogs: keyboard shortcuts, and the small file / camera / folder choosers."""
