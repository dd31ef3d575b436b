"""long_lived: one gc.freeze a process, before the live work starts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_SCRIPT = """
import gc, json, weakref
import numpy, posture_cam.pipeline  # a process with its modules loaded, as the app's
from posture_cam.runtime.long_lived import freeze_long_lived

class Held:
    pass

held = Held()
alive = weakref.ref(held)
walked_before = len(gc.get_objects())
first = freeze_long_lived(collect_first=True)
walked_after = len(gc.get_objects())
second = freeze_long_lived()
del held  # frozen, yet freed as soon as nothing refers to it
print(json.dumps({
    "first": first, "second": second, "frozen": gc.get_freeze_count(),
    "walked_before": walked_before, "walked_after": walked_after,
    "freed": alive() is None,
}))
"""


def test_freezing_takes_the_loaded_modules_out_of_the_collectors_walks_once():
    out = subprocess.check_output([sys.executable, "-c", _SCRIPT], cwd=REPO, text=True, timeout=120)
    got = json.loads(out.strip().splitlines()[-1])
    assert got["first"] is True and got["second"] is False
    # What a full collection walks: nearly everything before, almost nothing after.
    assert got["walked_before"] > 10_000
    assert got["frozen"] > 0.9 * got["walked_before"]
    assert got["walked_after"] < 0.01 * got["walked_before"]
    assert got["freed"] is True
