"""Test-retest statistics: ICC, SEM and MDC95 per metric, so a clinic measures its own
setup (camera, room, protocol) instead of trusting published numbers.

Data: ``values[subject][trial]``, n subjects × k repeated captures (k ≥ 2; every
subject the same k). Two-way ANOVA mean squares (Shrout & Fleiss 1979; McGraw & Wong
1996)::

    MS_R = k · Σ_i (mean_i − grand)² / (n − 1)          subjects (rows)
    MS_C = n · Σ_j (mean_j − grand)² / (k − 1)          trials (columns)
    MS_E = Σ_ij (x_ij − mean_i − mean_j + grand)² / ((n − 1)(k − 1))

    ICC(2,1) = (MS_R − MS_E) / (MS_R + (k − 1)·MS_E + k·(MS_C − MS_E)/n)
               two-way random effects, absolute agreement, single measurement
    ICC(3,1) = (MS_R − MS_E) / (MS_R + (k − 1)·MS_E)
               two-way mixed effects, consistency, single measurement

    SEM   = sqrt(MS_W), the within-subject SD pooled over subjects,
            MS_W = Σ_ij (x_ij − mean_i)² / (n·(k − 1))
    MDC95 = 1.96 · sqrt(2) · SEM

ICC needs at least two subjects; with one subject (a clinic repeating captures of one
volunteer) only SEM and MDC95 are given.

A negative ICC is reported as computed, never clamped to 0 (standard practice: Shrout &
Fleiss 1979; Koo & Li 2016). It means that the captures of one subject differ more than
the subjects do (MS_E > MS_R): the setup cannot tell these subjects apart, i.e. no
reliability; the sample estimate of a true ICC near 0 falls below 0 by chance about half
of the time, and a clamp would hide how far below. ICC is None where its formula
divides by 0: no variance between subjects, and none between captures or left to error
(e.g. the same captures given for every subject).

Sums of squares that are rounding residue are taken as 0: below
``n·k·(16·ε·max|x|)²`` (ε the float64 machine epsilon), the size of the error that
representing and centring the values leaves. Without that floor an exact 0/0 came out as
an arbitrary ratio of residues (0.25 for ``head_forward_angle`` but None for ``cva`` =
90° − it, from the same captures); with it, complementary metrics (x and c − x) give
the same ICC and SEM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Reliability:
    """Test-retest result of one metric.

    Attributes:
        n_subjects, n_trials: design size.
        icc_2_1, icc_3_1: intraclass correlations, negative values included (None
            with one subject, or where the formula divides by 0).
        sem: standard error of measurement (metric unit).
        mdc95: minimal detectable change at 95 % (metric unit).
        mean: grand mean.
    """

    n_subjects: int
    n_trials: int
    icc_2_1: float | None
    icc_3_1: float | None
    sem: float
    mdc95: float
    mean: float

    def to_json(self) -> dict[str, object]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(float(v), 4)

        return {
            "n_subjects": self.n_subjects,
            "n_trials": self.n_trials,
            "icc_2_1": r(self.icc_2_1),
            "icc_3_1": r(self.icc_3_1),
            "sem": r(self.sem),
            "mdc95": r(self.mdc95),
            "mean": r(self.mean),
        }


def reliability(values: Sequence[Sequence[float]]) -> Reliability:
    """ICC(2,1), ICC(3,1), SEM and MDC95 of an n × k table (see module docstring).

    Raises:
        ValueError: fewer than two trials, ragged rows, or non-finite values.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 2:
        raise ValueError("need an n_subjects x n_trials table with at least 2 trials")
    if not np.isfinite(x).all():
        raise ValueError("values must be finite")
    n, k = x.shape
    grand = float(x.mean())
    d = x - grand  # centred first: the sums of squares below lose no digits to the mean
    row = d.mean(axis=1)
    col = d.mean(axis=0)
    floor = n * k * (16.0 * np.finfo(np.float64).eps * float(np.abs(x).max())) ** 2

    def ss(a: np.ndarray) -> float:
        total = float((a**2).sum())
        return total if total > floor else 0.0

    ms_w = ss(d - row[:, None]) / (n * (k - 1))
    sem = float(np.sqrt(ms_w))
    icc2 = icc3 = None
    if n >= 2:
        ms_r = k * ss(row) / (n - 1)
        ms_c = n * ss(col) / (k - 1)
        ms_e = ss(d - row[:, None] - col[None, :]) / ((n - 1) * (k - 1))
        den2 = ms_r + (k - 1) * ms_e + k * (ms_c - ms_e) / n
        den3 = ms_r + (k - 1) * ms_e
        icc2 = (ms_r - ms_e) / den2 if den2 > 0 else None
        icc3 = (ms_r - ms_e) / den3 if den3 > 0 else None
    return Reliability(n, k, icc2, icc3, sem, float(1.96 * np.sqrt(2.0) * sem), grand)
