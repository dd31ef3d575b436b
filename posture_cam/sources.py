"""Frame sources: camera, video file, single image and folder of images.

Every source is a context manager and an iterable of :class:`~posture_cam.types.Frame`
with strictly increasing ``t_ms``:

* video files: the container's frame time (``CAP_PROP_POS_MSEC``), forced to increase;
* cameras: ``time.monotonic()`` milliseconds since the source opened;
* images / folders: ``index * 1000`` (one second apart: stills are independent).

``open_source("0")`` or ``open_source(0)`` opens camera 0; a path opens a file or folder.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import cv2
import numpy as np

from posture_cam.errors import CameraError, InputError
from posture_cam.i18n import _
from posture_cam.types import Frame

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"})
VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg"})

#: A camera that returns this many failed reads in a row is reported as lost.
CAMERA_MAX_FAILED_READS = 30


def _to_bgr(image: np.ndarray) -> np.ndarray:
    """Any 8-bit decoded image -> 3-channel BGR (the landmarker breaks on GRAY8)."""
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return np.ascontiguousarray(image)


def read_image(path: str | Path) -> np.ndarray:
    """Read an image file as BGR uint8 or raise a one-line InputError."""
    p = Path(path)
    if not p.exists():
        raise InputError(p, _("no such file"), _("check the path"))
    if p.is_dir():
        raise InputError(p, _("is a folder, not an image"))
    if p.stat().st_size == 0:
        raise InputError(p, _("file is empty"), _("re-export or copy it again"))
    try:
        data = np.fromfile(str(p), dtype=np.uint8)
    except PermissionError:
        raise InputError(p, _("permission denied"), _("check the file's permissions")) from None
    except OSError as exc:
        raise InputError(
            p, _("cannot read ({reason})").format(reason=exc.strerror or exc), _("check the path")
        ) from None
    # IMREAD_COLOR applies the EXIF orientation (phone photos are often stored sideways
    # with a "rotate 90°" tag) and always gives 8-bit BGR; IMREAD_UNCHANGED would not.
    try:
        image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    except cv2.error:  # e.g. a header claiming more pixels than OpenCV will allocate
        image = None
    if image is None:
        raise InputError(
            p, _("not a readable image (corrupt or unsupported format)"), _("use JPEG or PNG")
        )
    return image


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
            yield Frame(_to_bgr(image), index, t_ms, self.source_id)
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
            yield Frame(_to_bgr(image), index, t_ms, self.source_id)
            index += 1

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def expand_inputs(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Folders expand to their images and videos (name order); missing paths are errors.

    Hidden files are skipped: they include the temporary ``.*.partial*`` files of a
    write in progress (or of a killed run), which are never inputs.
    """
    inputs: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                found = sorted(
                    f
                    for f in path.iterdir()
                    if not f.name.startswith(".")
                    and f.is_file()
                    and f.suffix.lower() in IMAGE_SUFFIXES | VIDEO_SUFFIXES
                )
            except PermissionError:
                errors.append(InputError(path, _("permission denied"), _("check its permissions")))
                continue
            except OSError as exc:
                errors.append(
                    InputError(path, _("cannot read ({reason})").format(reason=exc.strerror or exc))
                )
                continue
            if not found:
                errors.append(InputError(path, _("folder contains no images or videos")))
            inputs.extend(found)
        elif not path.exists():
            errors.append(InputError(path, _("no such file or folder"), _("check the path")))
        else:
            inputs.append(path)
    return inputs, errors


def open_source(spec: str | int | Path) -> FrameSource:
    """Open a camera index, a video file, an image file or a folder of images.

    Raises:
        InputError: the path is missing, empty, corrupt or of an unsupported type.
        CameraError: the camera cannot be opened.
    """
    if isinstance(spec, int) or (isinstance(spec, str) and spec.isdigit()):
        return CameraSource(int(spec))
    path = Path(spec)
    try:
        return _open_path(path)
    except PermissionError:
        raise InputError(
            path, _("permission denied"), _("check the file's permissions or copy it")
        ) from None
    except OSError as exc:
        raise InputError(
            path,
            _("cannot read ({reason})").format(reason=exc.strerror or exc),
            _("check the path"),
        ) from None


def _open_path(path: Path) -> FrameSource:
    if not path.exists():
        if path.is_symlink():
            raise InputError(path, _("broken or looping symbolic link"), _("point it at a file"))
        raise InputError(path, _("no such file or folder"), _("check the path"))
    if path.is_dir():
        return FolderSource(path)
    if not path.is_file():
        # Opening a FIFO would wait forever for a writer.
        raise InputError(path, _("not a regular file (a pipe or a device)"), _("give a file"))
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return ImageSource(path)
    if suffix in VIDEO_SUFFIXES:
        return VideoFileSource(path)
    raise InputError(
        path,
        _("unsupported file type '{suffix}'").format(suffix=suffix or _("(none)")),
        _("give an image (JPEG/PNG), a video (MP4/AVI/MOV) or a folder of images"),
    )


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


def prefetch(frames: Iterator[Frame] | FrameSource, depth: int = 4) -> Iterator[Frame]:
    """Decode ahead in a background thread (OpenCV releases the GIL while decoding).

    Keeps at most ``depth`` frames in memory. Exceptions from the source are re-raised
    in the consumer. For files only: a live camera wants "newest frame wins" instead.
    """
    import queue
    import threading

    done = object()
    q: queue.Queue = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def produce() -> None:
        try:
            for frame in frames:
                while not stop.is_set():
                    try:
                        q.put(frame, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            q.put(exc)

    thread = threading.Thread(target=produce, name="posture_cam-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=2.0)
