"""What home mode can check with: a camera or a video, never a photo (no Qt)."""

from __future__ import annotations

from pathlib import Path

from posture_cam.errors import InputError
from posture_cam.i18n import _
from posture_cam.sources import IMAGE_SUFFIXES


def refuse_photo(source: str | None) -> None:
    """Raise :class:`InputError` for a photo: the check captures once the patient has
    held still for 2 s of frames, and a photo is one frame (the window waited for ever,
    "Hold still… 2"). The line says what to use instead."""
    if source is not None and Path(source).suffix.lower() in IMAGE_SUFFIXES:
        raise InputError(
            source,
            _("a photo cannot be a home check (it needs 2 s of video)"),
            _("use the camera or a video; `posture-cam analyze PHOTO` measures a photo"),
        )
