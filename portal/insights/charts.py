"""Figures shaped for the scorecard's charts (templates/insights/_charts.html draws them)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from portal.insights.scorecard import Scorecard, minutes_words


@dataclass(frozen=True)
class ChartLine:
    """A level drawn across a chart: the promise the bars are measured against."""

    value: float
    words: str


@dataclass(frozen=True)
class Chart:
    points: list[tuple[str, float | None, str]]  # (label, value or None, the value in words)
    max_value: float
    axis_labels: list[str]  # at 0, half and the top
    line: ChartLine | None = None


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
            w.start.strftime("%d %b"),
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
