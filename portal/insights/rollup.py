"""The scorecard's precomputed figures, and how they stay fresh.

Measuring a request means replaying its timeline through the SLA clocks (business time,
pauses while waiting on the requester, a reopened resolution not counting) — far too slow
to do for a million requests per page view. So it is done once per change:

* `RequestMeasure`: one row per resolved or closed request — its first-response and
  resolution business minutes, whether each met its promise, its rating — on the
  department's local day of resolution.
* `ScorecardDay`: per department, day and priority, the counts and the *sorted*
  durations of that day's measures, so a scorecard over any run of days merges a few
  hundred rows and its medians and percentiles are exact (equal to computing them from
  the requests directly; the tests check it).

`refresh()` (run by `flask insights refresh` from cron every few minutes, and first
thing by `flask insights scan`) re-measures the requests changed since its previous run
(`ServiceRequest.updated_at`, `SatisfactionRating.updated_at`), with a five-minute overlap
so a transaction that committed late is not missed — re-measuring is idempotent — and
rebuilds the days those requests left or joined. `refresh(full=True)` rebuilds
everything. Either way it ends by rebuilding the value chain's observed links
(portal.chain.services.observing: two grouped reads over the last 90 days). A scorecard
is therefore at most one cron interval behind the requests.
"""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar, Generic, TypeVar

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import load_only

from portal import sla
from portal.chain.services import observing
from portal.core import clock
from portal.database import read, write_transaction
from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.models import (
    Department,
    EventKind,
    InsightsState,
    RequestEvent,
    RequestMeasure,
    RequestStatus,
    SatisfactionRating,
    ScorecardDay,
    ServiceRequest,
)
from portal.service_requests import clocks

T = TypeVar("T")

CHUNK = 2000
OVERLAP = timedelta(minutes=5)
STATE_NAME = "rollup"
MEASURED_STATUSES = (RequestStatus.RESOLVED, RequestStatus.CLOSED)


def whole_minutes(value: float) -> int:
    """Business minutes as shown and stored: whole minutes, halves up."""
    return max(0, math.floor(value + 0.5))


@dataclass(frozen=True)
class Measure:
    request_id: int
    department_id: int
    day: date
    priority: str
    first_minutes: int
    first_met: bool
    resolution_minutes: int
    resolution_met: bool
    rating: int | None


class Calendars:
    """Each department's calendar per year, built once per refresh (a refresh commits per
    chunk, which expires the departments: their hours are not read again)."""

    def __init__(self, departments: dict[int, Department]) -> None:
        self.departments = departments
        self.built: dict[tuple[int, int], sla.BusinessCalendar] = {}

    def get(self, department_id: int, day: date) -> sla.BusinessCalendar:
        key = (department_id, day.year)
        if key not in self.built:
            self.built[key] = calendar_for(self.departments[department_id], day)
        return self.built[key]


def measure(
    sr: ServiceRequest,
    calendars: Calendars,
    changes: list[tuple[datetime, str | None, str | None]],
    rating: int | None,
) -> Measure | None:
    """One resolved request's figures, replayed from its timeline with the same SLA code
    the request page uses; None for a request that is not resolved."""
    if sr.status not in MEASURED_STATUSES or sr.resolved_at is None:
        return None
    resolved = clock.aware(sr.resolved_at)
    calendar = calendars.get(sr.department_id, resolved.date())
    replay = clocks.measure(sr, calendar, changes, resolved)
    first, resolution = replay.first_response, replay.resolution
    return Measure(
        request_id=sr.id,
        department_id=sr.department_id,
        day=resolved.astimezone(calendar.tz()).date(),
        priority=sr.priority.value,
        first_minutes=whole_minutes(first.elapsed_minutes),
        first_met=first.state is sla.ClockState.MET,
        resolution_minutes=whole_minutes(resolution.elapsed_minutes),
        resolution_met=resolution.state is sla.ClockState.MET,
        rating=rating,
    )


def _status_changes(ids: list[int]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    rows = db.session.execute(
        select(
            RequestEvent.request_id, RequestEvent.at, RequestEvent.from_value, RequestEvent.to_value
        )
        .where(RequestEvent.request_id.in_(ids), RequestEvent.kind == EventKind.STATUS)
        .order_by(RequestEvent.request_id, RequestEvent.id)
    )
    for request_id, at, from_value, to_value in rows:
        found[request_id].append((clock.aware(at), from_value, to_value))
    return found


def measure_requests(
    ids: list[int], departments: dict[int, Department], calendars: Calendars | None = None
) -> list[Measure]:
    """Measures of the resolved requests among `ids` (read in one query each for the
    requests, their status changes and their ratings)."""
    calendars = calendars or Calendars(departments)
    if not ids:
        return []
    requests = db.session.scalars(
        select(ServiceRequest)
        .where(ServiceRequest.id.in_(ids), ServiceRequest.status.in_(MEASURED_STATUSES))
        .options(
            load_only(
                ServiceRequest.department_id,
                ServiceRequest.priority,
                ServiceRequest.status,
                ServiceRequest.created_at,
                ServiceRequest.first_response_at,
                ServiceRequest.resolved_at,
                ServiceRequest.first_response_target,
                ServiceRequest.resolution_target,
                ServiceRequest.version,
            )
        )
    ).all()
    if not requests:
        return []
    measured_ids = [sr.id for sr in requests]
    changes = _status_changes(measured_ids)
    scores = dict(
        db.session.execute(
            select(SatisfactionRating.request_id, SatisfactionRating.score).where(
                SatisfactionRating.request_id.in_(measured_ids)
            )
        ).all()
    )
    found = []
    for sr in requests:
        result = measure(sr, calendars, changes.get(sr.id, []), scores.get(sr.id))
        if result is not None:
            found.append(result)
    return found


# Rolling up -------------------------------------------------------------------------------


def _day_rows(department_id: int, day: date, measures: Iterable[tuple]) -> list[dict]:
    """ScorecardDay rows (one per priority) from (priority, first, first_met, resolution,
    resolution_met, rating) tuples."""
    by_priority: dict[str, list[tuple]] = defaultdict(list)
    for row in measures:
        by_priority[row[0]].append(row)
    rows = []
    for priority, items in sorted(by_priority.items()):
        ratings = [r[5] for r in items if r[5] is not None]
        rows.append(
            {
                "department_id": department_id,
                "day": day,
                "priority": priority,
                "resolved": len(items),
                "first_minutes": sorted(r[1] for r in items),
                "first_met": sum(1 for r in items if r[2]),
                "resolution_minutes": sorted(r[3] for r in items),
                "resolution_met": sum(1 for r in items if r[4]),
                "rating_sum": sum(ratings),
                "rating_count": len(ratings),
            }
        )
    return rows


_MEASURE_COLUMNS = (
    RequestMeasure.priority,
    RequestMeasure.first_minutes,
    RequestMeasure.first_met,
    RequestMeasure.resolution_minutes,
    RequestMeasure.resolution_met,
    RequestMeasure.rating,
)


def _rebuild_days(keys: set[tuple[int, date]]) -> None:
    for department_id, day in sorted(keys):
        db.session.execute(
            delete(ScorecardDay).where(
                ScorecardDay.department_id == department_id, ScorecardDay.day == day
            )
        )
        measures = db.session.execute(
            select(*_MEASURE_COLUMNS).where(
                RequestMeasure.department_id == department_id, RequestMeasure.day == day
            )
        ).all()
        rows = _day_rows(department_id, day, measures)
        if rows:
            db.session.execute(insert(ScorecardDay), rows)


def _store(ids: list[int], calendars: Calendars) -> set[tuple[int, date]]:
    """Re-measure `ids`; returns the (department, day) keys they left or joined."""
    touched = set(
        db.session.execute(
            select(RequestMeasure.department_id, RequestMeasure.day).where(
                RequestMeasure.request_id.in_(ids)
            )
        ).tuples()
    )
    db.session.execute(delete(RequestMeasure).where(RequestMeasure.request_id.in_(ids)))
    measures = measure_requests(ids, calendars.departments, calendars)
    if measures:
        db.session.execute(insert(RequestMeasure), [vars(m) for m in measures])
    touched |= {(m.department_id, m.day) for m in measures}
    return touched


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _departments() -> dict[int, Department]:
    return {d.id: d for d in db.session.scalars(select(Department))}


# One column, built once: the session's identity map keeps no state row between calls (it
# holds objects weakly), so a `get` built and loaded an object on every call.
_LAST_REFRESH = select(InsightsState.at).where(InsightsState.name == STATE_NAME)


def last_refresh() -> datetime | None:
    at = read(_LAST_REFRESH).scalar()  # the session's: a refresh not yet flushed counts
    return clock.aware(at) if at else None


class KeptPerRefresh(Generic[T]):
    """What a process computed from the rollup, kept under (its key, the refresh instant):
    the rollup changes only when it is refreshed, so a refresh makes a new key and nothing
    kept is ever stale. Before the first refresh there is no instant to key by, and nothing
    is kept. Bounded, the least recently used going first; keep plain values, no database
    objects."""

    every: ClassVar[list[KeptPerRefresh]] = []

    def __init__(self, size: int) -> None:
        self._kept: OrderedDict[tuple, T] = OrderedDict()
        self._size = size
        KeptPerRefresh.every.append(self)

    def get(self, key: tuple, refreshed_at: datetime | None, build: Callable[[], T]) -> T:
        full_key = (*key, refreshed_at)
        kept = self._kept.get(full_key)
        if kept is not None:
            self._kept.move_to_end(full_key)
            return kept
        value = build()
        if refreshed_at is not None:
            self._kept[full_key] = value
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return value

    @classmethod
    def forget_all(cls) -> None:
        """Empty every one (the tests: each starts a database again from id 1, and may
        refresh at the same fixed instant as the last)."""
        for kept in cls.every:
            kept._kept.clear()


def _set_last_refresh(at: datetime) -> None:
    state = db.session.get(InsightsState, STATE_NAME)
    if state is None:
        db.session.add(InsightsState(name=STATE_NAME, at=at))
    else:
        state.at = at


@dataclass(frozen=True)
class RefreshResult:
    requests: int
    days: int


def refresh(now: datetime | None = None, full: bool = False) -> RefreshResult:
    """Bring the rollup up to date with the requests and ratings (see the module doc)."""
    started = clock.now(now)
    since = None if full else last_refresh()
    calendars = Calendars(_departments())
    if since is None:
        result = _rebuild_all(started, calendars)
        observing.refresh_observed(started)  # the value chain's observed links
        return result
    since = since - OVERLAP
    changed = set(
        db.session.scalars(select(ServiceRequest.id).where(ServiceRequest.updated_at >= since))
    )
    changed |= set(
        db.session.scalars(
            select(SatisfactionRating.request_id).where(SatisfactionRating.updated_at >= since)
        )
    )
    touched: set[tuple[int, date]] = set()
    for ids in _chunks(sorted(changed)):
        with write_transaction():
            keys = _store(ids, calendars)
            _rebuild_days(keys)
        touched |= keys
    with write_transaction():
        _set_last_refresh(started)
    observing.refresh_observed(started)  # the value chain's observed links
    return RefreshResult(len(changed), len(touched))


def _rebuild_all(started: datetime, calendars: Calendars) -> RefreshResult:
    with write_transaction():
        db.session.execute(delete(ScorecardDay))
        db.session.execute(delete(RequestMeasure))
    last_id = 0
    total = 0
    while True:
        ids = list(
            db.session.scalars(
                select(ServiceRequest.id)
                .where(
                    ServiceRequest.id > last_id,
                    or_(*(ServiceRequest.status == s for s in MEASURED_STATUSES)),
                )
                .order_by(ServiceRequest.id)
                .limit(CHUNK)
            )
        )
        if not ids:
            break
        last_id = ids[-1]
        with write_transaction():
            measures = measure_requests(ids, calendars.departments, calendars)
            if measures:
                db.session.execute(insert(RequestMeasure), [vars(m) for m in measures])
        total += len(measures)
    days = 0
    with write_transaction():
        current: tuple[int, date] | None = None
        bucket: list[tuple] = []
        pending: list[dict] = []
        rows = db.session.execute(
            select(RequestMeasure.department_id, RequestMeasure.day, *_MEASURE_COLUMNS).order_by(
                RequestMeasure.department_id, RequestMeasure.day
            )
        ).all()
        for row in rows:
            key = (row[0], row[1])
            if key != current:
                if current is not None:
                    pending += _day_rows(current[0], current[1], bucket)
                    days += 1
                current, bucket = key, []
            bucket.append(tuple(row[2:]))
        if current is not None:
            pending += _day_rows(current[0], current[1], bucket)
            days += 1
        for start in range(0, len(pending), CHUNK):
            db.session.execute(insert(ScorecardDay), pending[start : start + CHUNK])
        _set_last_refresh(started)
    return RefreshResult(total, days)
