"""Pieces of the calibration wizard: the pages' shared context and base class, a
clickable frame view and the lens worker thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QThread, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget, QWizardPage

from posture_cam.calibration.profile import CalibrationProfile, load_or_new
from posture_cam.errors import PostureCamError
from posture_cam.i18n import _, fmt, localize, using_language
from posture_cam.types import FrameResult
from posture_cam.ui.calibration import steps

#: Live readings are refreshed at most this often (board detection takes 5-25 ms).
REFRESH_MS = 250
#: Frames are shrunk to at most this width before they are shown (cheap to paint).
PREVIEW_MAX_W = 800


class FrameImage(QWidget):
    """Shows a BGR frame scaled to fit; clicks report points in frame pixels.

    Attributes:
        points: the points to mark, in frame pixels (two are joined by a line).
    """

    pointClicked = Signal(float, float)  # x, y in frame pixels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._scale = 1.0  # preview pixels per frame pixel
        self.points: list[tuple[float, float]] = []
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def show_frame(self, image_bgr: np.ndarray | None) -> None:
        """Show a frame (None clears the view)."""
        if image_bgr is None:
            self._image = None
        else:
            h, w = image_bgr.shape[:2]
            self._scale = min(1.0, PREVIEW_MAX_W / w)
            small = image_bgr
            if self._scale < 1.0:
                size = (round(w * self._scale), round(h * self._scale))
                small = cv2.resize(image_bgr, size, interpolation=cv2.INTER_AREA)
            rgb = np.ascontiguousarray(cv2.cvtColor(small, cv2.COLOR_BGR2RGB))
            qimg = QImage(
                rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888
            )
            self._image = qimg.copy()  # own the pixels; ``rgb`` is freed on return
        self.update()

    def set_points(self, points: Sequence[tuple[float, float]]) -> None:
        self.points = list(points)
        self.update()

    def _target(self) -> QRectF:
        """Where the image is drawn inside the widget (aspect kept, centred)."""
        if self._image is None:
            return QRectF()
        iw, ih = self._image.width(), self._image.height()
        k = min(self.width() / iw, self.height() / ih)
        w, h = iw * k, ih * k
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _to_widget(self, x: float, y: float) -> QPointF:
        t = self._target()
        if self._image is None:
            return QPointF(t.x(), t.y())
        k = t.width() / self._image.width() * self._scale
        return QPointF(t.x() + (x + 0.5) * k, t.y() + (y + 0.5) * k)

    def to_frame(self, wx: float, wy: float) -> tuple[float, float] | None:
        """Widget position -> frame pixels, or None outside the image."""
        t = self._target()
        if self._image is None or not t.contains(QPointF(wx, wy)):
            return None
        k = t.width() / self._image.width() * self._scale
        return (wx - t.x()) / k - 0.5, (wy - t.y()) / k - 0.5

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.position()
            xy = self.to_frame(pos.x(), pos.y())
            if xy is not None:
                self.pointClicked.emit(*xy)
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(30, 30, 30))
        if self._image is not None:
            painter.drawImage(self._target(), self._image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(255, 200, 0), 2))
            marks = [self._to_widget(x, y) for x, y in self.points]
            if len(marks) == 2:
                painter.drawLine(marks[0], marks[1])
            for p in marks:
                painter.drawEllipse(p, 5, 5)
        painter.end()


class LensJob(QThread):
    """Runs the lens calibration (seconds) off the GUI thread.

    The calibration cannot be interrupted; the owner waits for it before closing.

    Args:
        views: captured BGR frames.
        profile_name: profile to update.
        camera_id: camera identifier to record, or None.
        parent: Qt parent.
    """

    calibrated = Signal(object)  # workflow.StepResult
    failed = Signal(str)

    def __init__(
        self,
        views: Sequence[np.ndarray],
        profile_name: str,
        camera_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._views = list(views)
        self._profile_name = profile_name
        self._camera_id = camera_id
        self.setObjectName("LensJob")

    def run(self) -> None:
        try:
            result = steps.save_lens_views(self._views, self._profile_name, self._camera_id)
        except PostureCamError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # thread boundary: a bug becomes a message
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.calibrated.emit(result)


@dataclass
class WizardContext:
    """What the pages share.

    Attributes:
        language: ``en`` or ``nl``.
        latest_result: returns the newest FrameResult of the live view, or None.
        camera_id: the current source's id (recorded in the profile), or None.
        profile_name: the profile being calibrated.
        saved: names of the profiles a step saved.
    """

    language: str
    latest_result: Callable[[], FrameResult | None]
    camera_id: str | None = None
    profile_name: str = ""
    saved: set[str] = field(default_factory=set)
    _profile: CalibrationProfile | None = None

    def frame(self) -> np.ndarray | None:
        result = self.latest_result()
        return None if result is None else result.frame.image_bgr

    def profile(self) -> CalibrationProfile:
        """The profile as saved (or a new one), cached until :meth:`mark_saved`."""
        if self._profile is None or self._profile.name != self.profile_name:
            try:
                self._profile = load_or_new(self.profile_name)
            except PostureCamError:
                self._profile = CalibrationProfile(self.profile_name)
        return self._profile

    def undistort(self, image: np.ndarray) -> Callable[[np.ndarray], np.ndarray] | None:
        """The profile's point undistortion for this frame, or None without a lens."""
        profile = self.profile()
        if not profile.has_lens:
            return None
        size = (image.shape[1], image.shape[0])
        return lambda xy: profile.undistort_points(xy, size)

    def mark_saved(self) -> None:
        self.saved.add(self.profile_name)
        self._profile = None


def _result_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label


def _reading_label() -> QLabel:
    label = QLabel("—")
    label.setWordWrap(True)
    label.setStyleSheet("font-size: 16px; font-weight: bold;")
    return label


class MeasurePage(QWizardPage):
    """A page with a live frame, a reading and a save result line."""

    def __init__(self, ctx: WizardContext, title: str, subtitle: str) -> None:
        """``title`` and ``subtitle`` are English msgids (marked ``N_``), shown translated."""
        super().__init__()
        self.ctx = ctx
        with using_language(ctx.language):
            self.setTitle(_(title))
            self.setSubTitle(_(subtitle))
        self.image = FrameImage()
        self.reading = _reading_label()
        self.result = _result_label()
        self._last_frame: np.ndarray | None = None

    def t(self, text: str, **fields: object) -> str:
        """``text`` translated at the call site (``self.t(_("…"), n=2)``) with its fields
        filled, numbers (``{x:.2f}``) in the language's style."""
        return fmt(text, **fields) if fields else text

    def refresh(self, *, force: bool = False) -> None:
        """Read the newest frame (the wizard's timer calls this on the current page).

        Args:
            force: read it even when it is the frame read last time (the page was
                just shown, or its input changed).
        """
        frame = self.ctx.frame()
        if frame is None:
            self.reading.setText(self.t(_("no camera image")))
            return
        if frame is self._last_frame and not force:
            return
        self._last_frame = frame
        self.update_reading(frame)

    def update_reading(self, frame: np.ndarray) -> None:
        self.image.show_frame(frame)

    def show_saved(self, run: Callable[[], steps.workflow.StepResult]) -> bool:
        """Run a save step; show its message or the problem. True when saved."""
        try:
            step = run()
        except PostureCamError as exc:
            self.result.setStyleSheet("color: #c0392b;")
            self.result.setText(str(exc))
            return False
        self.ctx.mark_saved()
        self.result.setStyleSheet("color: #2e9d4a;")
        self.result.setText(self.t(_("Saved: {message}"), message=localize(step.message)))
        return True
