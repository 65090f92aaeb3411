"""The scorecard's charts, laid out in Python (portal.insights.charts): where each bar goes,
how tall it is, which weeks are labelled; the template only writes the numbers down."""

from __future__ import annotations

from portal.insights.charts import FRAME, PLOT_HEIGHT, Chart, ChartLine


def test_bars_are_placed_in_the_frame_and_scaled_to_the_top():
    points = [(f"W{i}", value, "words") for i, value in enumerate([0.5, None, 1.0, 2.0, 0.0, 0.25])]
    chart = Chart(points, 1.0, ["0%", "50%", "100%"])
    bars = chart.bars
    step = (FRAME.right - FRAME.left) / 6
    assert bars[0].x == round(FRAME.left + step * 0.15, 1) and bars[0].width == round(step * 0.7, 1)
    assert bars[0].height == round(PLOT_HEIGHT / 2, 1) and bars[0].y == round(
        FRAME.base - PLOT_HEIGHT / 2, 1
    )
    assert bars[1].height is None and bars[1].y is None  # too little to show: a dash
    assert bars[2].height == bars[3].height == PLOT_HEIGHT  # above the top: drawn to the top
    assert bars[4].height == 0.5  # a zero still shows as a sliver
    assert [b.labelled for b in bars] == [True] * 6  # eight or fewer: every week labelled
    assert [t.y for t in chart.ticks] == [FRAME.base, FRAME.base - PLOT_HEIGHT / 2, FRAME.top]
    assert chart.line_y is None


def test_a_crowded_chart_labels_every_other_week_and_draws_its_line():
    points = [(f"W{i}", 60.0, "1 h") for i in range(12)]
    chart = Chart(points, 360.0, ["0", "3 h", "6 h"], ChartLine(240.0, "Promise: 4 business hours"))
    assert [b.labelled for b in chart.bars] == [i % 2 == 0 for i in range(12)]
    assert chart.line_y == round(FRAME.base - (240 / 360) * PLOT_HEIGHT, 1) == 64.0
    assert Chart([], 1.0, ["0", "", ""]).bars == []
