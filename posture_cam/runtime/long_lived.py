"""Keep Python's cyclic garbage collector off what a process keeps all its life (no Qt).

A collection of the oldest generation walks every container object the process has.
In the live app that is about 95,000 objects once the window is built (PySide6,
SQLAlchemy, NumPy, OpenCV, this package's modules), and a walk took 50-90 ms on the
2-core bench machine; about 36,000 in the pose model's process (MediaPipe), 25-50 ms.
Python starts one whenever enough younger objects have survived, every few seconds
of live frames, and it holds the GIL meanwhile: in ``bench/app_latency.py`` the frame
behind it waited 75-95 ms, where the target for the longest wait is one frame interval
(33 ms).

``gc.freeze()`` moves every object alive now into a permanent generation that
collections skip. Objects made later are collected as before, and a frozen object is
still freed the moment nothing refers to it (reference counting); only a frozen object
that later becomes part of an unreachable cycle is never reclaimed. So the freeze is
done once a process, before its live work starts: what it freezes is what the process
keeps anyway (modules, classes, the window, the loaded model).
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_long_lived(*, collect_first: bool = False) -> bool:
    """Once a process: move every object alive now out of the collector's walks.

    Args:
        collect_first: collect first, so that no garbage alive now is frozen with the
            rest (a full walk: for a moment where a pause does not matter).

    Returns:
        True when this call froze; False when the process had done so already.
    """
    global _frozen
    if _frozen:
        return False
    if collect_first:
        gc.collect()
    gc.freeze()
    _frozen = True
    return True
