"""Which still-photo passes, and which way of combining them, earn their cost.

Usage::

    python bench/landmark_passes.py --reference FILE --cache DIR [--model FILE]
        [--extra-model LABEL=FILE ...] [--bootstrap N]

The reference is ``bench/landmark_accuracy.py``'s (same matching, angle pairs and
scores; see its docstring). Where that bench runs the estimator once per setting, this
one runs the model once per *view* and caches the raw landmarks with their visibility
(``--cache``, outside the repository), then combines the views afterwards:

* on the photo: rotated by 0, +-4, +-8, +-12 deg, and each mirrored (``r+8``, ``f+8``);
* per person of the plain pass: the same views on a square crop of 256 and of 512 px
  around them (``PoseEstimator.refine_crop_px``'s crop), and three VIDEO-mode passes on
  the 512 px crop, where MediaPipe places its region of interest from the previous
  pass's landmarks instead of its person detector (``vid``), as is and mirrored.

Views are merged as the estimator merges them (``pose.merge``: mirror pairs first, then
the rotations, people matched by box overlap) with one of four reductions: ``mean``
(the estimator's), ``median``, ``visw`` (mean weighted by visibility) and ``trimK``
(drop a view's point farther than K times the median distance from the median point,
then the mean). A recipe may also average the results of two models (``--extra-model
heavy=FILE``, e.g. the offline-built heavy bundle: ``posture-cam models fetch heavy``).

The table gives, per recipe, the passes per person, the median and mean absolute error
over the primary pairs (shoulder line, hip line, trunk), how many primary pairs are
better / worse than the first recipe (the estimator's default) with a two-sided sign
test, a 95 % interval of the primary median from a bootstrap over people, and the median
over all pairs. Choosing the best of many recipes on 16 people overfits, so the last
line scores the choice itself: for each person, the recipe with the lowest primary
median on the others, scored on that person only (nested leave-one-person-out).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import pickle
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import landmark_accuracy as la  # noqa: E402

from posture_cam.pose import PoseEstimator, merge  # noqa: E402
from posture_cam.pose.estimator import crop_around  # noqa: E402
from posture_cam.sources import read_image  # noqa: E402
from posture_cam.types import Frame, Pose  # noqa: E402

ANGLES_DEG = (0, -4, 4, -8, 8, -12, 12)
CROPS_PX = (256, 512)
VIDEO_CROP_PX = 512
VIDEO_PASSES = 3
MIN_VISIBILITY = 0.5
#: Bump when the cached views change meaning.
CACHE_VERSION = 1

# (name, recipe, reduction). A recipe: photo = (angles, mirrored too), crops = [(px,
# angles, mirrored)], vid = VIDEO-mode pass names, models = labels averaged (first is
# the base). The first row is the comparison base (the estimator's default).
T14 = (ANGLES_DEG, True)
RECIPES: list[tuple[str, dict, str]] = [
    ("tta14 (default)", dict(photo=T14), "mean"),
    ("one", dict(photo=((0,), False)), "mean"),
    ("flip", dict(photo=((0,), True)), "mean"),
    ("flip+rot8", dict(photo=((0, -8, 8), True)), "mean"),
    ("tta14 median", dict(photo=T14), "median"),
    ("tta14 visibility-weighted", dict(photo=T14), "visw"),
    ("tta14 trimmed (2x median distance)", dict(photo=T14), "trim2"),
    ("tta14 trimmed (1.5x)", dict(photo=T14), "trim1.5"),
    ("crop256 one", dict(crops=[(256, (0,), False)]), "mean"),
    ("crop512 one", dict(crops=[(512, (0,), False)]), "mean"),
    ("crop512 tta14", dict(crops=[(512, *T14)]), "mean"),
    ("tta14 + crop256 tta14", dict(photo=T14, crops=[(256, *T14)]), "mean"),
    ("tta14 + crop512 tta14", dict(photo=T14, crops=[(512, *T14)]), "mean"),
    ("tta14 + crop256+512 tta14", dict(photo=T14, crops=[(256, *T14), (512, *T14)]), "mean"),
    (
        "tta14 + crop256+512 tta14 median",
        dict(photo=T14, crops=[(256, *T14), (512, *T14)]),
        "median",
    ),
    (
        "flip + crop256+512 flip",
        dict(photo=((0,), True), crops=[(256, (0,), True), (512, (0,), True)]),
        "mean",
    ),
    ("vid512 3rd pass", dict(vid=["vid_2"]), "mean"),
    ("vid512 3rd pass + mirror", dict(vid=["vid_2", "vidf_2"]), "mean"),
    (
        "tta14 + vid512 2nd,3rd + mirror",
        dict(photo=T14, vid=["vid_1", "vid_2", "vidf_1", "vidf_2"]),
        "mean",
    ),
]
#: Rows added per --extra-model LABEL (the model alone and averaged with the main one).
EXTRA_RECIPES: list[tuple[str, dict, str]] = [
    ("{label} one", dict(photo=((0,), False), models=["{label}"]), "mean"),
    ("{label} flip", dict(photo=((0,), True), models=["{label}"]), "mean"),
    ("{label} tta14", dict(photo=T14, models=["{label}"]), "mean"),
    ("{label} crop512 tta14", dict(crops=[(512, *T14)], models=["{label}"]), "mean"),
    ("main+{label} one", dict(photo=((0,), False), models=["main", "{label}"]), "mean"),
    ("main+{label} tta14", dict(photo=T14, models=["main", "{label}"]), "mean"),
]


# --- views ------------------------------------------------------------------------------


def _pack(poses: list[Pose]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(p.xy_px.copy(), p.visibility.copy()) for p in poses]


def _photo_views(estimator: PoseEstimator, rgb: np.ndarray, frame: Frame) -> dict:
    """Every rotation of ``rgb`` and of its mirror image, mapped back onto ``rgb``."""
    out = {}
    flipped = np.ascontiguousarray(rgb[:, ::-1])
    for a in ANGLES_DEG:
        out[f"r{a:+d}"] = _pack(estimator.detect_rotated(rgb, frame, a))
        mirrored = estimator.detect_rotated(flipped, frame, -a)
        out[f"f{a:+d}"] = _pack([merge.unflip(p) for p in mirrored])
    return out


def _video_passes(model: Path, image_bgr: np.ndarray) -> list[list]:
    """VIDEO-mode passes on one image: from the 2nd on, the ROI follows the landmarks."""
    passes = []
    with PoseEstimator(model, mode="video", num_poses=1, min_visibility=0.0) as video:
        for k in range(VIDEO_PASSES):
            estimate = video.estimate(Frame(image_bgr, k, 33.0 * k, "crop"))
            passes.append(_pack(list(estimate.all_poses)))
    return passes


def _crop_views(estimator: PoseEstimator, model: Path, rgb: np.ndarray, first: Pose) -> dict:
    """Views on crops around ``first``, mapped back to the photo."""
    out: dict[str, list] = {}
    for size in CROPS_PX:
        crop = crop_around(rgb, first, size)
        if crop is None:
            continue
        image, origin, scale = crop
        views = _photo_views(estimator, image, Frame(image, 0, 0.0, "crop"))
        for name, poses in views.items():
            out[f"crop{size}_{name}"] = [(xy * scale + origin, v) for xy, v in poses]
        if size != VIDEO_CROP_PX:
            continue
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        for k, poses in enumerate(_video_passes(model, bgr)):
            out[f"vid_{k}"] = [(xy * scale + origin, v) for xy, v in poses]
        mirrored = np.ascontiguousarray(bgr[:, ::-1])
        for k, poses in enumerate(_video_passes(model, mirrored)):
            back = [merge.unflip(Pose(xy, np.zeros(33), v, v, (size, size))) for xy, v in poses]
            out[f"vidf_{k}"] = [(p.xy_px * scale + origin, p.visibility) for p in back]
    return out


def views_of(model: Path, images: list[Path], cache: Path) -> dict[Path, dict]:
    """Raw views per image (cached per model and image)."""
    out: dict[Path, dict] = {}
    estimator = None
    for image in images:
        key = f"{CACHE_VERSION}|{model.name}|{model.stat().st_size}|{image.resolve()}"
        path = cache / f"views_{hashlib.sha1(key.encode()).hexdigest()}.pkl"
        if path.exists():
            out[image] = pickle.loads(path.read_bytes())
            continue
        if estimator is None:
            estimator = PoseEstimator(
                model, mode="image", num_poses=4, min_visibility=0.0, flip_average=False
            )
        bgr = read_image(image)
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        frame = Frame(bgr, 0, 0.0, str(image))
        views = _photo_views(estimator, rgb, frame)
        crops = []
        for xy, vis in views["r+0"]:
            first = Pose(xy, np.zeros(33), vis, vis, frame.resolution_wh)
            crops.append(_crop_views(estimator, model, rgb, first))
        out[image] = dict(views=views, crops=crops, wh=frame.resolution_wh)
        path.write_bytes(pickle.dumps(out[image]))
        print(f"  views of {image.name} ({model.name})", file=sys.stderr, flush=True)
    if estimator is not None:
        estimator.close()
    return out


# --- combining ----------------------------------------------------------------------------


def _outside(xy: np.ndarray, wh: tuple[int, int]) -> np.ndarray:
    w, h = wh
    with np.errstate(invalid="ignore"):
        return (xy < -0.5).any(axis=1) | (xy[:, 0] > w - 0.5) | (xy[:, 1] > h - 0.5)


def reduce_views(poses: list[Pose], how: str) -> Pose:
    """One of the reductions of the module docstring over several estimates of a person."""
    wh = poses[0].resolution_wh
    xy = np.stack([p.xy_px for p in poses]).astype(float)
    vis = np.stack([p.visibility for p in poses])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN points stay NaN
        if how == "median":
            out = np.nanmedian(xy, axis=0)
        elif how == "visw":
            w = np.where(np.isfinite(xy[..., 0]), vis, 0.0)[..., None]
            out = np.nansum(np.nan_to_num(xy) * w, axis=0) / w.sum(axis=0)
        elif how.startswith("trim"):
            med = np.nanmedian(xy, axis=0)
            dist = np.linalg.norm(xy - med, axis=2)
            limit = float(how[4:]) * np.maximum(np.nanmedian(dist, axis=0), 1e-6)
            out = np.nanmean(np.where((dist <= limit)[..., None], xy, np.nan), axis=0)
        else:
            raise ValueError(how)
    visibility = vis.mean(axis=0)
    out[(visibility < MIN_VISIBILITY) | _outside(out, wh)] = np.nan
    return Pose(out, np.zeros(33), visibility, visibility, wh)


@contextlib.contextmanager
def reduction(how: str) -> Iterator[None]:
    """Bench only: run ``pose.merge``'s matching with another reduction than its mean."""
    if how == "mean":
        yield
        return
    saved = merge._average
    merge._average = lambda poses, min_visibility: reduce_views(poses, how)
    try:
        yield
    finally:
        merge._average = saved


def _poses(views: dict, names: list[str], wh: tuple[int, int]) -> list[Pose]:
    out = []
    for name in names:
        for xy, vis in views.get(name, []):
            xy = xy.copy()
            xy[(vis < MIN_VISIBILITY) | _outside(xy, wh)] = np.nan
            out.append(Pose(xy, np.zeros(33), vis, vis, wh))
    return out


def merged_views(views: dict, angles: tuple, mirrored: bool, wh: tuple[int, int]) -> list[Pose]:
    """The estimator's merge (``PoseEstimator._averaged``) on cached views."""
    pairs = []
    for a in angles:
        poses = _poses(views, [f"r{a:+d}"], wh)
        if mirrored:
            poses = merge.merge_flipped(poses, _poses(views, [f"f{a:+d}"], wh), MIN_VISIBILITY)
        pairs.append(poses)
    out = pairs[0]
    if len(pairs) > 1:
        out = merge.merge_views(out, pairs[1:], MIN_VISIBILITY)
    if len(pairs) > 1 or mirrored:
        out = [merge.drop_outside(p) for p in out]
    return out


def _best(first: Pose, candidates: list[Pose]) -> Pose | None:
    scored = [(merge.box_iou(first, c), k) for k, c in enumerate(candidates)]
    if not scored or max(scored)[0] < 0.3:
        return None
    return candidates[max(scored)[1]]


def recipe_people(data: dict, recipe: dict, how: str) -> list[Pose]:
    """The people of one image under ``recipe`` (people of the plain pass as the base)."""
    wh = data["wh"]
    with reduction(how):
        base = _poses(data["views"], ["r+0"], wh)
        photo = merged_views(data["views"], *recipe["photo"], wh) if "photo" in recipe else None
        people = []
        for i, first in enumerate(base):
            group = [] if photo is None else [_best(first, photo)]
            for size, angles, mirrored in recipe.get("crops", []):
                on_crop = {
                    k.split("_", 1)[1]: v
                    for k, v in data["crops"][i].items()
                    if k.startswith(f"crop{size}_")
                }
                group.append(_best(first, merged_views(on_crop, angles, mirrored, wh)))
            for name in recipe.get("vid", []):
                group.append(_best(first, _poses(data["crops"][i], [name], wh)))
            group = [g for g in group if g is not None]
            if group:
                people.append(group[0] if len(group) == 1 else merge._average(group, 0.5))
        if photo is not None:  # people only the averaged views found, as the estimator
            people += [q for q in photo if all(merge.box_iou(q, b) < 0.3 for b in base)]
    return people


def found_by(recipe: dict, how: str, views: dict[str, dict], images: list[Path]) -> dict:
    """``landmark_accuracy.collect``'s input: {image: (list of (33, 2) xy, 0.0)}."""
    labels = recipe.get("models", ["main"])
    out = {}
    for image in images:
        per_model = [recipe_people(views[label][image], recipe, how) for label in labels]
        people = []
        for pose in per_model[0]:
            group = [pose] + [m for m in (_best(pose, o) for o in per_model[1:]) if m]
            people.append(pose if len(group) == 1 else merge._average(group, MIN_VISIBILITY))
        out[image] = ([p.xy_px for p in people], 0.0)
    return out


def passes(recipe: dict) -> int:
    """Model runs per person (a crop or VIDEO pass needs the plain pass first)."""
    n = len(recipe["photo"][0]) * (2 if recipe["photo"][1] else 1) if "photo" in recipe else 0
    n += sum(len(a) * (2 if m else 1) for _, a, m in recipe.get("crops", []))
    n += len(recipe.get("vid", []))
    if "photo" not in recipe:
        n += 1
    return n * len(recipe.get("models", ["main"]))


# --- statistics ---------------------------------------------------------------------------


def bootstrap_median(errors: dict[tuple[str, str], float], n: int, seed: int = 0) -> tuple:
    """95 % interval of the median error when people are drawn with replacement."""
    rng = np.random.default_rng(seed)
    by_person: dict[str, list[float]] = {}
    for (person, _), e in errors.items():
        by_person.setdefault(person, []).append(e)
    names = sorted(by_person)
    meds = [
        np.median(np.concatenate([by_person[p] for p in rng.choice(names, len(names))]))
        for _ in range(n)
    ]
    return float(np.percentile(meds, 2.5)), float(np.percentile(meds, 97.5))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", type=Path, required=True)
    ap.add_argument("--cache", type=Path, required=True, help="folder for per-view landmarks")
    ap.add_argument("--model", type=Path, default=os.environ.get("POSTURE_CAM_TEST_MODEL"))
    ap.add_argument("--extra-model", action="append", default=[], metavar="LABEL=FILE")
    ap.add_argument("--bootstrap", type=int, default=1000, help="bootstrap draws")
    args = ap.parse_args(argv)
    if args.model is None:
        ap.error("--model or POSTURE_CAM_TEST_MODEL is required")
    models = {"main": Path(args.model)}
    for item in args.extra_model:
        label, _, path = item.partition("=")
        models[label] = Path(path)
    people = la.load_reference(args.reference)
    images = sorted({p.image for p in people})
    args.cache.mkdir(parents=True, exist_ok=True)
    views = {label: views_of(path, images, args.cache) for label, path in models.items()}

    recipes = list(RECIPES)
    for label in models:
        if label != "main":
            recipes += [
                (
                    name.format(label=label),
                    {
                        k: [m.format(label=label) for m in v] if k == "models" else v
                        for k, v in recipe.items()
                    },
                    how,
                )
                for name, recipe, how in EXTRA_RECIPES
            ]
    errors: dict[str, dict] = {}
    all_pairs: dict[str, list] = {}
    for name, recipe, how in recipes:
        pairs = la.collect(people, found_by(recipe, how, views, images))[0]
        all_pairs[name] = pairs
        errors[name] = {
            (p, k): abs(la.angle_error(k, m, r)) for p, k, m, r in pairs if k in la.PRIMARY
        }
    common = set.intersection(*(set(e) for e in errors.values()))
    base = recipes[0][0]
    print(
        f"{len(people)} reference people on {len(images)} photos; models: "
        + ", ".join(f"{label}={path.name}" for label, path in models.items())
    )
    print(
        f"{len(common)} primary pairs every recipe has; better/worse and the sign test vs {base}."
    )
    print()
    print(
        "| recipe | reduction | passes | primary median° | 95 % interval | primary mean° |"
        " better/worse | sign test p | all median° |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, recipe, how in recipes:
        e = {k: errors[name][k] for k in common}
        better = sum(e[k] < errors[base][k] - 1e-9 for k in common)
        worse = sum(e[k] > errors[base][k] + 1e-9 for k in common)
        lo, hi = bootstrap_median(e, args.bootstrap)
        shared = [t for t in all_pairs[name] if any(t[0] == p for p, _ in common)]
        all_median = la.score(shared, la.ALL)[0]
        print(
            f"| {name} | {how} | {passes(recipe)} | {np.median(list(e.values())):.2f} |"
            f" {lo:.2f}-{hi:.2f} | {np.mean(list(e.values())):.2f} | {better}/{worse} |"
            f" {la.sign_test_p(better, worse):.2f} | {all_median:.2f} |"
        )
    # Nested leave-one-person-out: does picking the best-looking recipe carry over?
    names = sorted({p for p, _ in common})
    if len(names) < 3:
        print("\nNested leave-one-person-out choice: needs at least 3 people.")
        return 0
    held, picks = [], []
    for person in names:
        train = [k for k in common if k[0] != person]
        pick = min(errors, key=lambda r: np.median([errors[r][k] for k in train]))
        picks.append(pick)
        held += [errors[pick][k] for k in common if k[0] == person]
    chosen = ", ".join(f"{name} x{n}" for name, n in Counter(picks).most_common())
    print()
    print(
        f"Nested leave-one-person-out choice of the recipe: primary median {np.median(held):.2f}°,"
        f" mean {np.mean(held):.2f}° (chosen: {chosen})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
