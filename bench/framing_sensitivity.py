"""How much a different framing of the same photo moves each angle, against its SEM.

Usage::

    /work/venv/bin/python bench/framing_sensitivity.py [--media DIR] [--model FILE]

Each shared photo with a person in a front, back or side view (the side, frontal, back
and derived-still folders) is measured whole and cropped to the body plus 15 % on each
side (the person then fills the picture about twice as wide), with the default photo
setting (14 passes; the second keypoint model off, so the pose model alone is
measured). Photos already framed that tightly (crop > 80 % of the picture) and those
whose view changes with the crop are left out. Per angle metric the table gives the
median and 90th percentile of |crop - whole| and the share of photos beyond one and two
times the metric's SEM (``MetricSpec.repeatability``, from bench/repeatability.py, whose
re-framings are small: shifts up to 12 px, scale 0.94-1.06). Prints a Markdown table;
docs/metrics.md ("Keep the framing between visits") quotes it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from posture_cam.config import PipelineConfig  # noqa: E402
from posture_cam.metrics import spec  # noqa: E402
from posture_cam.pipeline import Pipeline  # noqa: E402
from posture_cam.sources import read_image  # noqa: E402
from posture_cam.types import Frame  # noqa: E402

FOLDERS = (
    "images/seated_side",
    "images/standing_side",
    "images/standing_frontal",
    "images/standing_back",
    "images/derived_stills_from_videos",
)
MARGIN = 0.15
MEASURED_VIEWS = ("front", "back", "left", "right")


def body_crop(image: np.ndarray, xy: np.ndarray) -> np.ndarray | None:
    """The picture cropped to the landmarks' box plus ``MARGIN``; None when that keeps
    more than 80 % of it (already framed tightly)."""
    seen = np.isfinite(xy).all(axis=1)
    (x0, y0), (x1, y1) = xy[seen].min(axis=0), xy[seen].max(axis=0)
    mx, my = MARGIN * (x1 - x0), MARGIN * (y1 - y0)
    h, w = image.shape[:2]
    left, top = int(max(0, x0 - mx)), int(max(0, y0 - my))
    right, bottom = int(min(w, x1 + mx)), int(min(h, y1 + my))
    if (right - left) * (bottom - top) > 0.8 * w * h:
        return None
    return np.ascontiguousarray(image[top:bottom, left:right])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--media", default=os.environ.get("POSTURE_CAM_TEST_MEDIA", "../shared/media"))
    ap.add_argument("--model", default=os.environ.get("POSTURE_CAM_TEST_MODEL"))
    args = ap.parse_args()
    files = sorted(p for folder in FOLDERS for p in (Path(args.media) / folder).glob("*.*"))
    config = PipelineConfig(model_path=args.model, second_model=False)
    moved: dict[str, list[float]] = defaultdict(list)
    photos = 0
    with Pipeline.open(config, mode="image", allow_network=False) as pipeline:
        for path in files:
            image = read_image(path)
            pipeline.reset()
            whole = pipeline.process(Frame(image, 0, 0.0, str(path)))
            if whole.pose_image is None or str(whole.view.view) not in MEASURED_VIEWS:
                continue
            crop = body_crop(image, whole.pose_image.xy_px)
            if crop is None:
                continue
            pipeline.reset()
            cropped = pipeline.process(Frame(crop, 0, 0.0, f"{path}#crop"))
            if cropped.view.view != whole.view.view:
                continue
            photos += 1
            for metric_id, m in whole.metrics.items():
                c = cropped.metrics.get(metric_id)
                if m.unit != "deg" or m.value is None or c is None or c.value is None:
                    continue
                moved[metric_id].append(abs(c.value - m.value))
    print(f"{photos} photos, whole vs cropped to the body + {MARGIN:.0%}\n")
    print("| metric | n | median abs change | p90 | > SEM | > 2 SEM | SEM |")
    print("|---|---|---|---|---|---|---|")
    for metric_id, values in sorted(moved.items()):
        d = np.array(values)
        sem = spec(metric_id).repeatability
        print(
            f"| {metric_id} | {d.size} | {np.median(d):.2f}° | {np.percentile(d, 90):.2f}° | "
            f"{np.mean(d > sem):.0%} | {np.mean(d > 2 * sem):.0%} | {sem:.2f}° |"
        )


if __name__ == "__main__":
    main()
