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

ICC needs at least three subjects (``MIN_SUBJECTS_FOR_ICC``); with one or two (a clinic
repeating captures of one volunteer) only SEM and MDC95 are given. With two, the
subjects' mean square has one degree of freedom and ICC(2,1) is unbounded below: two
re-framed frontal photos of two people gave −10.9, with a Satterthwaite interval of
−10.90 to −10.90. For test-retest, read ICC(2,1): absolute
agreement counts a systematic shift between captures (the second session reading 2°
higher) as error; ICC(3,1) does not, so it is the higher of the two whenever such a shift
exists (Weir 2005; Koo & Li 2016). SEM includes such a shift too: MS_W pools the error
and the captures' mean differences (it equals de Vet's SEM_agreement), so it is what a
clinic can expect between two captures of one patient. ``capture_means`` shows the shift.

95 % confidence intervals (McGraw & Wong 1996, as Shrout & Fleiss; the same as
pingouin's ``intraclass_corr``): ICC(3,1) from the F ratio F = MS_R / MS_E on
(n − 1, (n − 1)(k − 1)) degrees of freedom; ICC(2,1) with Satterthwaite's approximate
degrees of freedom v. Few subjects make them wide: 10 subjects × 3 captures with an
ICC(2,1) of 0.64 give 0.08–0.90; Koo & Li 2016 ask for at least 30 subjects and 3
captures for a reliability study.

A negative ICC is reported as computed, never clamped to 0 (standard practice: Shrout &
Fleiss 1979; Koo & Li 2016). It means that the captures of one subject differ more than
the subjects do (MS_E > MS_R): the setup cannot tell these subjects apart, i.e. no
reliability; the sample estimate of a true ICC near 0 falls below 0 by chance about half
of the time, and a clamp would hide how far below. ICC is None where the
denominator of its formula is 0 or less: no variance between subjects, and none between
captures or left to error (e.g. the same captures given for every subject); its interval
is None then, and without error variance. ICC(2,1)'s interval is None too where
Satterthwaite's degrees of freedom v are too few for an F quantile (v below about 0.01):
v is 0 where the subjects' means are all equal (MS_R = 0) and near 0 where they nearly
are (three subjects' frontal photo pairs: shoulder tilt's ICC(2,1) −1.72); the ICC
itself is given.

Sums of squares that are rounding residue are taken as 0: below
``n·k·(16·ε·max|x|)²`` (ε the float64 machine epsilon), the size of the error that
representing and centring the values leaves. Without that floor an exact 0/0 came out as
an arbitrary ratio of residues (0.25 for ``head_forward_angle`` but None for ``cva`` =
90° − it, from the same captures); with it, complementary metrics (x and c − x) give
the same ICC and SEM.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Fewer subjects give SEM and MDC95 only (see the module docstring).
MIN_SUBJECTS_FOR_ICC = 3


@dataclass(frozen=True)
class Reliability:
    """Test-retest result of one metric.

    Attributes:
        n_subjects, n_trials: design size.
        icc_2_1, icc_3_1: intraclass correlations, negative values included (None
            with fewer than 3 subjects, or where the formula divides by 0).
        icc_2_1_ci95, icc_3_1_ci95: their 95 % confidence intervals (low, high), None
            where the ICC is None or there is no error variance; ICC(2,1)'s also where
            its Satterthwaite degrees of freedom are near 0 (no variance between the
            subjects' means).
        capture_means: the mean of each capture (column) over the subjects: a
            systematic shift between captures shows here.
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
    icc_2_1_ci95: tuple[float, float] | None = None
    icc_3_1_ci95: tuple[float, float] | None = None
    capture_means: tuple[float, ...] = ()

    def to_json(self) -> dict[str, object]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(float(v), 4)

        def ci(pair: tuple[float, float] | None) -> list[float | None] | None:
            return None if pair is None else [r(pair[0]), r(pair[1])]

        return {
            "n_subjects": self.n_subjects,
            "n_trials": self.n_trials,
            "icc_2_1": r(self.icc_2_1),
            "icc_2_1_ci95": ci(self.icc_2_1_ci95),
            "icc_3_1": r(self.icc_3_1),
            "icc_3_1_ci95": ci(self.icc_3_1_ci95),
            "sem": r(self.sem),
            "mdc95": r(self.mdc95),
            "mean": r(self.mean),
            "capture_means": [r(m) for m in self.capture_means],
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
    icc2 = icc3 = ci2 = ci3 = None
    if n >= MIN_SUBJECTS_FOR_ICC:
        ms_r = k * ss(row) / (n - 1)
        ms_c = n * ss(col) / (k - 1)
        ms_e = ss(d - row[:, None] - col[None, :]) / ((n - 1) * (k - 1))
        den2 = ms_r + (k - 1) * ms_e + k * (ms_c - ms_e) / n
        den3 = ms_r + (k - 1) * ms_e
        icc2 = (ms_r - ms_e) / den2 if den2 > 0 else None
        icc3 = (ms_r - ms_e) / den3 if den3 > 0 else None
        if ms_e > 0:
            ci3 = _ci_consistency(ms_r / ms_e, n, k) if icc3 is not None else None
            ci2 = _ci_agreement(icc2, ms_r, ms_c, ms_e, n, k) if icc2 is not None else None
    means = tuple(float(m) for m in grand + col)
    return Reliability(
        n, k, icc2, icc3, sem, float(1.96 * np.sqrt(2.0) * sem), grand, ci2, ci3, means
    )


#: Two-sided level of the intervals.
ALPHA = 0.05


def _ci_consistency(f_ratio: float, n: int, k: int) -> tuple[float, float]:
    """95 % interval of ICC(3,1) from F = MS_R / MS_E (McGraw & Wong 1996, case 3A)."""
    from scipy.stats import f

    df1, df2 = n - 1, (n - 1) * (k - 1)
    f_lo = f_ratio / f.ppf(1 - ALPHA / 2, df1, df2)
    f_hi = f_ratio * f.ppf(1 - ALPHA / 2, df2, df1)
    return float((f_lo - 1) / (f_lo + k - 1)), float((f_hi - 1) / (f_hi + k - 1))


def _ci_agreement(
    icc: float, ms_r: float, ms_c: float, ms_e: float, n: int, k: int
) -> tuple[float, float] | None:
    """95 % interval of ICC(2,1) with Satterthwaite's degrees of freedom (McGraw &
    Wong 1996, case 2A); None where they cannot be formed."""
    from scipy.stats import f

    fj = ms_c / ms_e
    a = n * (1 + (k - 1) * icc) - k * icc
    vn = (n - 1) * (k - 1) * (k * icc * fj + a) ** 2
    vd = (n - 1) * k**2 * icc**2 * fj**2 + a**2
    if not vd > 0 or not vn > 0:
        return None
    v = vn / vd
    # Python floats from here: no numpy "overflow" / "invalid value" warning can reach
    # the user's stderr.
    f_hi = float(f.ppf(1 - ALPHA / 2, n - 1, v))
    f_lo = float(f.ppf(1 - ALPHA / 2, v, n - 1))
    if not (math.isfinite(f_hi) and math.isfinite(f_lo)):
        # Satterthwaite's v near 0 (below about 0.01) puts the F quantile at infinity:
        # no interval. v is 0 where the subjects' means are all equal (MS_R = 0; rounding
        # leaves ~1e-31); `retest` of three subjects' photo pairs met it for shoulder
        # tilt (ICC(2,1) −1.72), and dividing on printed numpy's "invalid value" warning.
        return None
    spread = k * ms_c + (k * n - k - n) * ms_e
    # n (MS_R − F·MS_E) / (F·spread + n·MS_R) divided through by F: a huge F (v about
    # 0.01 gives 1e307) made F·spread overflow to inf, and the bound a meaningless −0.0.
    lo = n * (ms_r / f_hi - ms_e) / (spread + n * ms_r / f_hi)
    hi = n * (f_lo * ms_r - ms_e) / (spread + n * f_lo * ms_r)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    return float(lo), float(hi)
