"""The main window's actions and menus (built once, retranslated on language change).

Each action carries an i18n key; :meth:`Actions.retranslate` resets every text, so the
language switches at run time without rebuilding anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from posture_cam.ui.i18n import tr
from posture_cam.ui.settings import LANGUAGES, MODEL_VARIANTS, PRIVACY_MODES

VIEW_KEYS = ("view_auto", "view_front", "view_back", "view_left", "view_right")
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}


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
    lang_menu = settings_menu.addMenu("")
    a.menus["language"] = lang_menu
    lang_group = QActionGroup(win)
    for code in LANGUAGES:
        action = QAction(LANGUAGE_NAMES[code], win)
        action.setCheckable(True)
        action.setData(code)
        lang_group.addAction(action)
        lang_menu.addAction(action)
        a.languages[code] = action
    privacy_menu = settings_menu.addMenu("")
    a.menus["export_privacy"] = privacy_menu
    privacy_group = QActionGroup(win)
    for mode in PRIVACY_MODES:
        action = QAction(win)
        action.setCheckable(True)
        action.setData(mode)
        privacy_group.addAction(action)
        privacy_menu.addAction(action)
        a.privacy[mode] = action
    variant_menu = settings_menu.addMenu("")
    a.menus["model_variant"] = variant_menu
    variant_group = QActionGroup(win)
    for variant in MODEL_VARIANTS:
        action = QAction(variant, win)
        action.setCheckable(True)
        action.setData(variant)
        variant_group.addAction(action)
        variant_menu.addAction(action)
        a.variants[variant] = action
    settings_menu.addAction(_action(win, a, "data_folder"))
    settings_menu.addAction(_action(win, a, "data_folder_default"))
    settings_menu.addSeparator()
    settings_menu.addAction(_action(win, a, "calibration"))

    help_menu = bar.addMenu("")
    a.menus["menu_help"] = help_menu
    help_menu.addAction(_action(win, a, "shortcuts", "F1"))
    return a
