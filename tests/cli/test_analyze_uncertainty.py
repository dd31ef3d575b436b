"""``posture-cam analyze`` of a photo shows the ± that ``posture-cam visit add`` stores
for the same photo: in its JSON, in its table (English and Dutch), read back from the
records and from ``visits``; real photos, the real model, the commands as a user types
them (in this process, the user data dir a temporary one)."""

from __future__ import annotations

import json
import re

import pytest

from posture_cam.cli import main
from posture_cam.records.store import Store

pytestmark = pytest.mark.media

#: The quality gate refuses it (turned about 32° from square); a visit stores it anyway.
REFUSED = "images/standing_frontal/frontal_bgmv2_test_fg_man_by_car.jpg"
FRONT = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"


@pytest.fixture
def run(capsys, model_path, monkeypatch):
    """``run(*args)`` -> stdout of ``posture-cam`` (exit code 0 asserted)."""
    monkeypatch.setenv("POSTURE_CAM_MODEL", str(model_path))

    def call(*args: str) -> str:
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        assert code == 0, out.err
        return out.out

    return call


def _rows(table: str) -> dict[str, list[str]]:
    """Measurement label -> its cells, from a text table (cells apart by 2+ spaces)."""
    rows = {}
    for line in table.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 4 and re.match(r"±\d", cells[2]):
            rows[cells[0]] = cells
    return rows


@pytest.mark.parametrize("photo", [REFUSED, FRONT])
def test_analyze_shows_the_uncertainty_a_visit_stores(photo, media, run) -> None:
    path = str(media(photo))
    frame = json.loads(run("analyze", "--json", path))["inputs"][0]["frames"][0]
    assert frame["quality"]["ok"] is (photo == FRONT)
    tables = {lang: run("--lang", lang, "analyze", path) for lang in ("en", "nl")}

    run("patients", "add", "P-1")
    run("visit", "add", "P-1", path)
    with Store() as store, store.session() as s:
        _patient, visits = store.load_visits(s, "P-1")
        stored = {m.metric_id: m for m in visits[0].captures[0].metrics}

    measured = {k: m for k, m in frame["metrics"].items() if m["value"] is not None}
    assert len(measured) >= 8
    for metric_id, m in measured.items():
        record = stored[metric_id]
        assert m["value"] == pytest.approx(record.median, abs=1e-6), metric_id
        assert m["uncertainty"] is not None and record.uncertainty is not None, metric_id
        assert m["uncertainty"] == round(record.uncertainty, 3), metric_id
    for lang, table in tables.items():
        printed = _rows(table)
        shown = _rows(run("--lang", lang, "visits", "P-1"))
        assert len(printed) == len(measured), table
        for label, cells in printed.items():
            # Label, value and ± as the visit shows them ("±1.1°", "±0,2 % lengte").
            assert cells[:3] == shown[label][:3], (lang, label)
        if lang == "nl":
            assert all(re.fullmatch(r"±\d+,\d.*", cells[2]) for cells in printed.values())
    # A refused photo keeps its values and ± (as its record does) and says what they lack,
    # in analyze's table and in the visit's alike.
    for lang, words in (("en", "quality gate not passed: turned about"), ("nl", "niet geslaagd")):
        refusal = [ln.strip() for ln in tables[lang].splitlines() if words in ln]
        assert len(refusal) == (photo == REFUSED), tables[lang]
        shown = run("--lang", lang, "visits", "P-1")
        assert [ln.strip() for ln in shown.splitlines() if words in ln] == refusal, shown
        # Every stored number says where it came from: here model landmarks, a proxy.
        source = {"en": "model (proxy)", "nl": "model (benadering)"}[lang]
        rows = [ln for ln in shown.splitlines() if re.search(r"±\d", ln)]
        assert rows and all(ln.rstrip().endswith("  " + source) for ln in rows), shown
