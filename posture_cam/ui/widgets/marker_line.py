"""One line under the quality checks about the skin markers the user set: which expected
stickers the newest frame found and which are missing, or why none were named ("markers
are named in side views only").

The words come from :func:`marker_text` (no Qt in it, so it is tested on plain
:class:`~posture_cam.markers.MarkerResult` values); :class:`MarkerLine` only shows them
and is hidden while no markers are set. Marker names are the short names the overlay
writes beside the rings (``tragus``, ``C7``, ``ASIS``), so the line and the picture agree.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from posture_cam.i18n import _, using_language
from posture_cam.markers import MarkerResult
from posture_cam.overlay.points import SHORT_NAMES
from posture_cam.types import FrameResult

#: Label styles: every expected sticker found, some missing / none named.
OK_STYLE = "color: #1f6f2a;"
WARNING_STYLE = "color: #b36b00;"


def _names(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(_(SHORT_NAMES[n]) for n in names)


def marker_text(
    expected: tuple[str, ...], found: MarkerResult | None, language: str
) -> tuple[str, bool]:
    """The line for the markers set and what the newest frame found.

    Args:
        expected: the marker names the user set (protocol order); () = none set.
        found: the newest frame's markers (``FrameResult.markers.markers``), None before
            a frame was measured with them.
        language: UI language.

    Returns:
        The text ("" when no markers are set) and whether it warns (a marker missing,
        or none named).
    """
    if not expected:
        return "", False
    with using_language(language):
        if found is None:
            return _("Skin markers: looking for {names}").format(names=_names(expected)), False
        if found.reason:
            # Why none were named: not a side view, nobody in view, no trunk.
            text = _("Skin markers ({names}): none named, {reason}").format(
                names=_names(expected), reason=_(found.reason)
            )
            return text, True
        have = [n for n in expected if n in found.points]
        if not found.missing:
            return _("Skin markers: all found ({names})").format(names=_names(have)), False
        if not have:
            text = _(
                "Skin markers: none of {names} found (measured from the pose model instead)"
            ).format(names=_names(found.missing))
        else:
            text = _(
                "Skin markers found: {found}. Missing: {missing} (measured from the pose"
                " model instead)"
            ).format(found=_names(have), missing=_names(found.missing))
        if found.too_small and found.sticker_px is not None:
            text += " " + _(
                "At this distance a 20 mm sticker is about {px} px across, too small to be"
                " found reliably: move the camera closer or use a higher resolution."
            ).format(px=f"{found.sticker_px:.0f}")
        return text, True


class MarkerLine(QLabel):
    """What became of the skin markers set, for the newest frame (hidden when none are set).

    Args:
        language: the UI language.
        parent: Qt parent.
    """

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self._language = language
        self._expected: tuple[str, ...] = ()
        self._found: MarkerResult | None = None
        self.hide()

    def set_expected(self, names: tuple[str, ...]) -> None:
        """The markers now set (from the settings); a change forgets the last frame's."""
        if names != self._expected:
            self._expected = names
            self._found = None
            self._show()

    def update_result(self, result: FrameResult) -> None:
        """Take the markers of a new live result (a frame measured without them: none)."""
        points = result.markers
        found = points.markers if points is not None else None
        if found is None and self._found is None:
            return  # the usual frame without markers: nothing to redo
        self._found = found
        self._show()

    def clear(self) -> None:
        """The stream the last result belonged to is gone."""
        self._found = None
        self._show()

    def retranslate(self, language: str) -> None:
        self._language = language
        self._show()

    def _show(self) -> None:
        text, warn = marker_text(self._expected, self._found, self._language)
        if text != self.text():
            self.setText(text)
            with using_language(self._language):
                self.setToolTip(
                    _(
                        "Round stickers of one colour on the side toward the camera; "
                        "set them in Settings, Skin markers…"
                    )
                    if text
                    else ""
                )
        style = WARNING_STYLE if warn else OK_STYLE
        if self.styleSheet() != style:
            self.setStyleSheet(style)
        if self.isHidden() == bool(text):
            self.setVisible(bool(text))
