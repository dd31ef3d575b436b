"""*Settings → Calibration…*: a wizard that calibrates a profile on the live camera image.

Pages: profile → lens (optional; first, because level and scale then use its
undistortion, as calibration/README.md says) → level → scale → done. The measuring
pages (:mod:`posture_cam.ui.calibration.pages`) read the newest frame the main window
already received, through the ``latest_result`` callable; nothing here opens the camera
or runs the pose model. One timer refreshes the current page's live reading at most
four times a second. Every step saves through the CLI's own calibration functions, so a
step keeps the profile's other fields.

The wizard never changes the live view by itself: *Apply to the live view* (done page)
and *Turn calibration off* (profile page) emit :attr:`CalibrationWizard.profileChosen`
and the main window switches its pipeline.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from posture_cam.calibration.profile import list_profiles
from posture_cam.errors import CalibrationError
from posture_cam.i18n import _, fmt, using_language
from posture_cam.types import FrameResult
from posture_cam.ui.calibration import steps
from posture_cam.ui.calibration.pages import LensPage, LevelPage, ScalePage
from posture_cam.ui.calibration.widgets import REFRESH_MS, MeasurePage, WizardContext


def summary_lines(summary: steps.ProfileSummary, language: str) -> list[str]:
    """What a profile holds, one line per calibration, in ``language``."""
    with using_language(language):
        return _summary_lines(summary)


def _summary_lines(summary: steps.ProfileSummary) -> list[str]:
    if not summary.exists:
        return [_("new profile: nothing calibrated yet")]
    missing = _("not calibrated")
    values = (
        (_("Level"), _("camera roll {value:+.2f}°"), summary.roll_deg),
        (_("Scale"), _("{value:.4f} cm per pixel"), summary.cm_per_px),
        (_("Lens"), _("reprojection error {value:.3f} px"), summary.lens_rms_px),
    )
    lines = [
        f"{label}: " + (missing if v is None else fmt(text, value=v)) for label, text, v in values
    ]
    if summary.image_size_wh:
        w, h = summary.image_size_wh
        lines.append(fmt(_("Calibrated at {w}×{h} pixels"), w=w, h=h))
    return lines


class ProfilePage(QWizardPage):
    """Choose an existing profile or type a new name."""

    def __init__(self, ctx: WizardContext, active: str | None) -> None:
        super().__init__()
        self.ctx = ctx

        self.setTitle(_("Profile"))
        self.setSubTitle(_("One profile per camera set-up. Choose a profile or type a new name."))
        self.names = QComboBox()
        self.names.setEditable(True)
        self.names.addItems(list_profiles())
        line_edit = self.names.lineEdit()
        if line_edit is not None:  # always, for an editable combo box
            line_edit.setPlaceholderText(_("e.g. clinic"))
        self.names.setCurrentText(active or (self.names.itemText(0) if self.names.count() else ""))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.active = QLabel(active or _("(none — angles only, distances in % of height)"))
        self.turn_off = QPushButton(_("Turn calibration off"))
        self.turn_off.setEnabled(active is not None)
        form = QFormLayout()
        form.addRow(_("Profile:"), self.names)
        form.addRow("", self.summary)
        form.addRow(_("Camera:"), QLabel(ctx.camera_id or "—"))
        form.addRow(_("Active in the live view:"), self.active)
        form.addRow("", self.turn_off)
        note = QLabel(
            _(
                "First print the board and the scale marker: save the printable target "
                "below and print it at 100 % (actual size, not 'fit to page')."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        # The printable board and scale marker, saved from here (no terminal needed).
        self.paper = QComboBox()
        self.paper.addItems(["A4", "A3"])
        self.save_target = QPushButton(_("Save printable target…"))
        self.save_target.clicked.connect(self.save_target_pdf)
        self.target_status = QLabel()
        self.target_status.setWordWrap(True)
        self.target_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        target_row = QHBoxLayout()
        target_row.addWidget(self.save_target)
        target_row.addWidget(self.paper)
        target_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(note)
        layout.addLayout(target_row)
        layout.addWidget(self.target_status)
        self.names.currentTextChanged.connect(self._on_name_changed)
        self._on_name_changed(self.names.currentText())

    def name(self) -> str:
        return self.names.currentText().strip()

    def save_target_pdf(self) -> None:
        """Ask where, then write the true-scale target PDF (the core renderer)."""
        paper = self.paper.currentText()
        path = QFileDialog.getSaveFileName(
            self,
            _("Save printable target…"),
            f"posture_cam_target_{paper}.pdf",
            "PDF (*.pdf)",
        )[0]
        if not path:
            return
        # Imported here: matplotlib's PDF backend takes over a second to import, and
        # the app's start (the window, the first live frame) must not wait for it.
        from posture_cam.calibration.pdf_target import write_target_pdf

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = write_target_pdf(path, paper)
        except OSError as exc:
            self.target_status.setText(
                fmt(_("The target could not be saved: {reason}"), reason=str(exc))
            )
        else:
            self.target_status.setText(
                fmt(
                    _(
                        "Saved {path}. Print it at 100 % and measure the check square next to "
                        "the board: it must be the size printed under it."
                    ),
                    path=str(written),
                )
            )
        finally:
            QApplication.restoreOverrideCursor()

    def _on_name_changed(self, _text: str) -> None:
        name = self.name()
        try:
            steps.check_name(name)
        except CalibrationError:
            self.summary.setText(
                _("Use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit.")
                if name
                else ""
            )
        else:
            self.summary.setText("\n".join(summary_lines(steps.summarize(name), self.ctx.language)))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        try:
            steps.check_name(self.name())
        except CalibrationError:
            return False
        return True

    def validatePage(self) -> bool:
        self.ctx.profile_name = self.name()
        return True


class DonePage(QWizardPage):
    """Summary of the profile and *Apply to the live view*."""

    def __init__(self, ctx: WizardContext, apply: Callable[[str], None]) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle(_("Done"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 15px;")
        self.apply_button = QPushButton(_("Apply to the live view"))
        self.applied = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.applied)
        layout.addStretch(1)
        self.apply_button.clicked.connect(lambda: apply(self.ctx.profile_name))

    def initializePage(self) -> None:
        lang, name = self.ctx.language, self.ctx.profile_name
        self.setSubTitle(fmt(_("Profile '{name}'"), name=name))
        summary = steps.summarize(name)
        self.summary.setText("\n".join(summary_lines(summary, lang)))
        self.apply_button.setEnabled(summary.exists)
        self.applied.setText("")


class CalibrationWizard(QWizard):
    """Calibrate a profile on the live image and optionally apply it.

    Args:
        language: ``en`` or ``nl``.
        active: the profile the live view uses now, or None.
        latest_result: returns the newest FrameResult of the live view, or None.
        camera_id: the current source's id (recorded in the profile), or None.
        parent: Qt parent.
    """

    profileChosen = Signal(object)  # str | None: the profile the live view should use

    PROFILE, LENS, LEVEL, SCALE, DONE = range(5)

    def __init__(
        self,
        language: str,
        active: str | None,
        latest_result: Callable[[], FrameResult | None],
        camera_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = WizardContext(language, latest_result, camera_id)
        self.setWindowTitle(_("Calibration wizard"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        buttons = QWizard.WizardButton
        with using_language(language):
            texts = {
                buttons.BackButton: _("< Back"),
                buttons.NextButton: _("Next >"),
                buttons.FinishButton: _("Finish"),
                buttons.CancelButton: _("Cancel"),
            }
        for button, text in texts.items():
            self.setButtonText(button, text)
        self.profile_page = ProfilePage(self.ctx, active)
        self.lens_page = LensPage(self.ctx)
        self.level_page = LevelPage(self.ctx)
        self.scale_page = ScalePage(self.ctx)
        self.done_page = DonePage(self.ctx, self._on_apply_clicked)
        for page_id, page in enumerate(
            (self.profile_page, self.lens_page, self.level_page, self.scale_page, self.done_page)
        ):
            self.setPage(page_id, page)
        self.profile_page.turn_off.clicked.connect(self._on_turn_off_clicked)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._on_refresh_timer)
        self._timer.start()
        self.currentIdChanged.connect(self._on_page_changed)
        self.resize(860, 720)

    def _on_refresh_timer(self) -> None:
        page = self.currentPage()
        if isinstance(page, MeasurePage):
            page.refresh()

    def _on_page_changed(self, _page_id: int) -> None:
        page = self.currentPage()
        if isinstance(page, MeasurePage):
            page.refresh(force=True)  # read at once, even if the frame did not change

    def _on_apply_clicked(self, name: str) -> None:
        self.profileChosen.emit(name)
        self.done_page.applied.setText(
            fmt(_("The live view now uses profile '{name}'."), name=name)
        )

    def _on_turn_off_clicked(self) -> None:
        self.profileChosen.emit(None)
        self.profile_page.active.setText(_("(none — angles only, distances in % of height)"))
        self.profile_page.turn_off.setEnabled(False)

    @property
    def saved_profiles(self) -> set[str]:
        """Profiles a step of this wizard saved since they were last applied (the live
        view reloads the active one when the wizard closes)."""
        return set(self.ctx.saved)

    def mark_applied(self, profile: str | None) -> None:
        """The live view has just loaded ``profile``: its saved changes are in effect."""
        if profile is not None:
            self.ctx.saved.discard(profile)

    def done(self, result: int) -> None:
        self._timer.stop()
        if self.lens_page.busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.lens_page.wait()  # a few seconds at most; never terminate()
            finally:
                QGuiApplication.restoreOverrideCursor()
        super().done(result)
