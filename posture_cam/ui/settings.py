"""Old home of the app settings, kept only for ``bench/app_latency.py`` (being changed
by the live-speed work now): they live in :mod:`posture_cam.app_settings`, Qt-free, so
that the CLI reads them without reaching into ``ui``. Delete this file once that bench
imports ``posture_cam.app_settings``; nothing else imports it.
"""

from posture_cam.app_settings import AppSettings

__all__ = ["AppSettings"]
