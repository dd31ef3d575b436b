"""The Qt side of the language: Qt's own translations and the names of keys.

Every word comes from the one message catalogue (``posture_cam.i18n``: ``_()`` with the
English text as msgid; Dutch in ``posture_cam/locale/nl/LC_MESSAGES/posture_cam.po``).
This module only installs Qt's translation of its standard dialogs
(:func:`apply_language`) and names keys the way the platform does (:func:`key_text`);
placeholders with numbers are filled by ``posture_cam.i18n.fmt`` (``{x:.2f}`` in the
language's style).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QKeySequence

from posture_cam.i18n import set_language

_qt_translator: QTranslator | None = None


def apply_language(code: str) -> bool:
    """Make ``code`` the app's language: our catalogue and Qt's own ``qtbase`` translation
    (standard buttons and dialogs: "Cancel", "&Yes", file dialogs).

    Qt's catalogue ships with PySide6 (``QLibraryInfo.TranslationsPath``); English needs
    none. Returns whether a Qt translation was installed.
    """
    global _qt_translator
    set_language(code)
    # Spin boxes and other Qt number widgets made from now on write "15,0" in Dutch.
    QLocale.setDefault(QLocale(code))
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if code == "en":
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{code}", folder):
        return False
    app.installTranslator(translator)
    _qt_translator = translator
    return True


def key_text(keys: str) -> str:
    """A shortcut as the user reads it, in the app's language ("Space" -> "Spatiebalk").

    Alternatives such as ``"+ / −"`` keep their separator; a key QKeySequence cannot
    parse alone ("+", "−") is shown as written instead of as nothing.
    """
    native = QKeySequence.SequenceFormat.NativeText
    return " / ".join(QKeySequence(k).toString(native) or k for k in keys.split(" / "))
