"""Progress charts of the chosen patient in the app.

One chart per view and metric over all stored visits, drawn by the report's own chart
function (:func:`posture_cam.records.report.charts.draw_chart`: normal band green, MDC
band around the first visit grey, clinic visits filled circles, home checks open
diamonds), rendered by matplotlib's Agg into a :class:`QImage`: no second plotting stack.
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
    QVBoxLayout,
    QWidget,
)

from posture_cam import wording
from posture_cam.i18n import _, current_language
from posture_cam.ui.records.visit_controller import VisitController

COLUMNS = 3


def figure_image(fig) -> QImage:
    """A matplotlib Figure rendered by Agg, as a QImage (a copy: owns its pixels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    w, h = canvas.get_width_height()
    rgba = canvas.buffer_rgba()
    return QImage(rgba, w, h, QImage.Format.Format_RGBA8888).copy()


class ProgressDialog(QDialog):
    """Non-modal window with the chosen patient's progress charts.

    Args:
        controller: gives the patient and the store.
        parent: the main window.
    """

    def __init__(self, controller: VisitController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.resize(1040, 720)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        col = QVBoxLayout(self)
        col.addWidget(self.legend)
        col.addWidget(self._scroll)
        col.addWidget(buttons)
        #: ``{(view, metric_id, unit): [(date_time, median, sd, setting), ...]}`` shown.
        self.series: dict = {}
        #: The chart images, in the order shown.
        self.images: list[QImage] = []
        controller.changed.connect(self._on_changed)

    def _on_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Redraw from the store (after a visit is stored, or on a language switch)."""
        from posture_cam.records.report.charts import chart_figure, series

        patient = self.controller.patient
        code = patient["code"] if patient else "-"
        self.setWindowTitle(_("Progress of patient {code}").format(code=code))
        self.legend.setText(wording.report_text("progress_legend"))  # the report's legend
        visits: list[Any] = []
        if patient is not None:
            with self.controller.store().session() as s:
                _patient, visits = self.controller.store().load_visits(s, patient["code"])
        views = [c.view for v in visits for c in v.captures]
        self.series = dict(series(visits, views))
        language = current_language()
        body = QWidget()
        grid = QGridLayout(body)
        self.images = []
        if not self.series:
            grid.addWidget(QLabel(_("No stored visit yet: the charts follow the first one.")))
        for i, (key, points) in enumerate(self.series.items()):
            image = figure_image(chart_figure(points, key, language))
            self.images.append(image)
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, *divmod(i, COLUMNS))
        self._scroll.setWidget(body)
