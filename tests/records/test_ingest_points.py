"""``visit add`` takes skin markers and given points as ``analyze`` does: the visit
stores the same numbers, sources and ± as ``analyze`` prints, and the points given by
hand in the capture's audit trail; ``--point`` with several files is refused."""

from __future__ import annotations

import json

import pytest

from posture_cam.cli import main
from posture_cam.records.store import Store

pytestmark = pytest.mark.media

SIDE = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"
POINTS = ["--point", "c7=125,313", "--point", "tragus=239,216", "--point", "right_shoulder=200,400"]


@pytest.fixture
def run(capsys, model_path, monkeypatch):
    monkeypatch.setenv("POSTURE_CAM_MODEL", str(model_path))

    def call(*args: str, code: int = 0) -> tuple[str, str]:
        capsys.readouterr()
        got = main(list(args))
        out = capsys.readouterr()
        assert got == code, out.err
        return out.out, out.err

    return call


def test_a_visit_stores_given_points_like_analyze_and_audits_them(media, run) -> None:
    photo = str(media(SIDE))
    frame = json.loads(run("analyze", "--json", photo, *POINTS)[0])["inputs"][0]["frames"][0]
    run("patients", "add", "P-1")
    run("visit", "add", "P-1", photo, *POINTS)
    with Store() as store, store.session() as s:
        _patient, visits = store.load_visits(s, "P-1")
        capture = visits[0].captures[0]
        stored = {m.metric_id: m for m in capture.metrics}
        audit = capture.points_audit
    for metric_id in ("cva", "head_forward_angle", "trunk_inclination"):
        printed, record = frame["metrics"][metric_id], stored[metric_id]
        assert record.source == printed["source"] == "point", metric_id
        assert record.median == pytest.approx(printed["value"], abs=1e-6)
        # The ± with the placement of the points in it, as analyze gives it (the frame
        # spread alone would be 0 for a photo).
        assert printed["uncertainty"] > 0
        assert round(record.uncertainty, 3) == printed["uncertainty"]
    by_name = {entry["landmark"]: entry for entry in audit}
    assert set(by_name) == {"c7", "tragus", "right_shoulder"}
    assert by_name["c7"]["kind"] == "placed" and by_name["c7"]["to_xy"] == [125.0, 313.0]
    moved = by_name["right_shoulder"]
    assert moved["kind"] == "moved" and moved["landmark_id"] == 12
    assert moved["to_xy"] == [200.0, 400.0] and moved["reference"] == "model"
    assert moved["moved_px"] == pytest.approx(
        ((200 - moved["from_xy"][0]) ** 2 + (400 - moved["from_xy"][1]) ** 2) ** 0.5
    )
    assert 0 < moved["moved_fraction_of_height"] < 0.1
    assert all(e["source"] == "point" and e["by"] == "--point" for e in audit)


def test_point_mistakes_store_nothing(media, run) -> None:
    photo = str(media(SIDE))
    run("patients", "add", "P-1")
    _out, err = run("visit", "add", "P-1", photo, photo, "--point", "c7=1,1", code=2)
    assert err.strip() == (
        "posture-cam: error: --point: only with one FILE: the pixels given belong to one picture"
    )
    _out, err = run("visit", "add", "P-1", photo, "--point", "c7=900,1", code=2)
    assert "is outside the picture (720 x 1280 px)" in err and len(err.splitlines()) == 1
    _out, err = run("visit", "add", "P-1", photo, "--marker-colour", "pink", code=2)
    assert "only with --markers" in err
    with Store() as store, store.session() as s:
        assert store.load_visits(s, "P-1")[1] == []
