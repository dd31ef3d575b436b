"""Which cameras this computer has, by name where the system tells it (no Qt here).

Linux names its video devices in ``/sys/class/video4linux/video*/name``; one webcam
usually shows up as two nodes (the picture and a metadata node), told apart by the
node's ``index`` file (0 = the picture). Elsewhere the caller (the UI) asks Qt
Multimedia when it is installed, else offers plain numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SYSFS_V4L = Path("/sys/class/video4linux")


@dataclass(frozen=True)
class CameraDevice:
    """One camera: the OpenCV index that opens it and a name for people."""

    index: int
    name: str


def video4linux_cameras(root: Path = SYSFS_V4L) -> list[CameraDevice]:
    """Capture devices listed by Linux, sorted by index ([] when there are none).

    Args:
        root: the sysfs folder (tests point it at a fake tree).
    """
    found = []
    for node in sorted(root.glob("video*")):
        match = re.fullmatch(r"video(\d+)", node.name)
        if not match:
            continue
        if _read(node / "index") not in ("", "0"):
            continue  # a second node of the same camera (metadata), not a picture
        name = _read(node / "name") or f"video{match.group(1)}"
        found.append(CameraDevice(int(match.group(1)), name))
    return sorted(found, key=lambda d: d.index)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
