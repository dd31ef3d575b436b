"""Progress charts of the chosen patient in the app.

One chart per view and metric over all stored visits, drawn by the report's own chart
function (:func:`posture_cam.records.report.charts.draw_chart`: normal band green, MDC
band around the first visit grey, clinic visits filled circles, home checks open
diamonds), rendered by matplotlib's Agg into a :class:`QImage`: no second plotting stack.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
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


class ProgressChartsDialog(QDialog):
    """Non-modal window with the chosen patient's progress charts.

    Args:
        controller: gives the patient and the store.
        parent: the main window.
    """

    chartsDrawn = Signal()

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
        #: The chart images, in the order shown (filled when the worker is done).
        self.images: list[QImage] = []
        self._language = ""
        self._generation = 0
        self._job: ChartJob | None = None
        controller.changed.connect(self._on_changed)

    def _on_changed(self) -> None:
        if self.isVisible():
            self.refresh(force=False)

    def refresh(self, force: bool = True) -> None:
        """Reload the stored visits and draw their charts on a worker thread (Agg takes
        seconds for a dozen charts on a busy machine: the window stays responsive).

        Args:
            force: redraw even when the numbers and the language did not change (False:
                the controller changed something else, such as a step of the open visit).
        """
        from posture_cam.records.report.charts import series

        patient = self.controller.patient
        code = patient["code"] if patient else "-"
        self.setWindowTitle(_("Progress of patient {code}").format(code=code))
        self.legend.setText(wording.report_text("progress_legend"))  # the report's legend
        visits: list[Any] = []
        if patient is not None:
            with self.controller.store().session() as s:
                _patient, visits = self.controller.store().load_visits(s, patient["code"])
        views = [c.view for v in visits for c in v.captures]
        found = dict(series(visits, views))
        language = current_language()
        if not force and found == self.series and language == self._language:
            return
        self.series, self._language = found, language
        self.images = []
        self._generation += 1
        if not found:
            self._show(QLabel(_("No stored visit yet: the charts follow the first one.")))
            return
        self._show(QLabel(_("Drawing the charts…")))
        job = ChartJob(list(found.items()), language, self._generation)
        job.signals.drawn.connect(self._on_drawn)
        self._job = job  # alive until it reports
        QThreadPool.globalInstance().start(job)

    def _show(self, widget: QWidget) -> None:
        self._scroll.setWidget(widget)

    def _on_drawn(self, generation: int, images: list) -> None:
        self._job = None
        if generation != self._generation:
            return  # a newer refresh is under way
        if images and isinstance(images[0], str):
            self._show(QLabel(images[0]))  # the worker's error, one line
            return
        self.images = images
        body = QWidget()
        grid = QGridLayout(body)
        for i, image in enumerate(images):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, *divmod(i, COLUMNS))
        self._show(body)
        self.chartsDrawn.emit()


class ChartSignals(QObject):
    drawn = Signal(int, list)  # generation, [QImage] (or [error text])


class ChartJob(QRunnable):
    """Renders the charts to QImages off the GUI thread (QImage, unlike QPixmap, may be
    made on any thread)."""

    def __init__(self, items: list, language: str, generation: int) -> None:
        super().__init__()
        self.signals = ChartSignals()
        self._items, self._language, self._generation = items, language, generation

    def run(self) -> None:
        from posture_cam.records.report.charts import chart_figure

        try:
            images = [
                figure_image(chart_figure(points, key, self._language))
                for key, points in self._items
            ]
        except Exception as exc:  # a worker must always report back, whatever broke
            self.signals.drawn.emit(self._generation, [f"{type(exc).__name__}: {exc}"])
            return
        self.signals.drawn.emit(self._generation, images)
