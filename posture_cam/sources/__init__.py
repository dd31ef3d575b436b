"""Frame sources: camera, video file, single image and folder of images.

Every source is a context manager and an iterable of :class:`~posture_cam.types.Frame`
with strictly increasing ``t_ms``:

* video files: the container's frame time (``CAP_PROP_POS_MSEC``), forced to increase;
* cameras: ``time.monotonic()`` milliseconds since the source opened;
* images / folders: ``index * 1000`` (one second apart: stills are independent).

``open_source("0")`` or ``open_source(0)`` opens camera 0; a path opens a file or folder.
Import from here; the modules each hold one part:

* :mod:`~posture_cam.sources.frame_source` — the :class:`FrameSource` base;
* :mod:`~posture_cam.sources.images` — reading an image file (:func:`read_image`);
* :mod:`~posture_cam.sources.files` — image, folder and video sources, :func:`probe_video`;
* :mod:`~posture_cam.sources.camera` — the webcam source;
* :mod:`~posture_cam.sources.camera_devices` — which cameras this computer has, by name
  (:func:`video4linux_cameras`, :class:`CameraDevice`);
* :mod:`~posture_cam.sources.inputs` — :func:`open_source`, :func:`expand_inputs`;
* :mod:`~posture_cam.sources.read_ahead` — :func:`prefetch`, decoding ahead in a thread.
"""

from posture_cam.sources.camera import CAMERA_MAX_FAILED_READS, CameraSource
from posture_cam.sources.camera_devices import CameraDevice, video4linux_cameras
from posture_cam.sources.files import (
    VIDEO_SUFFIXES,
    FolderSource,
    ImageSource,
    VideoFileSource,
    probe_video,
)
from posture_cam.sources.frame_source import FrameSource
from posture_cam.sources.images import IMAGE_SUFFIXES, read_image
from posture_cam.sources.inputs import expand_inputs, open_source
from posture_cam.sources.read_ahead import prefetch

__all__ = [
    "CAMERA_MAX_FAILED_READS",
    "IMAGE_SUFFIXES",
    "VIDEO_SUFFIXES",
    "CameraDevice",
    "CameraSource",
    "FolderSource",
    "FrameSource",
    "ImageSource",
    "VideoFileSource",
    "expand_inputs",
    "open_source",
    "prefetch",
    "probe_video",
    "read_image",
    "video4linux_cameras",
]
