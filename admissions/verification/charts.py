"""Horizontal bar charts drawn as inline SVG on the server (R8.3): the geometry only.

No script and no library: the template writes one <rect> per bar, with its label and its value
as text beside it (never information by colour alone); the table next to the chart holds the
same numbers for screen readers. Pure functions: no Django import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = (
    300  # the stage names, right-aligned before the bars (the longest, 44 letters at 13 px)
)
VALUE_WIDTH = 60  # room for the number after the longest bar
BAR_HEIGHT = 16
BAR_GAP = 6
TITLE_HEIGHT = 26


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    length: float  # in SVG units; 0 for a zero value


@dataclass(frozen=True)
class BarGroup:
    title: str
    y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    groups: tuple[BarGroup, ...]

    @property
    def value_x_offset(self) -> int:
        return self.label_width + 6


def bar_chart(
    groups: Sequence[tuple[str, Sequence[tuple[str, int]]]], *, width: int = 720
) -> BarChart:
    """Groups of (label, value) bars, all on one scale: the largest value fills the width."""
    largest = max((value for _title, bars in groups for _label, value in bars), default=0)
    room = width - LABEL_WIDTH - VALUE_WIDTH
    y = 0
    drawn = []
    for title, bars in groups:
        group_y = y
        y += TITLE_HEIGHT
        placed = []
        for label, value in bars:
            length = room * value / largest if largest else 0.0
            placed.append(Bar(label, value, y, round(length, 1)))
            y += BAR_HEIGHT + BAR_GAP
        drawn.append(BarGroup(title, group_y, tuple(placed)))
        y += BAR_GAP
    return BarChart(width, max(y, 1), LABEL_WIDTH, BAR_HEIGHT, tuple(drawn))
