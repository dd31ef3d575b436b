"""Fixtures for the fault suite: run the real CLI in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.faults._helpers import REPO


@pytest.fixture
def run_cli(tmp_path, model_path):
    """``run_cli(*args, timeout=...)`` -> CompletedProcess of ``python -m posture_cam``
    with the test model, a private data dir and the checkout on ``PYTHONPATH``."""

    def run(*args: str, timeout: float = 600, env: dict | None = None, **kw):
        full_env = dict(os.environ)
        full_env.update(
            POSTURE_CAM_MODEL=str(model_path),
            POSTURE_CAM_DATA_DIR=str(tmp_path / "user_data"),
            PYTHONPATH=str(REPO),
        )
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "posture_cam", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=full_env,
            **kw,
        )

    return run
