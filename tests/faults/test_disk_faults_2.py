"""A full or read-only disk, second round: standard output on a full disk, the records
store on a read-only or full disk, and home mode with a read-only data folder. Each is
one line on stderr (or a warning in the log where nothing is lost), never a traceback.

The disks are small tmpfs (root only; under CI a tmpfs that cannot be mounted fails the
test, see ``test_output_faults``). /dev/full is a real device that is always full.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from posture_cam.app_settings import SETTINGS_FILE
from posture_cam.cli import main
from posture_cam.records import Store, db
from tests.faults._helpers import REPO, assert_no_traceback
from tests.faults.test_disk_faults import _capture
from tests.faults.test_output_faults import _fill, tmpfs

STDOUT_FULL = (
    "posture-cam: error: standard output: cannot write: the disk is full "
    "(free some space or write to another disk)"
)
DISK_FULL = "the disk is full: free some space and try again (nothing was changed)"


def _env(data: Path, **more: str) -> dict[str, str]:
    env = {**os.environ, "POSTURE_CAM_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    env.pop("POSTURE_CAM_DATABASE_URL", None)
    return {**env, **more}


def _remount_ro(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)


def _tree(root: Path) -> dict[str, tuple[int, str]]:
    """relative path -> (mode, sha256) of every file and folder under ``root``."""
    out = {}
    for p in sorted(root.rglob("*")):
        digest = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        out[str(p.relative_to(root))] = (stat.S_IMODE(p.stat().st_mode), digest)
    return out


def _one_line(err: str) -> str:
    assert "Traceback" not in err, err
    err = err.strip()
    assert err.startswith("posture-cam: error: ") and "\n" not in err, err
    return err


def _codes() -> list[str]:
    with Store() as store:
        return [p["code"] for p in store.list_patients()]


# -- A: standard output -----------------------------------------------------------------


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("target", ["dev_full", "full_tmpfs"])
@pytest.mark.parametrize("words", [["patients", "list"], ["visits", "P-1", "--json"]])
def test_stdout_on_a_full_disk_is_one_line_exit_9(words, target, buffered, tmp_path):
    """Before: a traceback and exit 1 (PYTHONUNBUFFERED), or "Exception ignored" from the
    interpreter's final flush and exit 120 (buffered)."""
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, "-m", "posture_cam", "patients", "add", "P-1"],
        env=_env(data),
        check=True,
        capture_output=True,
    )
    env = _env(data)
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"

    def run(path: str) -> subprocess.CompletedProcess[str]:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            return subprocess.run(
                [sys.executable, "-m", "posture_cam", *words],
                stdout=fd,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                timeout=120,
            )
        finally:
            os.close(fd)

    if target == "dev_full":
        proc = run("/dev/full")
    else:
        with tmpfs(tmp_path / "disk", "1m") as disk:
            _fill(disk, leave_bytes=0)
            proc = run(str(disk / "out.txt"))
    assert_no_traceback(proc)
    assert proc.returncode == 9, proc.stderr
    assert proc.stderr.strip() == STDOUT_FULL


def test_a_closed_pipe_is_still_no_error(tmp_path):
    """`posture-cam patients list | head -0`: the reader went away; exit 0, nothing said."""
    data = tmp_path / "data"
    for code in ("P-1", "P-2"):
        subprocess.run(
            [sys.executable, "-m", "posture_cam", "patients", "add", code],
            env=_env(data),
            check=True,
            capture_output=True,
        )
    env = _env(data)
    env.pop("PYTHONUNBUFFERED", None)
    reader, writer = os.pipe()
    os.close(reader)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "posture_cam", "patients", "list"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        os.close(writer)
    assert (proc.returncode, proc.stderr) == (0, "")


# -- B: a read-only records store -------------------------------------------------------


def test_a_store_on_a_read_only_disk_can_be_read_not_changed(tmp_path, monkeypatch, capsys):
    """Before, every records command ended in a traceback (``os.chmod`` of the records
    folder: Read-only file system); past that, SQLite cannot open a WAL database where it
    cannot create the -shm file ("unable to open database file")."""
    with tmpfs(tmp_path / "disk", "4m") as disk:
        monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(disk / "data"))
        with Store() as store:
            store.add_patient("P-1", name="Anna")
            store.add_visit("P-1", [_capture(8, 1)])
        os.chmod(db.records_dir(), 0o750)  # a mode the store would make 0700: cannot here
        before = _tree(disk)
        _remount_ro(disk)
        out = tmp_path / "out"
        out.mkdir()
        capsys.readouterr()
        assert main(["patients", "list", "--json"]) == 0
        assert [p["code"] for p in json.loads(capsys.readouterr().out)["patients"]] == ["P-1"]
        assert main(["visits", "P-1", "--json"]) == 0
        assert [v["id"] for v in json.loads(capsys.readouterr().out)["visits"]] == [1]
        assert main(["patients", "show", "P-1"]) == 0
        assert "Anna" in capsys.readouterr().out
        assert main(["export", "P-1", "--format", "zip", "--out", str(out / "p1.zip")]) == 0
        assert main(["report", "P-1", "--out", str(out / "p1.pdf")]) == 0
        assert main(["backup", str(out / "backup.zip")]) == 0
        assert (out / "p1.pdf").read_bytes()[:5] == b"%PDF-"
        assert (out / "p1.zip").stat().st_size > 0 and (out / "backup.zip").stat().st_size > 0
        capsys.readouterr()
        assert main(["patients", "add", "P-2"]) == 8
        line = _one_line(capsys.readouterr().err)
        assert line == (
            f"posture-cam: error: {db.records_dir() / 'records.sqlite3'}: the records are on "
            "a disk or in a folder that cannot be written: they can be read, not changed "
            "(nothing was changed)"
        )
        assert _tree(disk) == before


def test_no_records_folder_on_a_read_only_disk_is_exit_9(tmp_path, monkeypatch, capsys):
    with tmpfs(tmp_path / "disk", "1m", read_only=True) as disk:
        monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(disk / "data"))
        assert main(["patients", "list"]) == 9
        assert _one_line(capsys.readouterr().err) == (
            f"posture-cam: error: {disk / 'data' / 'records'}: cannot write: the disk is "
            "read-only (write to another folder)"
        )


def test_a_records_folder_that_cannot_be_made_private_is_exit_9(tmp_path):
    """Before, ``ensure_private_dir`` always chmod-ed: a raw OSError (EROFS) even for a
    folder that was 0700 already."""
    from posture_cam.errors import OutputError

    with tmpfs(tmp_path / "disk", "1m") as disk:
        (disk / "private").mkdir(mode=0o700)
        (disk / "open").mkdir()
        os.chmod(disk / "open", 0o755)
        _remount_ro(disk)
        assert db.ensure_private_dir(disk / "private") == disk / "private"
        with pytest.raises(OutputError) as info:
            db.ensure_private_dir(disk / "open")
        assert info.value.exit_code == 9
        assert str(info.value) == (
            f"{disk / 'open'}: cannot write: the disk is read-only (write to another folder)"
        )


@pytest.mark.parametrize("with_shm", [True, False], ids=["with_shm", "without_shm"])
def test_a_read_only_store_with_changes_in_its_wal(with_shm, tmp_path, monkeypatch, capsys):
    """Changes still in the -wal file are read (mode=ro) where the -shm file is there;
    without it SQLite cannot read the store on a read-only disk: one line saying what to
    do, exit 8."""
    source = tmp_path / "source"
    monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(source))
    with Store() as store:
        store.add_patient("P-1")
    db_file = db.records_dir() / "records.sqlite3"
    holder = sqlite3.connect(db_file)  # keeps the -wal file: no checkpoint at close
    try:
        assert holder.execute("SELECT count(*) FROM patients").fetchone() == (1,)
        with Store() as store:
            store.add_patient("IN-WAL")
        assert Path(f"{db_file}-wal").stat().st_size > 0
        with tmpfs(tmp_path / "disk", "4m") as disk:
            records = disk / "data" / "records"
            records.mkdir(parents=True, mode=0o700)
            for suffix in ("", "-wal", "-shm") if with_shm else ("", "-wal"):
                shutil.copy2(f"{db_file}{suffix}", records / f"records.sqlite3{suffix}")
            _remount_ro(disk)
            monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(disk / "data"))
            capsys.readouterr()
            if with_shm:
                assert main(["patients", "list", "--json"]) == 0
                codes = [p["code"] for p in json.loads(capsys.readouterr().out)["patients"]]
                assert codes == ["IN-WAL", "P-1"]
            else:
                assert main(["patients", "list"]) == 8
                assert _one_line(capsys.readouterr().err) == (
                    f"posture-cam: error: {records / 'records.sqlite3'}: the records database "
                    "is in a folder that cannot be written and was not closed cleanly (its "
                    "-wal file holds changes): open it once where it can be written, or copy "
                    "the records folder to such a disk"
                )
    finally:
        holder.close()


# -- C: the records store on a full disk ------------------------------------------------


def test_a_change_on_a_full_disk_says_so_and_changes_nothing(tmp_path, monkeypatch, capsys):
    """Before: "database or disk is full" / "disk I/O error" with nothing to do."""
    with tmpfs(tmp_path / "disk", "2m") as disk:
        monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(disk / "data"))
        with Store() as store:
            store.add_patient("P-1")
            store.add_visit("P-1", [_capture(8, 1)])
        db_file = db.records_dir() / "records.sqlite3"
        rows = db_file.read_bytes()
        _fill(disk, leave_bytes=40 * 1024)  # the -shm fits, the new pages do not
        capsys.readouterr()
        assert main(["patients", "add", "P-2", "--notes", "x" * 60_000]) == 8
        assert _one_line(capsys.readouterr().err) == (f"posture-cam: error: {db_file}: {DISK_FULL}")
        with pytest.raises(Exception, match="the disk is full") as info, Store() as store:
            store.add_visit("P-1", [_capture(40, 2)])
        assert getattr(info.value, "exit_code", None) in (8, 9)
        (disk / "filler").unlink()
        assert db_file.read_bytes() == rows  # nothing was changed
        assert _codes() == ["P-1"]
        with Store() as store:
            assert [v["id"] for v in store.visits_json("P-1")["visits"]] == [1]
        assert sorted(p.name for p in (db.files_dir() / "p1").iterdir()) == ["v1"]


def test_no_space_at_all_even_for_reading_says_the_disk_is_full(tmp_path, monkeypatch, capsys):
    """0 bytes free: SQLite's -shm cannot grow ("disk I/O error"); no file can be
    created (no inodes: "unable to open database file"). Both are a full disk."""
    for size, inodes in (("1m", None), ("1m", 8)):
        opts = size if inodes is None else f"{size},nr_inodes={inodes}"
        with tmpfs(tmp_path / f"disk{inodes}", opts) as disk:
            monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(disk / "data"))
            with Store() as store:
                store.add_patient("P-1")
            if inodes is None:
                _fill(disk, leave_bytes=0)
            else:
                n = 0
                while True:
                    try:
                        (disk / f"f{n}").touch()
                    except OSError:
                        break
                    n += 1
            capsys.readouterr()
            assert main(["patients", "list"]) == 8
            db_file = db.records_dir() / "records.sqlite3"
            assert _one_line(capsys.readouterr().err) == (
                f"posture-cam: error: {db_file}: {DISK_FULL}"
            )


def test_a_database_that_cannot_be_opened_says_what_to_check(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(tmp_path / "data"))
    db_file = db.records_dir() / "records.sqlite3"
    db_file.mkdir(parents=True)  # a folder in the way of the file
    assert main(["patients", "list"]) == 8
    assert _one_line(capsys.readouterr().err) == (
        f"posture-cam: error: {db_file}: cannot open the records database: check that the "
        "folder exists and can be written"
    )


# -- E: home mode with a read-only data folder ------------------------------------------

HOME = textwrap.dedent(
    """
    import sys

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import posture_cam.cli.app as app
    import posture_cam.ui.home.home_window as home_window
    from posture_cam.cli import main

    opened = []

    class Window:  # the real window would load the pose model: not what is tested here
        def __init__(self, source, folder, config, **kw):
            opened.append(source)

        def show(self):
            QTimer.singleShot(0, QApplication.quit)

        showFullScreen = show

        def wait_for_workers(self, timeout):
            return True

    app.start_model_early = lambda *a, **kw: None
    home_window.HomeWindow = Window
    code = main(["home", "--source", sys.argv[1]])
    print("opened", opened, "code", code)
    sys.exit(code)
    """
)


def test_home_mode_opens_when_the_mode_cannot_be_remembered(tmp_path, media):
    """Before: exit 9 before the window opened, because `mode=home` could not be saved."""
    video = media("videos/video_sports2d_demo3_woman_running_side_1.6s.mp4")
    with tmpfs(tmp_path / "disk", "1m", read_only=True) as disk:
        proc = subprocess.run(
            [sys.executable, "-c", HOME, str(video)],
            capture_output=True,
            text=True,
            timeout=120,
            env=_env(disk, QT_QPA_PLATFORM="offscreen"),
        )
        assert sorted(p.name for p in disk.iterdir()) == []
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"opened ['{video}'] code 0"
    assert proc.stderr.strip() == (
        f"settings not saved: {disk / SETTINGS_FILE}: cannot write: the disk is read-only "
        "(write to another folder)"
    )


def test_the_first_start_choice_opens_when_it_cannot_be_remembered(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from posture_cam.app_settings import load_settings
    from posture_cam.i18n import current_language, set_language
    from posture_cam.ui.home.first_start import ModeDialog, choose_mode

    def dialogs() -> list[ModeDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, ModeDialog)]

    def click_home():
        next(d for d in dialogs() if d.isVisible()).home_button.click()

    language = current_language()
    with tmpfs(tmp_path / "disk", "1m", read_only=True) as disk:
        monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(disk))
        QTimer.singleShot(200, click_home)
        try:
            assert choose_mode("en") == "home"  # before: OutputError, exit 9
        finally:
            set_language(language)
        assert load_settings().mode is None  # asked again next time
    for dialog in dialogs():  # a hidden one left would be clicked by the next such test
        dialog.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert dialogs() == []
