"""The funnel's bar chart geometry (no database)."""

from __future__ import annotations

from admissions.verification.charts import (
    BAR_GAP,
    BAR_HEIGHT,
    LABEL_WIDTH,
    TITLE_HEIGHT,
    VALUE_WIDTH,
    bar_chart,
)


def test_bar_chart_scales_every_bar_to_the_largest_value():
    chart = bar_chart(
        [("SENMBA", [("Déposés", 40), ("Recevables", 10)]), ("SIMMA", [("Déposés", 0)])],
        width=LABEL_WIDTH + VALUE_WIDTH + 100,  # 100 units for the longest bar
    )

    lengths = [[bar.length for bar in group.bars] for group in chart.groups]

    assert lengths == [[100.0, 25.0], [0.0]]


def test_bar_chart_stacks_groups_and_bars_without_overlap():
    chart = bar_chart([("A", [("x", 1), ("y", 2)]), ("B", [("x", 3)])])

    ys = [(group.y, [bar.y for bar in group.bars]) for group in chart.groups]

    step = BAR_HEIGHT + BAR_GAP
    second = TITLE_HEIGHT + 2 * step + BAR_GAP
    assert ys == [(0, [TITLE_HEIGHT, TITLE_HEIGHT + step]), (second, [second + TITLE_HEIGHT])]
    assert chart.height == second + TITLE_HEIGHT + step + BAR_GAP


def test_bar_chart_of_nothing_draws_empty_bars():
    chart = bar_chart([("A", [("x", 0)])])

    assert chart.groups[0].bars[0].length == 0.0
