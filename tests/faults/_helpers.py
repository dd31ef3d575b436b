"""Helpers for the fault suite."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    """The run ended with a message, not a Python traceback."""
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
