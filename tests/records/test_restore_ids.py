"""After ``restore`` no id is given twice: the next id of every table is above the
backup's own high-water mark (SQLite's ``sqlite_sequence``, PostgreSQL's sequence), above
the one the store had reached before the restore, and above every restored row.

Before, the backup's high-water mark was lost (remove the newest visit 5, back up,
restore into an empty store: the next visit was 5 again, the removed visit's report
``P-1_visit5.pdf`` then named another visit), and on PostgreSQL ``setval(max + 1)`` moved
a sequence back below ids the store had already given.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from posture_cam.cli import main
from posture_cam.records import Store, db
from posture_cam.records.models import Capture
from tests.records.conftest import _empty


def _visits(make_capture, count: int) -> list[int]:
    with Store() as store:
        return [store.add_visit("P-1", [make_capture("front")]) for _ in range(count)]


def _capture_ids(visit_id: int) -> list[int]:
    with Store() as store, store.session() as s:
        return list(s.scalars(select(Capture.id).where(Capture.visit_id == visit_id)))


def _next_ids(make_capture) -> tuple[int, int, int]:
    """(patient, visit, capture) ids the store gives next (it stores them)."""
    with Store() as store:
        patient = store.add_patient("NEXT").id
        visit = store.add_visit("NEXT", [make_capture("front")])
    return patient, visit, _capture_ids(visit)[0]


def _empty_store(backend: str, monkeypatch, tmp_path) -> None:
    """An empty store of the same backend: a new data folder (SQLite), the database
    emptied (PostgreSQL: its sequences start again at 1)."""
    monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(tmp_path / "empty"))
    if backend == "postgresql":
        _empty(db.database_url())


def test_ids_removed_before_the_backup_are_not_given_again(
    backend, make_capture, monkeypatch, tmp_path, capsys
):
    with Store() as store:
        store.add_patient("P-1")
    ids = _visits(make_capture, 5)
    assert ids == [1, 2, 3, 4, 5]
    assert _capture_ids(5) == [5]
    with Store() as store:
        store.remove_visit(5)
        store.add_patient("GONE")
        store.remove_patient("GONE")  # patient 2 was given, then removed
    backup_file = tmp_path / "store.zip"
    assert main(["backup", str(backup_file)]) == 0
    _empty_store(backend, monkeypatch, tmp_path)
    assert main(["restore", str(backup_file)]) == 0
    capsys.readouterr()
    with Store() as store:
        assert [v["id"] for v in store.visits_json("P-1")["visits"]] == [1, 2, 3, 4]
    # Before: patient 2, visit 5, capture 5 again.
    assert _next_ids(make_capture) == (3, 6, 6)


def test_ids_the_store_had_given_after_the_backup_are_not_given_again(
    backend, make_capture, tmp_path, capsys
):
    with Store() as store:
        store.add_patient("P-1")
    _visits(make_capture, 2)
    backup_file = tmp_path / "old.zip"
    assert main(["backup", str(backup_file)]) == 0
    assert _visits(make_capture, 3) == [3, 4, 5]  # reports of visits 3-5 may be about
    assert main(["restore", str(backup_file)]) == 0
    capsys.readouterr()
    with Store() as store:
        assert [v["id"] for v in store.visits_json("P-1")["visits"]] == [1, 2]
    # Before, on PostgreSQL: visit 3 again (setval to the restored rows' max + 1).
    assert _next_ids(make_capture)[1] == 6


@pytest.mark.parametrize("direction", ["postgresql_to_sqlite", "sqlite_to_postgresql"])
def test_the_high_water_mark_crosses_backends(
    direction, postgres_url, make_capture, monkeypatch, tmp_path, capsys
):
    """A backup of PostgreSQL carries its sequences' marks into the backup's
    ``sqlite_sequence``, and a restore into PostgreSQL moves its sequences past them."""
    _empty(postgres_url)
    source, target = direction.split("_to_")
    urls = {"postgresql": postgres_url, "sqlite": ""}
    monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(tmp_path / "source"))
    monkeypatch.setenv(db.DATABASE_URL_ENV, urls[source])
    with Store() as store:
        store.add_patient("P-1")
    _visits(make_capture, 3)
    with Store() as store:
        store.remove_visit(3)
    backup_file = tmp_path / "store.zip"
    assert main(["backup", str(backup_file)]) == 0
    if target == "postgresql":
        _empty(postgres_url)
    monkeypatch.setenv("POSTURE_CAM_DATA_DIR", str(tmp_path / "target"))
    monkeypatch.setenv(db.DATABASE_URL_ENV, urls[target])
    assert main(["restore", str(backup_file)]) == 0
    capsys.readouterr()
    assert _next_ids(make_capture)[1] == 4  # before: 3
