"""Atomic writes: all or nothing, no temp files left, normal permissions."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from posture_cam.atomic import (
    atomic_open,
    is_temp_name,
    remove_stale_temps,
    temp_path_for,
    write_bytes_atomic,
    write_group_atomic,
    write_json_atomic,
    write_text_atomic,
)
from posture_cam.errors import OutputError


def test_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "report.json"
    write_json_atomic(target, {"a": 1})
    write_json_atomic(target, {"b": [1, 2]})
    assert target.read_text() == '{\n  "b": [\n    1,\n    2\n  ]\n}\n'
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_temp_names_are_never_inputs_and_stale_ones_are_removed(tmp_path):
    target = tmp_path / "clip_annotated.mp4"
    tmp = temp_path_for(target)
    assert is_temp_name(tmp.name) and tmp.parent == tmp_path
    dead = tmp_path / f".clip_annotated.mp4.{2**22 + 12345}.abcd.partial.mp4"  # no such pid
    dead.write_bytes(b"half")
    live = temp_path_for(tmp_path / "other.png")  # this process: a live writer
    live.write_bytes(b"busy")
    assert remove_stale_temps(tmp_path) == [dead]
    assert live.exists()


def test_a_failed_check_keeps_the_previous_file(tmp_path):
    target = write_text_atomic(tmp_path / "a.png", "good")
    with pytest.raises(OutputError, match="did not check out"):
        write_bytes_atomic(target, b"bad", verify=lambda p: "does not decode")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["a.png"]


def test_group_is_all_or_nothing(tmp_path):
    png, js = tmp_path / "s.png", tmp_path / "s.json"
    with pytest.raises(OutputError):
        write_group_atomic({png: b"img", js: b"{}"}, verify={js: lambda p: "broken"})
    assert list(tmp_path.iterdir()) == []
    assert write_group_atomic({png: b"img", js: b"{}"}) == [png, js]


def test_os_failures_become_output_errors(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(OutputError, match="folder with this name is in the way"):
        write_text_atomic(tmp_path / "x", "y")
    (tmp_path / "f").write_text("")
    with pytest.raises(OutputError, match="file is in the way"):
        write_text_atomic(tmp_path / "f" / "sub" / "y.txt", "y")
    assert OutputError.exit_code == 9


def test_failure_keeps_the_old_file(tmp_path):
    target = tmp_path / "notes.txt"
    write_text_atomic(target, "old")
    with pytest.raises(RuntimeError), atomic_open(target) as fh:
        fh.write(b"half written")
        raise RuntimeError("crash while writing")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_private_by_default_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        target = write_text_atomic(tmp_path / "new" / "x.txt", "x")
        shared = write_text_atomic(tmp_path / "y.txt", "y", private=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(shared.stat().st_mode) == 0o666


@pytest.mark.skipif(sys.platform != "linux", reason="reads the umask from Linux's /proc")
def test_reading_the_umask_never_changes_it_where_linux_shows_it(tmp_path, monkeypatch):
    """Another thread creating a file meanwhile would get the briefly changed mask."""
    old = os.umask(0o027)
    try:

        def no_umask(_mask):
            raise AssertionError("os.umask called: the mask changed for a moment")

        monkeypatch.setattr(os, "umask", no_umask)
        shared = write_text_atomic(tmp_path / "y.txt", "y", private=False)
        monkeypatch.undo()
    finally:
        os.umask(old)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_device_or_pipe_is_never_replaced_by_a_file(tmp_path):
    """``report --out /dev/full`` used to rename a plain file over the device."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    writers = {
        "bytes": lambda target: write_bytes_atomic(target, b"x"),
        "group": lambda target: write_group_atomic({target: b"x", tmp_path / "other": b"y"}),
        "device": lambda target: write_bytes_atomic("/dev/null", b"x"),
    }
    for name, write in writers.items():
        with pytest.raises(OutputError, match="not a regular file") as info:
            write(pipe)
        assert info.value.exit_code == 9, name
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temp, no half group
