"""Landmark accuracy on photos: the estimator's still-image methods against a reference.

Usage::

    python bench/landmark_accuracy.py --reference FILE [--cache DIR] [--model FILE]
        [--extra-model LABEL=FILE ...] [--methods one,flip,tta14@heavy,...] [--num-poses N]

The reference is a JSON file you build yourself (it never goes into this repository:
public keypoint annotations carry their datasets' terms)::

    {"root": "/path/to/images",            # optional; default: the file's folder
     "people": [
       {"image": "sub/photo.jpg",          # relative to root, or absolute
        "person": "photo_a",               # optional id, for the per-person listing
        "box_xyxy": [x0, y0, x1, y1],      # optional person box (pixels)
        "joints": {"left_shoulder": [x, y], "right_hip": [x, y], ...}}]}

Joint names are the patient's anatomical sides: ``nose``, ``left_ear``,
``left_shoulder``, ``left_elbow``, ``left_wrist``, ``left_hip``, ``left_knee``,
``left_ankle`` and their ``right_`` twins; other names are ignored. Pixel coordinates
are continuous (0 = the left edge of the first pixel), like the model's.

Each reference person is matched to the model's person whose landmarks lie nearest
its joints (median distance over shared joints, at most 10 % of the reference box
diagonal, else "missed"). Angle pairs (reference vs method), each where both have the
points:

* ``shoulder_line`` / ``hip_line``: the line through both shoulders / hips vs the
  image horizontal, folded to a line orientation (a left/right swap is not an
  angle error; swaps are counted apart). ``hip_line`` is frontal pelvic obliquity.
  A line counts only where the reference line is at least ``MIN_LINE`` (0.3) of
  the reference trunk length: in side and steep 3/4 views its angle is noise.
* ``trunk``: hip midpoint -> shoulder midpoint vs the image vertical.
* ``knee_left/right``: hip-knee-ankle angle; ``hip_left/right``: shoulder-hip-knee.

"primary" = shoulder_line, hip_line, trunk (three per person). The table gives, per
method, the median and mean absolute error over the primary pairs and over all pairs,
how many primary pairs are better than with the first method and a two-sided sign test
(ties dropped), the OLS slope of the method's ``hip_line`` on the reference's, and the
estimator time relative to one plain pass. ``METHOD@LABEL`` runs a method with the
model given as ``--extra-model LABEL=FILE`` (e.g. ``tta14@heavy`` with the bundle that
``posture-cam models fetch heavy`` builds); the time ratio stays relative to ``one`` on
the main model. ``bench/landmark_passes.py`` tries other passes and ways of combining
them on the same reference. Per-image landmarks and times are cached in ``--cache``
(outside the repository) so that a re-run only computes new methods.

A hip correction (gain on the hip line's vertical extent about its midpoint) is fitted
leave-one-person-out on the first method named in ``--correct`` and scored on the
held-out person only, so the number is not a fit to the data it is scored on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from posture_cam.landmarks import LM  # noqa: E402
from posture_cam.pose import PoseEstimator  # noqa: E402
from posture_cam.sources import read_image  # noqa: E402
from posture_cam.types import Frame  # noqa: E402

ROTATIONS_DEG = (-12.0, -8.0, -4.0, 4.0, 8.0, 12.0)
#: Estimator settings per method name.
METHODS: dict[str, dict] = {
    "one": dict(flip_average=False, rotations_deg=()),
    "flip": dict(flip_average=True, rotations_deg=()),
    "tta14": dict(flip_average=True, rotations_deg=ROTATIONS_DEG),
    "rot7": dict(flip_average=False, rotations_deg=ROTATIONS_DEG),
    "flip+rot8": dict(flip_average=True, rotations_deg=(-8.0, 8.0)),
    "crop256": dict(flip_average=False, rotations_deg=(), refine_crop_px=256),
    "crop256+flip": dict(flip_average=True, rotations_deg=(), refine_crop_px=256),
    "crop512": dict(flip_average=False, rotations_deg=(), refine_crop_px=512),
    "crop512+flip": dict(flip_average=True, rotations_deg=(), refine_crop_px=512),
    "crop256+flip+rot8": dict(flip_average=True, rotations_deg=(-8.0, 8.0), refine_crop_px=256),
    "crop512+flip+rot8": dict(flip_average=True, rotations_deg=(-8.0, 8.0), refine_crop_px=512),
    "crop256+tta14": dict(flip_average=True, rotations_deg=ROTATIONS_DEG, refine_crop_px=256),
}
JOINTS = {
    name: int(LM[name.upper()])
    for side in ("left", "right")
    for part in ("ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle")
    for name in (f"{side}_{part}",)
} | {"nose": int(LM.NOSE)}
PRIMARY = ("shoulder_line", "hip_line", "trunk")
#: A shoulder / hip line counts only when the reference line is at least this share of
#: the reference trunk length (shoulder midpoint to hip midpoint).
MIN_LINE = 0.3
ALL = (*PRIMARY, "knee_left", "knee_right", "hip_left", "hip_right")


@dataclass(frozen=True)
class Person:
    image: Path
    name: str
    joints: dict[str, np.ndarray]
    box_xyxy: tuple[float, float, float, float] | None


def load_reference(path: Path) -> list[Person]:
    data = json.loads(path.read_text())
    root = Path(data.get("root") or path.parent)
    people = []
    for i, p in enumerate(data["people"]):
        joints = {k: np.asarray(v[:2], float) for k, v in p["joints"].items() if k in JOINTS}
        box = tuple(p["box_xyxy"]) if p.get("box_xyxy") else None
        people.append(Person(root / p["image"], p.get("person") or f"#{i}", joints, box))
    return people


def run_method(
    name: str, images: list[Path], model: Path, num_poses: int, cache: Path | None
) -> dict[Path, tuple[list[np.ndarray], float]]:
    """Poses (list of (33, 2) arrays) and estimator time (ms) per image, cached.

    ``name`` is a key of ``METHODS`` (a ``@LABEL`` suffix is the caller's business)."""
    settings = METHODS[name.split("@")[0]]
    tag = hashlib.sha1(f"{model.name}|{num_poses}|{sorted(settings.items())}".encode())
    out: dict[Path, tuple[list[np.ndarray], float]] = {}
    estimator = None
    for image in images:
        key = hashlib.sha1(f"{image.resolve()}|{tag.hexdigest()}".encode()).hexdigest()
        cached = cache / f"{key}.npz" if cache else None
        if cached is not None and cached.exists():
            data = np.load(cached)
            out[image] = (list(data["poses"]), float(data["ms"]))
            continue
        if estimator is None:
            estimator = PoseEstimator(model, mode="image", num_poses=num_poses, **settings)
            # Warm-up on the first image: the first inference loads delegates.
            estimator.estimate(Frame(read_image(image), 0, 0.0, str(image)))
        frame = Frame(read_image(image), 0, 0.0, str(image))
        start = time.perf_counter()
        estimate = estimator.estimate(frame)
        ms = (time.perf_counter() - start) * 1000.0
        poses = [p.xy_px for p in estimate.all_poses]
        out[image] = (poses, ms)
        if cached is not None:
            arr = np.stack(poses) if poses else np.zeros((0, 33, 2))
            np.savez(cached, poses=arr, ms=ms)
    if estimator is not None:
        estimator.close()
    return out


def match(person: Person, poses: list[np.ndarray]) -> np.ndarray | None:
    """The pose nearest the person's joints, or None when none is near enough."""
    names = list(person.joints)
    ref = np.stack([person.joints[n] for n in names])
    idx = [JOINTS[n] for n in names]
    diag = float(np.hypot(*np.ptp(ref, axis=0))) if len(ref) > 1 else 1.0
    if person.box_xyxy is not None:
        x0, y0, x1, y1 = person.box_xyxy
        diag = max(diag, float(np.hypot(x1 - x0, y1 - y0)))
    best, best_d = None, np.inf
    for xy in poses:
        d = np.linalg.norm(xy[idx] - ref, axis=1)
        d = d[np.isfinite(d)]
        if len(d) >= 3 and np.median(d) < best_d:
            best, best_d = xy, float(np.median(d))
    return best if best_d <= 0.1 * diag else None


def _pt(points: dict[str, np.ndarray], name: str) -> np.ndarray | None:
    p = points.get(name)
    return p if p is not None and np.isfinite(p).all() else None


def frontal_lines(points: dict[str, np.ndarray]) -> set[str]:
    """Which of shoulder_line / hip_line are frontal measures on these points: the
    line at least ``MIN_LINE`` of the trunk length long (in a side or steep 3/4
    view the two points nearly coincide and their line's angle is noise)."""
    names = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
    pts = [_pt(points, n) for n in names]
    if any(p is None for p in pts):
        return set()
    trunk = float(np.linalg.norm((pts[0] + pts[1]) / 2 - (pts[2] + pts[3]) / 2))
    out = set()
    if np.linalg.norm(pts[0] - pts[1]) >= MIN_LINE * trunk:
        out.add("shoulder_line")
    if np.linalg.norm(pts[2] - pts[3]) >= MIN_LINE * trunk:
        out.add("hip_line")
    return out


def angles(points: dict[str, np.ndarray]) -> dict[str, float]:
    """The angle pairs of the module docstring (degrees) from named points."""
    out: dict[str, float] = {}
    for key, part in (("shoulder_line", "shoulder"), ("hip_line", "hip")):
        a, b = _pt(points, f"right_{part}"), _pt(points, f"left_{part}")
        if a is not None and b is not None:
            dx, dy = b - a
            out[key] = float(np.degrees(np.arctan2(-dy, dx)))
    names = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
    pts = [_pt(points, n) for n in names]
    if all(p is not None for p in pts):
        top, bottom = (pts[0] + pts[1]) / 2, (pts[2] + pts[3]) / 2
        dx, dy = top - bottom
        out["trunk"] = float(np.degrees(np.arctan2(dx, -dy)))
    for side in ("left", "right"):
        for key, (a, m, b) in (
            (f"knee_{side}", ("hip", "knee", "ankle")),
            (f"hip_{side}", ("shoulder", "hip", "knee")),
        ):
            pa, pm, pb = (_pt(points, f"{side}_{n}") for n in (a, m, b))
            if pa is not None and pm is not None and pb is not None:
                u, v = pa - pm, pb - pm
                cos = np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))
                out[key] = float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))
    return out


def angle_error(key: str, method: float, ref: float) -> float:
    """Signed error; lines fold to 180° (orientation), directions wrap at 360°."""
    period = 180.0 if key.endswith("_line") else 360.0
    return float((method - ref + period / 2) % period - period / 2)


def named(xy: np.ndarray) -> dict[str, np.ndarray]:
    return {n: xy[i] for n, i in JOINTS.items()}


def hip_gain(xy: np.ndarray, gain: float) -> np.ndarray:
    """Scale the hips' vertical offset from their midpoint by ``gain``."""
    out = xy.copy()
    hips = [int(LM.LEFT_HIP), int(LM.RIGHT_HIP)]
    mid_y = out[hips, 1].mean()
    out[hips, 1] = mid_y + gain * (out[hips, 1] - mid_y)
    return out


def sign_test_p(better: int, worse: int) -> float:
    """Two-sided exact sign test (ties dropped before the call)."""
    n = better + worse
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(better, worse) + 1)) / 2**n
    return min(1.0, 2.0 * tail)


def score(pairs: list[tuple[str, str, float, float]], keys: tuple[str, ...]) -> tuple:
    errs = np.array([abs(angle_error(k, m, r)) for _, k, m, r in pairs if k in keys])
    if not len(errs):
        return (np.nan, np.nan, 0)
    return (float(np.median(errs)), float(np.mean(errs)), len(errs))


def slope(pairs: list[tuple[str, str, float, float]]) -> float:
    ref = np.array([r for _, k, _, r in pairs if k == "hip_line"])
    met = np.array([r + angle_error(k, m, r) for _, k, m, r in pairs if k == "hip_line"])
    if len(ref) < 2:
        return float("nan")
    ref_c = ref - ref.mean()
    return float(np.dot(ref_c, met - met.mean()) / np.dot(ref_c, ref_c))


def collect(people: list[Person], found: dict, transform=None) -> tuple[list, int, int]:
    """Angle pairs (person, key, method, ref), people missed, left/right swaps."""
    pairs, missed, swaps = [], 0, 0
    for person in people:
        xy = match(person, found[person.image][0])
        if xy is None:
            missed += 1
            continue
        if transform is not None:
            xy = transform(xy)
        ref, met = angles(person.joints), angles(named(xy))
        lines = frontal_lines(person.joints)
        for key in ALL:
            if key.endswith("_line") and key not in lines:
                continue
            if key in ref and key in met:
                pairs.append((person.name, key, met[key], ref[key]))
        for part in ("shoulder", "hip"):
            r, m = angles(person.joints), angles(named(xy))
            key = f"{part}_line"
            if key in r and key in m and abs((m[key] - r[key] + 180) % 360 - 180) > 90:
                swaps += 1
    return pairs, missed, swaps


def loo_hip_gain(people: list[Person], found: dict) -> tuple[list, list[float]]:
    """Leave-one-person-out: fit the hip gain on the others, score the one left out."""
    grid = np.round(np.arange(0.8, 2.51, 0.05), 2)
    per_gain = {g: collect(people, found, lambda xy, g=g: hip_gain(xy, g))[0] for g in grid}
    names = sorted({p for p, *_ in per_gain[1.0]})
    held, gains = [], []
    for name in names:
        cost = {
            g: sum(abs(angle_error(k, m, r)) for p, k, m, r in pairs if p != name and k in PRIMARY)
            for g, pairs in per_gain.items()
        }
        g = min(cost, key=lambda g: (cost[g], abs(g - 1.0)))
        gains.append(float(g))
        held += [t for t in per_gain[g] if t[0] == name]
    return held, gains


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", type=Path, required=True)
    ap.add_argument("--model", type=Path, default=os.environ.get("POSTURE_CAM_TEST_MODEL"))
    ap.add_argument("--extra-model", action="append", default=[], metavar="LABEL=FILE")
    ap.add_argument("--cache", type=Path, default=None, help="folder for per-image landmarks")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--correct", default="", help="methods to try the LOO hip gain on")
    ap.add_argument("--num-poses", type=int, default=4)
    ap.add_argument(
        "--second-model",
        type=Path,
        default=None,
        help="movenet_thunder.npz: adds the method tta14+movenet (the product's photo default)",
    )
    ap.add_argument("--per-person", action="store_true", help="list every pair")
    args = ap.parse_args(argv)
    if args.second_model is not None:
        METHODS["tta14+movenet"] = dict(METHODS["tta14"], second_model_path=str(args.second_model))
    if args.model is None:
        ap.error("--model or POSTURE_CAM_TEST_MODEL is required")
    people = load_reference(args.reference)
    images = sorted({p.image for p in people})
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    methods = [m for m in args.methods.split(",") if m]
    models = {"": Path(args.model)}
    for item in args.extra_model:
        label, _, path = item.partition("=")
        models[label] = Path(path)
    for m in methods:
        if m.partition("@")[0] not in METHODS or m.partition("@")[2] not in models:
            ap.error(f"{m}: unknown method, or no --extra-model for its @LABEL")
    results = {
        m: run_method(m, images, models[m.partition("@")[2]], args.num_poses, args.cache)
        for m in methods
    }
    base = "one" if "one" in results else methods[0]
    base_ms = np.median([ms for _, ms in results[base].values()])
    print(f"{len(people)} reference people on {len(images)} photos; num_poses={args.num_poses}")
    print()
    rows = [(m, *collect(people, results[m]), results[m]) for m in methods]
    print("Pairs every method has; 'better than 1st': primary pairs with a smaller error")
    print(f"than {methods[0]}. Time: median estimator time per photo relative to {base}.")
    print()
    print(
        "| method | primary median° | primary mean° | better than 1st | sign test p |"
        " all median° | all mean° | n |"
        " hip-line slope | missed | L/R swaps | time × |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for m in args.correct.split(","):
        if m in results:
            held, gains = loo_hip_gain(people, results[m])
            g = f"{np.median(gains):.2f} [{min(gains):.2f}-{max(gains):.2f}]"
            rows.append((f"{m} + hip gain (LOO, g {g})", held, 0, 0, results[m]))
    # Compare on the pairs every method has, so a method is not judged on easier people.
    common = set.intersection(*({(p, k) for p, k, *_ in r[1]} for r in rows))
    base_err = {(p, k): abs(angle_error(k, m, r)) for p, k, m, r in rows[0][1]}
    for name, pairs, missed, swaps, found in rows:
        shared = [t for t in pairs if (t[0], t[1]) in common]
        pm, pmean, pn = score(shared, PRIMARY)
        am, amean, an = score(shared, ALL)
        diffs = [
            abs(angle_error(k, m, r)) - base_err[(p, k)] for p, k, m, r in shared if k in PRIMARY
        ]
        wins = sum(d < -1e-9 for d in diffs)
        losses = sum(d > 1e-9 for d in diffs)
        ratio = np.median([ms for _, ms in found.values()]) / base_ms
        print(
            f"| {name} | {pm:.2f} | {pmean:.2f} | {wins}/{pn} | {sign_test_p(wins, losses):.2f} |"
            f" {am:.2f} | {amean:.2f} | {an} |"
            f" {slope(shared):.2f} | {missed} | {swaps} | {ratio:.1f} |"
        )
    if args.per_person:
        for name, pairs, *_ in rows:
            print(f"\n{name}")
            for p, k, m, r in pairs:
                print(
                    f"  {p:16s} {k:14s} ref {r:8.2f} method {m:8.2f}"
                    f" err {angle_error(k, m, r):+7.2f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
