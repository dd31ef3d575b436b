"""Model repeatability per metric: SEM and MDC95 of one model pass on re-captured stills.

Usage::

    /work/venv/bin/python bench/repeatability.py [--media DIR] [--model FILE]

Design. A "re-capture" of a still pose is simulated by re-photographing the same photo
with a slightly different framing: the photo is shifted by up to 12 px and scaled by
0.94-1.06 (border replicated), which moves the person across the model's input grid
the way a new webcam frame of a still patient does. Each variant runs ONE model pass
(IMAGE mode, no test-time averaging, no smoothing) with the view forced per photo.
The spread of a metric across the variants of one photo is its within-subject SD; the
pooled SD over photos (root mean of the variances) is the SEM of one capture and

    MDC95 = 1.96 * sqrt(2) * SEM

the smallest change between two captures that is real with 95 % confidence. Prints a
Markdown table; the numbers are copied into ``posture_cam/metrics/mdc.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from posture_cam.config import PipelineConfig  # noqa: E402
from posture_cam.pipeline import Pipeline  # noqa: E402
from posture_cam.sources import read_image  # noqa: E402
from posture_cam.types import Frame  # noqa: E402

_STILLS = "images/derived_stills_from_videos/"
#: (photo relative to the media folder, forced view)
PHOTOS = (
    ("images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg", "front"),
    ("images/standing_frontal/frontal_shapy_img18_woman_studio_neutral.jpg", "front"),
    ("images/standing_frontal/frontal_icon_028009_woman_studio.jpg", "front"),
    ("images/standing_frontal/frontal_dipan_front_image_man_home_lowres.jpg", "front"),
    (_STILLS + "still_frontal_romp_video2_f015_woman_standing.jpg", "front"),
    (_STILLS + "still_frontal_sports2d_demo5_f005_man_dumbbells.jpg", "front"),
    (_STILLS + "still_frontal_tfjs_squats_f000_woman_standing.jpg", "front"),
    (_STILLS + "still_side_sports2d_demo4_f236_older_woman_walking.jpg", "left"),
    ("images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg", "right"),
    ("images/seated_side/seated_side_nvv_straight_hf_upright_arms_folded_facing_left.jpg", "left"),
    ("images/seated_side/seated_side_nvv_hunchback_SLOUCH_facing_left.jpg", "left"),
    ("images/seated_side/seated_side_nvv_hunchback_flip_SLOUCH_facing_right.jpg", "right"),
    ("images/seated_side/seated_side_nvv_jav_other_man_upright.jpg", "left"),
    ("images/seated_side/seated_side_nvv_img_woman_upright_stock.jpg", "right"),
    ("images/standing_side/side_dipan_side_image_man_home_lowres.jpg", "right"),
)
SHIFTS_PX = ((0, 0), (12, 0), (-12, 0), (0, 12), (0, -12), (8, 8), (-8, -8), (8, -8))
SCALES = (1.0, 0.94, 1.06)


def variants(image: np.ndarray) -> list[np.ndarray]:
    h, w = image.shape[:2]
    out = []
    for s in SCALES:
        for dx, dy in SHIFTS_PX:
            m = np.array([[s, 0, dx + (1 - s) * w / 2], [0, s, dy + (1 - s) * h / 2]])
            out.append(cv2.warpAffine(image, m, (w, h), borderMode=cv2.BORDER_REPLICATE))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--media", default=os.environ.get("POSTURE_CAM_TEST_MEDIA", "../shared/media"))
    ap.add_argument("--model", default=os.environ.get("POSTURE_CAM_TEST_MODEL"))
    args = ap.parse_args()
    var: dict[str, list[float]] = defaultdict(list)  # metric -> per-photo variances
    n: dict[str, int] = defaultdict(int)
    for rel, view in PHOTOS:
        config = PipelineConfig(
            model_path=args.model,
            flip_average=False,
            rotation_average_deg=(),
            smoothing="none",
            view=view,
            num_poses=1,
        )
        values: dict[str, list[float]] = defaultdict(list)
        with Pipeline.open(config, mode="image", allow_network=False) as pipe:
            for i, img in enumerate(variants(read_image(Path(args.media) / rel))):
                res = pipe.process(Frame(img, i, float(i), rel))
                for mid, m in res.metrics.items():
                    if m.value is not None:
                        values[mid].append(m.value)
        for mid, xs in values.items():
            if len(xs) >= 5:
                var[mid].append(float(np.var(xs, ddof=1)))
                n[mid] += len(xs)
    print("| metric | photos | captures | SEM | MDC95 |")
    print("|---|---|---|---|---|")
    for mid, vs in var.items():
        sem = float(np.sqrt(np.mean(vs)))
        print(f"| {mid} | {len(vs)} | {n[mid]} | {sem:.2f} | {1.96 * np.sqrt(2) * sem:.2f} |")


if __name__ == "__main__":
    main()
