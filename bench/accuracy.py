"""Accuracy harness: real photos through the whole pipeline under known transforms.

Usage::

    .venv/bin/python bench/accuracy.py [--quick] [--media DIR] [--model FILE] [--pad MODE]
        [--rotations A,B,...] [--only-rotation]

Media and model default to env ``POSTURE_CAM_TEST_MEDIA`` / ``POSTURE_CAM_TEST_MODEL``,
else ``../shared/media`` and ``../shared/models/pose_landmarker_full.task`` beside the
checkout. Prints Markdown tables. Stills run in IMAGE mode with the view forced per
image (``PipelineConfig(view=...)``) so view-classification noise cannot pollute the
geometry; view classification is scored separately.

Experiments and what "error" means:

* rotation by ±θ (counter-clockwise as displayed, padded canvas): expected change of
  each metric is ``sign(metric, view) · θ`` (front +θ, back −θ for frontal tilts; side
  view cva +θ facing image-right, −θ facing image-left ...). ``model`` error =
  Δmetric(image) − expected; ``math`` error = the same on the *exactly* rotated
  landmarks of the original image (isolates metric-formula bugs from model noise).
* mirror (``cv2.flip``): frontal signed metrics negate, ``*_left``/``*_right`` swap,
  sagittal metrics keep their value, left/right views swap. A pair is consistent when
  the mirrored value is within ``MIRROR_TOL`` of the expectation.
* scale 0.6× / 1.5×, asymmetric padding, crop to the landmark box + 15 % margin:
  metrics should not change; reported as median |Δ|.
* jitter: the still as a 30 fps clip with sensor noise, JPEG and sub-pixel shifts, run
  in VIDEO mode with ``smoothing='none'`` and ``'one_euro'``: per-frame SD of each
  metric, and the SD of 1-second averaged-capture medians.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from posture_cam.capture.averaging import AveragedCapture  # noqa: E402
from posture_cam.config import PipelineConfig  # noqa: E402
from posture_cam.landmarks import MIRROR_INDEX  # noqa: E402
from posture_cam.metrics import MetricsEngine, classify_view  # noqa: E402
from posture_cam.pipeline import Pipeline, second_model_for  # noqa: E402
from posture_cam.pose import PoseEstimator  # noqa: E402
from posture_cam.pose import transforms as tf  # noqa: E402
from posture_cam.sources import read_image  # noqa: E402
from posture_cam.types import Frame, FrameResult, Pose, View, ViewEstimate  # noqa: E402

#: Tracker warm-up left out of the jitter statistics (see ``jitter_stats``).
WARMUP_S = 0.5
ROTATIONS_DEG = (-15.0, -10.0, -5.0, -2.0, 2.0, 5.0, 10.0, 15.0)
QUICK_ROTATIONS_DEG = (-10.0, -2.0, 5.0, 15.0)
#: Mirror tolerance per unit: model landmarks are not exactly flip-equivariant.
MIRROR_TOL = {"deg": 1.0, "%height": 1.0, "cm": 0.5}
F, B, L, R = View.FRONT, View.BACK, View.LEFT, View.RIGHT
#: Change of a metric per degree of counter-clockwise image rotation, by view.
ROTATION_SIGN: dict[str, dict[View, float]] = {
    "head_tilt": {F: 1.0, B: -1.0},
    "shoulder_tilt": {F: 1.0, B: -1.0},
    "pelvic_tilt": {F: 1.0, B: -1.0},
    # Lean toward the patient's left is positive; CCW moves the top to image-left,
    # which is the patient's right in a front view.
    "trunk_lean": {F: -1.0, B: 1.0},
    "cva": {R: 1.0, L: -1.0},
    # Anterior positive; CCW moves the top backwards when facing image-right (RIGHT view).
    "head_forward_angle": {R: -1.0, L: 1.0},
    "trunk_inclination": {R: -1.0, L: 1.0},
}
PRIMARY = ("shoulder_tilt", "pelvic_tilt", "head_tilt", "cva")
#: Metrics whose sign follows the patient's left/right (negate in a mirror image).
FRONTAL_SIGNED = frozenset(
    {"head_tilt", "shoulder_tilt", "pelvic_tilt", "trunk_lean", "shoulder_height_diff"}
    | {"head_shift", "shoulder_shift", "pelvis_shift"}
)


@dataclass(frozen=True)
class Case:
    """One still: media path under ``images/``, true view, and framing."""

    relpath: str
    view: View
    upper_body: bool = False

    @property
    def name(self) -> str:
        return Path(self.relpath).stem[:40]


D, SF, SS = "derived_stills_from_videos/", "standing_frontal/", "seated_side/"
UB, BK = "upper_body_webcamlike/", "standing_back/"
CASES = (
    Case(D + "still_frontal_sports2d_demo5_f005_man_dumbbells.jpg", F),
    Case(D + "still_frontal_romp_video2_f015_woman_standing.jpg", F),
    Case(D + "still_frontal_tfjs_squats_f000_woman_standing.jpg", F),
    Case(SF + "frontal_shapy_img18_woman_studio_neutral.jpg", F),
    Case(SF + "frontal_shapy_img01_woman_neutral.jpg", F),
    Case(D + "still_side_sports2d_demo4_f236_older_woman_walking.jpg", L),
    Case(SS + "seated_side_nvv_straight_upright_facing_right.jpg", R),
    Case(SS + "seated_side_nvv_img_woman_upright_stock.jpg", R),
    Case(SS + "seated_side_nvv_straight_hf_upright_arms_folded_facing_left.jpg", L),
    Case(SS + "seated_side_nvv_jav_other_man_upright.jpg", L),
    Case(BK + "back_tfjs_posenet_backpackman_walking_away.jpg", B),
    Case(UB + "upper_facerec_obama_portrait_arms_crossed.jpg", F, upper_body=True),
    Case(UB + "upper_mps_business_person_woman_white_bg.png", F, upper_body=True),
    Case(UB + "webcam_slouchcop_good_standing_CROPPED.png", F, upper_body=True),
)
QUICK_CASES = (CASES[0], CASES[6], CASES[9], CASES[11])


def default_paths() -> tuple[Path, Path]:
    shared = REPO.parent / "shared"
    media = os.environ.get("POSTURE_CAM_TEST_MEDIA") or shared / "media"
    model = os.environ.get("POSTURE_CAM_TEST_MODEL") or shared / "models" / (
        "pose_landmarker_full.task"
    )
    return Path(media), Path(model)


def mirror_view(view: View) -> View:
    return {L: R, R: L}.get(view, view)


def values(result: FrameResult) -> dict[str, tuple[float, str]]:
    """Measured metrics of a frame: id -> (value, unit); not-measurable ones left out."""
    return {k: (m.value, m.unit) for k, m in result.metrics.items() if m.value is not None}


def metric_values(pose: Pose, view: View) -> dict[str, tuple[float, str]]:
    """Metrics straight from landmarks (the ``math`` reference; no model involved)."""
    found = MetricsEngine().compute(pose, ViewEstimate(view, 1.0, forced=True), None)
    return {k: (m.value, m.unit) for k, m in found.items() if m.value is not None}


def warp_pose(pose: Pose, warped: tf.Warped) -> Pose:
    h, w = warped.image_bgr.shape[:2]
    return dataclasses.replace(pose, xy_px=warped.map_points(pose.xy_px), resolution_wh=(w, h))


def mirror_relabelled(pose: Pose) -> Pose:
    """What a flip-equivariant model would report on the flipped image."""
    p = pose.mirrored()
    idx = MIRROR_INDEX
    return dataclasses.replace(
        p, xy_px=p.xy_px[idx], z_px=p.z_px[idx], visibility=p.visibility[idx],
        presence=p.presence[idx], world_xyz_m=None,
    )  # fmt: skip


def mirror_expectation(metric_id: str, original: dict[str, tuple[float, str]]) -> float | None:
    """Expected value of ``metric_id`` in the mirror image, from the original's metrics."""
    for a, b in (("_left", "_right"), ("_right", "_left")):
        if metric_id.endswith(a):
            twin = original.get(metric_id[: -len(a)] + b)
            return None if twin is None else twin[0]
    if metric_id not in original:
        return None
    value = original[metric_id][0]
    return -value if metric_id in FRONTAL_SIGNED else value


class Runner:
    """Runs stills through IMAGE-mode pipelines (one per forced view, one shared model)."""

    def __init__(
        self,
        media: Path,
        model: Path,
        pad: str = "replicate",
        rotations_deg: tuple[float, ...] | None = None,
        second_model_path: Path | None = None,
    ) -> None:
        self.media, self.model, self.pad = media, model, pad
        defaults = PipelineConfig()  # the test-time averaging users get by default
        self.estimator = PoseEstimator(
            model,
            mode="image",
            flip_average=defaults.flip_average,
            rotations_deg=(
                defaults.rotation_average_deg if rotations_deg is None else rotations_deg
            ),
            second_model_path=second_model_path,
        )
        self._pipelines: dict[View, Pipeline] = {}
        self._images: dict[str, np.ndarray] = {}

    def close(self) -> None:
        self.estimator.close()

    def image(self, case: Case) -> np.ndarray:
        if case.relpath not in self._images:
            self._images[case.relpath] = read_image(self.media / "images" / case.relpath)
        return self._images[case.relpath]

    def run(self, image_bgr: np.ndarray, view: View) -> FrameResult:
        if view not in self._pipelines:
            cfg = PipelineConfig(view=str(view), smoothing="none")
            self._pipelines[view] = Pipeline(self.estimator, cfg, owns_estimator=False)
        pipeline = self._pipelines[view]
        pipeline.reset()  # stills are independent
        return pipeline.process(Frame(image_bgr, 0, 0.0, "bench"))


def rotation_errors(runner: Runner, cases, angles) -> list[dict]:
    """One row per (case, angle, metric with a known rotation sign)."""
    rows = []
    for case in cases:
        base = runner.run(runner.image(case), case.view)
        if base.pose_measured is None:
            rows.append({"case": case.name, "metric": "-", "missing": "no person"})
            continue
        orig = values(base)
        for angle in angles:
            warped = tf.rotate_padded(runner.image(case), angle, runner.pad)
            rot = values(runner.run(warped.image_bgr, case.view))
            exact = metric_values(warp_pose(base.pose_measured, warped), case.view)
            for mid, signs in ROTATION_SIGN.items():
                if case.view not in signs or mid not in orig:
                    continue
                expected = signs[case.view] * angle
                row = {"case": case.name, "metric": mid, "angle": angle}
                row["model"] = rot[mid][0] - orig[mid][0] - expected if mid in rot else None
                row["math"] = exact[mid][0] - orig[mid][0] - expected if mid in exact else None
                rows.append(row)
    return rows


def mirror_checks(runner: Runner, cases) -> tuple[list[dict], list[dict]]:
    """Mirror consistency rows and view-classification rows (original + mirror)."""
    rows, views = [], []
    for case in cases:
        base = runner.run(runner.image(case), case.view)
        mview = mirror_view(case.view)
        flipped = runner.run(tf.flip_horizontal(runner.image(case)).image_bgr, mview)
        for truth, res in ((case.view, base), (mview, flipped)):
            got = classify_view(res.pose_measured).view if res.pose_measured else View.UNKNOWN
            views.append({"case": case.name, "truth": truth, "got": got})
        if base.pose_measured is None or flipped.pose_measured is None:
            continue
        orig, mir = values(base), values(flipped)
        exact = metric_values(mirror_relabelled(base.pose_measured), mview)
        for mid, (value, unit) in mir.items():
            expected = mirror_expectation(mid, orig)
            if expected is None:
                continue
            tol = MIRROR_TOL.get(unit, 1.0)
            math_diff = abs(exact[mid][0] - expected) if mid in exact else None
            rows.append({
                "case": case.name, "metric": mid, "unit": unit, "diff": abs(value - expected),
                "ok": abs(value - expected) <= tol, "math": math_diff,
            })  # fmt: skip
    return rows, views


def invariance_deltas(runner: Runner, cases) -> list[dict]:
    """|Δ| of every metric under scale, asymmetric padding and crop."""
    rows = []
    for case in cases:
        img = runner.image(case)
        base = runner.run(img, case.view)
        if base.pose_measured is None:
            continue
        orig = values(base)
        h, w = img.shape[:2]
        box = tf.box_with_margin(base.pose_measured.bbox_xyxy(), 0.15, (w, h))
        variants = {
            "scale 0.6x": tf.scale(img, 0.6),
            "scale 1.5x": tf.scale(img, 1.5),
            "pad L+T": tf.translate_padded(img, left=w // 3, top=h // 8, pad=runner.pad),
            "pad R+B": tf.translate_padded(img, right=w // 3, bottom=h // 8, pad=runner.pad),
            "crop bbox+15%": tf.crop(img, box),
        }
        for name, warped in variants.items():
            got = values(runner.run(warped.image_bgr, case.view))
            for mid, (v, unit) in orig.items():
                if mid in got and got[mid][1] == unit:
                    rows.append({"case": case.name, "transform": name, "metric": mid,
                                 "unit": unit, "delta": abs(got[mid][0] - v)})  # fmt: skip
    return rows


def jitter_stats(
    image_bgr: np.ndarray, view: View, model: Path, seconds: float = 3.0, fps: float = 30.0
) -> dict[str, dict[str, float]]:
    """Per metric: frame SD raw / smoothed and SD of 1-s capture medians (smoothed).

    The first ``WARMUP_S`` of the clip are left out: MediaPipe's tracker takes a few
    frames to settle after a person appears (its region of interest moves from the
    detector's box to the landmarks' box; measured: shoulder tilt drifts ~1 deg over
    the first 6 frames), which is not sensor jitter. Live captures start after a 3 s
    countdown, well past it.
    """
    series: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    spreads: dict[str, list[float]] = defaultdict(list)
    for smoothing in ("none", "one_euro"):
        cfg = PipelineConfig(view=str(view), smoothing=smoothing)
        estimator = PoseEstimator(model, mode="video")
        capture = AveragedCapture(seconds=1.0, require_quality=False)
        with Pipeline(estimator, cfg) as pipeline:
            for i, (frame, t_ms) in enumerate(tf.jitter_clip(image_bgr, seconds + WARMUP_S, fps)):
                result = pipeline.process(Frame(frame, i, t_ms, "jitter"))
                if t_ms < WARMUP_S * 1000.0:
                    continue
                for mid, (v, _) in values(result).items():
                    series[mid][smoothing].append(v)
                if smoothing != "one_euro":
                    continue
                capture.add(result)
                if capture.is_complete:
                    for mid, s in capture.summary().metrics.items():
                        if s.median is not None:
                            spreads[mid].append(s.median)
                    capture = AveragedCapture(seconds=1.0, require_quality=False)
    out = {}
    for mid, by in series.items():
        if len(by["none"]) < 2 or len(by["one_euro"]) < 2:
            continue
        medians = spreads.get(mid, [])
        out[mid] = {
            "raw_sd": float(np.std(by["none"], ddof=1)),
            "smooth_sd": float(np.std(by["one_euro"], ddof=1)),
            "capture_sd": float(np.std(medians, ddof=1)) if len(medians) > 1 else float("nan"),
            "n_captures": len(medians),
        }
    return out


# ---------------------------------------------------------------------------- report


def _fmt(x: float | None, nd: int = 2) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{x:.{nd}f}"


def rotation_table(rows: list[dict]) -> str:
    by = defaultdict(list)
    for r in rows:
        if r.get("model") is not None:
            by[r["metric"]].append(r)
    lines = ["| metric | n | median abs model err (deg) | p90 | max | max abs math err |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for mid in sorted(by, key=lambda m: (m not in PRIMARY, m)):
        err = np.abs([r["model"] for r in by[mid]])
        math_err = [abs(r["math"]) for r in by[mid] if r["math"] is not None]
        lines.append(
            f"| {mid} | {err.size} | {np.median(err):.2f} | {np.percentile(err, 90):.2f} "
            f"| {err.max():.2f} | {_fmt(max(math_err) if math_err else None, 3)} |"
        )
    return "\n".join(lines)


def mirror_table(rows: list[dict], views: list[dict]) -> str:
    by = defaultdict(list)
    for r in rows:
        by[r["metric"]].append(r)
    lines = ["| metric | pairs | consistent | median abs diff | max abs math diff |",
             "|---|---|---|---|---|"]  # fmt: skip
    for mid in sorted(by):
        ok = sum(r["ok"] for r in by[mid])
        diffs = [r["diff"] for r in by[mid]]
        maths = [r["math"] for r in by[mid] if r["math"] is not None]
        lines.append(
            f"| {mid} ({by[mid][0]['unit']}) | {len(diffs)} | {100.0 * ok / len(diffs):.0f} % "
            f"| {np.median(diffs):.2f} | {_fmt(max(maths) if maths else None, 3)} |"
        )
    total = sum(r["ok"] for r in rows)
    lines.append(f"\nAll mirror pairs: {total}/{len(rows)} consistent "
                 f"(tolerance {MIRROR_TOL}).")  # fmt: skip
    agree = sum(v["truth"] == v["got"] for v in views)
    wrong = [f"{v['case']}: {v['truth']}→{v['got']}" for v in views if v["truth"] != v["got"]]
    lines.append(f"View classification: {agree}/{len(views)} agree (originals and mirrors)"
                 + (f"; misses: {'; '.join(wrong)}" if wrong else "") + ".")  # fmt: skip
    return "\n".join(lines)


def invariance_table(rows: list[dict]) -> str:
    by = defaultdict(list)
    for r in rows:
        by[(r["transform"], r["unit"])].append(r["delta"])
    lines = ["| transform | unit | n | median abs delta | p90 | max |", "|---|---|---|---|---|---|"]
    for (name, unit), d in sorted(by.items()):
        lines.append(f"| {name} | {unit} | {len(d)} | {np.median(d):.2f} "
                     f"| {np.percentile(d, 90):.2f} | {max(d):.2f} |")  # fmt: skip
    return "\n".join(lines)


def jitter_table(stats: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| case | metric | frame SD raw | frame SD one_euro | SD of 1-s captures (n) |",
             "|---|---|---|---|---|"]  # fmt: skip
    for case, per in stats.items():
        for mid, s in per.items():
            lines.append(f"| {case} | {mid} | {s['raw_sd']:.3f} | {s['smooth_sd']:.3f} "
                         f"| {_fmt(s['capture_sd'], 3)} ({s['n_captures']}) |")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    media, model = default_paths()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="4 images, 4 angles, 1-s jitter")
    ap.add_argument("--media", type=Path, default=media)
    ap.add_argument("--model", type=Path, default=model)
    ap.add_argument("--pad", choices=sorted(tf.PAD_MODES), default="replicate")
    ap.add_argument(
        "--rotations",
        default=None,
        help="averaging angles for stills, e.g. -12,-8,-4,4,8,12 (default: PipelineConfig's)",
    )
    ap.add_argument("--only-rotation", action="store_true", help="the rotation table only")
    ap.add_argument(
        "--second-model",
        type=Path,
        default=second_model_for(PipelineConfig()),
        help="movenet_thunder.npz weighed into stills (default: the installed one, if any)",
    )
    ap.add_argument("--no-second-model", action="store_true", help="the pose model alone")
    args = ap.parse_args(argv)
    second = None if args.no_second_model else args.second_model
    print(f"second keypoint model: {second or 'none'}\n")
    rotations = (
        None
        if args.rotations is None
        else tuple(float(a) for a in args.rotations.split(",") if a.strip())
    )
    cases = QUICK_CASES if args.quick else CASES
    angles = QUICK_ROTATIONS_DEG if args.quick else ROTATIONS_DEG
    runner = Runner(args.media, args.model, args.pad, rotations, second)
    try:
        print(f"## Rotation (pad={args.pad}; {len(cases)} images × {len(angles)} angles)\n")
        print(rotation_table(rotation_errors(runner, cases, angles)))
        if args.only_rotation:
            return 0
        print("\n## Mirror\n")
        print(mirror_table(*mirror_checks(runner, cases)))
        print("\n## Scale / translation / crop (metrics should not change)\n")
        print(invariance_table(invariance_deltas(runner, cases)))
        jit_cases = (
            cases[:1] + cases[-1:] if args.quick else (CASES[0], CASES[5], CASES[6], CASES[11])
        )
        seconds = 1.0 if args.quick else 3.0
        print(f"\n## Jitter ({seconds:.0f} s at 30 fps, σ=4 DN, JPEG 80, ±0.5 px; VIDEO mode)\n")
        stats = {c.name: jitter_stats(runner.image(c), c.view, args.model, seconds)
                 for c in jit_cases}  # fmt: skip
        print(jitter_table(stats))
    finally:
        runner.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
