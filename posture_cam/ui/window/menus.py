"""The main window's actions and menus (built once, retranslated on language change).

Each action carries an i18n key; :meth:`Actions.retranslate` resets every text, so the
language switches at run time without rebuilding anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from posture_cam import wording
from posture_cam.config import MEASURED_VIEWS
from posture_cam.i18n import language_name, using_language
from posture_cam.ui.i18n import tr
from posture_cam.ui.settings import LANGUAGES, MODEL_VARIANTS, PRIVACY_MODES

VIEW_KEYS = ("view_auto", "view_front", "view_back", "view_left", "view_right")
#: The pipeline's view setting for each of ``VIEW_KEYS`` (None = detect it).
VIEWS: tuple[str | None, ...] = (None, *MEASURED_VIEWS)
#: Each language in its own words ("Nederlands"), from Babel's CLDR data.
LANGUAGE_NAMES = {code: language_name(code) for code in LANGUAGES}


@dataclass
class Actions:
    """Every QAction of the main window, by name."""

    by_key: dict[str, QAction] = field(default_factory=dict)
    menus: dict[str, QMenu] = field(default_factory=dict)
    views: list[QAction] = field(default_factory=list)
    languages: dict[str, QAction] = field(default_factory=dict)
    privacy: dict[str, QAction] = field(default_factory=dict)
    variants: dict[str, QAction] = field(default_factory=dict)

    def __getitem__(self, key: str) -> QAction:
        return self.by_key[key]

    def retranslate(self, language: str) -> None:
        for key, action in self.by_key.items():
            action.setText(tr(key, language))
        for key, menu in self.menus.items():
            menu.setTitle(tr(key, language))
        for key, action in zip(VIEW_KEYS, self.views, strict=True):
            action.setText(tr(key, language))
        for mode, action in self.privacy.items():
            action.setText(tr(f"privacy_{mode}", language))
        with using_language(language):
            for variant, action in self.variants.items():
                action.setText(wording.model_variant_name(variant))


def _action(
    win: QMainWindow,
    actions: Actions,
    key: str,
    shortcut: str | None = None,
    checkable: bool = False,
) -> QAction:
    action = QAction(win)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        # The window's shortcuts work whatever child has focus (Space included).
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setCheckable(checkable)
    win.addAction(action)
    actions.by_key[key] = action
    return action


def build_actions(win: QMainWindow) -> Actions:
    """Create the actions and the menu bar of ``win``; connect them in the window."""
    a = Actions()
    bar = win.menuBar()
    file_menu = bar.addMenu("")
    a.menus["menu_file"] = file_menu
    file_menu.addAction(_action(win, a, "open_file", "Ctrl+O"))
    file_menu.addAction(_action(win, a, "choose_camera"))
    file_menu.addAction(_action(win, a, "retry_camera"))
    file_menu.addSeparator()
    file_menu.addAction(_action(win, a, "snapshot", "Space"))
    file_menu.addAction(_action(win, a, "cancel_snapshot", "Esc"))
    file_menu.addSeparator()
    file_menu.addAction(_action(win, a, "quit", "Ctrl+Q"))

    view_menu = bar.addMenu("")
    a.menus["menu_view"] = view_menu
    view_menu.addAction(_action(win, a, "mirror", "M", checkable=True))
    view_menu.addAction(_action(win, a, "fullscreen", "F", checkable=True))
    view_menu.addAction(_action(win, a, "skeleton_only_display", checkable=True))
    view_menu.addSeparator()
    view_menu.addAction(_action(win, a, "zoom_in", "+"))
    a["zoom_in"].setShortcuts([QKeySequence("+"), QKeySequence("=")])
    view_menu.addAction(_action(win, a, "zoom_out", "-"))
    view_menu.addAction(_action(win, a, "zoom_fit", "0"))
    view_menu.addAction(_action(win, a, "zoom_person", "Z"))
    view_menu.addSeparator()
    group = QActionGroup(win)
    for i, _key in enumerate(VIEW_KEYS):
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
    a.languages = _radio_menu(win, a, settings_menu, "language", LANGUAGES, LANGUAGE_NAMES)
    a.privacy = _radio_menu(win, a, settings_menu, "export_privacy", PRIVACY_MODES)
    a.variants = _radio_menu(win, a, settings_menu, "model_variant", MODEL_VARIANTS)
    settings_menu.addAction(_action(win, a, "strict_quality", checkable=True))
    settings_menu.addAction(_action(win, a, "data_folder"))
    settings_menu.addAction(_action(win, a, "data_folder_default"))
    settings_menu.addSeparator()
    settings_menu.addAction(_action(win, a, "calibration"))

    help_menu = bar.addMenu("")
    a.menus["menu_help"] = help_menu
    help_menu.addAction(_action(win, a, "shortcuts", "F1"))
    return a


def _radio_menu(
    win: QMainWindow,
    a: Actions,
    parent: QMenu,
    key: str,
    values: tuple[str, ...],
    names: dict[str, str] | None = None,
) -> dict[str, QAction]:
    """A sub-menu of mutually exclusive checkable actions, one per value (its data).

    ``names`` gives fixed texts (language names, variants); without it the texts are set
    by :meth:`Actions.retranslate`. The menu is registered under ``key``.
    """
    menu = parent.addMenu("")
    menu.setToolTipsVisible(True)  # a disabled model variant says why
    a.menus[key] = menu
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
