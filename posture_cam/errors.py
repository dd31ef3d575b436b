"""User-facing errors. The CLI prints ``str(error)`` as one line and exits with
``error.exit_code``; no traceback is shown for these."""

from __future__ import annotations

from pathlib import Path


class PostureCamError(Exception):
    """Base for errors caused by input or environment, not by a bug."""

    exit_code = 1


class PathError(PostureCamError):
    """An error about one file or folder: ``PATH: problem (hint)``."""

    def __init__(self, path: str | Path, problem: str, hint: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        msg = f"{self.path}: {problem}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)

    def __reduce__(self):  # pickled by analyze --jobs workers: rebuild from the parts
        return (type(self), (self.path, self.problem, self.hint))


class InputError(PathError):
    """A file or source the user named is missing, unreadable, corrupt or unsupported."""

    exit_code = 2


class CameraError(PostureCamError):
    """A camera could not be opened or stopped delivering frames."""

    exit_code = 2


class ModelError(PostureCamError):
    """No usable pose model could be found, downloaded or built."""

    exit_code = 4


class CalibrationError(PostureCamError):
    """A calibration could not be computed or the profile is unusable."""

    exit_code = 5


class OutputError(PathError):
    """An output file cannot be written: disk full, read-only, no permission, a folder
    or file in the way. The previous file, if any, is left untouched."""

    exit_code = 9
