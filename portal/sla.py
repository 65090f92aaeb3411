"""Business time and SLA clocks. Pure Python: no Flask, no database.

A BusinessCalendar knows a department's weekly opening hours (wall-clock, in its
own time zone), its public holidays and extra closures. From it: is it open, when
does it open next, how many business minutes lie between two instants, and when
a number of business minutes after an instant is due. Every instant is aware;
intervals are built per local date and converted to UTC, so DST changes are
handled by the time zone database, not by arithmetic on wall-clock times.

Conventions:

* A closing time of 23:59 (any seconds) means "until midnight", so 00:00-23:59
  every day is a 24/7 desk (the directory shows it as "all day").
* A wall-clock time skipped by a spring-forward change maps forward to the
  instant the clocks change (the first instant that exists after it); an
  ambiguous one (fall-back) takes its first occurrence (fold=0). The mapping is
  monotonic, so the intervals of a day keep their order and never overlap.
* Business time is summed as exact timedeltas (microseconds) and converted to
  minutes only at the edges (seconds / 60).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SEARCH_HORIZON_DAYS = 400

Interval = tuple[datetime, datetime]

_ONE_DAY = timedelta(days=1)
_ZERO = timedelta()
_END_OF_DAY = time(23, 59)  # closes at or after this: open until midnight


def _require_aware(value: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetimes given to sla must be timezone-aware")
    return value.astimezone(UTC)


class _FrozenMap(Mapping):
    """A read-only, hashable copy of a mapping (so a calendar can be hashed and
    compared by value, and nobody can change it under its interval cache)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, items: Mapping | Iterable = ()) -> None:
        self._data = dict(items)
        self._hash: int | None = None

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: Any, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return repr(self._data)

    def __reduce__(self) -> tuple:
        return (_FrozenMap, (self._data,))


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekly hours (weekday 0 = Monday -> [(opens, closes)], local wall-clock,
    opens < closes), public holidays and extra closures (local date -> name).

    The mappings are copied into read-only ones on construction, so a calendar is
    immutable, hashable and compared by value."""

    timezone: str
    weekly_hours: Mapping[int, Sequence[tuple[time, time]]]
    holidays: Mapping[date, str] = field(default_factory=dict)
    closures: Mapping[date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone: {self.timezone!r}") from exc
        weekly: dict[int, tuple[tuple[time, time], ...]] = {}
        for weekday, hours in dict(self.weekly_hours).items():
            if not isinstance(weekday, int) or not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be 0 (Monday) to 6, got {weekday!r}")
            pairs = []
            for opens, closes in hours:
                if not (isinstance(opens, time) and isinstance(closes, time)):
                    raise TypeError("opening hours must be datetime.time pairs")
                if opens.tzinfo is not None or closes.tzinfo is not None:
                    raise ValueError("opening hours are wall-clock times: no tzinfo")
                if not opens < closes:
                    raise ValueError(f"opening hours must open before they close: {opens}-{closes}")
                pairs.append((opens, closes))
            if pairs:
                weekly[weekday] = tuple(sorted(pairs))
        object.__setattr__(self, "weekly_hours", _FrozenMap(weekly))
        object.__setattr__(self, "holidays", _FrozenMap(self.holidays))
        object.__setattr__(self, "closures", _FrozenMap(self.closures))
        object.__setattr__(self, "_zone", zone)
        object.__setattr__(self, "_cache", {})
        # Asked once per badge of a list: worked out once.
        object.__setattr__(self, "_typical_day", typical_day_minutes(weekly))

    # Days and intervals ---------------------------------------------------------

    def tz(self) -> ZoneInfo:
        return self._zone

    def closed_reason(self, day: date) -> str | None:
        """The closure's or holiday's name when the whole day is closed, else None."""
        if day in self.closures:
            return self.closures[day] or "Closed"
        if day in self.holidays:
            return self.holidays[day] or "Public holiday"
        return None

    def intervals_on(self, day: date) -> list[Interval]:
        """Open intervals of a local date as aware UTC instants, in order, merged
        where they touch or overlap; empty when the day is closed."""
        return list(self._day_intervals(day))

    def _day_intervals(self, day: date) -> tuple[Interval, ...]:
        cache: dict[date, tuple[Interval, ...]] = self._cache
        found = cache.get(day)
        if found is not None:
            return found
        merged: list[Interval] = []
        if day not in self.closures and day not in self.holidays:
            zone = self._zone
            for opens, closes in self.weekly_hours.get(day.weekday(), ()):
                start = _wall_to_utc(day, opens, zone)
                if closes >= _END_OF_DAY:
                    end = _wall_to_utc(day + _ONE_DAY, time(0), zone)
                else:
                    end = _wall_to_utc(day, closes, zone)
                if end <= start:  # wholly inside a skipped hour
                    continue
                if merged and start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                else:
                    merged.append((start, end))
        found = tuple(merged)
        cache[day] = found
        return found

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self._zone).date()

    def _intervals_from(self, at: datetime, days: int = SEARCH_HORIZON_DAYS) -> Iterator[Interval]:
        """Open intervals that end after `at` (UTC), in order, for about `days` days."""
        day = self._local_date(at) - _ONE_DAY
        for _ in range(days + 2):
            for start, end in self._day_intervals(day):
                if end > at:
                    yield start, end
            day += _ONE_DAY

    # Questions -----------------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        at = _require_aware(at)
        day = self._local_date(at)
        return any(
            start <= at < end
            for d in (day - _ONE_DAY, day)
            for start, end in self._day_intervals(d)
        )

    def next_opening(self, at: datetime) -> datetime | None:
        """`at` itself when open; otherwise the start of the next open interval
        (UTC); None when nothing opens within the search horizon."""
        at = _require_aware(at)
        for start, _end in self._intervals_from(at):
            return max(start, at)
        return None

    def current_interval_end(self, at: datetime) -> datetime | None:
        """When open at `at`, the end of that day's open interval (UTC), else None."""
        at = _require_aware(at)
        for start, end in self._intervals_from(at, days=1):
            return end if start <= at else None
        return None

    def business_minutes_between(self, start: datetime, end: datetime) -> float:
        """Open time in [start, end) in minutes (0 when end <= start)."""
        return self._business_time(_require_aware(start), _require_aware(end)) / timedelta(
            minutes=1
        )

    def _business_time(self, start: datetime, end: datetime) -> timedelta:
        if end <= start:
            return _ZERO
        total = _ZERO
        day = self._local_date(start) - _ONE_DAY
        last = self._local_date(end)
        while day <= last:
            for a, b in self._day_intervals(day):
                lo, hi = max(a, start), min(b, end)
                if hi > lo:
                    total += hi - lo
            day += _ONE_DAY
        return total

    def add_business_minutes(self, start: datetime, minutes: float) -> datetime:
        """The earliest instant (UTC) by which `minutes` business minutes after
        `start` have elapsed. A due time that falls exactly on a closing time is
        that closing time, not the next opening."""
        start = _require_aware(start)
        if not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"minutes must be a finite number >= 0, got {minutes!r}")
        return self._add(start, timedelta(minutes=minutes))

    def _add(
        self,
        start: datetime,
        amount: timedelta,
        closed: Sequence[Interval] = (),
        days: int = SEARCH_HORIZON_DAYS,
    ) -> datetime:
        """Add business time to a UTC instant, treating the `closed` spans (sorted,
        disjoint) as closed too."""
        if not self.weekly_hours:
            raise ValueError("the calendar has no opening hours")
        if amount <= _ZERO:
            return start
        remaining = amount
        for a, b in self._intervals_from(start, days):
            for lo, hi in _subtract(max(a, start), b, closed):
                if hi - lo >= remaining:
                    return lo + remaining
                remaining -= hi - lo
        raise ValueError(f"not enough open time within {days} days")

    def typical_day_minutes(self) -> int:
        """The median wall-clock length of an open weekday (480 for 9-17); 480
        when there are no hours."""
        return self._typical_day


def typical_day_minutes(weekly_hours: Mapping[int, Sequence[tuple[time, time]]]) -> int:
    """The median wall-clock length of an open weekday (480 for 9-17), 480 when there are
    no hours: a calendar's, or of bare weekly hours where nothing else of one is needed."""
    lengths = [_wall_minutes(sorted(hours)) for hours in weekly_hours.values() if hours]
    return int(median(lengths)) if lengths else 480


def _wall_minutes(hours: Sequence[tuple[time, time]]) -> int:
    """Total wall-clock minutes of a day's (sorted) hours, overlaps counted once."""
    total, reached = 0, 0
    for opens, closes in hours:
        lo = opens.hour * 60 + opens.minute
        hi = 24 * 60 if closes >= _END_OF_DAY else closes.hour * 60 + closes.minute
        lo = max(lo, reached)
        if hi > lo:
            total += hi - lo
            reached = hi
    return total


def _wall_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a local date as a UTC instant. A time skipped by a
    spring-forward change maps to the change itself (the first instant after it
    that exists); an ambiguous one takes its first occurrence (fold=0)."""
    naive = datetime.combine(day, at)
    later = naive.replace(tzinfo=zone).astimezone(UTC)  # fold=0
    if later.astimezone(zone).replace(tzinfo=None) == naive:
        return later
    # In a gap: fold=1 reads it with the offset after the change (an instant
    # before the change), fold=0 with the offset before (one after it). The
    # change lies in (earlier, later]: find it to the microsecond.
    earlier = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    offset_before = earlier.astimezone(zone).utcoffset()
    tick = timedelta(microseconds=1)
    while later - earlier > tick:
        middle = earlier + (later - earlier) / 2
        if middle.astimezone(zone).utcoffset() == offset_before:
            earlier = middle
        else:
            later = middle
    return later


def _subtract(lo: datetime, hi: datetime, closed: Sequence[Interval]) -> list[Interval]:
    """[lo, hi) without the closed spans (sorted, disjoint)."""
    pieces: list[Interval] = []
    for c_start, c_end in closed:
        if c_end <= lo:
            continue
        if c_start >= hi:
            break
        if c_start > lo:
            pieces.append((lo, c_start))
        lo = max(lo, c_end)
        if lo >= hi:
            return pieces
    if hi > lo:
        pieces.append((lo, hi))
    return pieces


def _merge(spans: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


# Words ------------------------------------------------------------------------


def _plural(value: float, unit: str) -> str:
    text = str(int(value)) if value == int(value) else f"{value:.1f}"
    return f"{text} business {unit}{'' if value == 1 else 's'}"


def describe_business_minutes(minutes: int, day_minutes: int = 480) -> str:
    """30 -> "30 business minutes", 90 -> "1.5 business hours", 1440 -> "3 business
    days". Days only for an exact multiple of the day, hours only for a multiple
    of half an hour (from one hour up), else minutes."""
    minutes = int(minutes)
    if day_minutes > 0 and minutes >= day_minutes and minutes % day_minutes == 0:
        return _plural(minutes // day_minutes, "day")
    if minutes >= 60 and minutes % 30 == 0:
        return _plural(minutes / 60, "hour")
    return _plural(minutes, "minute")


def describe_duration(minutes: float, day_minutes: int = 480) -> str:
    """Business time in the units of the promise, for clocks: "45 business minutes",
    "3 business hours and 10 business minutes", "1 business day and 6 business hours"
    where a business day is `day_minutes` long (the department's own day: 720 for 12-hour
    days, 1440 for a desk open around the clock). Rounded to whole minutes (halves up),
    never negative; a day or more drops the minutes."""
    total = max(0, math.floor(minutes + 0.5)) if math.isfinite(minutes) else 0
    day = day_minutes if day_minutes > 0 else 24 * 60
    days, rest = divmod(total, day)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (mins, "minute")]
    words = [_plural(value, unit) for value, unit in parts if value]
    return " and ".join(words) or _plural(0, "minute")


# Clocks -----------------------------------------------------------------------


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
    end: datetime | None = None  # None: still paused


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
    from the request's history: business minutes used, pauses excluded.

    Only what has happened by `now` counts: a stop or a pause after `now` is
    ignored. Breached means more business time than the target has elapsed, so a
    clock that reached its target at closing time is still at risk overnight (and
    met if stopped before the next opening)."""
    started_at, now = _require_aware(started_at), _require_aware(now)
    if target_minutes < 0:
        raise ValueError("target_minutes must be >= 0")
    stopped = _require_aware(stopped_at) if stopped_at is not None else None
    if stopped is not None and stopped > now:
        stopped = None  # not stopped yet as of `now`
    window_end = min(stopped, now) if stopped is not None else now
    window_end = max(window_end, started_at)

    spans = []
    paused_now = False
    for pause in pauses:
        p_start = _require_aware(pause.start)
        p_end = _require_aware(pause.end) if pause.end is not None else None
        if p_start <= now and (p_end is None or p_end > now):
            paused_now = True
        spans.append((p_start, min(p_end, window_end) if p_end is not None else window_end))
    closed = _merge(spans)

    elapsed = calendar._business_time(started_at, window_end) - sum(
        (calendar._business_time(max(a, started_at), b) for a, b in closed), _ZERO
    )
    elapsed = max(elapsed, _ZERO)
    elapsed_minutes = elapsed / timedelta(minutes=1)
    target = timedelta(minutes=target_minutes)

    if stopped is not None:
        state = ClockState.MET if elapsed <= target else ClockState.MISSED
        return Clock(target_minutes, elapsed_minutes, None, stopped, state)
    if paused_now:
        return Clock(target_minutes, elapsed_minutes, None, None, ClockState.PAUSED)

    try:
        if elapsed < target:  # still to come: from now, nothing paused ahead
            due = calendar._add(max(now, started_at), target - elapsed)
        else:  # already reached: the instant it was, pauses skipped
            span_days = (now - started_at).days + 2
            due = calendar._add(started_at, target, closed, days=span_days)
    except ValueError:  # no opening hours, or none within the horizon
        due = None

    if elapsed > target:
        state = ClockState.BREACHED
    elif elapsed_minutes >= at_risk_fraction * target_minutes:
        state = ClockState.AT_RISK
    else:
        state = ClockState.ON_TRACK
    return Clock(target_minutes, elapsed_minutes, due, None, state)
