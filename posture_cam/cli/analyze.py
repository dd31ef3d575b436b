"""``posture-cam analyze PATH... [--json] [--out DIR]``: photos, videos and folders.

Exit codes: 0 analysed; 2 bad input (named on stderr, the other inputs are still
analysed); 3 no person found in any input; 4 no pose model; 5 calibration profile
unusable; 9 an output could not be written (the previous file is kept).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from posture_cam.cli.language import add_lang_argument, use_language
from posture_cam.cli.marker_args import add_marker_arguments, marker_settings
from posture_cam.config import MEASURED_VIEWS
from posture_cam.errors import InputError, PostureCamError
from posture_cam.i18n import _, fmt, ngettext

if TYPE_CHECKING:
    from posture_cam.batch.results import AnalysisReport

EXIT_OK, EXIT_BAD_INPUT, EXIT_NO_PERSON, EXIT_OUTPUT = 0, 2, 3, 9


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "analyze",
        help=_("analyse photos, videos or folders (headless)"),
        description=(
            _(
                "Analyse photos, videos and folders of them. Prints a table per input on "
                "stdout (or, with --json, one JSON document) and a one-line summary on stderr."
            )
        ),
        epilog=(
            _(
                "exit codes: 0 analysed; 2 bad input (missing, unreadable, corrupt or "
                "unsupported file: named on stderr, other inputs are still analysed); "
                "3 no person found in any input; 4 no pose model; 5 calibration profile unusable; "
                "9 cannot write an output (disk full, read-only, no permission, a file or folder "
                "in the way; the previous output is kept)"
            )
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("image, video or folder"))
    p.add_argument("--json", action="store_true", help=_("print results as JSON on stdout"))
    add_lang_argument(p, _("language of the table and messages (default: LANG, else English)"))
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=_("write annotated PNGs (images) and MP4s (videos) here"),
    )
    p.add_argument("--model", metavar="PATH", help=_("pose model (.task); default: model manager"))
    p.add_argument("--model-variant", default="full", choices=("lite", "full", "heavy"))
    p.add_argument(
        "--view",
        choices=MEASURED_VIEWS,
        help=_("force the view instead of detecting it"),
    )
    p.add_argument("--profile", metavar="NAME", help=_("apply a calibration profile"))
    p.add_argument("--no-smoothing", action="store_true", help=_("raw landmarks for videos"))
    p.add_argument(
        "--num-poses",
        type=int,
        default=2,
        help=_("people the model may report (target = largest; default 2)"),
    )
    p.add_argument(
        "--max-frames", type=_positive_int, metavar="N", help=_("stop each video after N frames")
    )
    p.add_argument(
        "--fast",
        action="store_true",
        help=_(
            "photos: one model pass instead of averaging over mirrored and slightly "
            "rotated copies (many times faster, noisier angles; the measured time and "
            "error of both are in docs/metrics.md)"
        ),
    )
    second = p.add_mutually_exclusive_group()
    second.add_argument(
        "--second-model",
        metavar="PATH",
        help=_(
            "photos: the second keypoint model (movenet_thunder.npz) whose shoulders, "
            "hips, knees and ankles are weighed in; default: the installed one "
            "(`posture-cam models fetch movenet`)"
        ),
    )
    second.add_argument(
        "--no-second-model",
        action="store_true",
        help=_("photos: the pose model alone, even when the second model is installed"),
    )
    add_marker_arguments(p)
    p.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help=_(
            "inputs analysed at once, each in its own process (default: the number of "
            "cores); the output is the same as with --jobs 1, in input order"
        ),
    )
    p.add_argument("--offline", action="store_true", help=_("never download a model"))
    p.set_defaults(func=run)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a whole number").format(text=text)
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value


def run(args: argparse.Namespace) -> int:
    from posture_cam.runtime.process_pool import default_jobs, start_early

    if args.lang:  # main() already set it; a direct caller may not have
        use_language(args.lang)
    jobs = args.jobs or default_jobs()
    if jobs > 1 and (len(args.paths) > 1 or any(Path(p).is_dir() for p in args.paths)):
        from posture_cam.pose import RUNTIME_MODULES

        # The workers' imports (batch.analysis.POOL_PRELOAD) load while this process loads its own.
        start_early(("posture_cam.batch.analysis", *RUNTIME_MODULES))
    from posture_cam.batch.analysis import analyze_inputs
    from posture_cam.config import PipelineConfig

    if args.num_poses < 1:
        raise InputError("--num-poses", _("must be at least 1"))
    marked = marker_settings(args)
    config = PipelineConfig(
        model_path=args.model,
        model_variant=args.model_variant,
        num_poses=args.num_poses,
        smoothing="none" if args.no_smoothing else "one_euro",
        view=args.view,
        profile=args.profile,
        markers=marked.markers,
        marker_colour=marked.colour,
        points=marked.points,
        second_model=not args.no_second_model,
        second_model_path=args.second_model,
    )
    if args.fast:
        config = dataclasses.replace(
            config, flip_average=False, rotation_average_deg=(), second_model=False
        )
    from posture_cam.sources import expand_inputs

    inputs, errors = expand_inputs(args.paths)
    for err in errors:
        _report(err)
    not_read: list[PostureCamError] = list(errors)

    def on_error(err: PostureCamError) -> None:
        not_read.append(err)
        _report(err)

    start = time.perf_counter()
    report = analyze_inputs(
        inputs,
        config,
        out_dir=args.out,
        max_frames=args.max_frames,
        allow_network=not args.offline,
        on_error=on_error,
        keep_landmarks=args.json,
        jobs=jobs,
    )
    elapsed_s = time.perf_counter() - start
    bad = len(errors) + report.failed_inputs
    if args.json:
        import json

        doc = report.to_json()
        unopened = not_opened(not_read, report)
        if unopened:
            doc["failed_inputs"] = unopened
        json.dump(doc, sys.stdout, indent=None, separators=(",", ":"))
        sys.stdout.write("\n")
    else:
        from posture_cam.cli.analyze_table import format_report

        table = format_report(report.to_json()["inputs"])
        if table:
            print(table)
    summary = summary_line(
        inputs=report.inputs_ok,
        frames=report.frames,
        seconds=elapsed_s,
        with_person=report.frames_with_person,
        bad=bad,
        failed_outputs=report.failed_outputs,
        second_model_missing=config.second_model and _photos_without_second_model(report),
    )
    print(summary, file=sys.stderr)
    if report.failed_outputs:
        return EXIT_OUTPUT
    if bad:
        return EXIT_BAD_INPUT
    if report.inputs_ok and report.frames_with_person == 0:
        return EXIT_NO_PERSON
    return EXIT_OK if report.inputs_ok else EXIT_BAD_INPUT


def not_opened(errors: list[PostureCamError], report: AnalysisReport) -> list[dict[str, str]]:
    """The ``failed_inputs`` of the JSON document: each named input that is not among
    its ``inputs`` (missing, not a picture, an empty folder) with its one-line error,
    in the order reported. An input that was opened but not read to the end is in
    ``inputs`` with its own ``error``."""
    listed = {r.source for r in report.inputs}
    out = []
    for err in errors:
        path = getattr(err, "path", None)
        if path is not None and path not in listed:
            out.append({"path": str(path), "error": str(err)})
    return out


def summary_line(
    *,
    inputs: int,
    frames: int,
    seconds: float,
    with_person: int,
    bad: int,
    failed_outputs: int,
    second_model_missing: bool = False,
) -> str:
    """The one line ``analyze`` ends with on stderr, each count in its plural form:
    ``posture-cam: analysed 1 input, 46 frames in 2.0 s (23.0 frames/s); person found
    in 46 frames; 1 bad input`` (Dutch: ``1 invoerbestand en 46 beelden geanalyseerd …``).
    ``second_model_missing``: photos were measured with the pose model alone because the
    second keypoint model is not installed; the line says how to install it."""
    summary = fmt(
        _(
            "posture-cam: analysed {inputs}, {frames} in {seconds:.1f} s ({fps:.1f} frames/s); "
            "person found in {with_person}"
        ),
        inputs=ngettext("{n} input", "{n} inputs", inputs).format(n=inputs),
        frames=_frames(frames),
        seconds=seconds,
        fps=frames / seconds if seconds > 0 else 0.0,
        with_person=_frames(with_person),
    )
    if bad:
        summary += ngettext("; {n} bad input", "; {n} bad inputs", bad).format(n=bad)
    if failed_outputs:
        summary += ngettext(
            "; {n} output NOT written", "; {n} outputs NOT written", failed_outputs
        ).format(n=failed_outputs)
    if second_model_missing:
        summary += "; " + _(
            "photos measured with the pose model alone: `posture-cam models fetch movenet` "
            "installs the second keypoint model"
        )
    return summary


def _photos_without_second_model(report: AnalysisReport) -> bool:
    """Whether a photo with a person was measured without the second keypoint model
    (its ``models`` name the pose model alone)."""
    return any(
        r.kind == "image" and r.frames_with_person and len(r.models) < 2 for r in report.inputs
    )


def _frames(n: int) -> str:
    return ngettext("{n} frame", "{n} frames", n).format(n=n)


def _report(err: PostureCamError) -> None:
    # One write, newline included: print() writes the line and its end separately.
    sys.stderr.write(_("posture-cam: error: {error}").format(error=err) + "\n")
    sys.stderr.flush()
