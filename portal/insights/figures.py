"""Pure scorecard arithmetic, independent of the database.

The scorecard services feed these functions business-minute durations that
were measured with :mod:`portal.sla`; nothing here knows about requests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: A figure is shown only when at least this many requests back it.
MIN_SAMPLE = 5

#: Characters that make a spreadsheet treat a cell as a formula.
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty sample."""
    if not values:
        raise ValueError("percentile of an empty sample")
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1]")
    ordered = sorted(values)
    rank = math.ceil(share * len(ordered))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    """Median of a non-empty sample (mean of the two middle values if even)."""
    if not values:
        raise ValueError("median of an empty sample")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class DurationFigure:
    """Delivery against a promise for one measure (e.g. first response)."""

    count: int
    median: float | None
    p90: float | None
    within_target: float | None  # share 0..1

    @property
    def hidden(self) -> bool:
        return self.count < MIN_SAMPLE


def summarise(
    durations: Sequence[int], targets: Sequence[int | None]
) -> DurationFigure:
    """Summarise business-minute ``durations`` against their ``targets``.

    Requests without a target count towards the median and p90 but not
    towards the share within target. Everything is ``None`` below
    :data:`MIN_SAMPLE`, so a page cannot show a figure that identifies a
    handful of requests.
    """
    if len(durations) != len(targets):
        raise ValueError("one target per duration")
    count = len(durations)
    if count < MIN_SAMPLE:
        return DurationFigure(count, None, None, None)
    targeted = [
        (d, t) for d, t in zip(durations, targets, strict=True) if t is not None
    ]
    share = (
        sum(1 for d, t in targeted if d <= t) / len(targeted)
        if len(targeted) >= MIN_SAMPLE
        else None
    )
    return DurationFigure(count, median(durations), percentile(durations, 0.9), share)


def neutralise_cell(value: object) -> str:
    """Make a CSV cell safe to open in a spreadsheet (no formula injection)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_LEADS):
        return "'" + text
    return text
