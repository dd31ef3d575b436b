"""What a photo costs: one pass, the 14 passes, and the 14 passes with the second model.

Usage::

    python bench/photo_time.py --second-model movenet_thunder.npz [--model FILE]
        [--media DIR] [--repeat N]

Runs the same photos (front, side, seated, several people) through three IMAGE-mode
pipelines as ``analyze`` builds them (``--fast``, ``--no-second-model``, the default
with the second model), interleaved photo by photo so that a change of machine load
hits all three alike, and prints a Markdown table: the median time per photo (the whole
pipeline: model passes, second model, metrics) and its ratio to one pass. Absolute
times differ between machines of one kind; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from posture_cam.config import PipelineConfig  # noqa: E402
from posture_cam.pipeline import Pipeline  # noqa: E402
from posture_cam.sources import read_image  # noqa: E402
from posture_cam.types import Frame  # noqa: E402

PHOTOS = (
    "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg",
    "images/standing_frontal/frontal_bgmv2_test_fg_man_by_car.jpg",
    "images/standing_side/side_dipan_side_image_man_home_lowres.jpg",
    "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg",
    "images/standing_back/back_tfjs_posenet_backpackman_walking_away.jpg",
    "images/multi_person/multi_mmpose_aic_men_playing_go_at_table.jpg",
)


def main(argv: list[str] | None = None) -> int:
    shared = REPO.parent / "shared"
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--model",
        type=Path,
        default=os.environ.get(
            "POSTURE_CAM_TEST_MODEL", shared / "models/pose_landmarker_full.task"
        ),
    )
    ap.add_argument(
        "--media", type=Path, default=os.environ.get("POSTURE_CAM_TEST_MEDIA", shared / "media")
    )
    ap.add_argument("--second-model", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    base = PipelineConfig(model_path=str(args.model), smoothing="none")
    configs = {
        "one pass (`--fast`)": dataclasses.replace(
            base, flip_average=False, rotation_average_deg=(), second_model=False
        ),
        "14 passes (`--no-second-model`)": dataclasses.replace(base, second_model=False),
        "14 passes + second model (default once installed)": dataclasses.replace(
            base, second_model_path=str(args.second_model)
        ),
    }
    images = [(rel, read_image(args.media / rel)) for rel in PHOTOS]
    times: dict[str, list[float]] = {name: [] for name in configs}
    pipelines = {name: Pipeline.open(cfg, mode="image") for name, cfg in configs.items()}
    try:
        for pipeline in pipelines.values():  # warm-up: delegates, first inference
            pipeline.process(Frame(images[0][1], 0, 0.0, images[0][0]))
        for _ in range(args.repeat):
            for rel, bgr in images:
                for name, pipeline in pipelines.items():
                    pipeline.reset()
                    start = time.perf_counter()
                    result = pipeline.process(Frame(bgr, 0, 0.0, rel))
                    times[name].append(time.perf_counter() - start)
                    assert result.pose_measured is not None, rel
    finally:
        for pipeline in pipelines.values():
            pipeline.close()
    one = statistics.median(times[next(iter(configs))])
    print(f"{len(images)} photos x {args.repeat}, load {os.getloadavg()[0]:.1f}\n")
    print("| photo method | median per photo | × one pass |")
    print("|---|---|---|")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"| {name} | {med * 1000:.0f} ms | {med / one:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
