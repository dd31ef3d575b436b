"""Write the printable calibration target as a true-scale vector PDF with Qt's PDF writer.

The layout (what goes where, in millimetres) comes from
:func:`posture_cam.calibration.target.target_layout`; this module only paints it. It
lives under ``posture_cam/ui`` because it imports Qt; the CLI imports it lazily.
"""

from __future__ import annotations

import os
from pathlib import Path

from posture_cam.atomic import write_bytes_atomic
from posture_cam.calibration.target import TargetPage, target_layout

#: Device resolution of the PDF's drawing coordinates. Only sets the rounding grid of
#: positions (1/1200 inch = 0.02 mm); the output is vector graphics.
PDF_DPI = 1200


def _ensure_gui_app() -> None:
    """Text layout needs a QGuiApplication. Writing a PDF needs no screen, so without a
    running app we start one on the offscreen platform (works on headless servers).

    It is a full QApplication: Qt allows one application object per process, and a
    plain QGuiApplication would make any later widget (the app, its tests) abort.
    """
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # Kept on the module so Python does not destroy it while Qt still uses it.
        _ensure_gui_app.app = QApplication([])  # type: ignore[attr-defined]


def render_target_pdf(paper: str = "A4") -> bytes:
    """The target as PDF bytes (landscape ``paper``: ``A4`` or ``A3``)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    _ensure_gui_app()
    pages: list[TargetPage] = target_layout(paper)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setResolution(PDF_DPI)
    writer.setTitle(f"posture_cam calibration target ({paper})")
    writer.setCreator("posture_cam")
    size_id = QPageSize.PageSizeId.A4 if paper == "A4" else QPageSize.PageSizeId.A3
    writer.setPageLayout(
        QPageLayout(
            QPageSize(size_id),
            QPageLayout.Orientation.Landscape,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    dots_per_mm = PDF_DPI / 25.4

    def mm(rect: tuple[float, float, float, float]) -> QRectF:
        x, y, w, h = rect
        return QRectF(x * dots_per_mm, y * dots_per_mm, w * dots_per_mm, h * dots_per_mm)

    painter = QPainter(writer)
    try:
        black = QColor(0, 0, 0)
        for i, page in enumerate(pages):
            if i:
                writer.newPage()
            painter.setPen(Qt.PenStyle.NoPen)
            for rect in page.black_rects_mm:
                painter.fillRect(mm(rect), black)
            painter.setPen(black)
            for box in page.texts:
                font = QFont("Helvetica")
                font.setPointSizeF(box.size_pt)
                font.setBold(box.bold)
                painter.setFont(font)
                painter.drawText(
                    mm(box.rect_mm),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                    | int(Qt.TextFlag.TextWordWrap),
                    box.text,
                )
    finally:
        painter.end()
    buf.close()
    return bytes(data.data())


def write_target_pdf(path: str | Path, paper: str = "A4") -> Path:
    """Write the target PDF atomically to ``path``; returns the path."""
    return write_bytes_atomic(path, render_target_pdf(paper))
