"""UI strings by key, a thin layer over the message catalogue (``posture_cam.i18n``).

``tr("snapshot", "nl")`` -> ``"Momentopname"``. The English text is the msgid; the Dutch
lives in ``posture_cam/locale/nl/LC_MESSAGES/posture_cam.po``. New code calls
``posture_cam.i18n._()`` directly; this table is kept while the UI moves over.
A missing key falls back to the key itself so a typo shows up on screen.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QKeySequence

from posture_cam.i18n import N_, _, format_number, format_signed, set_language, using_language

# key: English msgid (translated at use)
TEXT: dict[str, str] = {
    "menu_file": N_("&File"),
    "menu_view": N_("&View"),
    "menu_settings": N_("&Settings"),
    "menu_help": N_("&Help"),
    "open_file": N_("Open video or photo…"),
    "choose_camera": N_("Choose camera…"),
    "retry_camera": N_("Retry camera"),
    "snapshot": N_("Snapshot"),
    "correct_points": N_("Correct points on this frame…"),
    "correct_points_snapshot": N_("Correct points on the last snapshot…"),
    "cancel_snapshot": N_("Cancel snapshot"),
    "quit": N_("Quit"),
    "mirror": N_("Mirror"),
    "fullscreen": N_("Full screen"),
    "zoom_in": N_("Zoom in (or the mouse wheel)"),
    "zoom_out": N_("Zoom out"),
    "zoom_fit": N_("Whole picture"),
    "zoom_person": N_("Zoom to the patient"),
    "skeleton_only_display": N_("Skeleton only (hide camera image)"),
    "language": N_("Language"),
    "export_privacy": N_("Snapshot privacy"),
    "privacy_none": N_("Full image"),
    "privacy_blur_face": N_("Blur face"),
    "privacy_skeleton_only": N_("Skeleton only (no camera pixels)"),
    "model_variant": N_("Pose model"),
    "data_folder": N_("Snapshot folder…"),
    "data_folder_default": N_("Use default snapshot folder"),
    "calibration": N_("Calibration…"),
    "shortcuts": N_("Keyboard shortcuts"),
    "about": N_("About"),
    "view": N_("View"),
    "view_auto": N_("Auto"),
    "view_front": N_("Front"),
    "view_back": N_("Back"),
    "view_left": N_("Left side"),
    "view_right": N_("Right side"),
    "view_three_quarter": N_("three-quarter"),
    "view_unknown": N_("unknown"),
    "detected": N_("detected"),
    "forced": N_("set by hand"),
    "metrics": N_("Measurements"),
    "metric": N_("Measurement"),
    "value": N_("Value"),
    "status": N_("Status"),
    "status_normal": N_("normal"),
    "status_borderline": N_("borderline"),
    "status_outside": N_("outside"),
    "status_not_measurable": N_("not measurable"),
    "quality": N_("Quality checks"),
    "quality_ok": N_("ready for a clinical capture"),
    "no_person": N_("No person found"),
    "people": N_("people"),
    "fps": N_("fps"),
    "latency": N_("latency"),
    "inference": N_("model"),
    "dropped": N_("dropped"),
    "empty_title": N_("No camera image"),
    "camera_lost_title": N_("The camera stopped"),
    "input_title": N_("Cannot open this source"),
    "model_title": N_("No pose model"),
    "bug_title": N_("Something went wrong"),
    "video_ended": N_("The video has ended."),
    "play_again": N_("Play again"),
    "countdown": N_("Snapshot in {n}…"),
    "strict_quality": N_("Strict quality: save only snapshots that pass the checks"),
    "norm_source": N_("Norm"),
    "proxy": N_("Proxy"),
    "screening": N_("Screening aid, not a diagnosis."),
    "no_board": N_("no board in view"),
    "level_ok": N_("camera level: {roll}° ✓"),
    "level_corrected": N_("camera tilted {roll}° (corrected by the profile) ✓"),
    "level_tilted": N_("camera tilted {roll}°: calibrate level"),
    "cw_back": N_("< Back"),
    "cw_next": N_("Next >"),
    "cw_finish": N_("Finish"),
    "cw_cancel": N_("Cancel"),
    "cw_sum_level": N_("Level"),
    "cw_sum_scale": N_("Scale"),
    "cw_sum_lens": N_("Lens"),
    "cw_roll_value": N_("camera roll {value}°"),
    "cw_scale_value": N_("{value} cm per pixel"),
    "cw_lens_value": N_("reprojection error {value} px"),
    "cw_lens_title": N_("Lens (optional)"),
    "cw_lens_sub": N_(
        "For wide-angle webcams; do it before level and scale, which then use it. Hold "
        "the board at different places (centre, corners, edges), tilted, and capture a "
        "view each time: at least 5, better 10-20. Press Next to skip."
    ),
    "cw_level_title": N_("Level"),
    "cw_level_sub": N_(
        "Hang the printed board flat at the patient's position, its rows level (check "
        "with a spirit level)."
    ),
    "cw_roll_level": N_("camera level: {roll}°, {corners} corners ✓"),
    "cw_roll_tilted": N_("camera tilted {roll}°, {corners} corners"),
    "cw_scale_title": N_("Scale"),
    "cw_scale_sub": N_("The scale holds only where the patient stands, facing the camera."),
    "close": N_("Close"),
}

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Space", "snapshot"),
    ("P", "correct_points"),
    ("Shift+P", "correct_points_snapshot"),
    ("M", "mirror"),
    ("F", "fullscreen"),
    ("+ / −", "zoom_in"),
    ("0", "zoom_fit"),
    ("Z", "zoom_person"),
    ("Ctrl+O", "open_file"),
    ("1", "view_auto"),
    ("2", "view_front"),
    ("3", "view_back"),
    ("4", "view_left"),
    ("5", "view_right"),
    ("F1", "shortcuts"),
    ("Ctrl+Q", "quit"),
)


_qt_translator: QTranslator | None = None


def apply_language(code: str) -> bool:
    """Make ``code`` the app's language: our catalogue and Qt's own ``qtbase`` translation
    (standard buttons and dialogs: "Cancel", "&Yes", file dialogs).

    Qt's catalogue ships with PySide6 (``QLibraryInfo.TranslationsPath``); English needs
    none. Returns whether a Qt translation was installed.
    """
    global _qt_translator
    set_language(code)
    # Spin boxes and other Qt number widgets made from now on write "15,0" in Dutch.
    QLocale.setDefault(QLocale(code))
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if code == "en":
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{code}", folder):
        return False
    app.installTranslator(translator)
    _qt_translator = translator
    return True


def key_text(keys: str) -> str:
    """A shortcut as the user reads it, in the app's language ("Space" -> "Spatiebalk").

    Alternatives such as ``"+ / −"`` keep their separator; a key QKeySequence cannot
    parse alone ("+", "−") is shown as written instead of as nothing.
    """
    native = QKeySequence.SequenceFormat.NativeText
    return " / ".join(QKeySequence(k).toString(native) or k for k in keys.split(" / "))


def tr(text: str, language: str = "en", **fmt: object) -> str:
    """``text`` in ``language`` with its ``{placeholders}`` filled.

    ``text`` is the English msgid, marked where it is written: ``tr(N_("Snapshot"),
    lang)`` (for code that renders in a language other than the process's); the old
    keys of :data:`TEXT` still work. An unknown text comes back as it is.
    """
    msgid = TEXT.get(text, text)
    with using_language(language):
        text = _(msgid)
        values = {k: _localized_number(v) for k, v in fmt.items()}
    return text.format(**values) if fmt else text


def filled(text: str, **fmt: object) -> str:
    """``text``, translated at the call site with ``_()``, with its ``{placeholders}``
    filled; numbers (floats, "+1.25" strings) in the current language's format."""
    if not fmt:
        return text
    return text.format(**{k: _localized_number(v) for k, v in fmt.items()})


_NUMBER = re.compile(r"^([+-]?)(\d+)\.(\d+)$")


def _localized_number(value: object) -> object:
    """A number the caller formatted as text ("+1.50") in the language's style ("+1,50")."""
    if isinstance(value, float):
        value = f"{value:.1f}"
    match = _NUMBER.match(value) if isinstance(value, str) else None
    if match is None:
        return value
    decimals = len(match.group(3))
    number = float(match.group(0))
    return format_signed(number, decimals) if match.group(1) else format_number(number, decimals)
