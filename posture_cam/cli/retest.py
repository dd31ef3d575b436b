"""``posture-cam retest PATH...``: test-retest reliability of this setup.

Each PATH is one repeated capture (a photo, or a video whose gate-passing frames are
averaged). Group captures per subject with folders: ``retest subj1/ subj2/`` treats
the files inside each folder (in name order) as that subject's repeated captures; plain
files given together are one subject. Prints per metric ICC(2,1), ICC(3,1) (three or
more subjects), SEM and MDC95 (formulas in ``posture_cam.metrics.retest`` and
docs/metrics.md); --json prints them as JSON.

Every subject counts as many captures as the one with the fewest (the first ones; a line
on stderr names each subject that had more), and a metric is reported only when it was
measured in every capture counted (one stderr line names those left out), so every
statistic of one run rests on the same n subjects × k captures, which the table's first
line states. Every ICC comes with its 95 % confidence interval; with fewer than 30
subjects a stderr line says the intervals are wide (Koo & Li 2016). All counted captures
must show one view (a left and a right side view are two views). A photo that fails the
quality gate is counted, as ``analyze`` measures it, and named on stderr with why (a
video counts only its frames that pass).

Exit codes: 0 computed; 2 bad input (a missing, unreadable or unsupported file, a path
given twice, a video with no frame through the quality gate, a capture with nothing
measurable, no metric measured in every capture); 3 no person found in a capture; 4 no
pose model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from posture_cam import wording
from posture_cam.cli import text_table
from posture_cam.config import MEASURED_VIEWS
from posture_cam.errors import InputError, PostureCamError
from posture_cam.i18n import _, format_number, localize, ngettext

if TYPE_CHECKING:
    from posture_cam.batch.results import InputReport
    from posture_cam.metrics.retest import Reliability

EXIT_OK, EXIT_BAD_INPUT = 0, 2


#: Below this many subjects a note says the ICCs' intervals are wide (Koo & Li 2016).
FEW_SUBJECTS = 30


class NoCommonMetricError(PostureCamError):
    """No metric was measured in every capture of every subject (exit 2)."""

    exit_code = EXIT_BAD_INPUT


class MixedViewsError(PostureCamError):
    """The counted captures show different views (exit 2)."""

    exit_code = EXIT_BAD_INPUT


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "retest",
        help=_("test-retest reliability (ICC, SEM, MDC95) from repeated captures"),
        description=_(
            "Each PATH is one repeated capture (a photo, or a video whose gate-passing "
            "frames are averaged). Group captures per subject with folders: `retest subj1/ "
            "subj2/` treats the files inside each folder as that subject's repeated "
            "captures; plain files given together are one subject. Prints per metric "
            "ICC(2,1), ICC(3,1) (three or more subjects), SEM and MDC95 (docs/metrics.md); "
            "--json prints them as JSON."
        ),
        epilog=_(
            "Every subject counts as many captures as the one with the fewest (the first "
            "ones, by name in a folder); a metric is reported only when measured in every "
            "capture counted, and every capture must show one view. For test-retest read "
            "ICC(2,1) (absolute agreement: a shift between captures counts as error); "
            "ICC(3,1) (consistency) ignores such a shift. Each ICC is followed by its 95 % "
            "confidence interval. A negative ICC is reported as computed: the captures of "
            "one subject differ more than the subjects do. exit codes: 0 computed; 2 bad "
            "input (missing, unreadable or unsupported file, a path given twice, a video "
            "with no frame through the quality gate, nothing measurable, captures of "
            "different views, no metric measured in every capture); 3 no person found in "
            "a capture; 4 no pose model"
        ),
    )
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help=_("capture file, or a folder per subject")
    )
    p.add_argument("--model", metavar="PATH", help=_("pose model (.task); default: model manager"))
    p.add_argument("--view", choices=MEASURED_VIEWS, help=_("force the view"))
    p.add_argument("--json", action="store_true", help=_("print JSON on stdout"))
    p.add_argument(
        "--save",
        action="store_true",
        help=_(
            "keep these MDC95s as this clinic's: changes between visits measured from the "
            "pose model are then judged against them (replaces any saved before)"
        ),
    )
    p.add_argument("--offline", action="store_true", help=_("never download a model"))
    p.set_defaults(func=run)


@dataclass(frozen=True)
class Subject:
    """One subject's repeated captures.

    Attributes:
        label: how messages name it: its folder as given, or "the files given".
        files: the captures, in the order they count (a folder's by name).
    """

    label: str
    files: tuple[Path, ...]


def subjects_of(paths: Sequence[str]) -> list[Subject]:
    """Folders are subjects; the plain files together are one more.

    Raises:
        InputError: a missing path, a folder with fewer than 2 captures, a single plain
            file, or a file or folder given twice (the same resolved path).
    """
    from posture_cam.sources import IMAGE_SUFFIXES, VIDEO_SUFFIXES

    seen: dict[Path, str] = {}

    def once(path: Path, named: str) -> None:
        key = path.resolve()
        if key in seen:
            first = seen[key]
            problem = (
                _("given twice")
                if first == named
                else _("the same file or folder as {other}").format(other=first)
            )
            raise InputError(named, problem, _("give each subject and each capture once"))
        seen[key] = named

    subjects, loose = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            once(path, raw)
            found = sorted(
                f
                for f in path.iterdir()
                if not f.name.startswith(".")
                and f.is_file()
                and f.suffix.lower() in IMAGE_SUFFIXES | VIDEO_SUFFIXES
            )
            if len(found) < 2:
                raise InputError(path, _("a subject folder needs at least 2 captures"))
            subjects.append(Subject(raw, tuple(found)))
        elif path.is_file():
            loose.append(path)
        else:
            raise InputError(path, _("no such file or folder"), _("check the path"))
    for subject in subjects:
        for f in subject.files:
            once(f, str(f))
    for f in loose:
        once(f, str(f))
    if loose:
        if len(loose) < 2:
            raise InputError(loose[0], _("give at least 2 repeated captures"))
        subjects.append(Subject(_("the files given"), tuple(loose)))
    return subjects


def run(args: argparse.Namespace) -> int:
    from posture_cam.batch.analysis import analyze_inputs
    from posture_cam.config import PipelineConfig

    subjects = subjects_of(args.paths)
    files = [f for s in subjects for f in s.files]
    config = PipelineConfig(model_path=args.model, view=args.view)
    errors: list[PostureCamError] = []
    report = analyze_inputs(
        files, config, allow_network=not args.offline, on_error=errors.append, keep_landmarks=False
    )
    reports = {rep.source: rep for rep in report.inputs}
    captures: dict[Path, Capture] = {}
    for f in files:
        rep = reports.get(str(f))
        if rep is None or rep.error:
            continue  # its error is in ``errors`` already
        try:
            captures[f] = capture_of(rep)
        except PostureCamError as exc:
            errors.append(exc)
    if errors:
        # Every bad capture named, one line each; a bad file outranks a missing person.
        for err in errors:
            _say(_("posture-cam: error: {error}").format(error=err))
        codes = {err.exit_code for err in errors}
        return EXIT_BAD_INPUT if EXIT_BAD_INPUT in codes else errors[0].exit_code

    design = Design.of(subjects, captures)
    if len({view for _f, view in design.views}) > 1:
        raise MixedViewsError(
            _(
                "the captures show different views ({views}); repeated captures must "
                "show one view (a left and a right side view are two)"
            ).format(views=design.views_text())
        )
    counted = {f for f, _view in design.views}
    not_clinical = [f for f in files if f in counted and captures[f].failed_gate]
    for f in not_clinical:
        _say(
            _(
                "posture-cam: {file}: counted, but it fails the quality gate ({why}); "
                "retake it for figures a clinic can rely on"
            ).format(file=f, why=captures[f].failed_gate)
        )
    for subject in subjects:
        if len(subject.files) > design.k:
            _say(
                _(
                    "posture-cam: {subject}: the first {used} of {total} captures counted "
                    "(every subject counts as many as the one with the fewest)"
                ).format(subject=subject.label, used=design.k, total=len(subject.files))
            )
    if not design.values:
        raise NoCommonMetricError(
            _(
                "no metric was measured in all {k} captures of every subject ({views}); "
                "repeated captures must show one view: front, back or side"
            ).format(k=design.k, views=design.views_text())
        )
    if design.left_out:
        missing = ", ".join(
            _("{metric} (not in {file})").format(metric=wording.metric_label(mid), file=f)
            for mid, f in design.left_out.items()
        )
        _say(
            _("posture-cam: left out, not measured in every capture: {metrics}").format(
                metrics=missing
            )
        )
    from posture_cam.metrics.retest import MIN_SUBJECTS_FOR_ICC, reliability

    results = {mid: reliability(rows) for mid, rows in design.values.items()}
    n = len(subjects)
    if n < MIN_SUBJECTS_FOR_ICC:
        _say(
            ngettext(
                "posture-cam: note: {n} subject: SEM and MDC95 only (an ICC needs 3 subjects "
                "or more; a reliability study at least 30 with 3 captures each, Koo & Li 2016)",
                "posture-cam: note: {n} subjects: SEM and MDC95 only (an ICC needs 3 subjects "
                "or more; a reliability study at least 30 with 3 captures each, Koo & Li 2016)",
                n,
            ).format(n=n)
        )
    elif n < FEW_SUBJECTS:
        _say(
            _(
                "posture-cam: note: {n} subjects: the ICCs' 95 % intervals are wide; a "
                "reliability study needs at least 30 subjects with 3 captures each "
                "(Koo & Li 2016)"
            ).format(n=n)
        )
    if args.json:
        doc = {mid: {**r.to_json(), "unit": design.units[mid]} for mid, r in results.items()}
        out = {
            "subjects": n,
            "captures_per_subject": design.k,
            "view": design.views[0][1],
            "not_clinical": [str(f) for f in not_clinical],
            "metrics": doc,
        }
        json.dump(out, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(text_report(results, design.units, len(subjects), design.k))
    if args.save:
        # Saved after the results are out: a full or read-only disk (exit 9) must not
        # lose a run that may have taken many minutes.
        sys.stdout.flush()
        _save(results, design, n)
    return EXIT_OK


def _save(results: dict[str, Reliability], design: Design, n_subjects: int) -> None:
    """``--save``: this run's MDC95s become the clinic's (``metrics.clinic_mdc``)."""
    from posture_cam.metrics.clinic_mdc import save_clinic_mdc

    path = save_clinic_mdc(
        {mid: (r.mdc95, r.sem, design.units[mid]) for mid, r in results.items()},
        subjects=n_subjects,
        captures=design.k,
        view=design.views[0][1],
    )
    _say(
        _(
            "posture-cam: saved as this clinic's MDC95 ({count} measures): {path}; changes "
            "between visits measured from the pose model are judged against them"
        ).format(count=len(results), path=path)
    )


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")


@dataclass(frozen=True)
class Capture:
    """What one capture measured.

    Attributes:
        view: the view it was measured in (``front`` … ``right``; ``unknown``).
        values: metric id -> (value, unit) of every measured metric.
        failed_gate: a photo that fails the quality gate: why, in words; else "".
    """

    view: str
    values: dict[str, tuple[float, str]]
    failed_gate: str = ""


def capture_of(rep: InputReport) -> Capture:
    """A photo's frame or a video's gate-passing frames averaged (their medians).

    Raises:
        NoPersonError: nobody in the photo or in any frame of the video (exit 3).
        InputError: no frame of the video passed the quality gate, or nothing was
            measurable (exit 2).
    """
    from posture_cam.records.ingest import NoPersonError

    if rep.frames_with_person == 0:
        raise NoPersonError(
            rep.source, _("no person found"), _("use a photo or video of the patient")
        )
    if rep.aggregate is not None:  # a video
        summary = rep.aggregate
        if not summary.capture.ok:
            raise InputError(
                rep.source,
                localize(summary.capture.reason),
                _("a video counts only its frames that pass the quality gate"),
            )
        view = summary.capture.view or "unknown"
        values = {
            mid: (float(s.median), s.unit or "")
            for mid, s in summary.metrics.items()
            if s.median is not None
        }
        failed = ""
    else:
        frame = rep.frames[0]
        view = (frame.get("view") or {}).get("view") or "unknown"
        values = {
            mid: (float(m["value"]), m["unit"])
            for mid, m in frame["metrics"].items()
            if m.get("value") is not None
        }
        failed = _failed_checks(frame.get("quality") or {})
    if not values:
        raise InputError(
            rep.source,
            _("nothing measurable in this capture (view: {view})").format(
                view=wording.view_name(view)
            ),
            _("use a front, back or side view of the whole patient"),
        )
    return Capture(view, values, failed)


def _failed_checks(quality: dict) -> str:
    """The reasons of a frame's failed quality checks, in the current language ("" when
    it passed)."""
    from posture_cam.reasons import failed_checks

    if quality.get("ok", True):
        return ""
    return "; ".join(localize(why) for why in failed_checks(quality))


@dataclass(frozen=True)
class Design:
    """The n subjects × k captures every reported metric rests on.

    Attributes:
        k: captures counted per subject (the fewest any subject has).
        values: metric id -> ``values[subject][capture]``, for each metric measured in
            every counted capture.
        units: metric id -> unit.
        left_out: metric id -> the first counted capture that lacks it, for each metric
            measured in some counted captures but not all.
        views: the view of every counted capture (file, view).
    """

    k: int
    values: dict[str, list[list[float]]]
    units: dict[str, str]
    left_out: dict[str, Path]
    views: tuple[tuple[Path, str], ...]

    @classmethod
    def of(cls, subjects: Sequence[Subject], captures: dict[Path, Capture]) -> Design:
        k = min(len(s.files) for s in subjects)
        counted = [list(s.files[:k]) for s in subjects]
        order: list[str] = []  # metrics in the order the captures reported them
        for files in counted:
            for f in files:
                order += [mid for mid in captures[f].values if mid not in order]
        values, units, left_out = {}, {}, {}
        for mid in order:
            lacking = [f for files in counted for f in files if mid not in captures[f].values]
            if lacking:
                left_out[mid] = lacking[0]
                continue
            # No --profile here: a metric keeps one unit (degrees, % height …) throughout.
            values[mid] = [[captures[f].values[mid][0] for f in files] for files in counted]
            units[mid] = captures[counted[0][0]].values[mid][1]
        views = tuple((f, captures[f].view) for files in counted for f in files)
        return cls(k, values, units, left_out, views)

    def views_text(self) -> str:
        """``front: a.jpg, c.jpg; left: b.jpg`` in the current language."""
        by_view: dict[str, list[str]] = {}
        for f, view in self.views:
            by_view.setdefault(view, []).append(str(f))
        return "; ".join(
            f"{wording.view_name(view)}: {', '.join(names)}" for view, names in by_view.items()
        )


def text_report(
    results: dict[str, Reliability], units: dict[str, str], n_subjects: int, k: int
) -> str:
    """The design line, then one row per metric in the analyze table's order."""
    from posture_cam.metrics import CATALOGUE

    order = {entry.id: i for i, entry in enumerate(CATALOGUE)}
    head = [wording.measurement_heading(), wording.report_text("unit")]
    interval = _("(95 % CI)")
    head += [f"ICC(2,1) {interval}", f"ICC(3,1) {interval}", "SEM", "MDC95"]
    rows = [
        [
            wording.metric_label(mid),
            wording.unit_text(units[mid]) or "—",  # an index has no unit
            _icc_text(r.icc_2_1, r.icc_2_1_ci95),
            _icc_text(r.icc_3_1, r.icc_3_1_ci95),
            format_number(r.sem, 2),
            format_number(r.mdc95, 2),
        ]
        for mid, r in sorted(results.items(), key=lambda item: order.get(item[0], len(order)))
    ]
    design = _("{subjects}, {captures} each").format(
        subjects=ngettext("{n} subject", "{n} subjects", n_subjects).format(n=n_subjects),
        captures=ngettext("{n} capture", "{n} captures", k).format(n=k),
    )
    return "\n".join([design, *text_table.aligned([head, *rows], right={2, 3, 4, 5})])


def _icc_text(icc: float | None, ci95: tuple[float, float] | None) -> str:
    """``0.639 (0.08 to 0.90)``; ``—`` without an ICC, the ICC alone without an interval."""
    if icc is None:
        return "—"
    if ci95 is None:
        return format_number(icc, 3)
    return _("{icc} ({low} to {high})").format(
        icc=format_number(icc, 3), low=format_number(ci95[0], 2), high=format_number(ci95[1], 2)
    )
