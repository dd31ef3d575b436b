"""With ``--lang nl`` no English is left: every widget text and the overlay's text.

Walks the widget tree (labels, buttons, menu actions, group boxes, combo items, table
headers and cells, window titles, tooltips) of the main window fed with a frontal
person, and records every string the overlay renderer draws on a Dutch snapshot.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QMenu,
    QTableWidget,
    QWidget,
)

from posture_cam.app_settings import AppSettings
from posture_cam.config import PipelineConfig
from posture_cam.i18n import set_language, using_language
from posture_cam.overlay import OverlayRenderer
from posture_cam.overlay import style as st
from posture_cam.pipeline import Pipeline
from posture_cam.testing import (
    PassThroughRenderer,
    ScriptedEstimator,
    SyntheticFrameSource,
    demo_result,
    standing_pose,
)
from posture_cam.ui.window.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

POSE = standing_pose((640, 480), "front", shoulder_tilt_deg=3.0)

#: Words a Dutch screen must not show (English UI words that are not also Dutch).
ENGLISH = re.compile(
    r"\b(the|and|to|not|no|yet|with|from|your|you|File|View|Settings|Language|Open|"
    r"Choose|Retry|Snapshot|Mirror|Full screen|Quit|About|Shortcuts|Measurements?|Value|"
    r"Normal|normal|borderline|outside|measurable|Quality|checks?|ready|person|found|"
    r"detected|visible|frame|orientation|still|moving|Front|Back|side|left|right|high|"
    r"height|trunk|patient|Head|Shoulder|Pelvic|Trunk|tilt|shift|angle|knee|Screening|"
    r"diagnosis|unknown|latency|dropped|people|Starting|Calibration|Profile|Cancel|Close|"
    r"Next|Finish|Space|Skeleton|only|Blur|face|image|folder|Auto)\b"
)


def _visible_texts(root: QWidget) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = [("title", root.windowTitle())]
    for w in [root, *root.findChildren(QWidget)]:
        if w.toolTip():
            texts.append((f"{type(w).__name__} tooltip", w.toolTip()))
        if isinstance(w, QLabel):
            texts.append(("label", w.text()))
        elif isinstance(w, QAbstractButton):
            texts.append(("button", w.text()))
        elif isinstance(w, QGroupBox):
            texts.append(("group", w.title()))
        elif isinstance(w, QComboBox):
            texts += [("combo", w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QMenu):
            texts.append(("menu", w.title()))
        elif isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                header = w.horizontalHeaderItem(c)
                if header is not None:
                    texts.append(("header", header.text()))
            for r in range(w.rowCount()):
                for c in range(w.columnCount()):
                    item = w.item(r, c)
                    if item is not None:
                        texts += [("cell", item.text()), ("cell tooltip", item.toolTip())]
    for action in root.findChildren(QAction):
        texts += [("action", action.text()), ("action tooltip", action.toolTip())]
    return texts


def _english_left(texts: list[tuple[str, str]]) -> list[str]:
    found = []
    for kind, text in texts:
        plain = re.sub(r"<[^>]+>", " ", text).replace("&", "")
        # Metric ids in tooltips ("(shoulder_tilt)") and citations are not UI words.
        plain = re.sub(r"\([a-z_]+\)|[A-Z][a-z]+ [A-Z]{1,2}[, ].*?\d{4}[^ ]*", " ", plain)
        match = ENGLISH.search(plain)
        if match:
            found.append(f"{kind}: {match.group(0)!r} in {text!r}")
    return found


def test_main_window_in_dutch_has_no_english_text(qtbot):
    win = MainWindow(
        "synthetic",
        AppSettings(language="nl"),
        PipelineConfig(),
        source_factory=lambda spec: SyntheticFrameSource(POSE, count=60, fps=30.0),
        pipeline_factory=lambda config, mode: Pipeline(ScriptedEstimator([POSE]), config),
        renderer_factory=PassThroughRenderer,
        export_renderer_factory=PassThroughRenderer,
    )
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.video.shown is not None, timeout=5000)
        win.side.metrics_panel.update_result(win.latest.result, force=True)
        win.side.quality_panel.update_result(win.latest.result, force=True)
        texts = _visible_texts(win)
        assert any("Schouderscheefstand" in t for _kind, t in texts)
        assert any("R hoger" in t or "L hoger" in t for _kind, t in texts)
        assert not _english_left(texts), "\n".join(_english_left(texts))
    finally:
        win.close()
        set_language("en")


def test_the_check_would_see_english():
    assert _english_left([("label", "Shoulder tilt")])
    assert not _english_left([("label", "Schouderscheefstand 2,1° R hoger")])


def test_overlay_and_snapshot_panel_in_dutch_draw_no_english(monkeypatch):
    drawn: list[str] = []
    real = st.put_text

    def recording(img, text, *args, **kwargs):
        drawn.append(text)
        return real(img, text, *args, **kwargs)

    monkeypatch.setattr(st, "put_text", recording)
    for view in ("front", "left"):
        result = demo_result(view, (640, 480))
        OverlayRenderer(panel=True, language="nl").render(result.frame.image_bgr, result)
    with using_language("nl"):
        assert "L = links van de patiënt" in drawn
    found = _english_left([("overlay", t) for t in drawn])
    assert not found, "\n".join(found)
    assert any("," in t and "°" in t for t in drawn), "Dutch decimal comma"
