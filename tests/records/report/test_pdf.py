"""The report's numbers read back with pdftotext equal ``visits --json``: every value
with its ± (the stored uncertainty: frame spread ⊕ model repeatability), every change
row (previous, now, change, MDC as declared, and a verdict that agrees with the printed
change and MDC), in English and Dutch, on both database backends; a record stored without
an uncertainty shows its SD marked "SD" and says why."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest

from posture_cam.cli import main
from posture_cam.metrics import spec

FRONT_1 = "images/standing_frontal/frontal_shapy_img18_woman_studio_neutral.jpg"
SIDE_1 = "images/standing_side/side_dipan_side_image_man_home_lowres.jpg"
FRONT_2 = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
SIDE_2 = "images/derived_stills_from_videos/still_side_sports2d_demo4_f236_older_woman_walking.jpg"

_PM = re.compile(r"(-?\d+[.,]\d) ± (-?\d+[.,]\d)( SD)?")
_NUMBER = re.compile(r"[+-]?\d+[.,]\d+")


def _label(metric_id: str, lang: str) -> str:
    from posture_cam import wording
    from posture_cam.i18n import using_language

    with using_language(lang):
        return wording.metric_label(metric_id)


def _verdict(beyond: bool, lang: str) -> str:
    from posture_cam import wording
    from posture_cam.i18n import using_language

    with using_language(lang):
        return wording.change_verdict(beyond)


def _not_judged(lang: str) -> str:
    """The verdict of a change where a capture failed the quality gate."""
    from posture_cam.i18n import _, using_language

    with using_language(lang):
        return _("not judged: capture failed the quality check")


def _band(metric_id: str, lang: str) -> str:
    from posture_cam import wording
    from posture_cam.i18n import using_language

    with using_language(lang):
        return wording.band_text(metric_id).replace("\u00a0", " ")  # pdftotext: a space


def _words(metric_id: str, value: float, lang: str) -> str:
    """The side or direction a signed value shows in every table ("R high"), or ""."""
    from posture_cam import wording
    from posture_cam.i18n import using_language

    with using_language(lang):
        return wording.direction_words(metric_id, value)


def _number(text: str) -> float:
    return float(text.replace(",", ".").replace("+", ""))


def _rows(lines: list[str], metric_id: str, lang: str) -> list[str]:
    label = _label(metric_id, lang)
    return [ln.strip() for ln in lines if ln.strip().startswith(label + "  ")]


def _check_visit(text: str, doc: dict, visit_index: int, lang: str) -> int:
    """Every number of one visit's pages against ``visits --json``; returns how many
    numbers were compared."""
    lines = text.splitlines()
    visit = doc["visits"][visit_index]
    earlier = doc["visits"][:visit_index]
    compared = 0
    for capture in visit["captures"]:
        for metric_id, m in capture["metrics"].items():
            rows = _rows(lines, metric_id, lang)
            if m["value"] is None:
                continue
            found = [_PM.search(r) for r in rows]
            cells = [(f, r) for f, r in zip(found, rows, strict=True) if f]
            assert cells, (metric_id, lang, rows)
            match, row = cells[0]
            # The stored uncertainty (not the SD) is the ±, unmarked.
            assert m["uncertainty"] is not None, metric_id
            # A side or direction in words after the size, as every table shows it:
            # "2.1 ± 0.8 R high" for a shoulder tilt of -2.1.
            words = _words(metric_id, m["value"], lang)
            shown = abs(m["value"]) if words else m["value"]
            assert _number(match.group(1)) == shown, (metric_id, row)
            assert _number(match.group(2)) == m["uncertainty"], (metric_id, row)
            assert match.group(3) is None, (metric_id, row)
            assert row[match.end() :].startswith(f" {words}" if words else " "), (metric_id, row)
            compared += 2
            # The band as every table writes it (``±2.0°``, ``−1.0 … +3.0 % height``),
            # its numbers the catalogue's.
            band = _band(metric_id, lang)
            assert band in row[match.end() :], (metric_id, band, row)
            lo, hi = spec(metric_id).norm.normal
            want = [hi] if lo == -hi else [lo, hi]
            assert [_number(b) for b in _NUMBER.findall(band.replace("−", "-"))] == want, band
            compared += len(want)
        before = next(
            (c for v in reversed(earlier) for c in v["captures"] if c["view"] == capture["view"]),
            None,
        )
        if before is None:
            continue
        for metric_id, m in capture["metrics"].items():
            prev = before["metrics"].get(metric_id)
            if prev is None or m["value"] is None or prev["value"] is None:
                continue
            change_rows = [r for r in _rows(lines, metric_id, lang) if "±" not in r]
            assert change_rows, (metric_id, lang)
            numbers = [
                _number(n) for n in _NUMBER.findall(change_rows[0][len(_label(metric_id, lang)) :])
            ]
            mdc = spec(metric_id).mdc
            # Previous and now with their side, as the value table ("6.9 R high"); the
            # change signed, so that the columns add up.
            sides = [_words(metric_id, v, lang) for v in (prev["value"], m["value"])]
            want = [
                abs(v) if w else v for v, w in zip((prev["value"], m["value"]), sides, strict=True)
            ]
            want.append(round(m["value"] - prev["value"], 1))
            for w in sides:
                assert not w or f" {w} " in change_rows[0], (metric_id, w, change_rows[0])
            if mdc is not None and m["unit"] != "cm":
                # The MDC as declared (4.96, not 5.0), and the verdict the printed
                # change and MDC give (never "+5.0, MDC 5.0: beyond"); none where a
                # capture failed the quality gate.
                want.append(mdc.value)
                verdict = _verdict(abs(want[2]) > mdc.value, lang)
                if not (capture["passed"] and before["passed"]):
                    verdict = _not_judged(lang)
                assert change_rows[0].endswith(verdict), (metric_id, change_rows[0])
            assert numbers == pytest.approx(want, abs=1e-9), (metric_id, change_rows[0])
            compared += len(want)
    return compared


@pytest.mark.media
@pytest.mark.slow
def test_report_numbers_equal_visits_json_in_english_and_dutch(
    backend, cli, pdftext, media, tmp_path
):
    assert cli("patients", "add", "P-200")[0] == 0
    code, _, err = cli(
        "visit", "add", "P-200", str(media(FRONT_1)), str(media(SIDE_1)), "--date", "2026-10-01"
    )
    assert code == 0, err
    code, _, err = cli(
        "visit", "add", "P-200", str(media(FRONT_2)), str(media(SIDE_2)), "--date", "2026-11-12"
    )
    assert code == 0, err
    code, out, _ = cli("visits", "P-200", "--json")
    assert code == 0
    doc = json.loads(out)
    from posture_cam.records import Store

    with Store() as store, store.session() as s:
        _patient, visits = store.load_visits(s, "P-200")
        for v_json, v in zip(doc["visits"], visits, strict=True):
            for c_json, c in zip(v_json["captures"], v.captures, strict=True):
                c_json["passed"] = bool(c.quality.get("ok"))
    # A photo is one frame (SD 0): its ± is the model's repeatability, larger than the SD.
    tilt = doc["visits"][1]["captures"][0]["metrics"]["shoulder_tilt"]
    assert tilt["sd"] == 0.0
    assert tilt["uncertainty"] == pytest.approx(spec("shoulder_tilt").repeatability, abs=0.051)

    total = 0
    for lang, visit_arg, index in (("en", "2", 1), ("nl", "1", 0), ("nl", "2", 1)):
        pdf = tmp_path / f"report_{lang}_{visit_arg}.pdf"
        args = ("report", "P-200", "--visit", visit_arg, "--out", str(pdf), "--lang", lang)
        assert cli(*args)[0] == 0
        text = pdftext(pdf)
        total += _check_visit(text, doc, index, lang)
        legend = {"en": "± = uncertainty of the value", "nl": "± = onzekerheid van de waarde"}
        assert legend[lang] in text
        assert {"en": "Value ± uncertainty", "nl": "Waarde ± onzekerheid"}[lang] in text
        assert {"en": "frame spread (SD) only", "nl": "alleen de spreiding"}[lang] not in text
    print(f"pdftotext check: {total} numbers compared, all equal")
    assert total >= 60, total  # every metric of two views, three reports


def _old_and_new_visit(store, make_capture, code: str) -> None:
    """Two visits of ``code``: shoulder tilt 2.0 ± SD 0.4 stored without an uncertainty
    (as before revision 0004), then 3.0 with SD 0.4 and uncertainty 0.9."""
    import dataclasses

    old = make_capture("front", shoulder_tilt=2.0)
    new = make_capture("front", shoulder_tilt=3.0)
    new.metrics[0] = dataclasses.replace(new.metrics[0], uncertainty=0.9)
    store.add_patient(code)
    store.add_visit(code, [old], date_time=dt.datetime(2026, 10, 1, 9, 0))
    store.add_visit(code, [new], date_time=dt.datetime(2026, 11, 1, 9, 0))


def test_a_record_without_uncertainty_falls_back_to_its_sd_visibly(
    backend, make_capture, pdftext, tmp_path
):
    from posture_cam.records import Store
    from posture_cam.records.report.pdf import ReportOptions, write_report

    with Store() as store:
        _old_and_new_visit(store, make_capture, "P-300")
        doc = store.visits_json("P-300")
        metrics = [v["captures"][0]["metrics"]["shoulder_tilt"] for v in doc["visits"]]
        assert [(m["sd"], m["uncertainty"]) for m in metrics] == [(0.4, None), (0.4, 0.9)]
        for lang, words in (("en", "frame spread (SD) only"), ("nl", "alleen de spreiding")):
            first = write_report(
                store, "P-300", tmp_path / f"old_{lang}.pdf", ReportOptions(1, language=lang)
            )
            text = pdftext(first)
            sep = "," if lang == "nl" else "."
            assert f"2{sep}0 ± 0{sep}4 SD" in text
            assert words in " ".join(text.split())
            second = pdftext(
                write_report(
                    store, "P-300", tmp_path / f"new_{lang}.pdf", ReportOptions(2, language=lang)
                )
            )
            assert f"3{sep}0 ± 0{sep}9" in second and f"3{sep}0 ± 0{sep}9 SD" not in second
            # Visit 2's own table has no SD-only value; its progress chart still shows
            # visit 1's SD as an error bar, and that page says so (once).
            pages = second.split("\f")
            view_page = next(p for p in pages if f"3{sep}0 ± 0{sep}9" in p)
            assert words not in " ".join(view_page.split())
            assert " ".join(second.split()).count(words) == 1
        # The CSV export carries both columns; the old row's uncertainty stays empty.
        from posture_cam.records.export import export_patient

        out = export_patient(store, "P-300", "csv", tmp_path / "p300.csv")
        rows = [r for r in csv.DictReader(io.StringIO(out.read_text())) if r["value"]]
        assert [(r["sd"], r["uncertainty"]) for r in rows] == [("0.4", ""), ("0.4", "0.9")]


def test_visits_text_marks_the_sd_fallback(backend, make_capture, capsys) -> None:
    from posture_cam.records import Store

    with Store() as store:
        _old_and_new_visit(store, make_capture, "P-301")
    capsys.readouterr()
    assert main(["visits", "P-301"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [re.split(r" {2,}", ln.strip()) for ln in lines if "Shoulder tilt" in ln]
    assert [r[1:3] for r in rows] == [["2.0° L high", "±0.4° SD"], ["3.0° L high", "±0.9°"]]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_table_of_measurements_heads_its_first_column_with_one_word(
    lang, make_capture, pdftext, qtbot, tmp_path, monkeypatch
) -> None:
    """``analyze``'s table, the app's metrics panel and the report's two tables (this
    capture, change since the previous visit) head their first column with
    ``wording.measurement_heading()``: a table with a word of its own fails here."""
    from posture_cam import wording
    from posture_cam.cli.analyze_table import format_input
    from posture_cam.i18n import using_language
    from posture_cam.records import Store
    from posture_cam.records.report.pdf import ReportOptions, write_report
    from posture_cam.ui.widgets.panels import MetricsPanel

    monkeypatch.delenv("POSTURE_CAM_DATABASE_URL", raising=False)  # SQLite is enough here
    with using_language(lang):
        heading = wording.measurement_heading()
        photo = {
            "source": "synthetic.jpg",
            "frames": [
                {
                    "view": {"view": "front"},
                    "metrics": {
                        "shoulder_tilt": {"value": 2.0, "unit": "deg", "status": "borderline"}
                    },
                }
            ],
        }
        cli_header = format_input(photo).splitlines()[1].split()
    assert heading == {"en": "Measurement", "nl": "Meting"}[lang]
    # analyze's columns: measurement, value, ±, normal, status, n, source
    assert cli_header[0] == heading and len(cli_header) == 7

    panel = MetricsPanel(lang)
    qtbot.addWidget(panel)
    assert panel.table.horizontalHeaderItem(0).text() == heading
    # The panel's other columns carry analyze's words (its table less "±" and "n").
    panel_header = [panel.table.horizontalHeaderItem(c).text() for c in range(4)]
    assert panel_header == [cli_header[i] for i in (0, 1, 3, 4)]

    with Store() as store:
        store.add_patient("P-400")
        for day, tilt in ((1, 2.0), (8, 3.0)):
            capture = make_capture("front", shoulder_tilt=tilt)
            store.add_visit("P-400", [capture], date_time=dt.datetime(2026, 10, day, 9, 0))
        pdf = write_report(store, "P-400", tmp_path / "r.pdf", ReportOptions(2, language=lang))
    text = pdftext(pdf)
    first_cells = [line.split("  ")[0].strip() for line in text.splitlines()]
    # Two header rows: the capture's table and the change table.
    assert first_cells.count(heading) == 2, first_cells
    # The unit column shows the unit as every other table does (°), not its id (deg).
    with using_language(lang):
        label = wording.metric_label("shoulder_tilt")
    (row,) = [ln for ln in text.splitlines() if ln.strip().startswith(label) and "±" in ln]
    assert re.search(r"± \d[.,]\d( SD)?( [LR] (high|hoger))? +° ", row), row
    assert "deg" not in row
    # The normal band as the tables write it: "±1.5°" (was "-1.5 … 1.5").
    assert re.search(r"  ±1[.,]5°  ", row) and "…" not in row, row


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "2.16° (own repeatability; bench/repeatability.py (this tool, one model pass"),
        ("nl", "2,16° (eigen herhaalbaarheid; bench/repeatability.py (dit programma, één keer"),
    ],
)
def test_the_mdc_sources_are_in_the_reports_language(
    lang, words, make_capture, pdftext, tmp_path, monkeypatch
) -> None:
    """The sources list of the method page says where each MDC comes from in the
    report's language (the Dutch report said "own repeatability; … (this tool, …)")."""
    from posture_cam.i18n import using_language
    from posture_cam.records import Store
    from posture_cam.records.report.pdf import ReportOptions, write_report

    monkeypatch.delenv("POSTURE_CAM_DATABASE_URL", raising=False)  # SQLite is enough here
    with Store() as store:
        store.add_patient("P-401")
        capture = make_capture("front", shoulder_tilt=2.0)
        store.add_visit("P-401", [capture], date_time=dt.datetime(2026, 10, 1, 9, 0))
        pdf = write_report(store, "P-401", tmp_path / "r.pdf", ReportOptions(language=lang))
    text = " ".join(pdftext(pdf).split())  # a source may wrap onto the next line
    with using_language(lang):
        label = _label("shoulder_tilt", lang)
    assert f"{label}: {words}" in text, text[-600:]
    if lang == "nl":
        assert "own repeatability" not in text and "this tool" not in text


def test_a_change_of_method_is_not_judged_and_unmeasured_rows_say_why(
    backend, make_capture, pdftext, tmp_path
):
    """Visit 1 measured the CVA from stickers, visit 2 from the pose model alone: the
    report prints both values but no change, MDC or verdict for them ("not compared");
    a measure that was not measurable has no source and its reason is printed under
    the table (before: "model (proxy)" and no reason)."""
    import dataclasses

    from posture_cam.records import Store
    from posture_cam.records.ingest import MetricData
    from posture_cam.records.report.pdf import ReportOptions, write_report

    def side(cva: float, source: str):
        metrics = [
            MetricData("cva", cva, 0.1, 0.1, 50, "deg", "normal", source=source, uncertainty=0.6),
            MetricData(
                "pelvic_tilt_sagittal", None, None, None, 0, "deg", "not_measurable",
                reason="needs both ASIS and PSIS, from markers or points placed by the therapist",
            ),
        ]  # fmt: skip
        return dataclasses.replace(make_capture("right"), metrics=metrics)

    with Store() as store:
        store.add_patient("P-M")
        store.add_visit("P-M", [side(49.7, "marker")], date_time=dt.datetime(2026, 9, 1))
        store.add_visit("P-M", [side(54.4, "model")], date_time=dt.datetime(2026, 10, 1))
        for lang, sep, verdict, why in (
            ("en", ".", "not compared: marker → model",
             "needs both ASIS and PSIS, from markers or points placed by the therapist"),
            ("nl", ",", "niet vergeleken: marker → model",
             "vereist zowel SIAS als SIPS, uit markers of punten die de therapeut plaatst"),
        ):  # fmt: skip
            text = pdftext(
                write_report(
                    store, "P-M", tmp_path / f"r_{lang}.pdf", ReportOptions(2, language=lang)
                )
            )
            flat = " ".join(text.split())
            (row,) = [r for r in _rows(text.splitlines(), "cva", lang) if "±" not in r]
            numbers = [_number(n) for n in _NUMBER.findall(row[len(_label("cva", lang)) :])]
            assert numbers == [49.7, 54.4], row  # no change, no MDC
            assert verdict in flat
            assert f"4{sep}7" not in row and "4,96" not in row and "4.96" not in row
            (pelvic,) = _rows(text.splitlines(), "pelvic_tilt_sagittal", lang)
            assert pelvic.rstrip().endswith("-"), pelvic  # no source for a missing value
            assert f"{_label('pelvic_tilt_sagittal', lang)}: {why}" in flat
            # and the ± of the model's (proxy) value says what it is not
            proxy_pm = {"en": "not how far it is from the clinical angle",
                        "nl": "niet hoe ver ze van de klinische hoek ligt"}[lang]  # fmt: skip
            assert proxy_pm in flat


@pytest.mark.media
def test_a_stored_reason_is_shown_in_the_readers_language(backend, cli, media, pdftext, tmp_path):
    """A seated patient's plumb offsets are not measurable for a reason with a number in
    it ("knee angle 84°"): stored as codes (records revision 0005), `visits` and the
    report say it in Dutch, not in the English words stored beside them."""
    photo = media("images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg")
    assert cli("patients", "add", "P-R")[0] == 0
    assert cli("visit", "add", "P-R", str(photo))[0] == 0
    code, out, _err = cli("--lang", "nl", "visits", "P-R")
    assert code == 0
    assert "loodlijn" in out and "need a standing posture" not in out, out
    text = " ".join(pdftext(write(cli, tmp_path, "P-R")).split())
    assert "kniehoek" in text and "need a standing posture" not in text


def write(cli, tmp_path, code: str):
    out = tmp_path / f"{code}.pdf"
    assert cli("--lang", "nl", "report", code, "--out", str(out))[0] == 0
    return out


def test_two_captures_of_one_view_are_numbered(backend, make_capture, pdftext, tmp_path):
    """A side snapshot taken as the visit's step and another taken after it read
    "Right side (snapshot)" twice, and the cover listed "Right side, Right side"."""
    import dataclasses

    from posture_cam.records import Store
    from posture_cam.records.report.pdf import ReportOptions, write_report

    snaps = [
        dataclasses.replace(make_capture("right", tilt), kind="snapshot") for tilt in (1.0, 2.0)
    ]
    with Store() as store:
        store.add_patient("P-2")
        store.add_visit("P-2", snaps)
        for lang, views, first, second in (
            ("en", "Views: Right side",
             "Right side (snapshot, 1 of 2)", "Right side (snapshot, 2 of 2)"),
            ("nl", "Aanzichten: Rechterzijaanzicht",
             "Rechterzijaanzicht (momentopname, 1 van 2)",
             "Rechterzijaanzicht (momentopname, 2 van 2)"),
        ):  # fmt: skip
            text = " ".join(
                pdftext(
                    write_report(
                        store, "P-2", tmp_path / f"{lang}.pdf", ReportOptions(1, language=lang)
                    )
                ).split()
            )
            assert views in text and f"{views}, " not in text, text[:400]  # once
            assert first in text and second in text
        # The last page (method, MDC sources) had the screening note in its body too,
        # above the same note in its footer.
        pages = [pg for pg in pdftext(tmp_path / "en.pdf").split("\f") if pg.strip()]
        assert " ".join(pages[-1].split()).count("Screening, not diagnosis") == 1


def test_two_visits_of_one_day_are_told_apart_by_their_time(
    backend, make_capture, pdftext, tmp_path
):
    from posture_cam.records import Store
    from posture_cam.records.report.pdf import ReportOptions, write_report

    with Store() as store:
        store.add_patient("P-500")
        for hour, tilt in ((9, 2.0), (17, 3.0)):
            capture = make_capture("front", shoulder_tilt=tilt)
            store.add_visit("P-500", [capture], date_time=dt.datetime(2026, 11, 3, hour, 5))
        pdf = write_report(store, "P-500", tmp_path / "r.pdf", ReportOptions(2, language="en"))
    text = pdftext(pdf)
    assert "Change since the previous visit (2026-11-03 09:05)" in text


def _turned(capture, deg: float):
    """``capture`` as a front photo turned ``deg`` from square: the gate failed."""
    import dataclasses

    check = {
        "id": "orientation",
        "ok": False,
        "reason": f"turned about {deg:.0f}° away from square to the camera",
        "reasons": [{"code": "turned_from_square", "deg": deg}],
    }
    quality = {"ok": False, "checks": [check], "frames_seen": 1, "frames_used": 1}
    return dataclasses.replace(capture, quality=quality)


@pytest.mark.parametrize("failed", ["now", "before"])
def test_a_change_from_a_capture_that_failed_the_quality_gate_is_not_judged(
    failed, backend, make_capture, pdftext, tmp_path
):
    """A front photo turned 27° from square: the view page printed "beyond measurement
    error" for its changes, the failure said only on the last page. Now the change table
    says which capture failed and why, and gives no MDC verdict."""
    from posture_cam.i18n import using_language
    from posture_cam.records import Store
    from posture_cam.records.report.pdf import ReportOptions, write_report

    first, second = make_capture("front", 2.0), make_capture("front", 9.0)
    if failed == "now":
        second = _turned(second, 27)
    else:
        first = _turned(first, 27)
    with Store() as store:
        store.add_patient("P-Q")
        store.add_visit("P-Q", [first], date_time=dt.datetime(2026, 10, 1, 9, 0))
        store.add_visit("P-Q", [second], date_time=dt.datetime(2026, 10, 22, 9, 0))
        for lang, sep in (("en", "."), ("nl", ",")):
            text = pdftext(
                write_report(
                    store, "P-Q", tmp_path / f"{lang}.pdf", ReportOptions(2, language=lang)
                )
            )
            view_page = next(p for p in text.split("\f") if _label("shoulder_tilt", lang) in p)
            flat = " ".join(view_page.split())
            with using_language(lang):
                from posture_cam.i18n import _, localize
                from posture_cam.reasons import from_json

                why = localize(from_json(None, [{"code": "turned_from_square", "deg": 27}]))
                which = (
                    _("This capture did not pass the quality check ({reasons}): the changes "
                      "below are not a reliable verdict.").format(reasons=why)
                    if failed == "now"
                    else _("The previous capture ({date}) did not pass the quality check "
                           "({reasons}): the changes below are not a reliable verdict.").format(
                        date="2026-10-01", reasons=why)
                )  # fmt: skip
            assert which in flat, flat
            if lang == "en":  # which capture, and why
                assert {"now": "This capture", "before": "The previous capture (2026-10-01)"}[
                    failed
                ] in which and "turned about 27° away from square to the camera" in which
            (row,) = [
                r for r in _rows(view_page.splitlines(), "shoulder_tilt", lang) if "±" not in r
            ]
            # The numbers stay (they add up); the verdict is not an MDC verdict.
            assert f"+7{sep}0" in row and row.endswith(_not_judged(lang)), row
            assert _verdict(True, lang) not in flat and _verdict(False, lang) not in flat
            # Said right above the table: the note comes before the change table's rows.
            assert flat.index(which) < flat.index(_not_judged(lang))


def test_previous_and_now_name_their_side_and_a_legend_says_what_the_sign_means(
    backend, make_capture, pdftext, tmp_path
):
    """The change table read "Previous -1.2, Now -6.9, Change -5.7" for a shoulder tilt
    the value table writes "6.9 R high"; now Previous and Now name their side, the
    change stays signed and a legend line says what + and − mean."""
    from posture_cam.records import Store
    from posture_cam.records.report.pdf import ReportOptions, write_report

    with Store() as store:
        store.add_patient("P-S")
        store.add_visit("P-S", [make_capture("front", -1.2)], date_time=dt.datetime(2026, 10, 1))
        store.add_visit("P-S", [make_capture("front", -6.9)], date_time=dt.datetime(2026, 11, 1))
        for lang, row_want, legend in (
            ("en", ["Shoulder tilt", "1.2 R high", "6.9 R high", "-5.7", "2.16",
                    "beyond measurement error"],
             "Change = Now − Previous: + is toward L high, − toward R high."),
            ("nl", [_label("shoulder_tilt", "nl"), "1,2 R hoger", "6,9 R hoger", "-5,7", "2,16",
                    _verdict(True, "nl")],
             _legend("L hoger", "R hoger", "nl")),
        ):  # fmt: skip
            text = pdftext(
                write_report(
                    store, "P-S", tmp_path / f"{lang}.pdf", ReportOptions(2, language=lang)
                )
            )
            (row,) = [r for r in _rows(text.splitlines(), "shoulder_tilt", lang) if "±" not in r]
            assert re.split(r" {2,}", row) == row_want, row
            flat = " ".join(text.split())
            assert legend in flat, flat
            # The method text's promise holds: no bare negative value left but the change.
            assert "-1.2" not in text and "-1,2" not in text


def _legend(plus: str, minus: str, lang: str) -> str:
    from posture_cam.i18n import _, using_language

    with using_language(lang):
        return _("Change = Now − Previous: + is toward {plus}, − toward {minus}.").format(
            plus=plus, minus=minus
        )


def _words_x_max_pt(pdf) -> list[tuple[str, float, float]]:
    """Every word of the PDF's first page with its right edge and the page's width (pt),
    as ``pdftotext -bbox`` reads them."""
    import subprocess

    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    return [
        (m.group(2), float(m.group(1)), width)
        for m in re.finditer(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" '
                             r'yMax="[\d.]+">([^<]*)</word>', html)
    ]  # fmt: skip


def test_long_cover_values_wrap_within_the_margin(backend, make_capture, pdftext, tmp_path):
    from posture_cam.records import Store
    from posture_cam.records.report.layout import MARGIN_IN
    from posture_cam.records.report.pdf import ReportOptions, write_report

    practice = (
        "Fysiotherapie en Manuele Therapie Groepspraktijk Oud-Zuid Amsterdam voor Houding, "
        "Beweging en Ergonomie B.V. vestiging Rivierenbuurt"
    )
    therapist = "Dr. Anne-Marie van der Heijden-Vermeulen, fysiotherapeut en manueel therapeut"
    with Store() as store:
        store.add_patient("P-C")
        store.add_visit(
            "P-C", [make_capture("front")], date_time=dt.datetime(2026, 10, 1), therapist=therapist
        )
        pdf = write_report(
            store, "P-C", tmp_path / "r.pdf", ReportOptions(practice=practice, language="nl")
        )
    words = _words_x_max_pt(pdf)
    right = words[0][2] - MARGIN_IN * 72
    assert all(x <= right + 0.5 for _w, x, _ in words), [(w, x) for w, x, _ in words if x > right]
    cover = " ".join(pdftext(pdf).split("\f")[0].split())
    assert practice in cover and therapist in cover, cover


def test_the_picture_of_a_video_says_what_it_shows(backend, make_capture, pdftext, tmp_path):
    """A video's picture is drawn with its median pose and medians
    (``records.ingest.shown_result``), and a caption says so; a record stored before
    carries one frame's labels ("CVA 54.7°") beside the medians ("54.2"), and its
    caption says that instead; a photo's picture gets none."""
    import dataclasses

    from posture_cam.records import Store
    from posture_cam.records.ingest import PICTURE_MEDIANS
    from posture_cam.records.report.pdf import ReportOptions, write_report

    old = {"ok": True, "checks": [], "frames_seen": 360, "frames_used": 340}
    new = {**old, "image": PICTURE_MEDIANS}
    videos = [
        dataclasses.replace(make_capture("front"), kind="video", source_file="walk.mp4", quality=q)
        for q in (old, new)
    ]
    with Store() as store:
        store.add_patient("P-V")
        for day, capture in zip((1, 8, 15), [*videos, make_capture("front")], strict=True):
            store.add_visit("P-V", [capture], date_time=dt.datetime(2026, 10, day))
        old_text, new_text, photo_text = (
            " ".join(
                pdftext(write_report(store, "P-V", tmp_path / f"{v}.pdf", ReportOptions(v))).split()
            )
            for v in (1, 2, 3)
        )
    assert (
        "The picture is the frame nearest the capture's median pose, labelled with that "
        "frame's own values; the table gives the medians over 340 frames."
    ) in old_text
    assert (
        "The picture shows the median pose and the medians over 340 frames, drawn over "
        "the frame nearest that pose."
    ) in new_text
    assert "frame nearest" not in photo_text


def _page_words(pdf, page: int) -> list[tuple[float, float, str]]:
    """(yMin, xMin, word) of one page, in points from the top, as ``pdftotext -bbox``
    reads them."""
    import subprocess

    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [
        (float(m.group(2)), float(m.group(1)), m.group(3))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" '
                             r'yMax="[\d.]+">([^<]*)</word>', html)
    ]  # fmt: skip


def _picture_height_in(pdf, page: int) -> float:
    import subprocess

    listing = subprocess.run(
        ["pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf)],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()[2:]  # fmt: skip
    (row,) = [line.split() for line in listing]
    return int(row[4]) / int(row[13])  # height in pixels / y-ppi


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_full_view_page_shrinks_its_picture_so_its_text_ends_above_the_footer(
    lang, backend, make_capture, tmp_path
):
    """A side view with every measure, a change table and both captures failing the
    quality gate: at the picture's full height (3.9 in) its text ran 50 pt past the
    footer and off the page (in Dutch). The page is drawn again with a smaller picture (not below
    2 in), so the only words at or below the footer's top are the footer's own."""
    import dataclasses

    from posture_cam.metrics.catalogue import specs_for
    from posture_cam.records import Store
    from posture_cam.records.ingest import MetricData
    from posture_cam.records.report.layout import A4_WH_IN, MARGIN_IN
    from posture_cam.records.report.pdf import ReportOptions, write_report
    from posture_cam.types import View

    def full(value: float):
        metrics = [
            MetricData(s.id, value, 0.4, 0.5, 30, "deg" if s.unit_kind == "angle" else "%",
                       "outside")
            for s in specs_for(View.LEFT)
        ]  # fmt: skip
        return dataclasses.replace(_turned(make_capture("left"), 33), metrics=metrics)

    with Store() as store:
        store.add_patient("P-F")
        store.add_visit("P-F", [full(5.0)], date_time=dt.datetime(2026, 10, 1, 9, 0))
        store.add_visit("P-F", [full(9.0)], date_time=dt.datetime(2026, 11, 1, 9, 0))
        pdf = write_report(store, "P-F", tmp_path / "r.pdf", ReportOptions(2, language=lang))
    words = _page_words(pdf, 2)
    footer_top_pt = (A4_WH_IN[1] - MARGIN_IN - 0.3) * 72 - 7 * 1.2  # its 7 pt line's top
    below = [w for y, _x, w in sorted(words) if y >= footer_top_pt]
    above = " ".join(w for y, _x, w in sorted(words) if y < footer_top_pt)
    assert _label("cva", lang) in above and _not_judged(lang) in above  # the page is full
    assert (
        below[-4:] == {"en": ["page", "2", "of", "5"], "nl": ["pagina", "2", "van", "5"]}[lang]
    ), below
    assert "P-F" in below and len(below) <= 20, below  # the footer, nothing else
    # Dutch is longer: its page needs the smaller picture; the English one fits whole.
    assert {"en": 3.9, "nl": 3.03}[lang] == pytest.approx(_picture_height_in(pdf, 2), abs=0.02)
