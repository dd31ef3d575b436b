"""Ingest of real photos into visits (``records/ingest.py``) and what follows from them,
through the CLI on both database backends: two visits, ``visits --json``, the PDF report
read back with pdftotext, the Dutch report, CSV and zip export, file modes and removal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import stat
import zipfile
from pathlib import Path

import pytest

from posture_cam import wording
from posture_cam.i18n import using_language
from posture_cam.records import db

pytestmark = [pytest.mark.media, pytest.mark.slow]

FRONT_1 = "images/standing_frontal/frontal_shapy_img18_woman_studio_neutral.jpg"
SIDE_1 = "images/standing_side/side_dipan_side_image_man_home_lowres.jpg"
BACK_1 = "images/standing_back/back_tfjs_posenet_backpackman_walking_away.jpg"
FRONT_2 = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
SIDE_2 = "images/derived_stills_from_videos/still_side_sports2d_demo4_f236_older_woman_walking.jpg"
THREE_QUARTER = "images/standing_side/side34_shapy_img19_elderly_man_stooped_FORWARD_HEAD.jpg"
SCHEMA = Path(__file__).resolve().parents[2] / "posture_cam/records/schemas/visits.schema.json"


def _analyze_values(cli, photo: Path) -> dict[str, float | None]:
    code, out, _ = cli("analyze", str(photo), "--json")
    assert code == 0
    metrics = json.loads(out)["inputs"][0]["frames"][0]["metrics"]
    return {k: v["value"] for k, v in metrics.items()}


def _label(metric_id: str, lang: str) -> str:
    from posture_cam import wording
    from posture_cam.i18n import using_language

    with using_language(lang):
        return wording.metric_label(metric_id)


def _fmt(value: float, lang: str = "en") -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def test_two_visits_report_export_and_removal(backend, cli, pdftext, media, tmp_path):
    import jsonschema

    assert (
        cli("patients", "add", "P-100", "--name", "Sanne Dijkstra", "--birth-year", "1985")[0] == 0
    )
    code, out, err = cli(
        "visit", "add", "P-100", str(media(FRONT_1)), str(media(SIDE_1)), str(media(BACK_1)),
        "--date", "2026-10-01", "--therapist", "J. de Boer", "--json",
    )  # fmt: skip
    assert code == 0, err
    first = json.loads(out)
    assert [c["view"] for c in first["captures"]] == ["front", "right", "back"]
    code, out, err = cli(
        "visit", "add", "P-100", str(media(FRONT_2)), str(media(SIDE_2)),
        "--date", "2026-11-12",
    )  # fmt: skip
    assert code == 0, err
    assert "visit 2 stored for P-100 (2026-11-12, Front, Left side)" in out

    code, out, _ = cli("visits", "P-100", "--json")
    assert code == 0
    doc = json.loads(out)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    assert doc["patient"] == "P-100"
    assert [(v["id"], v["date"], v["setting"]) for v in doc["visits"]] == [
        (1, "2026-10-01", "clinic"),
        (2, "2026-11-12", "clinic"),  # compared with visit 1: both clinic visits
    ]
    assert doc["visits"][0] == first

    # The stored numbers are the pipeline's: a photo is one averaged frame (SD 0).
    analysed = _analyze_values(cli, media(FRONT_2))
    stored = doc["visits"][1]["captures"][0]["metrics"]
    assert set(stored) == set(analysed)
    for metric_id, value in analysed.items():
        expected = None if value is None else round(value, 1) + 0.0
        assert stored[metric_id]["value"] == pytest.approx(expected, abs=0.051), metric_id
        assert stored[metric_id]["sd"] in (0.0, None)
    assert abs(stored["shoulder_tilt"]["value"]) > 0.5  # a real, non-trivial number

    # The report, read back: every number equals visits --json.
    pdf = tmp_path / "report.pdf"
    assert cli("report", "P-100", "--out", str(pdf), "--practice", "Fysio Centrum")[0] == 0
    text = pdftext(pdf)
    assert "Fysio Centrum" in text and "P-100" in text
    assert "Sanne" not in text  # the name only when asked for
    assert "Screening, not diagnosis" in text
    lines = text.splitlines()
    latest, earlier = doc["visits"][1], doc["visits"][0]
    for capture in latest["captures"]:
        for metric_id, m in capture["metrics"].items():
            rows = [ln for ln in lines if ln.strip().startswith(_label(metric_id, "en") + "  ")]
            if m["value"] is None:
                assert any("not measurable" in r for r in rows), metric_id
                continue
            words = wording.direction_words(metric_id, m["value"])  # "R high", or ""
            size = abs(m["value"]) if words else m["value"]
            wanted = f"{_fmt(size)} ± {_fmt(m['uncertainty'])} {words}".rstrip()
            unit = wording.unit_text(m["unit"]) or "-"  # as every table shows it: °, % height
            assert any(wanted in r and f" {unit} " in r for r in rows), (metric_id, wanted, unit)
    # change since the previous visit: previous, now and the difference, per metric
    before = {m: v for m, v in earlier["captures"][0]["metrics"].items()}
    now = latest["captures"][0]["metrics"]
    verdicts = r"(beyond|within) measurement error|no MDC|not judged: capture failed"
    change_rows = [ln for ln in lines if re.search(verdicts, ln)]
    assert change_rows, "no change table in the report"

    def with_side(metric_id: str, value: float) -> str:  # as the value table: "1.2 R high"
        words = wording.direction_words(metric_id, value)
        return f"{_fmt(abs(value))} {words}" if words else _fmt(value)

    for metric_id in ("shoulder_tilt", "pelvic_tilt", "head_tilt"):
        prev, cur = before[metric_id]["value"], now[metric_id]["value"]
        delta = round(cur - prev, 1) + 0.0
        cells = [_label(metric_id, "en"), with_side(metric_id, prev), with_side(metric_id, cur)]
        pattern = r"\s+".join(map(re.escape, cells)) + rf"\s+[+]?{re.escape(_fmt(delta))}\s"
        assert any(re.search(pattern, r) for r in change_rows), (metric_id, prev, cur)

    # The Dutch report of the first visit, with the name: diacritics and decimal commas.
    pdf_nl = tmp_path / "rapport.pdf"
    assert cli("report", "P-100", "--visit", "1", "--out", str(pdf_nl), "--lang", "nl",
               "--privacy", "skeleton", "--with-name")[0] == 0  # fmt: skip
    text_nl = pdftext(pdf_nl)
    for word in ("Houdingsrapport", "Patiënt", "Sanne Dijkstra", "Screening, geen diagnose"):
        assert word in text_nl, word
    shoulder = earlier["captures"][0]["metrics"]["shoulder_tilt"]
    with using_language("nl"):
        side = wording.direction_words("shoulder_tilt", shoulder["value"])  # "R hoger"
    shown = f"{_fmt(abs(shoulder['value']), 'nl')} ± {_fmt(shoulder['uncertainty'], 'nl')}"
    assert f"{shown} {side}".rstrip() in text_nl

    # CSV: one row per visit x view x metric, the same numbers.
    out_csv = tmp_path / "p100.csv"
    assert cli("export", "P-100", "--format", "csv", "--out", str(out_csv))[0] == 0
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    expected_rows = [
        (str(v["id"]), c["view"], mid, "" if m["value"] is None else str(m["value"]))
        for v in doc["visits"]
        for c in v["captures"]
        for mid, m in c["metrics"].items()
    ]
    assert [(r["visit_id"], r["view"], r["metric"], r["value"]) for r in rows] == expected_rows
    assert stat.S_IMODE(out_csv.stat().st_mode) == 0o600

    out_zip = tmp_path / "p100.zip"
    assert cli("export", "P-100", "--format", "zip", "--out", str(out_zip))[0] == 0
    with zipfile.ZipFile(out_zip) as zf:
        names = zf.namelist()
        full = json.loads(zf.read("patient.json"))
    assert full["patient"]["name"] == "Sanne Dijkstra"
    assert len([n for n in names if n.endswith(".png")]) == 5 * 6
    assert full["visits"][0]["captures"][0]["model_sha256"]
    # The visit's time says which time it is (local, with its UTC offset): it had none.
    when = dt.datetime.fromisoformat(full["visits"][0]["date_time"])
    assert when.utcoffset() is not None
    assert when.replace(tzinfo=None).date().isoformat() == doc["visits"][0]["date"]

    # Files are private; removal leaves nothing of the patient.
    stored_files = [p for p in db.files_dir().rglob("*") if p.is_file()]
    assert len(stored_files) == 30
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in stored_files)
    code, _, err = cli("patients", "remove", "P-100", "--yes")
    assert code == 0 and "30 files deleted" in err
    assert [p for p in db.files_dir().rglob("*") if p.is_file()] == []
    assert cli("visits", "P-100")[0] == 6


def test_bad_files_store_nothing(cli, media, media_dir, tmp_path):
    assert cli("patients", "add", "P-1")[0] == 0
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a photo")
    code, _, err = cli("visit", "add", "P-1", str(media(FRONT_1)), str(text_file))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "notes.txt" in err
    empty = sorted((media_dir / "images/no_person").iterdir())[0]
    code, _, err = cli("visit", "add", "P-1", str(media(FRONT_1)), str(empty))
    assert code == 3 and "no person found" in err and empty.name in err
    code, _, err = cli("visit", "add", "P-1", str(tmp_path / "missing.jpg"))
    assert code == 2
    code, _, err = cli("visit", "add", "P-1", str(media(THREE_QUARTER)))
    assert code == 2 and "three-quarter view" in err and len(err.strip().splitlines()) == 1
    code, out, _ = cli("visits", "P-1", "--json")
    assert json.loads(out) == {"patient": "P-1", "visits": []}
    assert not db.files_dir().exists() or not any(db.files_dir().rglob("*.png"))
    code, _, err = cli("visit", "add", "P-404", str(media(FRONT_1)))
    assert code == 6
