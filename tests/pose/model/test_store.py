"""Model catalogue, resolution order, download, offline build and the ``models`` CLI."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import http.server
import socket
import threading
import urllib.error
import zipfile
from pathlib import Path

import numpy as np
import pytest

from posture_cam import paths
from posture_cam.cli import main as cli_main
from posture_cam.errors import ModelError
from posture_cam.pose.model import build, files, store

PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"


def make_bundle(path: Path, total_bytes: int = 8_000_000) -> Path:
    """A structurally valid fake bundle of about ``total_bytes`` (no real model inside)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    half = max(total_bytes // 2 - 100, 16)
    fake_tflite = b"\x1c\x00\x00\x00TFL3" + bytes(half - 8)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as bundle:
        for name in files.BUNDLE_MEMBERS:
            bundle.writestr(name, fake_tflite)
    return path


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test on any download attempt: urllib, pip or a raw socket."""

    def forbidden(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(store, "_urlopen", forbidden)
    monkeypatch.setattr(build, "_run_pip", forbidden)
    monkeypatch.setattr(socket.socket, "connect", forbidden)
    monkeypatch.delenv(store.MODEL_ENV, raising=False)
    monkeypatch.delenv(build.MP_WHEEL_ENV, raising=False)


@pytest.fixture
def no_repo_models(monkeypatch):
    """Ignore a checkout's models/ folder, which may hold a developer's real model."""
    monkeypatch.setattr(paths, "repo_models_dir", lambda: None)


@pytest.fixture
def serve(tmp_path):
    """``serve(file) -> url`` over a localhost HTTP server (stopped after the test)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # A short poll interval keeps shutdown() from adding half a second per test.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()

    def publish(file: Path) -> str:
        (root / file.name).write_bytes(file.read_bytes())
        return f"http://127.0.0.1:{server.server_address[1]}/{file.name}"

    yield publish
    server.shutdown()
    server.server_close()
    thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Keeps request logs out of the test output."""

    def log_message(self, format, *args):
        pass


def point_variant_at(monkeypatch, variant: str, url: str) -> None:
    original = files.catalogue()
    patched = {**original, variant: dataclasses.replace(original[variant], url=url)}
    monkeypatch.setattr(files, "catalogue", lambda: patched)


# --- catalogue ----------------------------------------------------------------------------


def test_catalogue_lists_three_variants_with_official_urls():
    variants = files.catalogue()
    assert list(variants) == ["lite", "full", "heavy"]
    for name, spec in variants.items():
        assert spec.file_name == f"pose_landmarker_{name}.task"
        assert spec.url == (
            "https://storage.googleapis.com/mediapipe-models/pose_landmarker/"
            f"pose_landmarker_{name}/float16/latest/pose_landmarker_{name}.task"
        )
        assert spec.min_size_bytes < spec.approx_size_bytes < spec.max_size_bytes
    assert [n for n, s in variants.items() if s.offline_build] == ["full"]
    assert variants["lite"].max_size_bytes < variants["full"].min_size_bytes
    assert variants["full"].max_size_bytes < variants["heavy"].min_size_bytes


def test_unknown_variant_is_a_model_error():
    with pytest.raises(ModelError, match="choose one of lite, full, heavy"):
        files.get_variant("medium")


def test_checkout_models_folder_is_recognised_by_its_readme():
    repo_models = Path(__file__).resolve().parents[3] / "models"
    assert paths.repo_models_dir() == repo_models
    assert not (repo_models / "catalogue.json").exists(), "the catalogue lives in the package"


# --- resolution order, no network -------------------------------------------------------------


def test_explicit_path_wins_over_env_and_cache(tmp_path, monkeypatch, no_network):
    explicit = make_bundle(tmp_path / "explicit.task", 1000)
    env_model = make_bundle(tmp_path / "env.task", 1000)
    make_bundle(paths.models_dir() / "pose_landmarker_full.task", 1000)
    monkeypatch.setenv(store.MODEL_ENV, str(env_model))
    assert store.resolve_model(explicit) == explicit


def test_env_wins_over_cache(tmp_path, monkeypatch, no_network):
    env_model = make_bundle(tmp_path / "env.task", 1000)
    make_bundle(paths.models_dir() / "pose_landmarker_full.task", 1000)
    monkeypatch.setenv(store.MODEL_ENV, str(env_model))
    assert store.resolve_model() == env_model


def test_user_cache_wins_over_checkout_models(tmp_path, monkeypatch, no_network):
    repo = tmp_path / "checkout_models"
    repo_model = make_bundle(repo / "pose_landmarker_lite.task", 1000)
    monkeypatch.setattr(paths, "repo_models_dir", lambda: repo)
    assert store.resolve_model(variant="lite") == repo_model
    user_model = make_bundle(paths.models_dir() / "pose_landmarker_lite.task", 1000)
    assert store.resolve_model(variant="lite") == user_model


def test_corrupt_cached_file_is_skipped(tmp_path, monkeypatch, no_network):
    (paths.models_dir()).mkdir(parents=True)
    (paths.models_dir() / "pose_landmarker_full.task").write_bytes(b"half a download")
    repo_model = make_bundle(tmp_path / "pose_landmarker_full.task", 1000)
    monkeypatch.setattr(paths, "repo_models_dir", lambda: tmp_path)
    assert store.resolve_model() == repo_model


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not a zip at all", "not a valid pose model bundle"),
        ("zip-without-members", "lacks pose_detector.tflite, pose_landmarks_detector.tflite"),
        ("zip-bad-members", "corrupt pose_detector.tflite"),
    ],
)
def test_invalid_bundle_rejected_naming_the_file(tmp_path, no_network, content, problem):
    bad = tmp_path / "bad.task"
    if content == "zip-without-members":
        with zipfile.ZipFile(bad, "w") as bundle:
            bundle.writestr("readme.txt", "hello")
    elif content == "zip-bad-members":
        with zipfile.ZipFile(bad, "w") as bundle:
            for name in files.BUNDLE_MEMBERS:
                bundle.writestr(name, b"garbage!garbage!")
    else:
        bad.write_bytes(content)
    with pytest.raises(ModelError) as err:
        store.resolve_model(bad)
    message = str(err.value)
    assert str(bad) in message and problem in message and "--model" in message
    assert "\n" not in message


def test_missing_env_model_names_the_variable(tmp_path, monkeypatch, no_network):
    monkeypatch.setenv(store.MODEL_ENV, str(tmp_path / "gone.task"))
    with pytest.raises(ModelError, match=r"gone\.task \(given by POSTURE_CAM_MODEL\): .*not found"):
        store.resolve_model()


def test_everything_failing_says_what_to_do(no_network, no_repo_models):
    with pytest.raises(ModelError) as err:
        store.resolve_model(allow_network=False, allow_build=False)
    message = str(err.value)
    assert "pass --model PATH or set POSTURE_CAM_MODEL" in message
    assert "`posture-cam models fetch full`" in message
    assert "\n" not in message


def test_offline_without_wheel_fails_fast(no_network, no_repo_models, monkeypatch):
    monkeypatch.setattr(build, "wheel_search_dirs", lambda: [])
    with pytest.raises(ModelError, match="POSTURE_CAM_MP_WHEEL"):
        store.resolve_model(allow_network=False)


def test_download_failure_falls_back_to_offline_build(
    tmp_path, monkeypatch, no_network, no_repo_models, capsys
):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("no route to host")

    def fake_build(dest_dir=None, *, wheel=None, allow_network=True):
        return make_bundle(paths.models_dir() / "pose_landmarker_full.task", 1000)

    monkeypatch.setattr(store, "_urlopen", offline)
    monkeypatch.setattr(build, "build_full_model", fake_build)
    assert store.resolve_model() == paths.models_dir() / "pose_landmarker_full.task"
    assert "building the full model offline instead" in capsys.readouterr().err


def test_download_and_pip_failing_gives_one_line(monkeypatch, no_network, no_repo_models):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("no route to host")

    def pip_offline(command):
        import subprocess

        return subprocess.CompletedProcess(command, 1, "", "ERROR: No matching distribution\n")

    monkeypatch.setattr(store, "_urlopen", offline)
    monkeypatch.setattr(build, "_run_pip", pip_offline)
    monkeypatch.setattr(build, "wheel_search_dirs", lambda: [])
    with pytest.raises(ModelError) as err:
        store.resolve_model()
    message = str(err.value)
    assert "no route to host" in message and "No matching distribution" in message
    assert "connect to the internet and run `posture-cam models fetch full`" in message
    assert "\n" not in message


# --- download -------------------------------------------------------------------------------


def test_download_streams_checks_size_and_records_sha256(tmp_path, monkeypatch, serve):
    source = make_bundle(tmp_path / "src" / "pose_landmarker_full.task")
    point_variant_at(monkeypatch, "full", serve(source))
    calls: list[tuple[int, int | None]] = []
    dest = tmp_path / "cache"
    got = store.download_model(
        "full", dest, progress=lambda done, total: calls.append((done, total))
    )
    assert got == dest / "pose_landmarker_full.task"
    assert got.read_bytes() == source.read_bytes()
    size = source.stat().st_size
    assert calls[-1] == (size, size) and len(calls) > 1
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert (dest / "pose_landmarker_full.task.sha256").read_text() == (
        f"{digest}  pose_landmarker_full.task\n"
    )
    assert sorted(p.name for p in dest.iterdir()) == [
        "pose_landmarker_full.task",
        "pose_landmarker_full.task.sha256",
    ]


def test_resolve_downloads_into_user_cache_then_stays_offline(
    tmp_path, monkeypatch, serve, no_repo_models
):
    monkeypatch.delenv(store.MODEL_ENV, raising=False)
    source = make_bundle(tmp_path / "src" / "pose_landmarker_lite.task", 5_000_000)
    point_variant_at(monkeypatch, "lite", serve(source))
    got = store.resolve_model(variant="lite", progress=lambda done, total: None)
    assert got == paths.models_dir() / "pose_landmarker_lite.task"

    def forbidden(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(store, "_urlopen", forbidden)
    assert store.resolve_model(variant="lite") == got


def test_download_of_wrong_size_is_rejected(tmp_path, monkeypatch, serve):
    small = make_bundle(tmp_path / "src" / "pose_landmarker_heavy.task", 1_000_000)
    point_variant_at(monkeypatch, "heavy", serve(small))
    dest = tmp_path / "cache"
    with pytest.raises(ModelError, match=r"announced \d+ bytes, expected 24000000-40000000"):
        store.download_model("heavy", dest, progress=None)
    assert list(dest.iterdir()) == []


def test_download_of_non_bundle_is_rejected(tmp_path, monkeypatch, serve):
    junk = tmp_path / "src" / "pose_landmarker_full.task"
    junk.parent.mkdir()
    junk.write_bytes(b"<html>" + bytes(8_000_000))
    point_variant_at(monkeypatch, "full", serve(junk))
    dest = tmp_path / "cache"
    with pytest.raises(ModelError, match=r"download of pose_landmarker_full\.task failed"):
        store.download_model("full", dest, progress=None)
    assert list(dest.iterdir()) == []


def test_download_from_file_url(tmp_path, monkeypatch):
    source = make_bundle(tmp_path / "src" / "pose_landmarker_full.task")
    point_variant_at(monkeypatch, "full", source.as_uri())
    got = store.download_model("full", tmp_path / "cache", progress=None)
    assert got.read_bytes() == source.read_bytes()


def test_download_of_real_model_over_http(tmp_path, monkeypatch, serve, model_path):
    point_variant_at(monkeypatch, "full", serve(model_path))
    got = store.download_model("full", tmp_path / "cache", progress=None)
    assert files.sha256_file(got) == files.sha256_file(model_path)


# --- CLI ------------------------------------------------------------------------------------


def test_cli_path_never_downloads(no_network, no_repo_models, capsys):
    assert cli_main(["models", "path"]) == 4
    assert "posture-cam models fetch full" in capsys.readouterr().err
    cached = make_bundle(paths.models_dir() / "pose_landmarker_full.task", 1000)
    assert cli_main(["models", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(cached)


def test_cli_list_shows_variants_and_cache(no_network, no_repo_models, capsys):
    cached = make_bundle(paths.models_dir() / "pose_landmarker_heavy.task", 1000)
    assert cli_main(["models", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line for line in lines}
    assert "not cached" in rows["lite"] and "offline build" in rows["full"]
    assert str(cached) in rows["heavy"]


def test_cli_fetch_downloads_and_skips_when_cached(tmp_path, monkeypatch, serve, capsys):
    source = make_bundle(tmp_path / "src" / "pose_landmarker_full.task")
    point_variant_at(monkeypatch, "full", serve(source))
    dest = tmp_path / "into"
    assert cli_main(["models", "fetch", "full", "--dir", str(dest)]) == 0
    assert capsys.readouterr().out.strip() == str(dest / "pose_landmarker_full.task")

    def forbidden(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(store, "_urlopen", forbidden)
    assert cli_main(["models", "fetch", "full", "--dir", str(dest)]) == 0
    assert "already present" in capsys.readouterr().err


def test_cli_fetch_lite_offline_fails_without_build(monkeypatch, capsys, no_network):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("no route to host")

    monkeypatch.setattr(store, "_urlopen", offline)
    assert cli_main(["models", "fetch", "lite", "--force"]) == 4
    assert "no route to host" in capsys.readouterr().err


# --- the real offline build -----------------------------------------------------------------


def _landmarks_px(model: Path, photo: Path) -> np.ndarray:
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    image = mp.Image.create_from_file(str(photo))
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=vision.RunningMode.IMAGE,
    )
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        result = landmarker.detect(image)
    assert len(result.pose_landmarks) == 1
    return np.array([[p.x * image.width, p.y * image.height] for p in result.pose_landmarks[0]])


@pytest.mark.slow
def test_offline_build_matches_reference_model(tmp_path, mp_wheel, model_path, media):
    built = build.build_full_model(tmp_path / "built", wheel=mp_wheel)
    assert built.name == "pose_landmarker_full.task"
    spec = files.get_variant("full")
    assert spec.min_size_bytes <= built.stat().st_size <= spec.max_size_bytes
    sidecar = built.with_name(built.name + ".sha256").read_text().split()[0]
    assert sidecar == files.sha256_file(built)

    expected = files.offline_build_spec()["built_members_sha256"]
    with zipfile.ZipFile(built) as ours, zipfile.ZipFile(model_path) as reference:
        for info in ours.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            data = ours.read(info.filename)
            assert hashlib.sha256(data).hexdigest() == expected[info.filename]
            assert data == reference.read(info.filename)

    # Same inputs, same bytes: a second build is identical.
    again = build.build_full_model(tmp_path / "again", wheel=mp_wheel)
    assert again.read_bytes() == built.read_bytes()

    photo = media(PHOTO)
    diff_px = np.abs(_landmarks_px(built, photo) - _landmarks_px(model_path, photo))
    assert diff_px.max() <= 1.0
