"""Why a metric is not measurable, why a frame failed the quality gate, or how a value was
measured: a stable code, its data, the words.

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
``at_image_edge``          ``landmarks`` the metric needs lie at the image edge (cut off)
``needs_pelvis_markers``   sagittal pelvic tilt needs both ASIS and PSIS markers or points
``needs_shoulder_markers`` forward shoulder angle needs both C7 and acromion markers or points
``points_too_close``       two named points (``first``, ``second``) under ``px`` apart
``ear_for_tragus``         note: C7 given, the ear landmark stands in for the tragus
``c7_estimated``           note: the tragus given, C7 estimated from the trunk
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

Quality-gate and view codes (:data:`CHECK_MESSAGES`; a check's ``reasons`` in JSON,
listed in the schema's ``check_reasons``):

=========================  ==========================================================
``no_person``              ``person``: nobody in the picture
``no_person_to_classify``  ``view_known``: no person, so no view
``view_unclear``           ``view_known``: neither clearly front/back nor side
``view_set_contradicts``   ``view_known``: the view set by hand contradicts the body
``three_quarter``          ``view_known`` / the view: turned ``yaw_deg`` from square
``facing_unclear``         the view: which way a side-on body faces is unclear
``shoulders_not_visible``  ``orientation`` / the view: no shoulder line
``key_points_not_visible`` ``landmarks_visible``: ``landmarks`` below the threshold
``cut_off``                ``in_frame``: ``edges`` [{``edge``, ``landmarks``}],
                           ``feet_not_in_view`` (true when no ankle is seen)
``view_unknown``           ``orientation``: no view to judge the turn against
``turned_from_square``     ``orientation``: ``deg`` away from square (front/back)
``turned_from_side_on``    ``orientation``: ``deg`` away from side-on
``rotated_from_square``    ``orientation`` without depth: not square to the camera
``rotated_from_side_on``   ``orientation`` without depth: not side-on
``arms_not_clear``         ``arms_clear``: ``places`` (``over_face``, ``raised``,
                           ``on_shoulder``, ``away``) and the ``landmarks`` there
``model_unsure``           ``model_sure``: the model unsure of ``landmarks``
``moving_too_fast``        ``model_sure``: ``landmarks`` jumped since the last frame
``no_motion_reference``    ``still``: no body size to judge motion by
``moving``                 ``still``: ``motion_pct`` of body height in ``window_s``
                           (limit ``limit_pct``)
``settling``               ``still``: another check refused a frame less than
                           ``window_s`` ago
``watching``               ``still``: a stream's person has been in view for less
                           than ``window_s`` (no frames yet to judge motion by)
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
    "at_image_edge": N_("at the edge of the picture, cut off: {landmarks}"),
    "needs_pelvis_markers": N_(
        "needs both ASIS and PSIS, from markers or points placed by the therapist"
    ),
    "needs_shoulder_markers": N_(
        "needs both C7 and acromion, from markers or points placed by the therapist"
    ),
    "ear_for_tragus": N_(
        "C7 given; the ear landmark stands in for the tragus (give the tragus too for the true CVA)"
    ),
    "c7_estimated": N_("tragus given; C7 estimated from the trunk (give C7 too for the true CVA)"),
    "points_too_close": N_(
        "the {first} and {second} points are less than {px:.0f} px apart: no line between them"
    ),
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

#: Quality-gate (and view) code -> English message (msgid); see the module docstring.
CHECK_MESSAGES: dict[str, str] = {
    "no_person": N_("no person found"),
    "no_person_to_classify": N_("no person to classify"),
    "view_unclear": N_("view unclear: face the camera squarely or turn fully side-on"),
    "view_set_contradicts": N_(
        "the view set by hand contradicts the body: let it be detected, or set the one it shows"
    ),
    "three_quarter": N_(
        "body turned about {yaw_deg:.0f}° from the camera: neither front nor side; "
        "turn the patient square to the camera or fully side-on"
    ),
    "facing_unclear": N_("facing direction unclear"),
    "shoulders_not_visible": N_("shoulders not visible"),
    "key_points_not_visible": N_("not visible: {landmarks}"),
    "cut_off": N_("body cut off at the {edges}"),
    "view_unknown": N_("view unknown"),
    "turned_from_square": N_("turned about {deg:.0f}° away from square to the camera"),
    "turned_from_side_on": N_("turned about {deg:.0f}° away from side-on"),
    "rotated_from_square": N_("shoulder line rotated in depth: face the camera squarely"),
    "rotated_from_side_on": N_("shoulder line rotated in depth: turn fully side-on"),
    "arms_not_clear": N_("{places} ({landmarks}): lower the arms to the sides"),
    "model_unsure": N_("model unsure of {landmarks}"),
    "moving_too_fast": N_("{landmarks} moving too fast to measure"),
    "no_motion_reference": N_("no body-size reference to judge motion"),
    "moving": N_(
        "moving: {motion_pct:.1f} % of body height in the last {window_s:.1f} s "
        "(limit {limit_pct:.1f} %)"
    ),
    "settling": N_("settling: another check failed less than {window_s:.1f} s ago"),
    "watching": N_("in view for less than {window_s:.1f} s: stillness not yet known"),
}

_ALL_MESSAGES = {**MESSAGES, **CHECK_MESSAGES}

#: Side names in data ("left"/"right") in words.
_SIDES = {"left": N_("left"), "right": N_("right")}
#: ``cut_off``: each image edge with the body points at it.
_EDGES = {
    "left": N_("left edge ({names})"),
    "right": N_("right edge ({names})"),
    "top": N_("top edge ({names})"),
    "bottom": N_("bottom edge ({names})"),
}
#: ``arms_not_clear``: where an arm or hand is.
_ARM_PLACES = {
    "over_face": N_("hand or arm over the face or neck"),
    "raised": N_("arm raised above the shoulders"),
    "on_shoulder": N_("hand or arm on a shoulder"),
    "away": N_("arm held out to the side"),
}


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
        KeyError: ``code`` is not one of :data:`MESSAGES` or :data:`CHECK_MESSAGES`.
    """
    params: dict[str, Any] = dict(data)
    if "landmarks" in data:
        params["landmarks"] = [_landmark_word(name) for name in data["landmarks"]]
    if "side" in data:
        params["side"] = Text(_SIDES.get(data["side"], str(data["side"])))
    if "edges" in data:
        parts = [
            Text(_EDGES[e["edge"]], names=[_landmark_word(n) for n in e["landmarks"]])
            for e in data["edges"]
        ]
        if data.get("feet_not_in_view"):
            parts.append(Text("bottom edge (feet not in view)"))
        params["edges"] = _semicolons(parts)
    if "places" in data:
        params["places"] = _semicolons([Text(_ARM_PLACES[p]) for p in data["places"]])
    out = Reason(_ALL_MESSAGES[code], **params)
    out.code, out.data, out.parts = code, dict(data), (out,)
    return out


def _semicolons(parts: Sequence[Text]) -> Text:
    """``a; b; c`` of translatable parts (one part as it is)."""
    out = parts[0]
    for part in parts[1:]:
        out = Text("{a}; {b}", a=out, b=part)
    return out


def landmark_names(ids: Iterable[int]) -> list[str]:
    """Landmark ids as the names JSON data uses (``left_hip``)."""
    return [LANDMARK_NAMES[int(i)] for i in ids]


def missing_landmarks(ids: Iterable[int]) -> Reason:
    """``landmarks_not_visible`` for landmark ids."""
    return reason("landmarks_not_visible", landmarks=landmark_names(ids))


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


def failed_checks(quality: Mapping[str, Any] | None) -> list[Reason | str]:
    """Why each failed check of a quality report failed (JSON: ``checks``, each with
    ``ok``, ``reason`` and ``reasons``), rebuilt from its codes (``from_json``); the
    check's id where it says nothing. [] when none failed. Localize at use."""
    return [
        from_json(check.get("reason"), check.get("reasons")) or str(check.get("id", "?"))
        for check in (quality or {}).get("checks") or []
        if not check.get("ok", True)
    ]
