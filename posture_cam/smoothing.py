"""Landmark smoothing for streams (live and video files): a pluggable strategy with a
do-nothing default.

Strategies follow the :class:`Smoother` protocol (``smooth(pose, t_ms) -> Pose`` and
``reset()``), like norfair's ``FilterFactory`` / ``NoFilterFactory``. The pipeline builds
one with :func:`make_smoother` from :class:`~posture_cam.config.PipelineConfig`.

One Euro filter (Casiez, Roussel & Vogel, CHI 2012), applied independently to each
landmark coordinate (x and y of the 33 points, vectorised over the (33, 2) array) with
the real time step between frames. Per coordinate, each frame:

    alpha(fc, dt) = 1 / (1 + 1 / (2 * pi * fc * dt))
    dx_hat = dx_hat + alpha(d_cutoff_hz, dt) * ((x - x_hat) / dt - dx_hat)
    fc     = min_cutoff_hz + beta * |dx_hat|
    x_hat  = x_hat + alpha(fc, dt) * (x - x_hat)

Parameters and their effect:

* ``min_cutoff_hz`` (Hz): cut-off of the low-pass while a point is still. Lower = less
  jitter on a still patient but more lag when they start moving. 1 Hz keeps ~0.16 s
  time constant at rest.
* ``beta`` (s/px): how fast the cut-off rises with speed (px/s). Higher = less lag on
  fast movements, at the price of letting more jitter through while moving. With
  the default 0.02, a point moving at 100 px/s gets a 1 + 2 = 3 Hz cut-off. Chosen on
  the jitter clips of bench/accuracy.py: 0.02 brings the per-frame SD of every angle
  to <= 0.25 deg (0.05: up to 0.32 deg) for 90 % of a 20 px step in 100 ms (0.05: 67 ms).
* ``d_cutoff_hz`` (Hz): cut-off of the low-pass on the speed estimate that drives
  ``fc``; 1 Hz is the value Casiez et al. recommend and rarely needs changing.

Properties the tests hold us to:

* No lag bias on a still signal: the update is written as ``x_hat + a * (x - x_hat)``
  so a constant input is returned bit-for-bit unchanged.
* NaN handling: a point that goes missing yields NaN and its filter state is dropped;
  when it reappears it starts fresh from its first new sample (no smoothing towards
  a stale position from before the gap).
* Time runs on ``t_ms``; if it does not increase (a new source, a rewound file) the
  filter restarts instead of dividing by a zero or negative step.

Only ``xy_px`` is filtered: metrics are computed from the 2-D pixel positions; depth,
visibility and world coordinates pass through unchanged.
"""

from __future__ import annotations

import math
from typing import Protocol, runtime_checkable

import numpy as np

from posture_cam.config import PipelineConfig
from posture_cam.types import Pose


@runtime_checkable
class Smoother(Protocol):
    """A stateful landmark filter for one stream."""

    def smooth(self, pose: Pose, t_ms: float) -> Pose:
        """Filter one pose observed at monotonic time ``t_ms`` (milliseconds)."""
        ...

    def reset(self) -> None:
        """Forget the stream history (new source, new person, seek)."""
        ...


class NoSmoother:
    """Do-nothing strategy: returns each pose unchanged (``smoothing="none"``:
    ``analyze --no-smoothing``, the calibration steps' photos)."""

    def smooth(self, pose: Pose, t_ms: float) -> Pose:
        return pose

    def reset(self) -> None:
        pass


def _alpha(cutoff_hz: np.ndarray | float, dt_s: float) -> np.ndarray | float:
    """Smoothing factor of a first-order low-pass with cut-off ``cutoff_hz`` for step ``dt_s``."""
    tau = 1.0 / (2.0 * math.pi * np.asarray(cutoff_hz, dtype=np.float64))
    return 1.0 / (1.0 + tau / dt_s)


class OneEuroSmoother:
    """One Euro filter on every landmark coordinate (see module docstring).

    Args:
        min_cutoff_hz: cut-off frequency at rest, in Hz (> 0).
        beta: speed coefficient in s/px (>= 0); 0 gives a plain adaptive-free low-pass.
        d_cutoff_hz: cut-off of the speed estimate, in Hz (> 0).
    """

    def __init__(
        self, min_cutoff_hz: float = 1.0, beta: float = 0.02, d_cutoff_hz: float = 1.0
    ) -> None:
        if min_cutoff_hz <= 0 or d_cutoff_hz <= 0:
            raise ValueError("One Euro cut-off frequencies must be > 0 Hz")
        if beta < 0:
            raise ValueError("One Euro beta must be >= 0")
        self.min_cutoff_hz = float(min_cutoff_hz)
        self.beta = float(beta)
        self.d_cutoff_hz = float(d_cutoff_hz)
        self.reset()

    def reset(self) -> None:
        self._x_hat: np.ndarray | None = None  # (33, 2) px, NaN = no state for that coord
        self._dx_hat: np.ndarray | None = None  # (33, 2) px/s
        self._t_ms: float | None = None

    def smooth(self, pose: Pose, t_ms: float) -> Pose:
        """Filter ``pose`` observed at ``t_ms`` (ms); returns a new Pose (input untouched)."""
        x = pose.xy_px
        if self._x_hat is None or self._t_ms is None or not t_ms > self._t_ms:
            return self._start(pose, t_ms)
        dt_s = (t_ms - self._t_ms) / 1000.0
        self._t_ms = float(t_ms)
        x_hat, dx_hat = self._x_hat, self._dx_hat
        assert dx_hat is not None

        present = np.isfinite(x)
        tracked = present & np.isfinite(x_hat)
        # Fresh points (new or back after a gap) start at their sample with zero speed.
        fresh = present & ~tracked
        new_x = np.where(fresh, x, np.nan)
        new_dx = np.where(fresh, 0.0, np.nan)

        if tracked.any():
            xs, xh, dxh = x[tracked], x_hat[tracked], dx_hat[tracked]
            dx = (xs - xh) / dt_s
            dxh = dxh + _alpha(self.d_cutoff_hz, dt_s) * (dx - dxh)
            cutoff = self.min_cutoff_hz + self.beta * np.abs(dxh)
            new_x[tracked] = xh + _alpha(cutoff, dt_s) * (xs - xh)
            new_dx[tracked] = dxh

        self._x_hat, self._dx_hat = new_x, new_dx
        return pose.with_xy(new_x.copy())

    def _start(self, pose: Pose, t_ms: float) -> Pose:
        self._x_hat = pose.xy_px.astype(np.float64, copy=True)
        self._dx_hat = np.where(np.isfinite(self._x_hat), 0.0, np.nan)
        self._t_ms = float(t_ms)
        return pose


def make_smoother(config: PipelineConfig) -> Smoother:
    """The smoothing strategy named by ``config.smoothing`` (``one_euro`` or ``none``)."""
    if config.smoothing == "none":
        return NoSmoother()
    if config.smoothing == "one_euro":
        return OneEuroSmoother(
            min_cutoff_hz=config.one_euro_min_cutoff_hz,
            beta=config.one_euro_beta,
            d_cutoff_hz=config.one_euro_d_cutoff_hz,
        )
    raise ValueError(f"unknown smoothing {config.smoothing!r}; use 'one_euro' or 'none'")
