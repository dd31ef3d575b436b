"""Fixtures of the pose tests: the real sources of the offline model builds."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from posture_cam.errors import ModelError
from posture_cam.pose.model import build, build_heavy


def _source(env_var: str, download: Callable[[Path], Path], folder: Path, what: str) -> Path:
    """``env_var``'s file, else ``download(folder)``; offline: skip (a failure in CI)."""
    env = os.environ.get(env_var)
    if env:
        return Path(env)
    try:
        return download(folder)
    except ModelError as exc:
        message = f"cannot get {what} (offline?): {exc}"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {message}")
        pytest.skip(message)


@pytest.fixture(scope="session")
def mp_wheel(tmp_path_factory) -> Path:
    """The mediapipe 0.10.21 wheel: POSTURE_CAM_MP_WHEEL, else downloaded with pip."""
    folder = tmp_path_factory.mktemp("wheel")
    return _source(build.MP_WHEEL_ENV, build.download_wheel, folder, "the wheel")


@pytest.fixture(scope="session")
def npm_pose_tarball(tmp_path_factory) -> Path:
    """The @mediapipe/pose npm package: POSTURE_CAM_MP_NPM_TGZ, else ``npm pack``."""
    folder = tmp_path_factory.mktemp("npm")
    download = build_heavy.download_tarball
    return _source(build_heavy.NPM_TGZ_ENV, download, folder, "@mediapipe/pose")
