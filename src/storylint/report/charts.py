"""Geometry for the report's inline SVG charts.

Only numbers are computed here; the template draws the <rect> and <text> elements, so every
label (a rule name from a user's pack, say) passes through Jinja2's autoescaping like all other
text. No plotting library or script is needed and the page works offline.
"""
from __future__ import annotations

from dataclasses import dataclass

from storylint.report.summary import Bin

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, CHART_WIDTH = 18, 6, 220, 640
PLOT_HEIGHT, AXIS_HEIGHT, COLUMN_GAP, HEADROOM = 160, 36, 4, 16


@dataclass(frozen=True)
class Bar:
    """One drawable bar with its label and value."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Chart:
    """A chart's size and bars."""

    width: int
    height: int
    bars: tuple[Bar, ...]


def horizontal_bars(items: list[tuple[str, int]]) -> Chart:
    """Bars left to right, one row per (label, value), scaled to the largest value."""
    peak = max((value for _, value in items), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 60
    bars = []
    for row, (label, value) in enumerate(items):
        y = row * (BAR_HEIGHT + BAR_GAP)
        width = span * value / peak
        bars.append(Bar(LABEL_WIDTH, y, round(width, 1), BAR_HEIGHT, label, value,
                        LABEL_WIDTH + width + 6, y + BAR_HEIGHT - 4))
    height = max(len(items) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    return Chart(CHART_WIDTH, height, tuple(bars))


def columns(bins: list[Bin], digits: int = 1) -> Chart:
    """A histogram: one column per bin, labelled with the bin's lower edge."""
    peak = max((b.count for b in bins), default=0) or 1
    width = (CHART_WIDTH - COLUMN_GAP * len(bins)) / max(len(bins), 1)
    bars = []
    for index, item in enumerate(bins):
        height = PLOT_HEIGHT * item.count / peak
        x = index * (width + COLUMN_GAP)
        bars.append(Bar(round(x, 1), round(HEADROOM + PLOT_HEIGHT - height, 1), round(width, 1),
                        round(height, 1), f"{item.low:.{digits}f}", item.count,
                        round(x + width / 2, 1), HEADROOM + PLOT_HEIGHT + 16))
    return Chart(CHART_WIDTH, HEADROOM + PLOT_HEIGHT + AXIS_HEIGHT, tuple(bars))
