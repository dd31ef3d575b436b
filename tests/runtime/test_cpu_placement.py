"""cpu_placement: which CPUs the live app's model process and threads get."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from posture_cam.runtime import cpu_placement
from posture_cam.runtime.cpu_placement import UNPINNED, CpuPlacement, plan

REPO = Path(__file__).resolve().parents[2]


def test_one_cpu_pins_nothing():
    assert plan({0}) == UNPINNED
    assert plan({3}) == UNPINNED
    assert not plan({0}).pinned


def test_two_cpus_give_the_model_one_and_the_app_the_other():
    assert plan({0, 1}) == CpuPlacement(model_cpus=frozenset({1}), app_cpus=frozenset({0}))
    assert plan({0, 1}).pinned


def test_four_cpus_give_the_model_the_last_and_the_app_three():
    assert plan(range(4)) == CpuPlacement(frozenset({3}), frozenset({0, 1, 2}))


def test_only_the_usable_cpus_count():
    """A container or taskset that allows CPUs 2, 5 and 7: the plan uses those."""
    assert plan([7, 2, 5, 5]) == CpuPlacement(frozenset({7}), frozenset({2, 5}))


def test_switched_off_pins_nothing():
    assert plan(range(4), enabled=False) == UNPINNED
    assert plan({0, 1}, enabled=False) == UNPINNED


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, True), ("1", True), ("", True), ("0", False), ("off", False), (" False ", False)],
)
def test_the_environment_switch(value, expected):
    env = {} if value is None else {cpu_placement.ENV_SWITCH: value}
    assert cpu_placement.enabled(env) is expected


_PLACE = """
import json, os, sys, threading
from posture_cam.runtime import cpu_placement
before = sorted(os.sched_getaffinity(0))
placement = cpu_placement.place_live_app()
seen = {}
def later():
    seen["later"] = sorted(os.sched_getaffinity(0))
t = threading.Thread(target=later)
t.start(); t.join()
model = cpu_placement.model_cpus()
main = sorted(os.sched_getaffinity(0))
with cpu_placement.on_model_cpus():
    meanwhile = sorted(os.sched_getaffinity(0))
after = sorted(os.sched_getaffinity(0))
cpu_placement.release()
print(json.dumps({
    "before": before,
    "app": sorted(placement.app_cpus or []),
    "model": sorted(model or []),
    "main": main,
    "meanwhile": meanwhile,
    "after": after,
    "later": seen["later"],
    "released": sorted(os.sched_getaffinity(0)),
    "model_after_release": cpu_placement.model_cpus(),
}))
"""


def _place_in_subprocess(**env: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _PLACE],
        env=dict(os.environ, PYTHONPATH=str(REPO), **env),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity on this OS")
def test_placing_the_app_pins_its_threads_and_release_undoes_it():
    """In a fresh process (pinning is process state): the main thread and a thread
    started afterwards run on the app's CPUs only; release() gives all back."""
    got = _place_in_subprocess()
    expected = plan(got["before"])
    assert got["app"] == sorted(expected.app_cpus or [])
    assert got["model"] == sorted(expected.model_cpus or [])
    if expected.pinned:  # this machine has >= 2 CPUs
        assert got["main"] == got["later"] == got["after"] == got["app"]
        assert set(got["model"]).isdisjoint(got["main"])
        assert got["meanwhile"] == got["model"]  # what starts the fork server
    else:
        assert got["main"] == got["later"] == got["meanwhile"] == got["before"]
    assert got["released"] == got["before"]
    assert got["model_after_release"] is None


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity on this OS")
def test_switched_off_the_app_stays_where_it_was():
    got = _place_in_subprocess(**{cpu_placement.ENV_SWITCH: "0"})
    assert got["app"] == got["model"] == []
    assert got["main"] == got["later"] == got["before"]


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no thread priorities on this OS")
def test_work_that_may_wait_runs_at_the_lowest_priority_and_its_threads_inherit_it():
    """The level reading and the crowd count call run_this_thread_when_idle on their own
    thread: that thread and the threads it starts (MediaPipe's) get nice 19, the others
    keep theirs."""
    got: dict[str, object] = {}

    def nice_of_this_thread() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def child() -> None:
        got["child"] = nice_of_this_thread()

    def waiting_work() -> None:
        got["returned"] = cpu_placement.run_this_thread_when_idle()
        got["self"] = nice_of_this_thread()
        inner = threading.Thread(target=child)
        inner.start()
        inner.join()

    before = nice_of_this_thread()
    worker = threading.Thread(target=waiting_work)
    worker.start()
    worker.join()
    assert got == {"returned": True, "self": 19, "child": 19}
    assert nice_of_this_thread() == before != 19
