"""Shared builders for the home tests."""

from __future__ import annotations

import datetime as _dt

from posture_cam.home.history import HistoryEntry

T0 = _dt.datetime(2026, 3, 1, 9, 30, tzinfo=_dt.UTC)


def history_entry(n: int, values: dict[str, float], view: str = "front") -> HistoryEntry:
    """The ``n``-th home check (a day apart from ``T0``) with these metric values."""
    return HistoryEntry(f"{n:032x}", T0 + _dt.timedelta(days=n), view, values)
