"""Keep MediaPipe off the network: no patient session may phone home.

The MediaPipe Tasks wheels on PyPI (1.x; google-ai-edge/mediapipe#6291) carry a
usage-statistics uploader ("clearcut", ``https://play.googleapis.com/log``) that a
native thread runs after a landmarker was used and again at process exit: a DNS lookup
for ``play.googleapis.com`` and, when the name resolves, a TLS connection. The wheel
offers no switch for it (the C ``MpBaseOptions`` has none; the host environment fields
do not change it). The uploader sends through its bundled libcurl, which reads the
standard ``https_proxy`` / ``all_proxy`` variables at request time; pointing them at a
proxy scheme libcurl does not support makes every upload fail before any name lookup
or connection (checked with ``strace -f -e trace=connect``: no AF_INET/AF_INET6
connect, see tests/faults/test_privacy.py).

:func:`block` sets those variables for this process only, before the first landmarker
is made (``posture_cam.pose``); :func:`user_proxies` keeps the user's own proxy
settings for the one place that may use the network on purpose, the model download.
"""

from __future__ import annotations

import os

#: An unsupported proxy scheme: libcurl refuses it without resolving or connecting.
BLOCKING_PROXY = "blocked-by-posture-cam://telemetry.off"
_PROXY_VARS = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
_NO_PROXY_VARS = ("no_proxy", "NO_PROXY")

_saved: dict[str, str] | None = None


def block() -> None:
    """Route MediaPipe's native uploads to a proxy that cannot exist (idempotent)."""
    global _saved
    if _saved is None:
        _saved = {k: os.environ[k] for k in (*_PROXY_VARS, *_NO_PROXY_VARS) if k in os.environ}
    for key in _PROXY_VARS:
        os.environ[key] = BLOCKING_PROXY
    # A user's no_proxy entry such as "*" or ".googleapis.com" would bypass the block.
    for key in _NO_PROXY_VARS:
        os.environ.pop(key, None)


def user_proxies() -> dict[str, str]:
    """The user's proxies (scheme -> URL) as they were before :func:`block`."""
    import urllib.request

    if _saved is None:
        return urllib.request.getproxies()
    proxies: dict[str, str] = {}
    for key, value in _saved.items():
        if key.lower().endswith("_proxy") and value:
            proxies[key.lower()[: -len("_proxy")]] = value
    return proxies


def user_env() -> dict[str, str]:
    """``os.environ`` with the user's own proxy settings, for child processes that may
    use the network on purpose (pip in the offline model build)."""
    env = dict(os.environ)
    if _saved is not None:
        for key in (*_PROXY_VARS, *_NO_PROXY_VARS):
            env.pop(key, None)
        env.update(_saved)
    return env
