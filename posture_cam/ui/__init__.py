"""PySide6 desktop app: the only package that imports Qt.

Grouped by role: ``window/`` (the main window and the controllers it is composed of),
``widgets/`` (reusable widgets), ``dialogs/`` (small dialogs), ``calibration/`` (the
calibration wizard), ``home/`` (the home-mode window), ``records/`` (the patient visit),
``points/`` (moving and placing points on a frozen capture); ``app`` starts it
(:func:`~posture_cam.ui.app.run_app`), ``live_worker`` is the QThread that runs the live
loop for both windows, ``signals`` closes it on Ctrl+C or SIGTERM,
``i18n`` installs Qt's own translations. What the app shows is computed in the Qt-free
core (:mod:`posture_cam.live` for the live loop).
"""
