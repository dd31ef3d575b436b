"""load_home_check: one clear line for every kind of bad file."""

from __future__ import annotations

import json

import pytest

from posture_cam.errors import InputError
from posture_cam.home import FORMAT_ID, load_home_check
from posture_cam.home.check_file import SCHEMA_PATH

MINIMAL = {
    "format": FORMAT_ID,
    "format_version": 1,
    "check_id": "0" * 32,
    "time": "2026-03-01T09:30:00+01:00",
    "setting": "home",
    "view": "front",
    "framing": "upper_body",
    "metrics": {
        "shoulder_tilt": {
            "value": -2.1,
            "sd": 0.3,
            "iqr": 0.4,
            "n": 50,
            "unit": "deg",
            "status": "borderline",
            "source": "model",
        }
    },
    "quality": {"ok": True, "checks": [{"id": "still", "ok": True, "frames_failed": 0}]},
    "landmarks": {"coordinates": "image_px", "resolution_wh": [640, 480], "points": [None] * 33},
    "images": [],
    "model": {"file": "pose_landmarker_full.task", "sha256": None},
    "app": {"name": "posture_cam", "version": "0.1.0"},
    "note": "Screening aid, not a diagnosis.",
}


def _write(tmp_path, doc, name="check.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def test_minimal_document_loads(tmp_path):
    loaded = load_home_check(_write(tmp_path, MINIMAL))
    assert loaded.time.utcoffset().total_seconds() == 3600
    assert loaded.metrics["shoulder_tilt"]["value"] == -2.1
    assert loaded.images == ()


def test_a_check_written_in_a_language_added_later_is_read(tmp_path):
    """The schema named the two languages of today ("en", "nl"), so a check written by
    a posture_cam with a third (docs/i18n.md: adding one is adding a file) was refused
    as "not a home check" by a therapist's older posture_cam."""
    loaded = load_home_check(_write(tmp_path, {**MINIMAL, "language": "de"}))
    assert loaded.document["language"] == "de"
    with pytest.raises(InputError):
        load_home_check(_write(tmp_path, {**MINIMAL, "language": "Deutsch"}, "bad.json"))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json {", "not JSON"),
        ([1, 2], "no format id"),
        ({"hello": 1}, "no format id"),
        ({**MINIMAL, "format_version": 2}, "newer"),
        ({**MINIMAL, "setting": "clinic"}, "setting"),
        ({**MINIMAL, "metrics": {}}, "metrics"),
        ({**MINIMAL, "time": "yesterday"}, "time"),
        (
            {
                **MINIMAL,
                "images": [
                    {
                        "kind": "skeleton",
                        "privacy": "skeleton_only",
                        "media_type": "image/png",
                        "width": 1,
                        "height": 1,
                        "data_base64": "aGVsbG8=",
                    }
                ],
            },
            "not a PNG",
        ),
    ],
)
def test_bad_files_raise_one_line_naming_the_file(tmp_path, content, words):
    path = _write(tmp_path, content)
    with pytest.raises(InputError) as info:
        load_home_check(path)
    message = str(info.value)
    assert str(path) in message and words in message and "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_home_check(tmp_path / "nope.json")


def test_docs_schema_is_the_packaged_schema():
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "schema" / "home_check.schema.json"
    assert docs.read_bytes() == SCHEMA_PATH.read_bytes()


def test_a_reason_keeps_its_codes_so_an_import_reads_in_the_therapists_language(tmp_path):
    from posture_cam.capture_summary import MetricStats
    from posture_cam.home.capture_result import HomeMeasurement
    from posture_cam.i18n import localize, using_language
    from posture_cam.reasons import from_json, reason
    from posture_cam.records.home_import import capture_from_home_check

    why = reason("landmarks_not_visible", landmarks=["left_ear"])
    entry = HomeMeasurement.from_summary("head_tilt", MetricStats.not_measurable(why)).to_json()
    assert entry["reason"] == "not in the picture: left ear"
    assert entry["reasons"] == [{"code": "landmarks_not_visible", "landmarks": ["left_ear"]}]
    loaded = load_home_check(_write(tmp_path, {**MINIMAL, "metrics": {"head_tilt": entry}}))
    (metric,) = capture_from_home_check(loaded).metrics
    assert metric.reasons == entry["reasons"]  # what the record stores
    with using_language("nl"):
        assert localize(from_json(metric.reason, metric.reasons)) == "niet in beeld: linkeroor"
        # an older file without codes keeps its English words
        assert localize(from_json(metric.reason, None)) == "not in the picture: left ear"


@pytest.mark.parametrize(
    ("view", "metrics", "words"),
    [
        ("front", {"bogus_metric": 1.0}, "does not measure bogus_metric in a front view"),
        (
            "front",
            {"cva": 50.0},
            "does not measure cva in a front view (only head_tilt, shoulder_tilt)",
        ),
        ("left", {"head_tilt": 1.0}, "does not measure head_tilt in a left view (only cva)"),
        ("back", {"shoulder_tilt": 999.0}, "shoulder_tilt value 999.0 is impossible"),
        ("right", {"cva": -0.3}, "cva value -0.3 is impossible: an angle from 0 to 180°"),
    ],
)
def test_what_home_mode_never_writes_is_refused(tmp_path, view, metrics, words):
    entry = MINIMAL["metrics"]["shoulder_tilt"]
    doc = {
        **MINIMAL,
        "view": view,
        "metrics": {k: {**entry, "value": v} for k, v in metrics.items()},
    }
    path = _write(tmp_path, doc)
    with pytest.raises(InputError) as info:
        load_home_check(path)
    message = str(info.value)
    assert str(path) in message and words in message and "\n" not in message, message


def test_every_view_loads_what_home_mode_measures_in_it(tmp_path):
    from posture_cam.home.capture_result import HOME_METRICS

    entry = MINIMAL["metrics"]["shoulder_tilt"]
    for view, ids in HOME_METRICS.items():
        doc = {**MINIMAL, "view": view, "metrics": {k: {**entry, "value": 60.0} for k in ids}}
        assert set(load_home_check(_write(tmp_path, doc, f"{view}.json")).metrics) == set(ids)
