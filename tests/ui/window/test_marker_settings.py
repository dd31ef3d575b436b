"""Skin markers in the app: ``posture-cam app --markers``, *Settings → Skin markers…*,
the settings file, and the side panel's line saying which stickers the frame found and
which are missing (or why none were named). The last tests open a real side photo with
green discs composited onto it (in the test, never stored) in the real window."""

from __future__ import annotations

import dataclasses
import json

import cv2
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from posture_cam.app_settings import AppSettings, settings_path
from posture_cam.cli import build_parser
from posture_cam.cli.app import overrides
from posture_cam.config import PipelineConfig
from posture_cam.errors import InputError
from posture_cam.metrics.body import trunk_length_px
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.testing import PassThroughRenderer
from posture_cam.types import Frame
from posture_cam.ui.app import first_config
from posture_cam.ui.window.main_window import MainWindow
from tests._helpers import paint_stickers, sticker_places
from tests.ui.window._helpers import close_and_check, make_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

SET = ("tragus", "c7", "asis", "psis")
SIDE_PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"
FRONT_VIEW_LINE = (
    "Skin markers (tragus, C7, ASIS, PSIS): none named, markers are named in side views only"
)


def _flags(*argv: str) -> tuple[dict, dict]:
    return overrides(build_parser().parse_args(["app", *argv]))


# ---- the command line ------------------------------------------------------------------


def test_the_markers_flag_reaches_the_pipeline_config_and_the_settings() -> None:
    config, settings = _flags("--markers", "psis,asis,C7,tragus", "--marker-colour", "#39FF14")
    assert config == settings == {"markers": SET, "marker_colour": "#39FF14"}
    # The colour stays the saved one unless given.
    config, settings = _flags("--markers", "asis,psis")
    assert config == settings == {"markers": ("asis", "psis")}
    saved = AppSettings(marker_colour="pink", markers=("c7",))
    first = first_config(dataclasses.replace(saved, **settings), config)
    assert first.markers == ("asis", "psis") and first.marker_colour == "pink"
    # Without flags the saved markers are the window's first config.
    assert first_config(saved).markers == ("c7",)
    assert first_config(saved).marker_colour == "pink"
    assert _flags() == ({}, {})


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--markers", "c7,elbow"], "unknown marker elbow"),
        (["--markers", "c7", "--marker-colour", "purple"], "#RRGGBB"),
        (["--marker-colour", "pink"], "only with --markers"),
    ],
)
def test_bad_marker_flags_are_one_clear_line_as_for_analyze(argv, says) -> None:
    with pytest.raises(InputError, match=says):
        _flags(*argv)


def test_the_app_takes_no_point_option(capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["app", "--point", "c7=1,2"])
    assert "--point" in capsys.readouterr().err


def test_the_flags_show_in_the_window(qtbot) -> None:
    config, settings = _flags("--markers", "tragus,c7,asis,psis", "--marker-colour", "yellow")
    assert config == settings
    # The pipeline settings built from the app settings, as run_app does.
    win = make_window(qtbot, window={"persist": False}, **settings)
    assert win.config.markers == SET and win.config.marker_colour == "yellow"
    line = win.side.marker_line
    assert line.isVisible() and line.text() in (
        "Skin markers: looking for tragus, C7, ASIS, PSIS",
        FRONT_VIEW_LINE,
    )
    win.window_actions["markers"].trigger()
    dialog = win.markers.dialog
    assert dialog is not None and dialog.isVisible()
    assert [n for n, c in dialog.checks.items() if c.isChecked()] == list(SET)
    assert dialog.colour_combo.currentData() == "yellow"
    dialog.reject()
    close_and_check(win)


# ---- the dialog applies: settings saved, the live pipeline looks for the stickers --------


def test_the_dialog_applies_saves_and_the_live_view_reports_the_markers(qtbot) -> None:
    win = make_window(qtbot)
    win.store._persist = True
    qtbot.waitUntil(lambda: win.latest is not None, timeout=5000)
    assert win.side.marker_line.isHidden()  # no markers set: no line
    entry = win.window_actions["markers"]
    assert entry in win.window_actions.menus["menu_settings"].actions()
    assert entry.text() == "Skin markers…"
    entry.trigger()
    dialog = win.markers.dialog
    for name in ("psis", "asis", "c7", "tragus"):
        dialog.checks[name].setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert win.markers.dialog is None
    assert win.settings.markers == SET and win.config.markers == SET
    assert win.config.marker_colour == "green"
    saved = json.loads(settings_path().read_text())
    assert saved["markers"] == list(SET) and saved["marker_colour"] == "green"
    assert win.session.worker.settings.snapshot().config.markers == SET
    assert win.notice.text.text() == (
        "Skin markers set: tragus, C7, ASIS, PSIS. They are looked for in side views."
    )
    # The synthetic patient faces the camera: the line says why none are named.
    line = win.side.marker_line
    qtbot.waitUntil(lambda: line.text() == FRONT_VIEW_LINE, timeout=5000)
    assert line.isVisible()
    marked = win.latest.result.markers
    assert marked.markers.reason == "markers are named in side views only"
    # Unticking every box turns them off again.
    win.markers.apply((), "green")
    assert win.config.markers == () and json.loads(settings_path().read_text())["markers"] == []
    qtbot.waitUntil(lambda: line.isHidden(), timeout=5000)
    assert win.notice.text.text().startswith("No skin markers set")
    close_and_check(win)


def test_the_marker_menu_dialog_and_line_speak_dutch(qtbot) -> None:
    win = make_window(qtbot, language="nl")
    assert win.window_actions["markers"].text() == "Huidmarkers…"
    win.markers.apply(SET, "green")
    line = win.side.marker_line
    qtbot.waitUntil(lambda: "zijaanzichten" in line.text(), timeout=5000)
    assert line.text() == (
        "Huidmarkers (tragus, C7, ASIS, PSIS): geen benoemd, "
        "markers worden alleen in zijaanzichten benoemd"
    )
    assert win.notice.text.text().startswith("Huidmarkers ingesteld: tragus, C7, ASIS, PSIS.")
    close_and_check(win)


# ---- a real side photo with green discs in the real window ------------------------------


@pytest.fixture(scope="module")
def sticker_photos(media, model_path, tmp_path_factory) -> dict[str, object]:
    """The shared side photo with the four discs, and with the PSIS disc left out, as
    PNG files; the discs sit where a therapist puts them on the pose the app finds."""
    image = read_image(media(SIDE_PHOTO))
    config = PipelineConfig(model_path=str(model_path))  # the app's photo passes
    with Pipeline.open(config, mode="image", allow_network=False) as pipe:
        pose = pipe.process(Frame(image, 0, 0.0, SIDE_PHOTO)).pose_image
    places = sticker_places(pose, facing=1)  # the patient faces image-right
    trunk = trunk_length_px(pose)
    folder = tmp_path_factory.mktemp("sticker_photos")
    paths = {}
    for name, names in (("all", SET), ("no_psis", SET[:3])):
        path = folder / f"side_{name}.png"
        marked = paint_stickers(image, {n: places[n] for n in names}, trunk)
        assert cv2.imwrite(str(path), marked)
        paths[name] = path
    return paths


def _real_window(qtbot, photo, model_path) -> MainWindow:
    settings = AppSettings(markers=SET, countdown_s=0.0, hold_s=0.2)
    config = PipelineConfig(model_path=str(model_path), markers=SET)
    win = MainWindow(
        str(photo),
        settings,
        config,
        renderer_factory=PassThroughRenderer,
        export_renderer_factory=PassThroughRenderer,
        persist=False,
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.latest is not None, timeout=60_000)
    qtbot.waitUntil(lambda: "looking for" not in win.side.marker_line.text(), timeout=5000)
    return win


@pytest.mark.media
@pytest.mark.slow
def test_the_window_measures_from_the_stickers_on_a_real_side_photo(
    qtbot, sticker_photos, model_path
) -> None:
    win = _real_window(qtbot, sticker_photos["all"], model_path)
    result = win.latest.result
    assert result.view.view.is_side
    assert result.metrics["cva"].source == "marker"
    assert result.metrics["pelvic_tilt_sagittal"].source == "marker"
    assert tuple(result.markers.markers.points) == SET and result.markers.markers.missing == ()
    line = win.side.marker_line
    assert line.isVisible()
    assert line.text() == "Skin markers: all found (tragus, C7, ASIS, PSIS)"
    # The snapshot's record says which stickers gave its numbers (it did not).
    with qtbot.waitSignal(win.snapshots.saved, timeout=30_000) as blocker:
        win.take_snapshot()
    record = json.loads(blocker.args[0].sidecar.read_text())
    assert record["metrics"]["cva"]["source"] == "marker"
    block = record["markers"]
    assert sorted(block["points"]) == sorted(SET) and block["missing"] == []
    assert {p["source"] for p in block["points"].values()} == {"marker"}
    close_and_check(win)


@pytest.mark.media
@pytest.mark.slow
def test_the_window_says_which_sticker_is_missing(qtbot, sticker_photos, model_path) -> None:
    win = _real_window(qtbot, sticker_photos["no_psis"], model_path)
    result = win.latest.result
    assert result.markers.markers.missing == ("psis",)
    assert result.metrics["cva"].source == "marker"  # tragus and C7 are there
    assert win.side.marker_line.text() == (
        "Skin markers found: tragus, C7, ASIS. Missing: PSIS (measured from the pose model instead)"
    )
    close_and_check(win)
