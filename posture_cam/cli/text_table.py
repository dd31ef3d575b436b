"""The one formatter of the command line's text tables: columns padded to line up.

Every command that prints a table (``analyze``, ``visits``, ``patients``, ``models``,
``retest``) builds rows of finished cells, a header row first, and hands them here. The
cells carry their words and number formats already (``posture_cam.wording``); this module
only pads. Widths are plain ``len``: the names are ASCII or Latin-1 (Dutch included) and
the symbols (°, ±, …, −) each take one column.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

#: The gap between two columns.
GAP = "  "


def column_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    """The width of each column: its longest cell (rows of one length)."""
    return [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]


def aligned(
    rows: Sequence[Sequence[str]],
    *,
    right: Collection[int] = (),
    widths: Sequence[int] | None = None,
    indent: str = "",
) -> list[str]:
    """The rows as lines whose columns line up, without trailing spaces.

    Args:
        rows: cells, the header row first; every row as long as the first.
        right: indices of the columns aligned to the right (counts, sizes).
        widths: column widths shared with other tables (:func:`column_widths` over all
            of them), so that the tables of one output line up; default: these rows'.
        indent: put in front of every line.
    """
    if not rows:
        return []
    widths = column_widths(rows) if widths is None else widths
    return [
        indent
        + GAP.join(
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
