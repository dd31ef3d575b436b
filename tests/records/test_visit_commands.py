"""``visit add --date`` refuses impossible dates; ``visit remove`` deletes one visit
(rows, image files, the app's report of it); ``patients remove`` deletes the app's
reports too; the export zip's ``created_at`` has its UTC offset. On SQLite and
PostgreSQL (the ``backend`` fixture)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from posture_cam import paths
from posture_cam.cli import main
from posture_cam.records import Store, db
from posture_cam.records.models import Capture, CaptureImage, CaptureMetric, Visit


def _run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _files() -> list[Path]:
    return sorted(p for p in db.files_dir().rglob("*") if p.is_file())


def _report(name: str) -> Path:
    """A PDF report where the app writes it (``<data dir>/reports``)."""
    folder = paths.user_data_dir() / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"%PDF-1.4 report")
    return path


class _Terminal(io.StringIO):
    """A stdin that is a terminal on which the user types ``answer``."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_analysis(monkeypatch, make_capture):
    """``visit add`` without the model: every FILE becomes a synthetic front capture."""
    from posture_cam.records import ingest

    def analyse(files, **_kwargs):
        return [make_capture("front") for _ in files]

    monkeypatch.setattr(ingest, "analyse_files", analyse)


def _visit_rows() -> int:
    with Store() as store, store.session() as s:
        return s.scalar(select(func.count()).select_from(Visit)) or 0


def test_a_visit_date_in_the_future_or_before_birth_or_1990_is_refused(
    backend, capsys, no_analysis, tmp_path
):
    photo = tmp_path / "front.jpg"
    photo.write_bytes(b"not analysed: analyse_files is replaced")
    assert main(["patients", "add", "P-1", "--birth-year", "1995"]) == 0
    assert main(["patients", "add", "P-2"]) == 0
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    refused = [
        ("P-1", "2030-01-01", "in the future"),
        ("P-1", tomorrow, "in the future"),
        ("P-1", "1900-01-01", "before the patient's birth year 1995"),
        ("P-1", "1994-12-31", "before the patient's birth year 1995"),
        ("P-2", "1989-12-31", "before 1990"),
        ("P-2", "1900-01-01", "before 1990"),
    ]
    for code, date, why in refused:
        exit_code, out, err = _run(capsys, "visit", "add", code, str(photo), "--date", date)
        assert exit_code == 2, (code, date)
        (line,) = err.strip().splitlines()
        assert date in line and why in line, line
        assert out == ""
    assert _visit_rows() == 0 and _files() == []

    # The limits themselves are dates a visit can have.
    today = dt.date.today().isoformat()
    for code, date in (("P-1", "1995-01-01"), ("P-1", today), ("P-2", "1990-01-01")):
        exit_code, out, _err = _run(capsys, "visit", "add", code, str(photo), "--date", date)
        assert exit_code == 0 and f"({date}, Front)" in out, (code, date)
    assert _visit_rows() == 3


def test_a_visit_time_can_be_given_and_is_kept(backend, capsys, no_analysis, tmp_path):
    """A date alone is stored at 12:00 (the report's cover then printed a made-up
    "12:00"); a date with its time keeps the time, and a time later than now is
    refused like a date after today."""
    photo = tmp_path / "front.jpg"
    photo.write_bytes(b"not analysed: analyse_files is replaced")
    assert main(["patients", "add", "P-T"]) == 0
    later = (dt.datetime.now() + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    for given, why in ((later, "visit time in the future"), ("2026-11-20T25:00", "not a date")):
        code, out, err = _run(capsys, "visit", "add", "P-T", str(photo), "--date", given)
        (line,) = err.strip().splitlines()
        assert code == 2 and given in line and why in line and out == "", line
    assert _visit_rows() == 0
    for given in ("2026-11-20T08:15", "2026-11-21 16:40", "2026-11-22"):
        code, _out, _err = _run(capsys, "visit", "add", "P-T", str(photo), "--date", given)
        assert code == 0, given
    with Store() as store, store.session() as s:
        times = [v.date_time for v in store.load_visits(s, "P-T")[1]]
    assert [t.strftime("%Y-%m-%d %H:%M") for t in sorted(times)] == [
        "2026-11-20 08:15", "2026-11-21 16:40", "2026-11-22 12:00"
    ]  # fmt: skip


def test_visit_remove_deletes_one_visit_its_files_and_its_report(backend, capsys, make_capture):
    with Store() as store:
        store.add_patient("P-1")
        first = store.add_visit(
            "P-1", [make_capture("front"), make_capture("left")], date_time=dt.datetime(2026, 9, 1)
        )
        second = store.add_visit("P-1", [make_capture("front", 1.0)])
    report_first = _report(f"P-1_visit{first}.pdf")
    report_second = _report(f"P-1_visit{second}.pdf")
    before = _files()
    assert len(before) == 3 * 6

    # No terminal to ask on and no --yes: one line, nothing removed.
    code, _out, err = _run(capsys, "visit", "remove", str(first))
    assert code == 2
    (line,) = err.strip().splitlines()
    assert f"visit {first}: not removed" in line and "--yes" in line
    # On a terminal: asked, and "no" removes nothing either.
    for answer in ("n\n", "\n"):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("sys.stdin", _Terminal(answer))
            code, _out, err = _run(capsys, "visit", "remove", str(first))
        assert code == 2
        assert f"Delete visit {first} of P-1 (2026-09-01, Front, Left side)" in err
    assert _files() == before and report_first.exists()
    code, _out, err = _run(capsys, "visit", "remove", "999", "--yes")
    assert code == 6 and "no visit 999" in err

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", _Terminal("y\n"))
        code, _out, err = _run(capsys, "visit", "remove", str(first))
    assert code == 0
    assert f"visit {first} of P-1 (2026-09-01) removed (12 files deleted)" in err
    assert f"report deleted: {report_first}" in err
    doc = json.loads(_run(capsys, "visits", "P-1", "--json")[1])
    assert [v["id"] for v in doc["visits"]] == [second]
    remaining = _files()
    assert len(remaining) == 6 and all(f"/v{second}/" in str(p) for p in remaining)
    assert not (db.files_dir() / "p1" / f"v{first}").exists()
    assert not report_first.exists() and report_second.exists()
    with Store() as store, store.session() as s:
        assert s.scalar(select(func.count()).select_from(Capture)) == 1
        assert s.scalar(select(func.count()).select_from(CaptureMetric)) == 2
        assert s.scalar(select(func.count()).select_from(CaptureImage)) == 6

    code, _out, err = _run(capsys, "visit", "remove", str(second), "--yes")
    assert code == 0 and "6 files deleted" in err and str(report_second) in err
    assert json.loads(_run(capsys, "visits", "P-1", "--json")[1])["visits"] == []
    assert _files() == [] and not report_second.exists()
    assert _run(capsys, "patients", "show", "P-1")[0] == 0  # the patient stays


def test_patients_remove_deletes_the_reports_of_the_patient_only(backend, capsys, make_capture):
    with Store() as store:
        store.add_patient("P-1")
        store.add_patient("P-10")
        visit = store.add_visit("P-1", [make_capture("front")])
        store.add_visit("P-10", [make_capture("front")])
    own = [_report(f"P-1_visit{visit}.pdf"), _report("P-1_visit77.pdf")]  # 77: removed since
    others = [_report("P-10_visit2.pdf"), _report("P-1_visit1_visit3.pdf"), _report("P-1.pdf")]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", _Terminal("no\n"))
        code, _out, err = _run(capsys, "patients", "remove", "P-1")
    assert code == 2 and "Delete patient P-1, 1 visit and every file?" in err
    assert all(p.exists() for p in own)

    code, _out, err = _run(capsys, "patients", "remove", "P-1", "--yes")
    assert code == 0
    assert "patient P-1 removed (6 files deleted)" in err
    assert "reports deleted: " + ", ".join(str(p) for p in sorted(own)) in err
    assert not any(p.exists() for p in own)
    assert all(p.exists() for p in others)
    assert len(_files()) == 6


def test_the_export_zip_says_the_utc_offset_of_created_at(backend, tmp_path, make_capture):
    with Store() as store:
        store.add_patient("P-1")
        store.add_visit("P-1", [make_capture("front")])
    out = tmp_path / "p.zip"
    assert main(["export", "P-1", "--format", "zip", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        doc = json.loads(zf.read("patient.json"))
    created = dt.datetime.fromisoformat(doc["patient"]["created_at"])
    assert created.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)
    for stamp in (doc["exported_at"], doc["visits"][0]["date_time"]):
        assert dt.datetime.fromisoformat(stamp).utcoffset() is not None
