"""The local home history: private, in order, a damaged file set aside."""

from __future__ import annotations

import stat

from posture_cam.home.history import HistoryEntry, HomeHistory, history_path
from tests.home._helpers import T0
from tests.home._helpers import history_entry as _entry


def test_history_is_private_and_keeps_order():
    history = HomeHistory()
    history.append(_entry(1, {"shoulder_tilt": 3.0}))
    history.append(_entry(2, {"shoulder_tilt": 2.0}, view="left"))
    history.append(_entry(3, {"shoulder_tilt": 1.0}))
    path = history_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [e.values["shoulder_tilt"] for e in history.entries()] == [3.0, 2.0, 1.0]
    assert history.last("front").values == {"shoulder_tilt": 1.0}
    # appending the same check again (after sending it) replaces it
    history.append(HistoryEntry(f"{3:032x}", T0, "front", {"shoulder_tilt": 1.0}, "/x.json"))
    assert len(history.entries()) == 3 and history.last().file == "/x.json"


def test_damaged_history_is_set_aside():
    path = history_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert HomeHistory().entries() == []
    assert path.with_name("history.json.damaged").exists()
