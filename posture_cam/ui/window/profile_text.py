"""The calibration-profile line of the window: which profile is active, and a warning
when the source's resolution differs from the one the profile was made at (the
pipeline then rescales it, same aspect ratio, or refuses it; see
``CalibrationProfile.for_resolution``)."""

from __future__ import annotations

import functools

from posture_cam.i18n import _, using_language


@functools.lru_cache(maxsize=8)
def _made_at(name: str, mtime_ns: int) -> tuple[int, int] | str | None:
    """The resolution a profile was made at, None when not recorded, or the problem."""
    from posture_cam.calibration.profile import load_profile
    from posture_cam.errors import CalibrationError

    try:
        size = load_profile(name).image_size_wh
    except CalibrationError as exc:
        return str(exc)
    return None if size is None else (int(size[0]), int(size[1]))


def profile_line(
    name: str | None, source_wh: tuple[int, int] | None, language: str
) -> tuple[str, bool]:
    """``(text, is_warning)`` for the profile label, in ``language``."""
    with using_language(language):
        return _profile_line(name, source_wh)


def _profile_line(name: str | None, source_wh: tuple[int, int] | None) -> tuple[str, bool]:
    title = _("Calibration")
    if not name:
        return f"{title}: {_('(none — angles only, distances in % of height)')}", False
    from posture_cam.calibration.profile import profile_path
    from posture_cam.errors import CalibrationError

    try:
        made = _made_at(name, profile_path(name).stat().st_mtime_ns)
    except (OSError, CalibrationError):
        made = _("not found")
    if isinstance(made, str):
        return f"{title}: {name} — ⚠ " + _("unusable: {why}").format(why=made), True
    if made is None or source_wh is None or tuple(source_wh) == made:
        return f"{title}: {name}", False
    text = _("⚠ made at {made}, this source is {now}").format(
        made=f"{made[0]}×{made[1]}", now=f"{source_wh[0]}×{source_wh[1]}"
    )
    return f"{title}: {name} — {text}", True
