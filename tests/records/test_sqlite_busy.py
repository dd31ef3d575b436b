"""Two writers on one SQLite records file: the second waits for the first (busy timeout,
5 s) instead of failing at once with "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time

from posture_cam.records import Store, db


def test_a_second_writer_waits_for_the_first(tmp_path, monkeypatch):
    path = tmp_path / "records.sqlite3"
    monkeypatch.setenv("POSTURE_CAM_DATABASE_URL", f"sqlite:///{path}")
    with Store() as store:
        store.add_patient("W-1")  # creates and migrates the file
        held, release = threading.Event(), threading.Event()

        def other_writer() -> None:  # another program saving a visit for 1.5 s
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE patients SET notes = 'busy' WHERE code = 'W-1'")
            held.set()
            release.wait(1.5)
            conn.execute("COMMIT")
            conn.close()

        thread = threading.Thread(target=other_writer)
        thread.start()
        held.wait(5)
        t0 = time.perf_counter()
        try:
            store.add_patient("W-2")  # reads (is the code taken?), then writes
        finally:
            release.set()
            thread.join()
        waited = time.perf_counter() - t0
        assert 1.0 < waited < db.BUSY_TIMEOUT_S
        assert [p["code"] for p in store.list_patients()] == ["W-1", "W-2"]
