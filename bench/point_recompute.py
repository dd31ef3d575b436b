"""Time of a point-dialog recompute: one drag move (``PointEditor.set_point``) and the ±
of a corrected capture (``EditedNumbers.uncertainty``, four recomputes per edited point).

Two ways of finding the catalogue languages, which the metric engine's reasons ask for
several times per recompute (``posture_cam.reasons`` -> ``i18n.available_languages``):

* ``cached``: as shipped (the locale folder is read once);
* ``scan every call``: the folder globbed on every call, as before the cache.

The pose is the synthetic side-view person of ``posture_cam.testing`` (no model, no
photo needed), or with ``--photo`` the model's pose on a photo (``--model``, default
``$POSTURE_CAM_TEST_MODEL``). Prints a Markdown table of milliseconds (median and p90).

    python bench/point_recompute.py [--moves N] [--photo SIDE.jpg [--model FILE]]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time
from collections.abc import Callable, Iterator

from posture_cam import i18n
from posture_cam.markers.editor import PointEditor
from posture_cam.markers.uncertainty import EditedNumbers
from posture_cam.testing import demo_result


@contextlib.contextmanager
def scanning_every_call() -> Iterator[None]:
    """``available_languages`` without its cache (the behaviour before it)."""
    cached = i18n._languages_in
    i18n._languages_in = cached.__wrapped__  # type: ignore[assignment]
    try:
        yield
    finally:
        i18n._languages_in = cached


def counted_language_calls(work: Callable[[], object]) -> int:
    """How often the language list is asked for during ``work()``."""
    original = i18n._languages_in
    calls = 0

    def counting(locale_dir):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(locale_dir)

    i18n._languages_in = counting  # type: ignore[assignment]
    try:
        work()
    finally:
        i18n._languages_in = original
    return calls


def time_ms(work: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        work()
        times.append((time.perf_counter() - t0) * 1000.0)
    return times


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200, help="drag moves timed per case")
    parser.add_argument("--photo", help="a side photo (default: the synthetic person)")
    parser.add_argument("--model", default=os.environ.get("POSTURE_CAM_TEST_MODEL"))
    args = parser.parse_args(argv)
    result = photo_result(args.photo, args.model) if args.photo else demo_result("left")
    editor = PointEditor(result)
    side = "left" if str(result.view.view) == "left" else "right"
    ear = editor.xy(f"{side}_ear")
    if ear is None:
        raise SystemExit(f"no {side} ear in {args.photo or 'the synthetic person'}")
    point = f"{side}_ear"
    step = [0]

    def move() -> None:
        step[0] += 1
        editor.set_point(point, (ear[0] + step[0] % 7, ear[1]), new_step=False)

    numbers = EditedNumbers(editor)

    def uncertainty() -> None:
        move()  # a new position: the ± is computed afresh
        numbers.uncertainty()

    calls_move = counted_language_calls(move)
    rows = []
    for name, context in (
        ("cached", contextlib.nullcontext),
        ("scan every call", scanning_every_call),
    ):
        with context():
            time_ms(move, 10)  # warm up
            moves = time_ms(move, args.moves)
            ranges = time_ms(uncertainty, max(10, args.moves // 5))
        rows.append((name, moves, ranges))
    t0 = time.perf_counter()
    for _ in range(1000):
        i18n._languages_in.__wrapped__(i18n.LOCALE_DIR)
    scan_us = (time.perf_counter() - t0) * 1000.0
    print(f"pose: {args.photo or 'synthetic side view'}; language list asked for {calls_move}")
    print(f"times per recompute; one folder scan: {scan_us:.0f} µs")
    print()
    print("| languages | drag move ms (median / p90) | move + ± ms (median / p90) |")
    print("|---|---|---|")
    for name, moves, ranges in rows:
        print(
            f"| {name} | {statistics.median(moves):.2f} / {p90(moves):.2f} "
            f"| {statistics.median(ranges):.1f} / {p90(ranges):.1f} |"
        )
    return 0


def photo_result(photo: str, model: str | None):  # type: ignore[no-untyped-def]
    """The pipeline's result on ``photo`` (one image pass)."""
    from posture_cam.config import PipelineConfig
    from posture_cam.pipeline import Pipeline
    from posture_cam.sources import read_image
    from posture_cam.types import Frame

    if not model:
        raise SystemExit("--photo needs --model (or POSTURE_CAM_TEST_MODEL)")
    with Pipeline.open(PipelineConfig(model_path=model), mode="image") as pipeline:
        return pipeline.process(Frame(read_image(photo), 0, 0.0, photo))


if __name__ == "__main__":
    raise SystemExit(main())
