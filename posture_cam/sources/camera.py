"""A webcam as a frame source (which cameras exist: :mod:`posture_cam.sources.camera_devices`).

Frame times: ``time.monotonic()`` milliseconds since the source opened.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import cv2

from posture_cam.errors import CameraError
from posture_cam.i18n import _
from posture_cam.sources.frame_source import FrameSource
from posture_cam.sources.images import to_bgr
from posture_cam.types import Frame

#: A camera that returns this many failed reads in a row is reported as lost.
CAMERA_MAX_FAILED_READS = 30


class CameraSource(FrameSource):
    """A webcam by index. Fails fast when it won't open; reports a lost camera in
    ``error`` and ends the iteration instead of crashing."""

    kind = "camera"
    is_stream = True

    def __init__(self, index: int, resolution_wh: tuple[int, int] | None = (1280, 720)) -> None:
        super().__init__(f"camera:{index}")
        self.index = index
        self._cap: cv2.VideoCapture | None = cv2.VideoCapture(index)
        if not self._cap.isOpened():
            self._cap.release()
            self._cap = None
            raise CameraError(
                _(
                    "camera {index}: could not be opened (is it connected and not used by "
                    "another app?); choose another camera or open a video / photo"
                ).format(index=index)
            )
        if resolution_wh:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, resolution_wh[0])
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, resolution_wh[1])
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and fps > 0 else None

    def _frames(self) -> Iterator[Frame]:
        cap = self._cap
        t0 = time.monotonic()
        last_t = -1.0
        index = 0
        failures = 0
        while cap is not None and self._cap is not None:
            ok, image = cap.read()
            if not ok or image is None:
                failures += 1
                if failures >= CAMERA_MAX_FAILED_READS:
                    self.error = f"camera {self.index}: stopped delivering frames (unplugged?)"
                    return
                time.sleep(0.01)
                continue
            failures = 0
            t_ms = max((time.monotonic() - t0) * 1000.0, last_t + 0.001)
            last_t = t_ms
            yield Frame(to_bgr(image), index, t_ms, self.source_id)
            index += 1

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
