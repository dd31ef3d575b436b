"""The visit overview: each view of this visit next to the previous visit's.

Per view one row: the previous visit's annotated image (with its date) and this visit's,
side by side, and under them a table of each metric measured in both: previous value
and value now (each with its ±; a legend says what the ± combines), the change and its
minimal detectable change with the judgement ("beyond measurement error" only when
|change| > MDC; ``posture_cam.records.compare``). Works for a visit still being taken
(compared with the latest stored visit) and for a stored one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posture_cam import wording
from posture_cam.i18n import _, current_language, format_number, format_signed
from posture_cam.metrics.mdc import MDC_DECIMALS
from posture_cam.records.models import SHOWS_NO_MORE_THAN
from posture_cam.records.spread import plus_minus
from posture_cam.ui.records.visit_controller import VisitController
from posture_cam.wording import change_judgement, view_name

#: Longest side of each image in the overview (pixels).
IMAGE_PX = 360


def image_bytes(capture: Any, privacy: str, language: str) -> bytes | None:
    """PNG bytes of a capture's image: a stored one (file) or one not stored yet; in
    ``privacy`` where there is one, else the next that shows less (a home check has
    only its skeleton picture: it showed "—" under the default privacy)."""
    if capture is None:
        return None
    for mode in SHOWS_NO_MORE_THAN.get(privacy, (privacy,)):
        png = _image_bytes_in(capture, mode, language)
        if png is not None:
            return png
    return None


def _image_bytes_in(capture: Any, privacy: str, language: str) -> bytes | None:
    images = getattr(capture, "images", None)
    if isinstance(images, dict):  # CaptureData: {(privacy, language): bytes}
        return images.get((privacy, language)) or next(
            (png for (p, _lang), png in images.items() if p == privacy), None
        )
    from posture_cam.records import files

    image = capture.image(privacy, language)
    if image is None:
        return None
    try:
        return files.resolve(image.path).read_bytes()
    except (OSError, ValueError):
        return None


def _pixmap(png: bytes | None) -> QPixmap | None:
    if not png:
        return None
    image = QImage.fromData(png)
    if image.isNull():
        return None
    return QPixmap.fromImage(image).scaled(
        IMAGE_PX,
        IMAGE_PX,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class OverviewDialog(QDialog):
    """Non-modal window with the views of the visit beside the previous visit's.

    Args:
        controller: the visit controller (its ``comparison()``, and ``image_privacy``:
            which stored image the privacy settings let it show).
        parent: the main window.
    """

    def __init__(self, controller: VisitController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.resize(820, 720)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        col = QVBoxLayout(self)
        col.addWidget(self._scroll)
        col.addWidget(buttons)
        #: Per shown view: (previous image label, current image label, table).
        self.rows: dict[str, tuple[QLabel, QLabel, QTableWidget]] = {}
        #: What the ± combines (shown under the tables once there is one).
        self.legend: QLabel | None = None
        self._fallback = False
        controller.changed.connect(self._on_changed)

    def _on_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Rebuild from the controller's visit (also on a language switch)."""
        self.setWindowTitle(_("Visit overview"))
        body = QWidget()
        grid = QGridLayout(body)
        self.rows = {}
        language = current_language()
        comparisons = self.controller.comparison()
        if not comparisons:
            grid.addWidget(QLabel(_("No capture in this visit yet.")), 0, 0)
        row = 0
        self._fallback = False
        for comparison in comparisons:
            title = QLabel(f"<b>{view_name(comparison.view)}</b>")
            grid.addWidget(title, row, 0, 1, 2)
            row += 1
            if comparison.previous_visit is not None:
                date = comparison.previous_visit.date_time.strftime("%Y-%m-%d")
                before_caption = _("Previous visit ({date})").format(date=date)
            else:
                before_caption = _("No earlier visit with this view")
            grid.addWidget(QLabel(before_caption), row, 0)
            grid.addWidget(QLabel(_("This visit")), row, 1)
            row += 1
            before = self._image_label(comparison.previous, language)
            now = self._image_label(comparison.current, language)
            grid.addWidget(before, row, 0)
            grid.addWidget(now, row, 1)
            row += 1
            table = self._table(comparison)
            grid.addWidget(table, row, 0, 1, 2)
            row += 1
            self.rows[comparison.view] = (before, now, table)
        if comparisons:
            # What the ± combines; an older record's SD-only ± says so.
            legend = wording.report_text("pm_legend")
            if self._fallback:
                legend += " " + wording.report_text("pm_legend_sd")
            self.legend = QLabel(legend)
            self.legend.setWordWrap(True)
            grid.addWidget(self.legend, row, 0, 1, 2)
            row += 1
        grid.setRowStretch(row, 1)
        self._scroll.setWidget(body)

    def _image_label(self, capture: Any, language: str) -> QLabel:
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setMinimumSize(IMAGE_PX // 2, IMAGE_PX // 2)
        privacy = self.controller.image_privacy(shown=True)
        pixmap = _pixmap(image_bytes(capture, privacy, language))
        if pixmap is None:
            label.setText("—" if capture is None else wording.report_text("no_image"))
        else:
            label.setPixmap(pixmap)
        return label

    def _value(self, value: float, metric: Any, unit: str) -> str:
        """``2.1° ±0.8°``: the value with its ± as every table writes it
        (``wording.plus_minus_text``, ``records.spread``); an older record without a
        stored uncertainty shows its frame SD marked: ``2.1° ±0.4° SD``."""
        text = wording.format_value(value, unit, signed=False)
        pm = plus_minus(metric)
        if pm.value is None:
            return text
        self._fallback = self._fallback or pm.fallback
        return f"{text} {wording.plus_minus_text(pm.value, unit, frame_sd_only=pm.fallback)}"

    def _table(self, comparison: Any) -> QTableWidget:
        keys = ("previous", "now", "change", "mdc", "judgement")
        # the report's own columns
        headers = [wording.measurement_heading(), *(wording.report_text(key) for key in keys)]
        changes = {c.metric_id: c for c in comparison.changes}
        previous = comparison.previous.metrics if comparison.previous is not None else []
        before = {m.metric_id: m for m in previous}
        metrics = [m for m in comparison.current.metrics if m.median is not None]
        table = QTableWidget(len(metrics), len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, m in enumerate(metrics):
            change = changes.get(m.metric_id)
            unit = m.unit or ""
            cells = [
                wording.metric_label(m.metric_id),
                self._value(change.previous, before[m.metric_id], unit) if change else "—",
                self._value(m.median, m, unit),
                # The change of the shown (rounded) values and the MDC as declared, as
                # the report prints them; the verdict compares these two.
                format_signed(change.shown_change) if change and change.comparable else "—",
                format_number(change.mdc, MDC_DECIMALS)
                if change and change.comparable and change.mdc is not None
                else "—",
                change_judgement(change) if change else "—",
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, m.metric_id)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        table.setMinimumHeight(min(40 + 26 * len(metrics), 420))
        return table
