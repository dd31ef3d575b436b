"""``posture-cam visits CODE``: the text prints each number once, at the records'
precision, equal to ``--json``; a ± that is only the frame SD says so."""

from __future__ import annotations

import csv
import io
import json

import pytest

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


def _row(text: str, metric_id: str) -> list[str]:
    (line,) = [ln for ln in text.splitlines() if ln.strip().startswith(metric_id + " ")]
    return line.split()


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
    assert _row(text, "shoulder_tilt")[1:4] == ["2.0", "±", "0.5"]
    assert _row(text, "head_tilt")[1:5] == ["−1.3", "±", "0.3", "SD"]
    assert _row(text, "cva")[1:4] == ["48.7", "±", "2.6"]
    stored = {mid: m for c in doc["visits"][0]["captures"] for mid, m in c["metrics"].items()}
    assert len(stored) == 3
    for metric_id, m in stored.items():
        row = _row(text, metric_id)
        assert float(row[1].replace("−", "-")) == pytest.approx(m["value"]), metric_id
        pm = m["uncertainty"] if m["uncertainty"] is not None else m["sd"]
        assert float(row[3]) == pytest.approx(pm), metric_id


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
    assert _row(text, "pelvic_tilt_sagittal")[1:5] == ["12.3", "±", "0.4", "SD"]
    assert _row(text, "cva")[1:5] == ["48.7", "±", "0.6", "°"]
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


def test_a_metric_without_a_value_says_so_with_the_status_word(capsys):
    """No median: the value column says what the status column says, in either language."""
    _store("P-NM", [MetricData("shoulder_tilt", None, None, None, 0, "deg", "not_measurable")], [])
    line = " ".join(_row(_run(capsys, "visits", "P-NM"), "shoulder_tilt"))
    assert line.count("not measurable") == 2, line
    line = " ".join(_row(_run(capsys, "--lang", "nl", "visits", "P-NM"), "shoulder_tilt"))
    assert line.count("niet meetbaar") == 2, line
