"""The dashboard's and the pack's colours meet WCAG 2.2 AA contrast (rsqm/base/palette.py, .streamlit/config.toml)."""

from __future__ import annotations

import tomllib
from itertools import pairwise
from pathlib import Path

from rsqm.base import palette
from rsqm.base.palette import WHITE, contrast

THEME = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())["theme"]
SIDEBAR = THEME["secondaryBackgroundColor"]


def blend(colour: str, opacity: float, background: str) -> str:
    """``colour`` drawn at ``opacity`` over ``background``, as the browser paints it."""
    mixed = [round(opacity * int(colour[i:i + 2], 16) + (1 - opacity) * int(background[i:i + 2], 16)) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def test_the_contrast_ratio_is_wcags():
    assert round(contrast("#000000", WHITE), 2) == 21.0
    assert contrast(WHITE, WHITE) == 1.0
    assert round(contrast("#767676", WHITE), 2) == 4.54  # the well-known lightest grey that passes on white


def test_status_words_read_at_4_5_to_1_on_white_and_the_theme_draws_them_in_the_palettes_colours():
    for status, colour in palette.STATUS_TEXT.items():
        assert contrast(colour, WHITE) >= 4.5, status
    theme = {"met": "greenTextColor", "partly_met": "orangeTextColor", "not_met": "redTextColor", "not_applicable": "grayTextColor"}
    assert {status: THEME[key] for status, key in theme.items()} == palette.STATUS_TEXT


def test_chart_fills_stand_out_at_3_to_1_from_white_and_from_their_neighbour_in_the_stack():
    fills = [palette.STATUS_FILL[k] for k in palette.STATUS_ORDER]
    assert all(contrast(f, WHITE) >= 3 for f in fills)
    assert all(contrast(a, b) >= 3 for a, b in pairwise(fills))
    assert contrast(palette.CURRENT_PERIOD, palette.PREVIOUS_PERIOD) >= 3
    marks = [palette.PRIMARY, palette.INK, palette.TARGET, palette.PREVIOUS_PERIOD, *palette.VERDICT_FILL.values()]
    assert all(contrast(c, WHITE) >= 3 for c in marks)


def test_captions_drawn_at_streamlits_60_percent_opacity_still_read_at_4_5_to_1_in_the_page_and_the_sidebar():
    caption = blend(THEME["textColor"], 0.6, WHITE)
    assert contrast(caption, WHITE) >= 4.5
    assert contrast(blend(THEME["textColor"], 0.6, SIDEBAR), SIDEBAR) >= 4.5
    assert contrast(palette.MUTED_TEXT, WHITE) >= 4.5


def test_links_buttons_focus_and_tinted_cells_keep_their_text_readable():
    assert contrast(THEME["primaryColor"], WHITE) >= 4.5  # white text on a primary button
    # a selected or focused option of a segmented control: primary text on a 20% tint of it
    assert contrast(THEME["primaryColor"], blend(THEME["primaryColor"], 0.2, WHITE)) >= 4.5
    assert contrast(blend(THEME["codeTextColor"], 0.6, "#fbfbfd"), "#fbfbfd") >= 4.5  # a file name in a caption
    assert contrast(THEME["linkColor"], WHITE) >= 4.5
    assert contrast(palette.FOCUS_RING, WHITE) >= 3 and contrast(palette.FOCUS_RING, SIDEBAR) >= 3
    assert THEME["textColor"] == palette.TEXT
    assert all(contrast(palette.TEXT, tint) >= 4.5 for tint in palette.TINT.values())
