"""The base every frame source shares: a context manager and an iterable of
:class:`~posture_cam.types.Frame` with strictly increasing ``t_ms``."""

from __future__ import annotations

from collections.abc import Iterator

from posture_cam.types import Frame


class FrameSource:
    """Base class: subclasses implement ``_frames()`` and may override ``close()``."""

    kind: str = ""
    is_stream: bool = False

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id
        self.fps: float | None = None
        self.frame_count: int | None = None
        #: Set when a stream ended early because of read errors (not a clean end).
        self.error: str | None = None

    def __enter__(self) -> FrameSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Frame]:
        return self._frames()

    def _frames(self) -> Iterator[Frame]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the device / file; safe to call twice."""
