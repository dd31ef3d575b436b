"""``posture-cam retest PATH...``: test-retest reliability of this setup.

Each PATH is one repeated capture (a photo, or a video whose gate-passing frames are
averaged). Group captures per subject with folders: ``retest subj1/ subj2/`` treats
the files inside each folder as that subject's repeated captures; plain files given
together are one subject. Prints per metric ICC(2,1), ICC(3,1) (two or more subjects),
SEM and MDC95 (formulas in ``posture_cam.metrics.retest`` and docs/metrics.md); --json
prints them as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from posture_cam import wording
from posture_cam.cli import text_table
from posture_cam.config import MEASURED_VIEWS
from posture_cam.errors import InputError
from posture_cam.i18n import _, format_number


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "retest",
        help=_("test-retest reliability (ICC, SEM, MDC95) from repeated captures"),
        description=_(
            "Each PATH is one repeated capture (a photo, or a video whose gate-passing "
            "frames are averaged). Group captures per subject with folders: `retest subj1/ "
            "subj2/` treats the files inside each folder as that subject's repeated "
            "captures; plain files given together are one subject. Prints per metric "
            "ICC(2,1), ICC(3,1) (two or more subjects), SEM and MDC95 (docs/metrics.md); "
            "--json prints them as JSON."
        ),
    )
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help=_("capture file, or a folder per subject")
    )
    p.add_argument("--model", metavar="PATH", help=_("pose model (.task); default: model manager"))
    p.add_argument("--view", choices=MEASURED_VIEWS, help=_("force the view"))
    p.add_argument("--json", action="store_true", help=_("print JSON on stdout"))
    p.add_argument("--offline", action="store_true", help=_("never download a model"))
    p.set_defaults(func=run)


def _subjects(paths: list[str]) -> list[list[Path]]:
    from posture_cam.sources import IMAGE_SUFFIXES, VIDEO_SUFFIXES

    folders, loose = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                f for f in path.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES | VIDEO_SUFFIXES
            )
            if len(found) < 2:
                raise InputError(path, _("a subject folder needs at least 2 captures"))
            folders.append(found)
        elif path.is_file():
            loose.append(path)
        else:
            raise InputError(path, _("no such file or folder"), _("check the path"))
    if loose:
        if len(loose) < 2:
            raise InputError(loose[0], _("give at least 2 repeated captures"))
        folders.append(loose)
    return folders


def run(args: argparse.Namespace) -> int:
    from posture_cam.batch.analysis import analyze_inputs
    from posture_cam.config import PipelineConfig
    from posture_cam.metrics import CATALOGUE
    from posture_cam.metrics.retest import reliability

    subjects = _subjects(args.paths)
    config = PipelineConfig(model_path=args.model, view=args.view)
    table: dict[str, list[list[float]]] = {}
    units: dict[str, str] = {}
    for s, files in enumerate(subjects):
        report = analyze_inputs(files, config, allow_network=not args.offline)
        per_capture = [_capture_values(r) for r in report.inputs]
        common = set.intersection(*(set(v) for v in per_capture)) if per_capture else set()
        for mid in sorted(common):
            units[mid] = per_capture[0][mid][1]
            table.setdefault(mid, [[] for _ in subjects])[s] = [v[mid][0] for v in per_capture]
    results = {}
    for mid, rows in table.items():
        rows = [r for r in rows if r]
        k = min(len(r) for r in rows)
        if len(rows) == len(subjects) and k >= 2:
            results[mid] = reliability([r[:k] for r in rows])
    if args.json:
        doc = {mid: {**r.to_json(), "unit": units[mid]} for mid, r in results.items()}
        json.dump({"subjects": len(subjects), "metrics": doc}, sys.stdout)
        sys.stdout.write("\n")
        return 0
    order = {entry.id: i for i, entry in enumerate(CATALOGUE)}  # the analyze table's order
    head = [wording.measurement_heading(), wording.report_text("unit")]
    head += ["ICC(2,1)", "ICC(3,1)", "SEM", "MDC95"]
    text_rows = [
        [
            wording.metric_label(mid),
            wording.unit_text(units[mid]),
            "—" if r.icc_2_1 is None else format_number(r.icc_2_1, 3),
            "—" if r.icc_3_1 is None else format_number(r.icc_3_1, 3),
            format_number(r.sem, 2),
            format_number(r.mdc95, 2),
        ]
        for mid, r in sorted(results.items(), key=lambda item: order.get(item[0], len(order)))
    ]
    print("\n".join(text_table.aligned([head, *text_rows], right={2, 3, 4, 5})))
    return 0


def _capture_values(report) -> dict[str, tuple[float, str]]:
    """metric id -> (value, unit) of one capture: a photo's frame or a video's aggregate."""
    if report.aggregate and report.aggregate.get("metrics"):
        return {
            mid: (e["median"], e["unit"])
            for mid, e in report.aggregate["metrics"].items()
            if e.get("median") is not None
        }
    if not report.frames:
        return {}
    return {
        mid: (m["value"], m["unit"])
        for mid, m in report.frames[0]["metrics"].items()
        if m.get("value") is not None
    }
