"""*Choose camera…*: the cameras by name, with a small live preview of the selected one.

Devices come from Qt Multimedia when it is installed (not in PySide6-Essentials),
else from Linux's video4linux names, else plain numbers 0-3. The preview grabs a
frame five times a second from the selected camera on the GUI thread (a dialog, not
the live view: a short block per grab is fine); the live session releases the camera
while the dialog is open, because most systems let only one program read it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posture_cam.i18n import _, using_language
from posture_cam.sources import CameraDevice, video4linux_cameras

PREVIEW_MS = 200
PREVIEW_WH = (320, 240)

#: index -> a grab function (returns a BGR frame or None) and a close function.
Grabber = tuple[Callable[[], np.ndarray | None], Callable[[], None]]
GrabberFactory = Callable[[int], Grabber]


def list_cameras() -> list[CameraDevice]:
    """The cameras by name (Qt Multimedia, then video4linux), else numbers 0-3."""
    try:
        from PySide6.QtMultimedia import QMediaDevices  # not in PySide6-Essentials

        inputs = QMediaDevices.videoInputs()
        return [CameraDevice(i, d.description()) for i, d in enumerate(inputs)]
    except ImportError:
        pass
    if sys.platform.startswith("linux"):
        found = video4linux_cameras()
        if found:
            return found
    return [CameraDevice(i, "") for i in range(4)]


def opencv_grabber(index: int) -> Grabber:
    """Grab frames from camera ``index`` with OpenCV (the app's own capture library)."""
    import cv2

    cap = cv2.VideoCapture(index)

    def grab() -> np.ndarray | None:
        ok, frame = cap.read() if cap.isOpened() else (False, None)
        return frame if ok else None

    return grab, cap.release


class CameraChooser(QDialog):
    """Pick a camera from a named list while its picture shows on the right.

    Args:
        language: UI language.
        current: the camera index in use (selected first).
        devices: the cameras to offer (default: :func:`list_cameras`).
        grabber_factory: opens a preview grabber for an index.
        parent: Qt parent.
    """

    def __init__(
        self,
        language: str,
        current: int,
        devices: list[CameraDevice] | None = None,
        grabber_factory: GrabberFactory = opencv_grabber,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._language = language
        self._grabber_factory = grabber_factory
        self._grabber: Grabber | None = None
        with using_language(language):
            self.setWindowTitle(_("Choose camera…"))
        self.devices = list_cameras() if devices is None else devices
        self.list = QListWidget()
        for device in self.devices:
            item = QListWidgetItem(device_text(device, language))
            item.setData(Qt.ItemDataRole.UserRole, device.index)
            self.list.addItem(item)
        self.preview = QLabel(no_picture_text(language))
        self.preview.setFixedSize(*PREVIEW_WH)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #141414; color: #bbbbbb;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.preview)
        col = QVBoxLayout(self)
        col.addLayout(row)
        col.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(PREVIEW_MS)
        self._timer.timeout.connect(self._on_tick)
        self.list.currentRowChanged.connect(self._on_selection_changed)
        rows = [d.index for d in self.devices]
        self.list.setCurrentRow(rows.index(current) if current in rows else 0)
        self._timer.start()

    @property
    def chosen_index(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _on_selection_changed(self, _row: int) -> None:
        self._close_grabber()
        index = self.chosen_index
        if index is not None:
            self._grabber = self._grabber_factory(index)
        self._on_tick()

    def _on_tick(self) -> None:
        frame = self._grabber[0]() if self._grabber else None
        if frame is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(no_picture_text(self._language))
            return
        h, w = frame.shape[:2]
        image = QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_BGR888).copy()
        self.preview.setPixmap(
            QPixmap.fromImage(image).scaled(
                *PREVIEW_WH,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def _close_grabber(self) -> None:
        if self._grabber is not None:
            self._grabber[1]()
            self._grabber = None

    def done(self, result: int) -> None:
        self._timer.stop()
        self._close_grabber()
        super().done(result)


def no_picture_text(language: str) -> str:
    with using_language(language):
        return _("No picture from this camera")


def device_text(device: CameraDevice, language: str) -> str:
    """``"0 — Integrated Camera"``; ``"Camera 0"`` when the system gives no name."""
    if device.name:
        return f"{device.index} — {device.name}"
    with using_language(language):
        return _("Camera {n}").format(n=device.index)


def ask_camera(
    parent: QWidget,
    language: str,
    current: int,
    devices: list[CameraDevice] | None = None,
    grabber_factory: GrabberFactory = opencv_grabber,
) -> int | None:
    """The chosen camera index, or None when cancelled."""
    dialog = CameraChooser(language, current, devices, grabber_factory, parent)
    return dialog.chosen_index if dialog.exec() == QDialog.DialogCode.Accepted else None
