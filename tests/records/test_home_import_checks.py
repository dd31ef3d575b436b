"""`visit import` of home checks trusts no word of the file it can judge itself, and the
report shows a home check's picture.

An audit imported edited copies of a real home check: a shoulder tilt of 12.0° marked
"normal" was stored and listed "normal", a CVA of -0.3° in a front view "normal", an
unknown metric, a value of 999° and a left view with head and shoulder tilt were all
stored. The report printed "(no image stored)" for every home visit unless asked for
``--privacy skeleton``, although its skeleton picture was imported.
"""

from __future__ import annotations

import base64
import copy
import json
import re

import cv2
import numpy as np
import pytest

from posture_cam.cli import main
from posture_cam.records import Store


def _png(value: int = 200) -> bytes:
    ok, png = cv2.imencode(".png", np.full((80, 60, 3), value, np.uint8))
    assert ok
    return png.tobytes()


def _home_doc(
    view: str = "front", metrics: dict | None = None, language: str = "en", check_id: str = "1" * 32
) -> dict:
    """A home check as ``posture-cam home`` writes it (front: head and shoulder tilt)."""
    points = [[300.0 + i, 200.0 + 2 * i, 0.9] for i in range(33)]
    points[23] = points[24] = None
    if metrics is None:
        metrics = (
            {"head_tilt": _metric(-0.3, "normal"), "shoulder_tilt": _metric(2.7, "borderline")}
            if view in ("front", "back")
            else {"cva": _metric(52.0, "normal")}
        )
    return {
        "format": "posture_cam.home_check",
        "format_version": 1,
        "check_id": check_id,
        "time": "2026-11-20T19:30:00+01:00",
        "setting": "home",
        "view": view,
        "framing": "upper_body",
        "capture": {"seconds": 2.0, "frames_seen": 60, "frames_used": 50},
        "metrics": metrics,
        "quality": {"ok": True, "checks": [{"id": "still", "ok": True, "frames_failed": 0}]},
        "landmarks": {"coordinates": "image_px", "resolution_wh": [640, 480], "points": points},
        "images": [
            {
                "kind": "skeleton",
                "privacy": "skeleton_only",
                "media_type": "image/png",
                "width": 60,
                "height": 80,
                "data_base64": base64.b64encode(_png()).decode(),
            }
        ],
        "model": {"file": "pose_landmarker_full.task", "sha256": "a" * 64},
        "app": {"name": "posture_cam", "version": "0.1.0"},
        "language": language,
        "note": "Screening aid, not a diagnosis.",
    }


def _metric(value: float | None, status: str, **extra) -> dict:
    return {
        "value": value,
        "sd": None if value is None else 0.3,
        "iqr": None if value is None else 0.4,
        "n": 0 if value is None else 50,
        "unit": None if value is None else "deg",
        "status": status,
        "source": "model",
        "proxy": True,
        "reason": None,
        "uncertainty": None if value is None else 0.8,
        "mdc": 2.16,
        **extra,
    }


def _import(tmp_path, doc, capsys, name="home_check_2026-11-20_193000_front.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["patients", "add", "P-1"]) == 0
    capsys.readouterr()
    code = main(["visit", "import", str(path), "--patient", "P-1"])
    return code, capsys.readouterr(), path


def _visits(capsys) -> list:
    assert main(["visits", "P-1", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["visits"]


# --- statuses: judged from the value, never taken from the file ----------------------


@pytest.mark.parametrize(
    ("view", "metric_id", "value", "claimed", "judged"),
    [
        ("front", "shoulder_tilt", 12.0, "normal", "outside"),  # the audit's edit
        ("front", "shoulder_tilt", 2.0, "normal", "borderline"),
        ("back", "head_tilt", 0.5, "outside", "normal"),
        ("left", "cva", 30.0, "normal", "outside"),
        ("right", "cva", 60.0, "outside", "normal"),
        ("front", "head_tilt", None, "normal", "not_measurable"),  # no value: nothing judged
    ],
)
def test_the_status_is_judged_from_the_value_not_taken_from_the_file(
    backend, tmp_path, capsys, view, metric_id, value, claimed, judged
):
    doc = _home_doc(view, {metric_id: _metric(value, claimed)})
    code, out, _ = _import(tmp_path, doc, capsys)
    assert code == 0, out.err
    (visit,) = _visits(capsys)
    assert visit["captures"][0]["metrics"][metric_id]["status"] == judged
    assert main(["visits", "P-1"]) == 0
    text = capsys.readouterr().out
    row = next(
        line
        for line in text.splitlines()
        if line.strip().startswith(("Shoulder", "Head", "Cranio"))
    )
    if judged == "not_measurable":
        assert "not measurable" in row
    else:
        words = {"normal": "normal", "borderline": "borderline", "outside": "outside the norm"}
        assert [w for w in words.values() if f" {w} " in f"{row} "] == [words[judged]], row
    # The file's word stays in the capture's quality, for the audit trail.
    from sqlalchemy import select

    from posture_cam.records.models import Capture

    with Store() as store, store.session() as s:
        capture = s.scalars(select(Capture)).one()
        assert capture.quality["status_in_file"] == {metric_id: claimed}


def test_a_file_whose_statuses_agree_keeps_them_and_notes_nothing(backend, tmp_path, capsys):
    code, out, _ = _import(tmp_path, _home_doc(), capsys)
    assert code == 0, out.err
    metrics = _visits(capsys)[0]["captures"][0]["metrics"]
    assert metrics["head_tilt"]["status"] == "normal"
    assert metrics["shoulder_tilt"]["status"] == "borderline"
    from sqlalchemy import select

    from posture_cam.records.models import Capture

    with Store() as store, store.session() as s:
        assert "status_in_file" not in s.scalars(select(Capture)).one().quality


def test_a_file_home_mode_wrote_imports_with_its_own_statuses(backend, tmp_path, capsys):
    """The real writer (session, ``build_home_check``) on synthetic poses: every status it
    wrote is the one the import judges, so nothing is noted and nothing refused."""
    import datetime as dt

    from posture_cam.home import build_home_check, write_home_check
    from posture_cam.home.session import HomeCheckSession, Phase
    from posture_cam.pipeline import Pipeline
    from posture_cam.testing import ScriptedEstimator, upper_body_pose
    from posture_cam.types import Frame

    now = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    for n, tilt in enumerate((0.5, 2.2, 4.0)):
        poses = [upper_body_pose((640, 480), tilt)] * 80
        session = HomeCheckSession(hold_s=2.0, now=lambda n=n: now + dt.timedelta(days=n))
        image = np.zeros((480, 640, 3), np.uint8)
        with Pipeline(ScriptedEstimator(poses)) as pipeline:
            for i in range(len(poses)):
                state = session.feed(pipeline.process(Frame(image, i, i * 40.0, "synthetic")))
                if state.phase is Phase.CAPTURED:
                    break
        assert state.phase is Phase.CAPTURED
        doc = build_home_check(state.capture, model_path=None, language="nl")
        path = write_home_check(doc, tmp_path / "export")
        if n == 0:
            assert main(["patients", "add", "P-1"]) == 0
        capsys.readouterr()
        code = main(["visit", "import", str(path), "--patient", "P-1"])
        assert code == 0, capsys.readouterr().err
        capsys.readouterr()
        stored = _visits(capsys)[-1]["captures"][0]["metrics"]
        for metric_id, m in doc["metrics"].items():
            assert stored[metric_id]["status"] == m["status"], (tilt, metric_id)
    statuses = [v["captures"][0]["metrics"]["shoulder_tilt"]["status"] for v in _visits(capsys)]
    assert statuses == ["normal", "borderline", "outside"]


# --- what home mode never writes: refused with one line, nothing stored ---------------


def _edited(edit) -> dict:
    doc = copy.deepcopy(_home_doc())
    edit(doc)
    return doc


def _set(path: str, value):
    def edit(doc):
        *parents, last = path.split("/")
        node = doc
        for key in parents:
            node = node[key]
        node[last] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (_set("metrics/bogus_metric", _metric(1.0, "normal")), "does not measure bogus_metric"),
        (_set("metrics/cva", _metric(-0.3, "normal")), "does not measure cva in a front view"),
        (_set("view", "left"), "does not measure head_tilt in a left view"),
        (_set("metrics/shoulder_tilt/value", 999.0), "value 999.0 is impossible"),
        (_set("metrics/shoulder_tilt/value", -180.5), "is impossible"),
        (_set("metrics/head_tilt/value", float("nan")), "value nan is impossible"),
        (_set("metrics/shoulder_tilt/value", float("inf")), "value inf is impossible"),
        (_set("metrics/shoulder_tilt/unit", "cm"), "shoulder_tilt has unit cm, not deg"),
        (_set("metrics/shoulder_tilt/unit", None), "shoulder_tilt has unit None, not deg"),
        (_set("metrics/shoulder_tilt/source", "marker"), "source marker"),
        (_set("metrics/shoulder_tilt/sd", -0.3), "sd -0.3 is impossible"),
        (_set("metrics/shoulder_tilt/uncertainty", -1.0), "uncertainty -1.0 is impossible"),
        (_set("metrics/shoulder_tilt/iqr", float("inf")), "iqr inf is impossible"),
        (_set("metrics/shoulder_tilt/n", -5), "n -5 is impossible"),
    ],
)
def test_what_home_mode_never_writes_is_refused_with_one_line(
    backend, tmp_path, capsys, edit, words
):
    code, out, path = _import(tmp_path, _edited(edit), capsys)
    assert code == 2
    err = out.err.strip()
    assert "\n" not in err and str(path) in err and words in err, err
    assert _visits(capsys) == []


@pytest.mark.parametrize(
    ("value", "ok"), [(-0.3, False), (0.0, True), (180.0, True), (180.1, False)]
)
def test_a_cva_lies_between_0_and_180_degrees(backend, tmp_path, capsys, value, ok):
    code, out, _ = _import(tmp_path, _home_doc("left", {"cva": _metric(value, "normal")}), capsys)
    assert (code == 0) is ok, out.err
    if not ok:
        assert "cva value" in out.err and "impossible" in out.err


def test_a_bad_file_among_good_ones_stores_nothing(backend, tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_home_doc()))
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(_edited(_set("metrics/shoulder_tilt/value", 999.0)) | {"check_id": "2" * 32})
    )
    assert main(["patients", "add", "P-1"]) == 0
    assert main(["visit", "import", str(good), str(bad), "--patient", "P-1"]) == 2
    assert "bad.json" in capsys.readouterr().err
    assert _visits(capsys) == []


def test_the_schema_refuses_the_same_files():
    """The schema (docs/schema/home_check.schema.json) says it too, for other readers."""
    import jsonschema

    from posture_cam.home.check_file import home_check_schema

    validator = jsonschema.Draft202012Validator(home_check_schema())
    assert not list(validator.iter_errors(_home_doc()))
    assert not list(validator.iter_errors(_home_doc("left")))
    for edit in (
        _set("metrics/bogus_metric", _metric(1.0, "normal")),
        _set("metrics/cva", _metric(50.0, "normal")),
        _set("view", "left"),
        _set("metrics/shoulder_tilt/value", 999.0),
        _set("metrics/shoulder_tilt/unit", "cm"),
        _set("metrics/shoulder_tilt/source", "marker"),
    ):
        assert list(validator.iter_errors(_edited(edit)))
    cva = _home_doc("left", {"cva": _metric(-0.3, "normal")})
    assert list(validator.iter_errors(cva))


# --- the report: a home check's picture is its skeleton -------------------------------


def _pdf_images(path) -> int:
    return len(re.findall(rb"/Subtype\s*/Image", path.read_bytes()))


@pytest.mark.parametrize("privacy", ["full", "blur", "skeleton"])
def test_the_report_of_a_home_visit_shows_its_skeleton_picture(
    backend, tmp_path, capsys, pdftext, privacy
):
    from posture_cam.records.report.pdf import ReportOptions, write_report

    code, out, _ = _import(tmp_path, _home_doc(language="en"), capsys)
    assert code == 0, out.err
    with Store() as store:
        for lang, caption in (
            ("en", "Skeleton only, drawn from the landmarks: a home check sends no "
                   "camera picture."),
            ("nl", "Alleen skelet, getekend uit de lichaamspunten: een thuiscontrole stuurt geen "
                   "camerabeeld mee."),
        ):  # fmt: skip
            pdf = write_report(
                store, "P-1", tmp_path / f"{privacy}_{lang}.pdf",
                ReportOptions(language=lang, privacy=privacy),
            )  # fmt: skip
            text = " ".join(pdftext(pdf).split())
            assert "(no image stored)" not in text and "(geen afbeelding opgeslagen)" not in text
            assert _pdf_images(pdf) >= 1
            # Asked for another picture: the page says what it shows instead.
            assert (caption in text) is (privacy != "skeleton"), text[:1500]
            other = "Its labels are in English" if lang == "en" else "De labels zijn in het Engels"
            if lang == "en":
                assert "Its labels are in" not in text
            else:  # the picture was stored in English only
                assert other in text, text[:1500]


def test_a_clinic_capture_shows_the_picture_asked_for_without_a_caption(
    backend, make_capture, tmp_path, pdftext
):
    from posture_cam.records.report.pdf import ReportOptions, write_report

    with Store() as store:
        store.add_patient("P-2")
        store.add_visit("P-2", [make_capture("front")])
        for privacy, lang in (("full", "nl"), ("blur", "en"), ("skeleton", "en")):
            pdf = write_report(
                store, "P-2", tmp_path / f"{privacy}{lang}.pdf",
                ReportOptions(language=lang, privacy=privacy),
            )  # fmt: skip
            text = " ".join(pdftext(pdf).split())
            assert "Skeleton only" not in text and "Alleen skelet" not in text
            assert "labels are in" not in text and "labels zijn in" not in text
            assert _pdf_images(pdf) >= 1


def test_a_capture_without_its_camera_picture_falls_back_to_one_that_shows_less(
    backend, make_capture, tmp_path, pdftext
):
    import dataclasses

    from posture_cam.records.report.pdf import ReportOptions, write_report

    capture = make_capture("front")
    only_skeleton = dataclasses.replace(
        capture, images={k: v for k, v in capture.images.items() if k[0] == "skeleton"}
    )
    only_blur = dataclasses.replace(
        capture, images={k: v for k, v in capture.images.items() if k[0] == "blur"}
    )
    with Store() as store:
        store.add_patient("P-3")
        store.add_visit("P-3", [only_skeleton])
        store.add_patient("P-4")
        store.add_visit("P-4", [only_blur])

        def text(code, privacy):
            pdf = write_report(store, code, tmp_path / "r.pdf", ReportOptions(privacy=privacy))
            return " ".join(pdftext(pdf).split())

        assert "no camera picture of this capture is stored" in text("P-3", "full")
        assert "no picture of this capture with the face blurred is stored" in text("P-3", "blur")
        assert "Face blurred: the full picture of this capture is not stored." in text(
            "P-4", "full"
        )
        # never one that shows more than asked for
        assert "(no image stored)" in text("P-4", "skeleton")
