"""The main window's actions and menus (built once, retranslated on language change).

Each action has a name (``"snapshot"``, what the window connects by) and its English
text, marked with ``N_`` where the action is made; :meth:`Actions.retranslate` sets every
text in the chosen language, so the language switches at run time without rebuilding
anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from posture_cam import wording
from posture_cam.app_settings import LANGUAGES, MODEL_VARIANTS, PRIVACY_MODES
from posture_cam.config import MEASURED_VIEWS
from posture_cam.i18n import N_, _, language_name, using_language

#: The view choices of the menu and the side panel, in order (None = detect it).
VIEWS: tuple[str | None, ...] = (None, *MEASURED_VIEWS)
#: Each export privacy mode of ``PRIVACY_MODES`` in words.
PRIVACY_WORDS: dict[str, str] = {
    "none": N_("Full image"),
    "blur_face": N_("Blur face"),
    "skeleton_only": N_("Skeleton only (no camera pixels)"),
}
#: Each language in its own words ("Nederlands"), from Babel's CLDR data.
LANGUAGE_NAMES = {code: language_name(code) for code in LANGUAGES}


@dataclass
class Actions:
    """Every QAction of the main window, by name."""

    by_key: dict[str, QAction] = field(default_factory=dict)
    menus: dict[str, QMenu] = field(default_factory=dict)
    #: The English text (msgid) of each action and menu, by name.
    texts: dict[str, str] = field(default_factory=dict)
    views: list[QAction] = field(default_factory=list)
    languages: dict[str, QAction] = field(default_factory=dict)
    privacy: dict[str, QAction] = field(default_factory=dict)
    variants: dict[str, QAction] = field(default_factory=dict)

    def __getitem__(self, key: str) -> QAction:
        return self.by_key[key]

    def retranslate(self, language: str) -> None:
        with using_language(language):
            for key, action in self.by_key.items():
                action.setText(_(self.texts[key]))
            for key, menu in self.menus.items():
                menu.setTitle(_(self.texts[key]))
            for view, action in zip(VIEWS, self.views, strict=True):
                action.setText(wording.view_setting_name(view))
            for mode, action in self.privacy.items():
                action.setText(_(PRIVACY_WORDS[mode]))
            for variant, action in self.variants.items():
                action.setText(wording.model_variant_name(variant))


def _action(
    win: QMainWindow,
    actions: Actions,
    key: str,
    text: str,
    shortcut: str | None = None,
    checkable: bool = False,
) -> QAction:
    """A window action named ``key`` showing ``text`` (an English msgid marked ``N_``)."""
    action = QAction(win)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        # The window's shortcuts work whatever child has focus (Space included).
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setCheckable(checkable)
    win.addAction(action)
    actions.by_key[key] = action
    actions.texts[key] = text
    return action


def build_actions(win: QMainWindow) -> Actions:
    """Create the actions and the menu bar of ``win``; connect them in the window."""
    a = Actions()
    bar = win.menuBar()
    file_menu = bar.addMenu("")
    a.menus["menu_file"] = file_menu
    a.texts["menu_file"] = N_("&File")
    file_menu.addAction(_action(win, a, "open_file", N_("Open video or photo…"), "Ctrl+O"))
    file_menu.addAction(_action(win, a, "choose_camera", N_("Choose camera…")))
    file_menu.addAction(_action(win, a, "retry_camera", N_("Retry camera")))
    file_menu.addSeparator()
    file_menu.addAction(_action(win, a, "snapshot", N_("Snapshot"), "Space"))
    file_menu.addAction(_action(win, a, "cancel_snapshot", N_("Cancel snapshot"), "Esc"))
    file_menu.addSeparator()
    file_menu.addAction(_action(win, a, "quit", N_("Quit"), "Ctrl+Q"))

    view_menu = bar.addMenu("")
    a.menus["menu_view"] = view_menu
    a.texts["menu_view"] = N_("&View")
    view_menu.addAction(_action(win, a, "mirror", N_("Mirror"), "M", checkable=True))
    view_menu.addAction(_action(win, a, "fullscreen", N_("Full screen"), "F", checkable=True))
    view_menu.addAction(
        _action(
            win, a, "skeleton_only_display", N_("Skeleton only (hide camera image)"), checkable=True
        )
    )
    view_menu.addSeparator()
    view_menu.addAction(_action(win, a, "zoom_in", N_("Zoom in (or the mouse wheel)"), "+"))
    a["zoom_in"].setShortcuts([QKeySequence("+"), QKeySequence("=")])
    view_menu.addAction(_action(win, a, "zoom_out", N_("Zoom out"), "-"))
    view_menu.addAction(_action(win, a, "zoom_fit", N_("Whole picture"), "0"))
    view_menu.addAction(_action(win, a, "zoom_person", N_("Zoom to the patient"), "Z"))
    view_menu.addSeparator()
    group = QActionGroup(win)
    for i in range(len(VIEWS)):
        action = QAction(win)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(str(i + 1)))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setData(i)
        group.addAction(action)
        view_menu.addAction(action)
        win.addAction(action)
        a.views.append(action)
    a.views[0].setChecked(True)

    settings_menu = bar.addMenu("")
    a.menus["menu_settings"] = settings_menu
    a.texts["menu_settings"] = N_("&Settings")
    a.languages = _radio_menu(
        win, a, settings_menu, "language", N_("Language"), LANGUAGES, LANGUAGE_NAMES
    )
    a.privacy = _radio_menu(
        win, a, settings_menu, "export_privacy", N_("Snapshot privacy"), PRIVACY_MODES
    )
    a.variants = _radio_menu(
        win, a, settings_menu, "model_variant", N_("Pose model"), MODEL_VARIANTS
    )
    settings_menu.addAction(
        _action(
            win,
            a,
            "strict_quality",
            N_("Strict quality: save only snapshots that pass the checks"),
            checkable=True,
        )
    )
    settings_menu.addAction(_action(win, a, "data_folder", N_("Snapshot folder…")))
    settings_menu.addAction(
        _action(win, a, "data_folder_default", N_("Use default snapshot folder"))
    )
    settings_menu.addSeparator()
    settings_menu.addAction(_action(win, a, "markers", N_("Skin markers…")))
    settings_menu.addAction(_action(win, a, "calibration", N_("Calibration…")))

    help_menu = bar.addMenu("")
    a.menus["menu_help"] = help_menu
    a.texts["menu_help"] = N_("&Help")
    help_menu.addAction(_action(win, a, "shortcuts", N_("Keyboard shortcuts"), "F1"))
    return a


def _radio_menu(
    win: QMainWindow,
    a: Actions,
    parent: QMenu,
    key: str,
    text: str,
    values: tuple[str, ...],
    names: dict[str, str] | None = None,
) -> dict[str, QAction]:
    """A sub-menu of mutually exclusive checkable actions, one per value (its data).

    ``names`` gives fixed texts (language names, variants); without it the texts are set
    by :meth:`Actions.retranslate`. The menu is registered under ``key`` with its title
    ``text`` (an English msgid).
    """
    menu = parent.addMenu("")
    menu.setToolTipsVisible(True)  # a disabled model variant says why
    a.menus[key] = menu
    a.texts[key] = text
    group = QActionGroup(win)
    actions = {}
    for value in values:
        action = QAction(names[value], win) if names else QAction(win)
        action.setCheckable(True)
        action.setData(value)
        group.addAction(action)
        menu.addAction(action)
        actions[value] = action
    return actions
