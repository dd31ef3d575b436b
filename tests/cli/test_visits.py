"""``posture-cam visits CODE``: the text prints each number once, at the records'
precision, equal to ``--json``; a ± that is only the frame SD says so."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from posture_cam import wording
from posture_cam.cli import main
from posture_cam.records import Store
from posture_cam.records.ingest import CaptureData, MetricData
from posture_cam.records.store import DECIMALS


def _capture(view: str, metrics: list[MetricData]) -> CaptureData:
    return CaptureData(
        view=view,
        source_file="synthetic.jpg",
        kind="image",
        metrics=metrics,
        quality={"ok": True, "checks": [], "frames_seen": 30, "frames_used": 30},
        landmarks=None,
        resolution_wh=[6, 8],
        model_name=None,
        model_sha256=None,
    )


def _run(capsys, *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


def _cells(line: str) -> list[str]:
    """The cells of a table line (columns are 2+ spaces apart; a cell has single ones)."""
    return re.split(r" {2,}", line.strip())


def _row(text: str, label: str) -> list[str]:
    """The cells of the one row of the metric named ``label`` (its name, not its id)."""
    (line,) = [ln for ln in text.splitlines() if _cells(ln)[0] == label]
    return _cells(line)


def _store(code: str, front: list[MetricData], side: list[MetricData]) -> None:
    with Store() as store:
        store.add_patient(code)
        store.add_visit(code, [_capture("front", front), _capture("left", side)])


def test_text_numbers_are_the_json_numbers_at_the_records_precision(capsys):
    front = [
        MetricData("shoulder_tilt", 2.0449, 0.4123, 0.5, 30, "deg", "borderline", uncertainty=0.54),
        MetricData("head_tilt", -1.26, 0.3, 0.4, 30, "deg", "normal"),  # before the ±: SD
    ]
    side = [MetricData("cva", 48.72, 0.44, 0.5, 30, "deg", "normal", uncertainty=2.61)]
    _store("P-TXT", front, side)

    doc = json.loads(_run(capsys, "visits", "P-TXT", "--json"))
    text = _run(capsys, "visits", "P-TXT")
    assert DECIMALS == 1
    # The visit's line has its time: two home checks of one day read apart.
    (line,) = [ln for ln in text.splitlines() if ln.startswith("visit 1  ")]
    assert re.fullmatch(r"visit 1  \d{4}-\d\d-\d\d \d\d:\d\d  clinic", line), line
    # Name, value with its side in words, ± with its unit, band, status: analyze's words.
    assert _row(text, "Shoulder tilt") == [
        "Shoulder tilt",
        "2.0° L high",
        "±0.5°",
        "±1.5°",
        "borderline",
        "model (proxy)",
    ]
    assert _row(text, "Head tilt")[1:3] == ["1.3° R high", "±0.3° SD"]
    assert _row(text, "Craniovertebral angle")[1:3] == ["48.7°", "±2.6°"]
    stored = {mid: m for c in doc["visits"][0]["captures"] for mid, m in c["metrics"].items()}
    assert len(stored) == 3
    for metric_id, m in stored.items():
        value, pm = _row(text, wording.metric_label(metric_id))[1:3]
        assert float(value.split("°")[0]) == pytest.approx(abs(m["value"])), metric_id
        expected_pm = m["uncertainty"] if m["uncertainty"] is not None else m["sd"]
        assert float(pm.strip("±").split("°")[0]) == pytest.approx(expected_pm), metric_id


def test_a_sticker_value_stored_with_its_frame_sd_alone_is_marked_sd(capsys, tmp_path):
    side = [
        # A sticker value stored before the stickers' centroid error joined its ±
        # (records revision 0004 before that change): the stored ± is the frame SD.
        MetricData(
            "pelvic_tilt_sagittal",
            12.31,
            0.44,
            0.5,
            30,
            "deg",
            "normal",
            "marker",
            uncertainty=0.44,
        ),
        # One stored since: frame SD and the stickers' share, larger than the SD.
        MetricData("cva", 48.72, 0.44, 0.5, 30, "deg", "normal", "marker", uncertainty=0.61),
    ]
    _store("P-STK", [], side)
    text = _run(capsys, "visits", "P-STK")
    assert _row(text, "Pelvic tilt (sagittal)")[1:3] == ["12.3° anterior", "±0.4° SD"]
    assert _row(text, "Craniovertebral angle")[1:3] == ["48.7°", "±0.6°"]
    # --json and the CSV say the same: no combined ± where only the SD is known.
    (capture,) = json.loads(_run(capsys, "visits", "P-STK", "--json"))["visits"][0]["captures"][1:]
    pelvic, cva = capture["metrics"]["pelvic_tilt_sagittal"], capture["metrics"]["cva"]
    assert (pelvic["sd"], pelvic["uncertainty"]) == (0.4, None)
    assert (cva["sd"], cva["uncertainty"]) == (0.4, 0.6)
    out = tmp_path / "p.csv"
    assert main(["export", "P-STK", "--format", "csv", "--out", str(out)]) == 0
    rows = {r["metric"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert (rows["pelvic_tilt_sagittal"]["sd"], rows["pelvic_tilt_sagittal"]["uncertainty"]) == (
        "0.4",
        "",
    )
    assert (rows["cva"]["sd"], rows["cva"]["uncertainty"]) == ("0.4", "0.6")


def test_a_metric_without_a_value_is_named_below_the_table_with_its_reason(capsys):
    """No median: no row with an empty value, but the name and the status word on a line
    below the table, as ``analyze`` prints them, in either language."""
    not_measured = MetricData("shoulder_tilt", None, None, None, 0, "deg", "not_measurable")
    measured = MetricData("head_tilt", 1.0, 0.1, 0.1, 1, "deg", "normal", uncertainty=0.9)
    _store("P-NM", [not_measured, measured], [])
    text = _run(capsys, "visits", "P-NM")
    assert "    Shoulder tilt: not measurable" in text.splitlines()
    assert _row(text, "Head tilt")[1] == "1.0° L high"
    text = _run(capsys, "--lang", "nl", "visits", "P-NM")
    assert "    Schouderscheefstand: niet meetbaar" in text.splitlines()
    assert _row(text, "Hoofdkanteling")[1] == "1,0° L hoger"


def test_a_note_on_a_measured_value_is_said_below_the_table(capsys):
    """A stored value judged against the nominal body height keeps that note (its
    codes); the table said only why others were not measurable."""
    noted = MetricData(
        "shoulder_height_diff", 1.04, 0.1, 0.1, 30, "cm", "normal", uncertainty=0.3,
        reason="judged against a body height of 170 cm",
        reasons=[{"code": "nominal_height", "height_cm": 170.0}],
    )  # fmt: skip
    plain = MetricData("head_tilt", 1.0, 0.1, 0.1, 30, "deg", "normal", uncertainty=0.9)
    _store("P-NT", [noted, plain], [])
    text = _run(capsys, "visits", "P-NT")
    assert "    Shoulder height difference: judged against a body height of 170 cm" in (
        text.splitlines()
    )
    text = _run(capsys, "--lang", "nl", "visits", "P-NT")
    assert "    Hoogteverschil schouders: beoordeeld bij een lichaamslengte van 170 cm" in (
        text.splitlines()
    )


FRONT = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
SIDE = "images/standing_side/side_dipan_side_image_man_home_lowres.jpg"
SCHEMA = Path(__file__).resolve().parents[2] / "posture_cam/records/schemas/visits.schema.json"
#: The words of the metrics' sides that a negative value has (metrics.catalogue signs).
NEGATIVE_SIDES = ("R high", "to R", "varus", "backward", "posterior")


def _table(text: str, view: str) -> list[list[str]]:
    """The header row and the rows of the capture of ``view`` (its name) in ``visits``."""
    lines = text.splitlines()
    start = lines.index("  " + view) + 1
    rows = []
    for line in lines[start:]:
        if not line.startswith("    ") or ": " in line:  # next capture, or the not-measured
            break
        rows.append(_cells(line))
    return rows


@pytest.mark.media
def test_visits_of_real_photos_read_as_a_table_in_english_and_dutch(
    capsys, monkeypatch, model_path, media
):
    """Two real photos stored through ``visit add``: ``visits`` prints per view a header
    row and the metrics' names with analyze's units and formats at the records'
    precision, in English and in Dutch; ``--json`` keeps the documented contract."""
    monkeypatch.setenv("POSTURE_CAM_MODEL", str(model_path))
    _run(capsys, "patients", "add", "P-REAL")
    stored = _run(
        capsys,
        "visit",
        "add",
        "P-REAL",
        str(media(FRONT)),
        str(media(SIDE)),
        "--date",
        "2026-10-01",
    )
    assert stored.strip() == "visit 1 stored for P-REAL (2026-10-01, Front, Right side)"

    doc = json.loads(_run(capsys, "visits", "P-REAL", "--json"))
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    (visit,) = doc["visits"]
    assert [c["view"] for c in visit["captures"]] == ["front", "right"]
    for capture in visit["captures"]:
        for metric_id, m in capture["metrics"].items():
            assert wording.metric_spec(metric_id) is not None  # keyed by the metric ids
            assert set(m) == {"value", "sd", "uncertainty", "unit", "status", "source"}

    text = _run(capsys, "visits", "P-REAL")
    measured = 0
    for capture, view in zip(visit["captures"], ("Front", "Right side"), strict=True):
        header, *rows = _table(text, view)
        assert header == ["Measurement", "Value", "±", "Normal", "Status", "Source"]
        by_name = {row[0]: row for row in rows}
        for metric_id, m in capture["metrics"].items():
            name = wording.metric_label(metric_id)
            assert name != metric_id
            if m["value"] is None:
                assert f"    {name}: not measurable" in text
                continue
            measured += 1
            value, pm, _band, status, source = by_name[name][1:]
            assert source == "model (proxy)", (metric_id, source)
            number = re.match(r"(\d+\.\d)(°|\s% height|\s% trunk|$|\s)", value)
            assert number, value  # one decimal, the records' precision, the unit attached
            assert float(number[1]) == abs(m["value"]), (metric_id, value)
            assert any(side in value for side in NEGATIVE_SIDES) == (m["value"] < 0), value
            unit = number[2] if number[2].strip() else ""
            assert pm == f"±{m['uncertainty']:.1f}{unit}", (metric_id, pm)
            assert status == wording.status_text(m["status"])
    assert measured >= 15  # the front photo measures all 11, the side one 8 of 10
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\bcva\b", text)  # no metric ids

    dutch = _run(capsys, "--lang", "nl", "visits", "P-REAL")
    header, *rows = _table(dutch, "Vooraanzicht")
    assert header == ["Meting", "Waarde", "±", "Normaal", "Status", "Bron"]
    names = [row[0] for row in rows]
    assert {"Schouderscheefstand", "Zijwaartse verschuiving schouders"} <= set(names)
    assert all(re.fullmatch(r"\d+,\d.*", row[1]) for row in rows), rows
    header, *rows = _table(dutch, "Rechterzijaanzicht")
    assert "Craniovertebrale hoek" in [row[0] for row in rows]
    # The longest Dutch name sets the first column: every value starts in one column.
    starts = {
        line.index(_cells(line)[1])
        for line in dutch.splitlines()
        if line.startswith("    ") and ": " not in line
    }
    assert len(starts) == 1, starts
    assert not re.search(r"\d\.\d", dutch)  # decimal comma only


@pytest.mark.media
def test_visit_add_says_which_stickers_were_not_found_and_takes_model(
    capsys, monkeypatch, model_path, media
):
    """``visit add --markers`` says per file on stderr what ``analyze`` says under its
    table (markers not found, stickers too small here); ``--model`` is the pose model
    (the error of a missing model names it)."""
    monkeypatch.delenv("POSTURE_CAM_MODEL", raising=False)
    _run(capsys, "patients", "add", "P-MRK")
    missing = "/nonexistent/pose.task"
    assert main(["visit", "add", "P-MRK", str(media(SIDE)), "--model", missing, "--offline"]) == 4
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert missing in line

    # The low-resolution side photo: no stickers, and a 20 mm one would be about 4 px.
    side, front = str(media(SIDE)), str(media(FRONT))
    args = ["visit", "add", "P-MRK", side, front, "--markers", "tragus,c7"]
    assert main([*args, "--model", str(model_path), "--offline"]) == 0
    out, err = capsys.readouterr()
    assert out.strip().startswith("visit 1 stored for P-MRK")
    lines = err.strip().splitlines()
    (side_line,) = [ln for ln in lines if ln.startswith(side + ": ")]
    assert "markers found: -; not found: tragus, c7 (what needs them is measured" in side_line
    assert "a 20 mm sticker is about 4 px across here, too small" in side_line
    # The same words as analyze's table prints under that photo.
    assert main(["analyze", side, "--markers", "tragus,c7", "--model", str(model_path)]) == 0
    table = capsys.readouterr().out
    assert side_line.removeprefix(side + ": ") in [ln.strip() for ln in table.splitlines()]
    (front_line,) = [ln for ln in lines if ln.startswith(front + ": ")]
    assert "markers not used" in front_line
