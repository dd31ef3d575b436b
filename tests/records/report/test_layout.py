"""Report tables and titles: no text runs into its neighbour or past the margin."""

from __future__ import annotations

import itertools

from matplotlib.backends.backend_agg import FigureCanvasAgg

from posture_cam.records.report.layout import A4_WH_IN, MARGIN_IN, Page


def _boxes_in(page: Page) -> list[tuple[str, float, float, float, float]]:
    """Every drawn text as (text, x0, x1, y0, y1) in inches from the page's left/bottom.

    Measured at 1200 dpi: Agg's hinting rounds each glyph's advance to whole pixels,
    which at the default 100 dpi makes 7 pt text about 7 % wider than in the PDF."""
    page.fig.set_dpi(1200)
    canvas = FigureCanvasAgg(page.fig)
    renderer = canvas.get_renderer()
    dpi = page.fig.dpi
    out = []
    for artist in page.fig.texts:
        box = artist.get_window_extent(renderer)
        out.append((artist.get_text(), box.x0 / dpi, box.x1 / dpi, box.y0 / dpi, box.y1 / dpi))
    return out


def _overlapping(boxes):
    return [
        (a[0], b[0])
        for a, b in itertools.combinations(boxes, 2)
        if a[1] < b[2] and b[1] < a[2] and a[3] < b[4] and b[3] < a[4]
    ]


def test_cells_wider_than_their_share_neither_touch_nor_leave_the_page():
    # The Dutch view table of a side photo: before, "niet meetbaar" ran into the
    # source column and "model (benadering)" past the right margin.
    page = Page()
    header = ["Meting", "Waarde ± onzekerheid", "Eenheid", "Normaalgebied", "Status", "Bron"]
    rows = [
        ("Hoek voorwaartse hoofdhouding", "31,8 ± 2,5 naar voren", "°", "−10,0 … +41,5°",
         "normaal", "model (benadering)"),
        ("Knie t.o.v. loodlijn", "niet meetbaar", "% lengte", "−1,0 … +2,0 % lengte",
         "niet meetbaar", "-"),
        ("Schouderprotractie", "12,4 ± 0,9 naar achteren", "% romp", "−18,0 … +8,0 % romp",
         "buiten de norm", "sticker of door de therapeut geplaatst punt"),
    ]  # fmt: skip
    page.table(header, rows, [0.28, 0.21, 0.08, 0.18, 0.13, 0.12])
    boxes = _boxes_in(page)
    right_edge = A4_WH_IN[0] - MARGIN_IN
    assert all(x1 <= right_edge + 0.01 for _, _, x1, _, _ in boxes), boxes
    assert _overlapping(boxes) == []
    # Every word is still on the page, the long source wrapped onto more lines.
    drawn = " ".join(b[0] for b in boxes)
    assert all(word in drawn for row in rows for cell in row for word in cell.split())
    cells = len(header) + sum(len(row) for row in rows)
    assert len(boxes) > cells  # a cell wrapped onto more lines rather than overflow


def test_a_table_a_little_too_wide_is_set_smaller_instead_of_wrapped():
    # The Dutch side-view table needs about 6.6 in of text at 7.5 pt: set at 7 pt, one
    # line a cell.
    header = ["Meting", "Waarde ± onzekerheid", "Eenheid", "Normaalgebied", "Status", "Bron"]
    rows = [
        ("Hoek voorwaartse hoofdhouding", "31,8 ± 2,5 naar voren", "°", "−10,0 … +41,5°",
         "normaal", "model (benadering)"),
        ("Schouderprotractie", "12,4 ± 0,9 naar achteren", "% romp", "−18,0 … +8,0 % romp",
         "buiten de norm", "model (benadering)"),
    ]  # fmt: skip
    page = Page()
    page.table(header, rows, [0.28, 0.21, 0.08, 0.18, 0.13, 0.12])
    boxes = _boxes_in(page)
    assert [b[0] for b in boxes] == [*header, *rows[0], *rows[1]]
    assert {a.get_fontsize() for a in page.fig.texts} <= {7.0, 7.5} and _overlapping(boxes) == []
    assert all(x1 <= A4_WH_IN[0] - MARGIN_IN + 0.01 for _, _, x1, _, _ in boxes)


def test_a_table_that_fits_gives_each_column_its_widest_cell():
    page = Page()
    page.table(["A", "B"], [("short", "x"), ("a longer cell", "y")], [0.5, 0.5])
    boxes = {b[0]: b for b in _boxes_in(page)}
    assert boxes["a longer cell"][2] < boxes["y"][1]  # no overlap, on one line
    assert boxes["A"][1] < boxes["B"][1]


def test_a_long_file_name_moves_below_the_title_instead_of_off_the_page():
    page = Page()
    name = "seated_side_nvv_straight_hf_upright_arms_folded_facing_left_second_take.jpg"
    page.title("Linkerzijaanzicht (snapshot, 2 van 2)", name)
    boxes = _boxes_in(page)
    assert [b[0] for b in boxes] == ["Linkerzijaanzicht (snapshot, 2 van 2)", f"({name})"]
    assert all(x1 <= A4_WH_IN[0] - MARGIN_IN + 0.01 for _, _, x1, _, _ in boxes)
    short = Page()
    short.title("Front", "a.jpg")
    assert [b[0] for b in _boxes_in(short)] == ["Front  (a.jpg)"]
