"""Reading an image file: the suffixes taken for images, and :func:`read_image`, which
decodes one as upright 3-channel BGR or raises a one-line :class:`InputError`."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from posture_cam.errors import InputError
from posture_cam.i18n import _

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"})


def to_bgr(image: np.ndarray) -> np.ndarray:
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
