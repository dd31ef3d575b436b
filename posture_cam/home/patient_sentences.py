"""What home mode says to the patient: instructions, countdown and the result card.

Every user-visible sentence of the Qt-free home core is here, so the UI only lays
them out (the therapist's words about a measurement, for overlay, panel and report,
are in :mod:`posture_cam.wording`). Sign convention (docs/metrics.md): positive = the
patient's LEFT side higher. Degrees are rounded to whole degrees: the model's
repeatability is about 1°, so a decimal would promise more than the camera can tell.
"""

from __future__ import annotations

from posture_cam.home.guidance import Instruction
from posture_cam.home.history import HistoryEntry
from posture_cam.i18n import N_, _, pgettext

INSTRUCTIONS: dict[Instruction, str] = {
    Instruction.STEP_INTO_VIEW: N_("Step into view"),
    Instruction.ONLY_YOU: N_("Make sure only you are in view"),
    Instruction.MOVE_BACK: N_("Sit or stand back a little"),
    Instruction.MOVE_TO_MIDDLE: N_("Move to the middle of the picture"),
    Instruction.FACE_CAMERA: N_("Face the camera"),
    Instruction.LOWER_HANDS: N_("Lower your hands"),
    Instruction.ARMS_DOWN: N_("Let your arms hang by your sides"),
    Instruction.HOLD_STILL: N_("Hold still"),
    Instruction.READY: N_("Hold still…"),
}


def instruction_text(instruction: Instruction) -> str:
    """The large instruction line for ``instruction``."""
    return _(INSTRUCTIONS[instruction])


def countdown_text(seconds_left: int) -> str:
    """``Hold still… 2`` during the automatic capture."""
    # Own context: the therapist's countdown says "stand"; at home people often sit.
    return pgettext("home", "Hold still… {n}").format(n=seconds_left)


def capture_text(frames_used: int, waited_s: float, paused_s: float) -> str:
    """How the capture was made: frames averaged, time to the capture, and how much of
    that time the hold waited for raised hands or arms to come down."""
    waited, paused = round(waited_s), round(paused_s)
    if paused:
        # A pause is only ever the hold waiting for raised hands or arms (session.PAUSING).
        return _(
            "Averaged over {n} frames; captured after {w} s, {p} s of it waiting while your"
            " hands or arms were raised"
        ).format(n=frames_used, w=waited, p=paused)
    return _("Averaged over {n} frames; captured after {w} s").format(n=frames_used, w=waited)


def _deg(value: float) -> int:
    return round(abs(value))


def _side(value: float) -> int:
    """+1 left higher, -1 right higher, 0 level (after rounding to whole degrees)."""
    if _deg(value) == 0:
        return 0
    return 1 if value > 0 else -1


def _shoulder_sentence(value: float) -> str:
    n = _deg(value)
    if _side(value) == 0:
        return _("Your shoulders are level")
    if value > 0:  # left higher: the right one sits lower
        return _("Your right shoulder sits {n}° lower than your left").format(n=n)
    return _("Your left shoulder sits {n}° lower than your right").format(n=n)


def _head_sentence(value: float) -> str:
    n = _deg(value)
    if _side(value) == 0:
        return _("Your head is level")
    if value > 0:  # left ear higher: the head leans to the right
        return _("Your head tilts {n}° to your right").format(n=n)
    return _("Your head tilts {n}° to your left").format(n=n)


def _cva_sentence(value: float) -> str:
    return _(
        "Your neck angle is {n}° (a smaller angle means your head sits further forward)"
    ).format(n=_deg(value))


_SENTENCES = {
    "shoulder_tilt": _shoulder_sentence,
    "head_tilt": _head_sentence,
    "cva": _cva_sentence,
}


def _previous(metric_id: str, value: float, before: float) -> str:
    if metric_id == "cva":
        return _("last check {n}°").format(n=_deg(before))
    if _side(before) == 0:
        return _("last check level")
    if _side(value) != 0 and _side(before) != _side(value):
        return _("last check {n}° the other way").format(n=_deg(before))
    return _("last check {n}°").format(n=_deg(before))


def result_sentence(metric_id: str, value: float, last: HistoryEntry | None = None) -> str:
    """One line of the result card, e.g. "Your right shoulder sits 2° lower than your
    left; last check 3°".

    Args:
        metric_id: ``shoulder_tilt``, ``head_tilt`` or ``cva``.
        value: degrees (positive = left side higher).
        last: the previous check of the same view, for the comparison.
    """
    text = _SENTENCES[metric_id](value)
    if last is not None and metric_id in last.values:
        text = _("{result}; {previous}").format(
            result=text, previous=_previous(metric_id, value, last.values[metric_id])
        )
    return text


def not_measured_text() -> str:
    return _("Not measured this time")


def sent_text(path: str) -> str:
    """Where "Send to my therapist" wrote the file."""
    return _("Saved for your therapist: {path}").format(path=path)
