"""``posture-cam report``: without --privacy the images follow the app's saved privacy."""

from __future__ import annotations

import pytest

from posture_cam.app_settings import AppSettings, save_settings, settings_path
from posture_cam.cli import main
from posture_cam.records import report as report_module


@pytest.fixture
def written(monkeypatch):
    """The options of each report ``posture-cam report`` asks for (no PDF drawn)."""
    calls = []

    def record(store, code, out, options):
        calls.append(options)
        return out

    monkeypatch.setattr(report_module, "write_report", record)
    return calls


@pytest.mark.parametrize(
    ("saved", "expected"),
    [(None, "full"), ("none", "full"), ("blur_face", "blur"), ("skeleton_only", "skeleton")],
)
def test_privacy_follows_the_saved_app_setting(tmp_path, written, saved, expected):
    if saved is not None:
        save_settings(AppSettings(export_privacy=saved))
    assert main(["report", "P-1", "--out", str(tmp_path / "r.pdf")]) == 0
    assert written[-1].privacy == expected


def test_the_flag_beats_the_saved_setting(tmp_path, written):
    save_settings(AppSettings(export_privacy="skeleton_only"))
    assert main(["report", "P-1", "--out", str(tmp_path / "r.pdf"), "--privacy", "full"]) == 0
    assert written[-1].privacy == "full"


def test_a_broken_settings_file_says_so_and_uses_full(tmp_path, written, capsys):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"export_privacy": "nonsense"}', encoding="utf-8")
    assert main(["report", "P-1", "--out", str(tmp_path / "r.pdf")]) == 0
    assert written[-1].privacy == "full"
    err = capsys.readouterr().err
    assert str(path) in err and "export_privacy" in err
