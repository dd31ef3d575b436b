"""Why a metric is not measurable, or how it was measured: a stable code, its data, the words.

A :class:`Reason` is a :class:`~posture_cam.i18n.Text`: its string value is the English
sentence (logs, old readers, the ``reason`` field of JSON), :func:`~posture_cam.i18n.localize`
shows it in the current language, and it carries a machine-readable ``code`` with its
``data``. JSON writes both: ``"reason"`` (English words) and ``"reasons"``, a list of
``{"code": ..., **data}`` (one item per part; a metric can carry two notes). Read back
with :func:`from_json`, so a snapshot or a home check shows its reasons in any language.
Code that decides on a reason tests its code (:func:`has_code`), never its words, and
landmarks are named in words ("left hip"), never by id.

Codes (a contract; docs/schema/analyze.schema.json lists them):

=========================  ==========================================================
``landmarks_not_visible``  ``landmarks``: names (``left_hip`` …) of the missing points
``needs_pelvis_markers``   sagittal pelvic tilt needs ASIS/PSIS markers or points
``needs_shoulder_markers`` forward shoulder angle needs C7/acromion markers or points
``too_few_terms``          asymmetry index: fewer than two of its terms measurable
``not_standing``           plumb-line offsets in a seated posture; ``knee_deg``
``trunk_reclined``         markerless CVA with the trunk reclined; ``trunk_deg`` back
``no_trunk_length``        no shoulder + hip to scale by the trunk length
``no_body_size_reference`` no body height: shoulders and hips needed
``height_from_trunk``      note: body height estimated from the trunk length
``nominal_height``         note: a cm value judged against ``height_cm`` stature
``other_side_labels``      note: measured on the ``side``-labelled points (depth)
``near_side_missing``      note: the near side's points missing, measured on ``side``
``view_contradicts_body``  not judged: the view set by hand contradicts the body
``not_measured``           never measurable, no reason recorded
=========================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self

from posture_cam.i18n import N_, Text
from posture_cam.landmarks import LANDMARK_NAMES, LANDMARK_WORDS

#: code -> English message (msgid); its ``{fields}`` are the code's data.
MESSAGES: dict[str, str] = {
    "landmarks_not_visible": N_("not in the picture: {landmarks}"),
    "needs_pelvis_markers": N_("needs ASIS/PSIS markers or points placed by the therapist"),
    "needs_shoulder_markers": N_("needs C7/acromion markers or points placed by the therapist"),
    "too_few_terms": N_("needs at least two of head, shoulder, pelvic tilt and both knees"),
    "not_standing": N_("plumb-line offsets need a standing posture (knee angle {knee_deg:.0f}°)"),
    "trunk_reclined": N_(
        "the trunk is reclined {trunk_deg:.0f}° backward: the CVA is judged with the "
        "trunk upright (sit up, away from the backrest)"
    ),
    "no_trunk_length": N_("needs shoulders and hips to know the trunk length"),
    "no_body_size_reference": N_("no body-size reference: needs shoulders and hips"),
    "height_from_trunk": N_("body height estimated from the trunk (legs or head not visible)"),
    "nominal_height": N_("judged against a body height of {height_cm:.0f} cm"),
    "other_side_labels": N_("measured on the {side} points: depth says they face the camera"),
    "near_side_missing": N_("points of the near side missing: measured on the {side} side"),
    "view_contradicts_body": N_("not judged: the view set by hand contradicts the body"),
    "not_measured": N_("not measurable"),
}

#: Side names in data ("left"/"right") in words.
_SIDES = {"left": N_("left"), "right": N_("right")}


class Reason(Text):
    """A reason (or note) with a stable ``code`` and JSON ``data`` (see module docstring).

    Build one with :func:`reason`; join several with :func:`join`.
    """

    code: str
    data: dict[str, Any]
    parts: tuple[Reason, ...]

    def __new__(cls, msgid: str, /, **params: Any) -> Self:
        self = super().__new__(cls, msgid, **params)
        self.code, self.data, self.parts = "", {}, ()
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_from_parts, ([(p.code, p.data) for p in self.parts],))

    def to_json(self) -> list[dict[str, Any]]:
        """``[{"code": ..., **data}, ...]``: one item per part."""
        return [{"code": p.code, **p.data} for p in self.parts]


def reason(code: str, **data: Any) -> Reason:
    """The reason ``code`` with its data (JSON values: names, numbers, "left"/"right").

    Raises:
        KeyError: ``code`` is not one of :data:`MESSAGES`.
    """
    params: dict[str, Any] = dict(data)
    if "landmarks" in data:
        params["landmarks"] = [_landmark_word(name) for name in data["landmarks"]]
    if "side" in data:
        params["side"] = Text(_SIDES.get(data["side"], str(data["side"])))
    out = Reason(MESSAGES[code], **params)
    out.code, out.data, out.parts = code, dict(data), (out,)
    return out


def missing_landmarks(ids: Iterable[int]) -> Reason:
    """``landmarks_not_visible`` for landmark ids."""
    return reason("landmarks_not_visible", landmarks=[LANDMARK_NAMES[int(i)] for i in ids])


def _landmark_word(name: str) -> Text | str:
    try:
        return Text(LANDMARK_WORDS[LANDMARK_NAMES.index(name)])
    except ValueError:
        return name.replace("_", " ")


def join(reasons: Sequence[Reason | str | None]) -> Reason | str | None:
    """Several notes as one ("a; b"); None when there is none, the reason itself for one."""
    present = [r for r in reasons if r]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    fields = {f"part{i}": r if isinstance(r, Text) else Text(r) for i, r in enumerate(present)}
    out = Reason("; ".join("{" + name + "}" for name in fields), **fields)
    out.code, out.data = "", {}
    out.parts = tuple(p for r in present if isinstance(r, Reason) for p in r.parts)
    return out


def parts_json(value: str | None) -> list[dict[str, Any]]:
    """The ``reasons`` JSON of a metric's reason (``[]`` for None or a plain string)."""
    return value.to_json() if isinstance(value, Reason) else []


def has_code(value: str | None, code: str) -> bool:
    """True when ``value`` is a :class:`Reason` with a part of this ``code``."""
    return isinstance(value, Reason) and any(p.code == code for p in value.parts)


def _from_parts(items: Sequence[tuple[str, Mapping[str, Any]]]) -> Reason | str | None:
    return join([reason(code, **dict(data)) for code, data in items])


def from_json(text: str | None, items: Sequence[Mapping[str, Any]] | None) -> str | None:
    """A reason read back from JSON: rebuilt from ``reasons`` when its codes are known,
    else the ``reason`` text as it was (older files)."""
    if items:
        try:
            return _from_parts(
                [(str(i["code"]), {k: v for k, v in i.items() if k != "code"}) for i in items]
            )
        except (KeyError, TypeError, ValueError):
            pass
    return text
