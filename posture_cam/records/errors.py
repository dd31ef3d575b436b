"""Errors of the records store. Each is one line for the user and carries the exit code
that the CLI documents (README, ``posture_cam.cli``):

    6  unknown patient code or visit id
    7  duplicate patient code
    8  database unusable: locked, corrupt, newer schema, or the server unreachable
"""

from __future__ import annotations

from posture_cam.errors import PostureCamError


class RecordsError(PostureCamError):
    """Base of the records errors."""

    exit_code = 8


class UnknownRecordError(RecordsError):
    """A patient code or visit id that the store does not hold."""

    exit_code = 6


class DuplicateRecordError(RecordsError):
    """A patient code that is already taken."""

    exit_code = 7


class DatabaseError(RecordsError):
    """The database cannot be used (locked, corrupt, newer schema, unreachable)."""

    exit_code = 8
