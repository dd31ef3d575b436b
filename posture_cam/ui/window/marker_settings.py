"""*Settings → Skin markers…*: opens :class:`MarkersDialog` and applies its choice.

Applying writes the markers and their colour into the app settings (saved) and into the
pipeline config: the live loop then measures with a new pipeline that looks for the
stickers (a photo is measured again at once). The side panel's marker line
(:class:`~posture_cam.ui.widgets.marker_line.MarkerLine`) says what each frame found.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from posture_cam.i18n import _, using_language
from posture_cam.overlay.points import SHORT_NAMES
from posture_cam.ui.dialogs.markers import MarkersDialog
from posture_cam.ui.widgets.notices import NoticeBar
from posture_cam.ui.window.settings_store import SettingsStore


class MarkerSettingsController(QObject):
    """Owns the open skin-markers dialog (at most one) and applies what it chooses.

    Args:
        store: the window's settings (markers, colour, language).
        notice: where the window says what was set.
        window: the dialog's parent window.
    """

    def __init__(self, store: SettingsStore, notice: NoticeBar, window: QWidget) -> None:
        super().__init__(window)
        self._store = store
        self._notice = notice
        self._window = window
        self.dialog: MarkersDialog | None = None

    def open_dialog(self) -> MarkersDialog:
        """Open the dialog on the markers set now (window-modal, not blocking)."""
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        s = self._store.settings
        dialog = MarkersDialog(s.markers, s.marker_colour, s.language, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply(*dialog.chosen()))
        dialog.finished.connect(lambda _result: self._on_finished(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def apply(self, markers: tuple[str, ...], colour: str) -> None:
        """Look for ``markers`` of ``colour`` from now on (saved); say so."""
        s = self._store.settings
        if (markers, colour.strip().lower()) != (s.markers, s.marker_colour):
            self._store.update(markers=markers, marker_colour=colour)
            s = self._store.settings  # normalised (protocol order, lower case)
            self._store.update_config(markers=s.markers, marker_colour=s.marker_colour)
        with using_language(s.language):
            if s.markers:
                text = _("Skin markers set: {names}. They are looked for in side views.").format(
                    names=", ".join(_(SHORT_NAMES[n]) for n in s.markers)
                )
            else:
                text = _("No skin markers set: every measurement comes from the pose model.")
        self._notice.show_notice(text)

    def _on_finished(self, dialog: MarkersDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
