"""Where posture_cam keeps user data at run time.

The user data dir comes from platformdirs (e.g. ``~/.local/share/posture_cam`` on
Linux) and can be overridden with the environment variable ``POSTURE_CAM_DATA_DIR``
(tests point it at a temporary folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "posture_cam"
DATA_DIR_ENV = "POSTURE_CAM_DATA_DIR"


def user_data_dir() -> Path:
    """Root folder for models, calibration profiles, sessions and settings."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def models_dir() -> Path:
    """Downloaded and built pose models (``pose.model.store``)."""
    return user_data_dir() / "models"


def profiles_dir() -> Path:
    """Calibration profiles, one JSON file per named camera set-up (``calibration``)."""
    return user_data_dir() / "calibration"


def sessions_dir() -> Path:
    """Snapshot session folders, one per app run (``snapshot``), unless the user chose
    another folder."""
    return user_data_dir() / "sessions"


def repo_models_dir() -> Path | None:
    """The checkout's top-level ``models/`` folder, when running from a checkout."""
    candidate = Path(__file__).resolve().parent.parent / "models"
    return candidate if (candidate / "README.md").is_file() else None
