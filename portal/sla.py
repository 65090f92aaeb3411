"""Business time and SLA clocks. Pure Python: no Flask, no database.

A BusinessCalendar knows a department's weekly opening hours (wall-clock, in its
own time zone), its public holidays and extra closures. From it: is it open, when
does it open next, how many business minutes lie between two instants, and when
a number of business minutes after an instant is due. Every instant is aware;
intervals are built per local date and converted to UTC, so DST changes are
handled by the time zone database, not by arithmetic on wall-clock times.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from statistics import median
from zoneinfo import ZoneInfo

SEARCH_HORIZON_DAYS = 400

Interval = tuple[datetime, datetime]


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetimes given to sla must be timezone-aware")
    return value.astimezone(UTC)


@dataclass(frozen=True, eq=False)
class BusinessCalendar:
    timezone: str
    weekly_hours: Mapping[int, Sequence[tuple[time, time]]]
    holidays: Mapping[date, str] = field(default_factory=dict)
    closures: Mapping[date, str] = field(default_factory=dict)

    def tz(self) -> ZoneInfo:
        return self._zone

    @cached_property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _intervals_cache(self) -> dict[date, list[Interval]]:
        return {}

    def closed_reason(self, day: date) -> str | None:
        return self.closures.get(day) or self.holidays.get(day)

    def intervals_on(self, day: date) -> list[Interval]:
        """Open intervals of a local date, as UTC instants (empty when closed)."""
        cache = self._intervals_cache
        if day in cache:
            return cache[day]
        intervals: list[Interval] = []
        if self.closed_reason(day) is None:
            for opens, closes in sorted(self.weekly_hours.get(day.weekday(), ())):
                start = _local_to_utc(day, opens, self._zone)
                end = _local_to_utc(day, closes, self._zone)
                if closes == time(23, 59):  # "open all day" runs to midnight
                    end = _local_to_utc(day + timedelta(days=1), time(0), self._zone)
                if end > start:
                    intervals.append((start, end))
        cache[day] = intervals
        return intervals

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self._zone).date()

    def _intervals_from(self, at: datetime):
        """Open intervals that end after `at`, in order, for up to the horizon."""
        day = self._local_date(at) - timedelta(days=1)
        for _ in range(SEARCH_HORIZON_DAYS + 2):
            for start, end in self.intervals_on(day):
                if end > at:
                    yield start, end
            day += timedelta(days=1)

    def is_open(self, at: datetime) -> bool:
        at = _require_aware(at)
        day = self._local_date(at)
        return any(
            start <= at < end
            for d in (day - timedelta(days=1), day)
            for start, end in self.intervals_on(d)
        )

    def next_opening(self, at: datetime) -> datetime | None:
        at = _require_aware(at)
        for start, _end in self._intervals_from(at):
            return max(start, at)
        return None

    def current_interval_end(self, at: datetime) -> datetime | None:
        at = _require_aware(at)
        for start, end in self._intervals_from(at):
            return end if start <= at else None
        return None

    def business_minutes_between(self, start: datetime, end: datetime) -> float:
        start, end = _require_aware(start), _require_aware(end)
        if end <= start:
            return 0.0
        total = timedelta()
        day = self._local_date(start) - timedelta(days=1)
        last = self._local_date(end)
        while day <= last:
            for a, b in self.intervals_on(day):
                lo, hi = max(a, start), min(b, end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total.total_seconds() / 60

    def add_business_minutes(self, start: datetime, minutes: float) -> datetime:
        return self._add(start, minutes, pauses=())

    def _add(self, start: datetime, minutes: float, pauses: Sequence[Interval]) -> datetime:
        start = _require_aware(start)
        if not any(self.weekly_hours.get(d) for d in range(7)):
            raise ValueError("the calendar has no opening hours")
        remaining = timedelta(minutes=minutes)
        if remaining <= timedelta():
            return start
        for a, b in self._intervals_from(start):
            for lo, hi in _subtract(max(a, start), b, pauses):
                if hi - lo >= remaining:
                    return lo + remaining
                remaining -= hi - lo
        raise ValueError("nothing open within the search horizon")

    def typical_day_minutes(self) -> int:
        lengths = [
            sum(_minutes_between_times(o, c) for o, c in hours)
            for hours in self.weekly_hours.values()
            if hours
        ]
        return int(median(lengths)) if lengths else 480


def _minutes_between_times(opens: time, closes: time) -> int:
    if closes == time(23, 59):
        return 24 * 60 - (opens.hour * 60 + opens.minute)
    return (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)


def _local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a local date as UTC. A time skipped by a spring-forward
    change maps forward (what a clock on the wall would show); an ambiguous one
    takes its first occurrence."""
    naive = datetime.combine(day, at)
    local = naive.replace(tzinfo=zone, fold=0)
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(zone).replace(tzinfo=None) != naive:  # in a gap
        as_utc = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
        as_utc = max(as_utc, local.astimezone(UTC))
    return as_utc


def _subtract(lo: datetime, hi: datetime, pauses: Sequence[Interval]) -> list[Interval]:
    """[lo, hi) without the paused spans."""
    pieces = [(lo, hi)]
    for p_start, p_end in pauses:
        next_pieces = []
        for a, b in pieces:
            if p_end <= a or p_start >= b:
                next_pieces.append((a, b))
                continue
            if p_start > a:
                next_pieces.append((a, p_start))
            if p_end < b:
                next_pieces.append((p_end, b))
        pieces = next_pieces
    return [(a, b) for a, b in pieces if b > a]


def _plural(value: float, unit: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return f"{text} business {unit}{'' if value == 1 else 's'}"


def describe_business_minutes(minutes: int, day_minutes: int = 480) -> str:
    """30 → "30 business minutes", 240 → "4 business hours", 1440 → "3 business days"."""
    minutes = int(minutes)
    if day_minutes > 0 and minutes >= day_minutes and minutes % day_minutes == 0:
        return _plural(minutes // day_minutes, "day")
    if minutes >= 60 and minutes % 30 == 0:
        return _plural(minutes / 60, "hour")
    return _plural(minutes, "minute")


def describe_duration(minutes: float) -> str:
    """A compact duration for clocks: "45 min", "3 h", "2 h 10 min", "1 d 3 h"."""
    total = max(0, round(minutes))
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


class ClockState(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    MET = "met"
    MISSED = "missed"
    PAUSED = "paused"


@dataclass(frozen=True)
class Pause:
    start: datetime
    end: datetime | None = None  # still paused


@dataclass(frozen=True)
class Clock:
    target_minutes: int
    elapsed_minutes: float
    due_at: datetime | None
    stopped_at: datetime | None
    state: ClockState

    @property
    def remaining_minutes(self) -> float:
        return self.target_minutes - self.elapsed_minutes

    @property
    def used_fraction(self) -> float:
        return self.elapsed_minutes / self.target_minutes if self.target_minutes else 1.0


def measure_clock(
    calendar: BusinessCalendar,
    started_at: datetime,
    target_minutes: int,
    now: datetime,
    pauses: Sequence[Pause] = (),
    stopped_at: datetime | None = None,
    at_risk_fraction: float = 0.75,
) -> Clock:
    """The state of one clock (first response or resolution) at `now`, replayable
    from the request's history: business minutes used, pauses excluded."""
    started_at, now = _require_aware(started_at), _require_aware(now)
    stopped_at = _require_aware(stopped_at) if stopped_at else None
    window_end = min(now, stopped_at) if stopped_at else now
    spans = [(_require_aware(p.start), _require_aware(p.end) if p.end else now) for p in pauses]
    elapsed = calendar.business_minutes_between(started_at, window_end) - sum(
        calendar.business_minutes_between(max(a, started_at), min(b, window_end))
        for a, b in spans
        if min(b, window_end) > max(a, started_at)
    )
    elapsed = max(0.0, elapsed)
    if stopped_at is not None:
        state = ClockState.MET if elapsed <= target_minutes else ClockState.MISSED
        return Clock(target_minutes, elapsed, None, stopped_at, state)
    paused_now = any(
        _require_aware(p.start) <= now and (p.end is None or _require_aware(p.end) > now)
        for p in pauses
    )
    due = None
    if not paused_now:
        try:
            due = calendar._add(started_at, target_minutes, pauses=_merge(spans))
        except ValueError:  # nothing open within the horizon: no due time to show
            due = None
    if paused_now:
        state = ClockState.PAUSED
    elif elapsed > target_minutes:
        state = ClockState.BREACHED
    elif elapsed >= at_risk_fraction * target_minutes:
        state = ClockState.AT_RISK
    else:
        state = ClockState.ON_TRACK
    return Clock(target_minutes, elapsed, due, None, state)


def _merge(spans: Sequence[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
