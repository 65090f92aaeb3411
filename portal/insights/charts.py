"""The scorecard's weekly charts, laid out: each bar's place and height worked out here once,
so templates/insights/_charts.html only writes them down (no arithmetic or filter per bar in
the template, which cost more than the rest of the chart). The wording of titles and
descriptions stays in the template."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from portal.insights.scorecard import Scorecard, WeekPoint, minutes_words, share_words


@dataclass(frozen=True)
class Frame:
    """The drawing's frame, in SVG units: the plot from `left` to `right` and from `top`
    down to `base`; axis labels left of it, week labels under it."""

    width: int = 640
    height: int = 200
    left: int = 48
    right: int = 632
    top: int = 10
    base: int = 172
    axis_x: int = 42  # where the axis labels end
    dash_y: int = 168  # a week with too little to show: a dash just above the base
    week_y: int = 192  # the week labels' baseline


FRAME = Frame()
PLOT_HEIGHT = FRAME.base - FRAME.top


@dataclass(frozen=True)
class ChartLine:
    """A level drawn across a chart: the promise the bars are measured against."""

    value: float
    words: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    """One week: a bar (`height` not None) or a dash where there is too little to show."""

    label: str
    words: str  # the value in words (the bar's tooltip, the table's cell)
    x: float
    y: float | None
    width: float
    height: float | None
    centre: float
    labelled: bool  # its week written under it (every other one when crowded)


@dataclass(frozen=True)
class Chart:
    points: list[tuple[str, float | None, str]]  # (label, value or None, the value in words)
    max_value: float
    axis_labels: list[str]  # at 0, half and the top
    line: ChartLine | None = None
    frame: Frame = FRAME

    @cached_property
    def ticks(self) -> list[Tick]:
        return [
            Tick(FRAME.base - at * PLOT_HEIGHT, label)
            for at, label in zip((0, 0.5, 1.0), self.axis_labels, strict=True)
        ]

    @cached_property
    def bars(self) -> list[Bar]:
        step = (FRAME.right - FRAME.left) / (len(self.points) or 1)
        crowded = len(self.points) > 8
        bars = []
        for i, (label, value, words) in enumerate(self.points):
            x = FRAME.left + i * step
            height = None if value is None else min(value / self.max_value, 1.0) * PLOT_HEIGHT
            bars.append(
                Bar(
                    label,
                    words,
                    round(x + step * 0.15, 1),
                    None if height is None else round(FRAME.base - height, 1),
                    round(step * 0.7, 1),
                    None if height is None else round(max(height, 0.5), 1),
                    round(x + step / 2, 1),
                    i % 2 == 0 or not crowded,
                )
            )
        return bars

    @cached_property
    def line_y(self) -> float | None:
        if self.line is None:
            return None
        return round(FRAME.base - min(self.line.value / self.max_value, 1.0) * PLOT_HEIGHT, 1)


@dataclass(frozen=True)
class WeeklyCharts:
    share: Chart
    first_reply: Chart | None  # None: no normal promise to draw against
    satisfaction: Chart


def weekly_charts(card: Scorecard) -> WeeklyCharts:
    """The scorecard's three charts of its last weeks."""
    return WeeklyCharts(
        first_reply_share(card), first_reply_against_promise(card), satisfaction(card)
    )


def _week_label(week: WeekPoint) -> str:
    return week.start.strftime("%d %b")


def first_reply_share(card: Scorecard) -> Chart:
    """Each week's share of first replies within the promise."""
    return Chart(
        [
            (
                _week_label(w),
                w.first_within,
                share_words(w.first_within)
                + (
                    f" of {w.resolved} requests"
                    if w.first_within is not None
                    else " (fewer than 5 requests)"
                ),
            )
            for w in card.weeks
        ],
        1.0,
        ["0%", "50%", "100%"],
    )


def satisfaction(card: Scorecard) -> Chart:
    """Each week's average rating, out of 5."""
    return Chart(
        [
            (
                _week_label(w),
                w.rating_average,
                f"{w.rating_average:.1f} out of 5"
                if w.rating_average is not None
                else "fewer than 5 ratings",
            )
            for w in card.weeks
        ],
        5.0,
        ["0", "2.5", "5"],
    )


def first_reply_against_promise(card: Scorecard) -> Chart | None:
    """Each week's median first reply to normal requests, in business time, with the
    normal promise as a line; None when the department promises nothing for normal
    requests. The scale leaves room above the line, and above the slowest week."""
    promise = card.normal_promise
    if promise is None:
        return None
    limit = promise.first_response_minutes
    medians = [w.normal_first_median for w in card.weeks if w.normal_first_median is not None]
    top = _round_up(max([limit * 1.5, *medians]))

    def words(minutes: float | None) -> str:
        return minutes_words(minutes, card.day_minutes)

    points = [
        (
            _week_label(w),
            w.normal_first_median,
            words(w.normal_first_median)
            if w.normal_first_median is not None
            else "fewer than 5 requests",
        )
        for w in card.weeks
    ]
    return Chart(
        points,
        top,
        ["0", _axis_words(top / 2), _axis_words(top)],
        ChartLine(limit, f"Promise: {promise.first_response}"),
    )


def _round_up(minutes: float) -> float:
    """A chart's top: whole even hours (so its half is whole too), or tens of minutes."""
    if minutes > 60:
        return 120 * math.ceil(minutes / 120)
    return 20 * math.ceil(minutes / 20)


def _axis_words(minutes: float) -> str:
    """Short enough for an axis: "30 min", "4 h"."""
    return f"{minutes / 60:g} h" if minutes >= 60 else f"{minutes:g} min"
