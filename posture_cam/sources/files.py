"""Sources that read files: one image, a folder of images, a video file; and
:func:`probe_video`, a video's frame count and size from its header.

Frame times: a video's container time (``CAP_PROP_POS_MSEC``), forced to increase;
images and folders ``index * 1000`` (one second apart: stills are independent).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from posture_cam.errors import InputError
from posture_cam.i18n import _
from posture_cam.sources.frame_source import FrameSource
from posture_cam.sources.images import IMAGE_SUFFIXES, read_image, to_bgr
from posture_cam.types import Frame

# FFmpeg's own messages ("moov atom not found") would come before the one line that says
# what is wrong with a video and what to do; quiet (-8) unless the user set a level.
# Read when OpenCV first opens a video with FFmpeg, so set before any is opened.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg"})


class ImageSource(FrameSource):
    kind = "image"

    def __init__(self, path: str | Path) -> None:
        super().__init__(str(path))
        self.path = Path(path)
        self._image = read_image(self.path)  # fail at open, not mid-iteration
        self.frame_count = 1

    def _frames(self) -> Iterator[Frame]:
        yield Frame(self._image, 0, 0.0, self.source_id)


class FolderSource(FrameSource):
    """Images of a folder in name order. Unreadable files are recorded in ``skipped``."""

    kind = "folder"

    def __init__(self, path: str | Path) -> None:
        super().__init__(str(path))
        self.path = Path(path)
        self.files = sorted(
            p for p in self.path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
        )
        if not self.files:
            raise InputError(
                self.path,
                _("folder contains no images"),
                _("supported: {suffixes}").format(suffixes=", ".join(sorted(IMAGE_SUFFIXES))),
            )
        self.frame_count = len(self.files)
        self.skipped: list[InputError] = []

    def _frames(self) -> Iterator[Frame]:
        index = 0
        for path in self.files:
            try:
                image = read_image(path)
            except InputError as exc:
                self.skipped.append(exc)
                continue
            yield Frame(image, index, index * 1000.0, str(path))
            index += 1


class VideoFileSource(FrameSource):
    kind = "video"
    is_stream = True

    def __init__(self, path: str | Path) -> None:
        super().__init__(str(path))
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(self.path, _("no such file"), _("check the path"))
        if self.path.stat().st_size == 0:
            raise InputError(self.path, _("file is empty"), _("re-export or copy it again"))
        with open(self.path, "rb"):
            pass  # PermissionError here, not a misleading "corrupt" from OpenCV
        self._cap: cv2.VideoCapture | None = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            self._cap.release()
            raise InputError(
                self.path,
                _("not a readable video (corrupt or unsupported codec)"),
                _("re-encode it, e.g. to MP4"),
            )
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and np.isfinite(fps) and fps > 0 else None
        count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT))
        self.frame_count = count if count > 0 else None
        ok, first = self._cap.read()
        if not ok or first is None:
            self._cap.release()
            raise InputError(self.path, _("video has no decodable frames"), _("re-encode it"))
        self._first: np.ndarray | None = first

    def _frames(self) -> Iterator[Frame]:
        cap = self._cap
        if cap is None:
            return
        fallback_dt = 1000.0 / self.fps if self.fps else 1000.0 / 30.0
        last_t = -np.inf
        index = 0
        image = self._first
        while image is not None:
            t_ms = float(cap.get(cv2.CAP_PROP_POS_MSEC))
            if index == 0 or not np.isfinite(t_ms) or t_ms <= last_t:
                t_ms = index * fallback_dt if index == 0 else last_t + fallback_dt
            yield Frame(to_bgr(image), index, t_ms, self.source_id)
            last_t = t_ms
            index += 1
            ok, image = cap.read()
            if not ok:
                image = None
        self._check_complete(index)

    def _check_complete(self, decoded: int) -> None:
        """A file that ends well before its header's frame count is truncated or corrupt:
        say so instead of silently analysing the first part. The header count is an
        estimate for some containers, hence the tolerance."""
        expected = self.frame_count
        if expected and decoded < expected - max(2, int(0.02 * expected)):
            self.error = (
                f"video is truncated or corrupt: decoded {decoded} of {expected} frames "
                "(results cover the decoded part only; copy or export the file again)"
            )

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def probe_video(path: str | Path) -> tuple[int, tuple[int, int]] | None:
    """``(frame count, resolution_wh)`` from a video file's header, without decoding a
    frame; None when it is not a video OpenCV can open or the header lacks them. An
    estimate (some containers store an approximate count), e.g. to schedule batch work.
    """
    if Path(path).suffix.lower() not in VIDEO_SUFFIXES:
        return None
    cap = cv2.VideoCapture(str(path))
    try:
        if not cap.isOpened():
            return None
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
        w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    finally:
        cap.release()
    return (count, (w, h)) if count > 0 and w > 0 and h > 0 else None
