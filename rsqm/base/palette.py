"""The one set of colours the dashboard and the pack draw with, chosen for WCAG 2.2 AA contrast (docs/accessibility.md).

Text colours read at 4.5:1 or more on white (1.4.3). Chart fills stand out at 3:1 or more from white (1.4.11) and, in
the stacked status bars, from the fill beside them: dark and light alternate in the order met, partly met, not met,
not applicable, and segments are drawn with a white edge, so two darks that meet (a standard with nothing partly met)
are still told apart. Colour is never the only sign: every status is written beside its colour.
"""

from __future__ import annotations

WHITE = "#ffffff"
TEXT = "#000000"  # body text (the theme's textColor; captions are drawn at 60% of it)
MUTED_TEXT = "#595959"  # captions and notes: 7.0:1 on white

STATUS_ORDER = ("met", "partly_met", "not_met", "not_applicable")
STATUS_TEXT = {"met": "#2e7d32", "partly_met": "#8a5300", "not_met": "#c62828", "not_applicable": "#616161"}
STATUS_FILL = {"met": "#0f4d14", "partly_met": "#cc8200", "not_met": "#7b1212", "not_applicable": "#8f8f8f"}
STATUS_SYMBOL = {"met": "✔", "partly_met": "◐", "not_met": "✖", "not_applicable": "–"}  # beside the word, never instead

# A result judged against a target (audit items): marks drawn on white, each with its own shape too.
VERDICT_FILL = {"meets target": "#2e7d32", "below target": "#c62828", "too few cases": "#616161"}
VERDICT_SHAPE = {"meets target": "circle", "below target": "triangle-down", "too few cases": "square"}

PRIMARY = "#1565c0"  # single-series bars and points: 5.8:1 on white
INK = "#0d2a4f"  # interval lines, labels and outlines drawn on white: 14:1
FOCUS_RING = "#0d3b78"  # the keyboard focus outline: 11:1 on white, 9.8:1 on the sidebar grey
TARGET = "#c62828"  # the dashed target line
CURRENT_PERIOD, PREVIOUS_PERIOD = "#0d3b78", "#8f8f8f"  # side by side: 3.4:1 apart, each over 3:1 on white

# Tinted table cells: the word in the cell says the status; the tint only helps the eye (text stays TEXT on it).
TINT = {"good": "#e8f5e9", "neutral": "#f5f5f5", "waiting": "#fff8e1", "bad": "#ffebee", "expired": "#ffcdd2",
        "expiring": "#ffe0b2"}


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two '#rrggbb' colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
