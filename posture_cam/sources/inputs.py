"""What the user named, turned into sources: :func:`open_source` opens a camera index,
an image, a video or a folder; :func:`expand_inputs` turns folders into the files to
analyse."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from posture_cam.errors import InputError
from posture_cam.i18n import _
from posture_cam.sources.camera import CameraSource
from posture_cam.sources.files import VIDEO_SUFFIXES, FolderSource, ImageSource, VideoFileSource
from posture_cam.sources.frame_source import FrameSource
from posture_cam.sources.images import IMAGE_SUFFIXES


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
                nested = any(f.is_dir() and not f.name.startswith(".") for f in path.iterdir())
                hint = (
                    _("its sub-folders are not searched: name them")
                    if nested
                    else _("name a folder that holds photos or videos")
                )
                errors.append(InputError(path, _("folder contains no images or videos"), hint))
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
