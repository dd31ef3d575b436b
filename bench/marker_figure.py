"""Draw docs/images/marker_protocol.png: the SAPO marker positions on a synthetic side-view
body (stick figure facing right), with the angles computed from them.

Usage::

    python bench/marker_figure.py [OUT.png]

Drawn from made-up coordinates only (no photo): the figure is a protocol diagram.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

REPO = Path(__file__).resolve().parent.parent
# Synthetic body facing image-right, y up (cm), standing.
BODY = {
    "head": (2.0, 160.0),
    "ear": (1.0, 158.0),
    "c7": (-4.0, 146.0),
    "shoulder": (2.0, 140.0),
    "hip": (1.0, 92.0),
    "knee": (3.0, 50.0),
    "ankle": (0.0, 8.0),
}
MARKERS = {
    "tragus": (3.0, 157.0),
    "c7": (-4.0, 146.0),
    "acromion": (2.0, 143.0),
    "asis": (10.0, 98.0),
    "psis": (-8.0, 102.5),
    "trochanter": (1.0, 90.0),
    "knee": (3.0, 50.0),
    "malleolus": (0.0, 8.0),
}


def main(out: Path) -> None:
    fig, ax = plt.subplots(figsize=(4.2, 7.0), dpi=120)
    b = BODY
    ax.add_patch(plt.Circle(b["head"], 10.0, fill=False, lw=2, color="0.4"))
    chain = ["c7", "shoulder", "hip", "knee", "ankle"]
    ax.plot([b[k][0] for k in chain], [b[k][1] for k in chain], color="0.4", lw=3)
    ax.plot(
        [b["ankle"][0], b["ankle"][0] + 16],
        [b["ankle"][1] - 6, b["ankle"][1] - 6],
        color="0.4",
        lw=3,
    )
    for name, (x, y) in MARKERS.items():
        ax.add_patch(plt.Circle((x, y), 1.6, color="#39FF14", ec="black", lw=0.8, zorder=5))
        ax.annotate(
            name,
            (x, y),
            xytext=(x + 16, y),
            fontsize=8,
            va="center",
            arrowprops={"arrowstyle": "-", "color": "0.6", "lw": 0.6},
        )
    t, c, a = MARKERS["tragus"], MARKERS["c7"], MARKERS["acromion"]
    asis, psis = MARKERS["asis"], MARKERS["psis"]
    ax.plot([c[0], t[0]], [c[1], t[1]], "b-", lw=1.2)
    ax.plot([c[0], c[0] + 14], [c[1], c[1]], "b:", lw=1)
    ax.text(c[0] + 7, c[1] - 5, "CVA", color="b", fontsize=8)
    ax.plot([a[0], c[0]], [a[1], c[1]], "m-", lw=1.2)
    ax.plot([a[0], a[0] - 14], [a[1], a[1]], "m:", lw=1)
    ax.text(a[0] - 25, a[1] - 5, "forward\nshoulder\nangle", color="m", fontsize=7)
    ax.plot([psis[0], asis[0]], [psis[1], asis[1]], "r-", lw=1.2)
    ax.plot([psis[0], psis[0] + 22], [psis[1], psis[1]], "r:", lw=1)
    ax.text(psis[0] - 4, psis[1] + 5, "pelvic tilt\n(+ = ASIS lower)", color="r", fontsize=7)
    ax.plot([0.0, 0.0], [0.0, 170.0], color="0.7", lw=0.8, ls="--")
    ax.text(-2, 172, "plumb line (malleolus)", fontsize=7, color="0.5")
    ax.annotate("faces →", (15, 165), fontsize=8)
    ax.set_xlim(-40, 60)
    ax.set_ylim(-5, 180)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Marker protocol (side view, SAPO)", fontsize=9)
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "out", nargs="?", type=Path, default=REPO / "docs" / "images" / "marker_protocol.png"
    )
    main(parser.parse_args().out)
