"""The skin-marker and given-point options that ``analyze`` and ``visit add`` share:
``--markers NAMES``, ``--marker-colour COLOUR`` and ``--point NAME=X,Y``, and their
checks (each mistake one clear line, before any analysis starts). ``posture-cam app``
takes the first two (:func:`add_marker_arguments` with ``points=False``)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from posture_cam.errors import InputError
from posture_cam.i18n import _


@dataclass(frozen=True)
class MarkerSettings:
    """What the options asked for, checked.

    Attributes:
        markers: the sticker names placed (``posture_cam.named_points.MARKER_NAMES``).
        colour: the stickers' colour text (``green``, ``#RRGGBB``, ``h,s,v``).
        points: ``NAME=X,Y`` texts, each name once.
    """

    markers: tuple[str, ...]
    colour: str
    points: tuple[str, ...]


def add_marker_arguments(parser: argparse.ArgumentParser, *, points: bool = True) -> None:
    """Add ``--markers``, ``--marker-colour`` and (with ``points``) ``--point`` to ``parser``."""
    parser.add_argument(
        "--markers",
        metavar="NAMES",
        help=_(
            "skin markers placed on the patient, comma-separated: tragus, c7, acromion, "
            "asis, psis, trochanter, knee, malleolus (e.g. asis,psis,c7,tragus); side views"
        ),
    )
    parser.add_argument(
        "--marker-colour",
        default=None,
        metavar="COLOUR",
        help=_(
            "sticker colour: green (default, fluorescent), yellow, orange, pink, blue, "
            "#RRGGBB or h,s,v (OpenCV HSV)"
        ),
    )
    if not points:
        return
    parser.add_argument(
        "--point",
        action="append",
        default=[],
        metavar="NAME=X,Y",
        help=_(
            "give a point in image pixels (repeatable): a marker name (c7=412,300) or a "
            "landmark name to correct it (left_shoulder=400,310); wins over markers; in a "
            "video it stays at these pixels in every frame (a still patient and camera)"
        ),
    )


def marker_settings(args: argparse.Namespace) -> MarkerSettings:
    """The checked options.

    Raises:
        InputError: an unknown marker name or colour, a malformed ``--point``, a point
            named twice, or ``--marker-colour`` without ``--markers`` (exit 2).
    """
    texts = tuple(getattr(args, "point", None) or ())  # ``posture-cam app`` has none
    from posture_cam.config import PipelineConfig
    from posture_cam.markers import MarkerColour, parse_names, parse_point

    markers: tuple[str, ...] = ()
    if args.markers:
        try:
            markers = parse_names(args.markers)
        except ValueError as exc:
            raise InputError("--markers", str(exc)) from None
    if args.marker_colour is not None and not markers:
        raise InputError(
            "--marker-colour", _("only with --markers NAMES: it is the colour of those stickers")
        )
    colour = args.marker_colour or PipelineConfig.marker_colour
    MarkerColour.parse(colour)  # a bad colour: one clear line now, not per frame
    given = [parse_point(text)[0] for text in texts]  # a bad one: one clear line
    twice = next((name for name in given if given.count(name) > 1), None)
    if twice is not None:
        raise InputError(f"--point {twice}", _("given more than once: give each point once"))
    return MarkerSettings(markers, colour, texts)
