"""A department's public scorecard: its promises beside what it delivered.

Read from the precomputed rollup (`portal.insights.rollup`): a 90-day scorecard of the
busiest department merges a few hundred `ScorecardDay` rows, never the requests. The
backlog (open requests, the first filed) is read live from the request index.
`direct_window()` computes the same figures from the requests themselves; the tests hold
the two equal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Row, bindparam, func, select

from portal import sla
from portal.core import clock
from portal.database import read
from portal.directory import services as directory_services
from portal.directory.calendars import calendar_for
from portal.directory.services import DepartmentOrPlain
from portal.extensions import db
from portal.insights import check_in_release, figures
from portal.insights.rollup import KeptPerRefresh, Measure, last_refresh, measure_requests
from portal.models import (
    OPEN_STATUSES,
    CheckIn,
    CheckInAnswer,
    Department,
    InsightFlag,
    Priority,
    ScorecardDay,
    ServiceRequest,
)
from portal.models.directory import PRIORITY_ORDER

WINDOWS = (30, 90)
TREND_WEEKS = 12
FLAG_SHOWN_DAYS = 21


@dataclass(frozen=True)
class Figure:
    """Median, 90th percentile and share within target of one measure; None below
    figures.MIN_SAMPLE requests."""

    count: int
    median: float | None
    p90: float | None
    within: float | None

    @property
    def hidden(self) -> bool:
        return self.median is None


def figure(durations: Sequence[int], met: int) -> Figure:
    """Median, nearest-rank p90 (as `figures.median` / `figures.percentile`, sorting once)
    and share within the promise."""
    count = len(durations)
    if count < figures.MIN_SAMPLE:
        return Figure(count, None, None, None)
    ordered = sorted(durations)  # runs of pre-sorted days: timsort merges them
    middle = count // 2
    median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    p90 = ordered[math.ceil(0.9 * count) - 1]
    return Figure(count, median, p90, met / count)


@dataclass
class _Bucket:
    first: list[int] = field(default_factory=list)
    first_met: int = 0
    resolution: list[int] = field(default_factory=list)
    resolution_met: int = 0
    rating_sum: int = 0
    rating_count: int = 0

    def add_day(self, row: DayRow) -> None:
        self.first += row.first_minutes
        self.first_met += row.first_met
        self.resolution += row.resolution_minutes
        self.resolution_met += row.resolution_met
        self.rating_sum += row.rating_sum
        self.rating_count += row.rating_count

    def add_measure(self, m: Measure) -> None:
        self.first.append(m.first_minutes)
        self.first_met += m.first_met
        self.resolution.append(m.resolution_minutes)
        self.resolution_met += m.resolution_met
        if m.rating is not None:
            self.rating_sum += m.rating
            self.rating_count += 1

    def delivery(self) -> Delivery:
        average = (
            self.rating_sum / self.rating_count if self.rating_count >= figures.MIN_SAMPLE else None
        )
        return Delivery(
            figure(self.first, self.first_met),
            figure(self.resolution, self.resolution_met),
            average,
            self.rating_count,
        )


@dataclass(frozen=True)
class Delivery:
    first: Figure
    resolution: Figure
    rating_average: float | None
    rating_count: int

    @property
    def resolved(self) -> int:
        return self.first.count


@dataclass(frozen=True)
class PriorityRow:
    priority: Priority | None  # None: all priorities together
    promise: directory_services.Promise | None
    delivery: Delivery
    backlog: int | None = None  # open requests: for all priorities together only
    oldest_open: datetime | None = None

    @property
    def label(self) -> str:
        return self.priority.label if self.priority else "All priorities"


@dataclass(frozen=True)
class Window:
    days: int
    rows: list[PriorityRow]

    @property
    def total(self) -> PriorityRow:
        return self.rows[0]


@dataclass(frozen=True)
class WeekPoint:
    start: date
    resolved: int
    first_within: float | None
    resolution_within: float | None
    first_median: float | None
    rating_average: float | None
    normal_first_median: float | None = None  # normal priority only: against its promise


@dataclass(frozen=True)
class CheckInScore:
    period: str
    average: float | None
    answers: int


@dataclass(frozen=True)
class Scorecard:
    department: DepartmentOrPlain
    today: date
    day_minutes: int
    windows: list[Window]
    weeks: list[WeekPoint]
    checkin: CheckInScore | None
    flags: list[InsightFlag]
    refreshed_at: datetime | None
    # the latest check-in the department answered publicly: its period, heard, will_change
    answered: Row | None = None

    def window(self, days: int) -> Window:
        return next(w for w in self.windows if w.days == days)

    @property
    def normal_promise(self) -> directory_services.Promise | None:
        """The normal-priority promise the weekly first-reply chart is drawn against."""
        rows = self.windows[0].rows if self.windows else []
        return next((r.promise for r in rows if r.priority == Priority.NORMAL), None)


def department_today(department: DepartmentOrPlain, now: datetime | None = None) -> date:
    now = clock.now(now)
    return now.astimezone(calendar_for(department, now.date()).tz()).date()


class DayRow(NamedTuple):
    day: date
    priority: str
    first_minutes: list[int]
    first_met: int
    resolution_minutes: list[int]
    resolution_met: int
    rating_sum: int
    rating_count: int


def _rollup_rows(department_id: int, since: date, until: date) -> list[DayRow]:
    """The department's rollup rows (plain tuples: no ORM objects to build)."""
    rows = db.session.execute(
        select(
            ScorecardDay.day,
            ScorecardDay.priority,
            ScorecardDay.first_minutes,
            ScorecardDay.first_met,
            ScorecardDay.resolution_minutes,
            ScorecardDay.resolution_met,
            ScorecardDay.rating_sum,
            ScorecardDay.rating_count,
        ).where(
            ScorecardDay.department_id == department_id,
            ScorecardDay.day >= since,
            ScorecardDay.day <= until,
        )
    )
    return [DayRow(*row) for row in rows]


# The scorecard's own statements, built once with their values as parameters.
_BACKLOG = select(func.count(), func.min(ServiceRequest.created_at)).where(
    ServiceRequest.department_id == bindparam("department_id"),
    ServiceRequest.status.in_(OPEN_STATUSES),
)
_FLAGS = (
    select(InsightFlag)
    .where(
        InsightFlag.department_id == bindparam("department_id"),
        InsightFlag.week >= bindparam("since"),
    )
    .order_by(InsightFlag.week.desc())
)
_ANSWERED = (  # only what the card shows of it
    select(CheckIn.period, CheckIn.heard, CheckIn.will_change)
    .where(
        CheckIn.department_id == bindparam("department_id"),
        CheckIn.served_department_id.is_(None),
        CheckIn.answered_publicly_at.is_not(None),
    )
    .order_by(CheckIn.id.desc())
    .limit(1)
)


def _backlog(department_id: int) -> tuple[int, datetime | None]:
    """Open requests and when the first of them was filed: the earliest creation time,
    not the lowest id (back-dated or imported requests get ids out of time order)."""
    counts = read(_BACKLOG, {"department_id": department_id}).one()
    if not counts[0]:
        return 0, None
    return int(counts[0]), counts[1] and clock.aware(counts[1])


def promises_of(
    department: DepartmentOrPlain, standards: list | None = None
) -> dict[str, directory_services.Promise]:
    """The department's default promises by priority; `standards`: its default response
    standards when the caller read them already (for many departments in one query)."""
    day_minutes = calendar_for(department).typical_day_minutes()
    if standards is None:
        standards = directory_services._department_defaults([department.id]).get(department.id, [])
    return {p.priority.value: p for p in directory_services._promises(list(standards), day_minutes)}


def normal_promises(departments: list[Department]) -> dict[int, directory_services.Promise]:
    """Each department's normal-priority promise, its standards read in one query (the
    departments' hours and closures should come loaded with them)."""
    defaults = directory_services._department_defaults([d.id for d in departments])
    found = {}
    for department in departments:
        promise = promises_of(department, defaults.get(department.id, [])).get(
            Priority.NORMAL.value
        )
        if promise is not None:
            found[department.id] = promise
    return found


def _deliveries(buckets: dict[str, _Bucket]) -> dict[str, Delivery]:
    """Per priority and, under "all", for all priorities together."""
    total = _Bucket()
    for bucket in buckets.values():
        total.first += bucket.first
        total.first_met += bucket.first_met
        total.resolution += bucket.resolution
        total.resolution_met += bucket.resolution_met
        total.rating_sum += bucket.rating_sum
        total.rating_count += bucket.rating_count
    result = {key: bucket.delivery() for key, bucket in buckets.items()}
    result["all"] = total.delivery()
    return result


def _window_rows(
    deliveries: dict[str, Delivery],
    promises: dict[str, directory_services.Promise],
    backlog: tuple[int, datetime | None],
) -> list[PriorityRow]:
    open_total, oldest = backlog
    rows = [PriorityRow(None, None, deliveries["all"], open_total, oldest)]
    for priority in PRIORITY_ORDER:
        key = priority.value
        if key not in deliveries and key not in promises:
            continue
        rows.append(
            PriorityRow(priority, promises.get(key), deliveries.get(key) or _Bucket().delivery())
        )
    return rows


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class _Figures:
    windows: dict[int, dict[str, Delivery]]
    weeks: list[WeekPoint]


# Kept per process under (department, day) and the refresh instant (rollup.KeptPerRefresh).
_KEPT_FIGURES: KeptPerRefresh[_Figures] = KeptPerRefresh(512)


def _figures(department_id: int, today: date, refreshed_at: datetime | None) -> _Figures:
    return _KEPT_FIGURES.get(
        (department_id, today), refreshed_at, lambda: _computed_figures(department_id, today)
    )


def _computed_figures(department_id: int, today: date) -> _Figures:
    first_week = week_start(today) - timedelta(weeks=TREND_WEEKS - 1)
    since = min(today - timedelta(days=max(WINDOWS) - 1), first_week)
    rows = _rollup_rows(department_id, since, today)
    windows = {}
    for days in WINDOWS:
        start = today - timedelta(days=days - 1)
        buckets: dict[str, _Bucket] = {}
        for row in rows:
            if row.day >= start:
                buckets.setdefault(row.priority, _Bucket()).add_day(row)
        windows[days] = _deliveries(buckets)
    return _Figures(windows, _week_points(rows, first_week))


def _week_points(rows: list[DayRow], first_week: date) -> list[WeekPoint]:
    """TREND_WEEKS points from first_week on: all priorities, and normal requests alone
    (whose median first reply the scorecard draws against the normal promise)."""
    weekly: dict[date, _Bucket] = {}
    normal: dict[date, _Bucket] = {}
    for row in rows:
        if row.day >= first_week:
            weekly.setdefault(week_start(row.day), _Bucket()).add_day(row)
            if row.priority == Priority.NORMAL.value:
                normal.setdefault(week_start(row.day), _Bucket()).add_day(row)
    weeks = []
    for i in range(TREND_WEEKS):
        start = first_week + timedelta(weeks=i)
        delivery = weekly.get(start, _Bucket()).delivery()
        weeks.append(
            WeekPoint(
                start,
                delivery.resolved,
                delivery.first.within,
                delivery.resolution.within,
                delivery.first.median,
                delivery.rating_average,
                normal.get(start, _Bucket()).delivery().first.median,
            )
        )
    return weeks


def scorecard(department: DepartmentOrPlain, now: datetime | None = None) -> Scorecard:
    now = clock.now(now)
    today = department_today(department, now)
    refreshed_at = last_refresh()
    computed = _figures(department.id, today, refreshed_at)
    promises = promises_of(department)
    backlog = _backlog(department.id)
    windows = [
        Window(days, _window_rows(computed.windows[days], promises, backlog)) for days in WINDOWS
    ]
    weeks = computed.weeks
    flags = list(
        db.session.scalars(
            _FLAGS,
            {"department_id": department.id, "since": today - timedelta(days=FLAG_SHOWN_DAYS)},
        )
    )
    return Scorecard(
        department=department,
        today=today,
        day_minutes=calendar_for(department, today).typical_day_minutes(),
        windows=windows,
        weeks=weeks,
        checkin=checkin_score(department),
        flags=flags,
        refreshed_at=refreshed_at,
        answered=read(_ANSWERED, {"department_id": department.id}).first(),
    )


# Built once (the department and the instant are parameters): read on every department page.
_CHECKIN_SCORE = (
    select(CheckIn.period, func.avg(CheckInAnswer.score), func.count(CheckInAnswer.id))
    .join(CheckInAnswer, CheckInAnswer.check_in_id == CheckIn.id)
    .where(
        CheckIn.department_id == bindparam("department_id"),
        CheckIn.served_department_id.is_(None),
        check_in_release.shown_answers_at(bindparam("now", type_=CheckIn.closes_at.type)),
    )
    .group_by(CheckIn.id, CheckIn.period)
    .having(func.count(CheckInAnswer.id) >= figures.MIN_SAMPLE)
    .order_by(CheckIn.id.desc())
    .limit(1)
)


def checkin_score(
    department: DepartmentOrPlain, now: datetime | None = None
) -> CheckInScore | None:
    """The latest check-in with enough answers to show (average of "How well does
    <department> serve you?"), counting only the released answers."""
    row = (
        db.session.connection()
        .execute(_CHECKIN_SCORE, {"department_id": department.id, "now": clock.now(now)})
        .first()
    )
    if row is None:
        return None
    return CheckInScore(row[0], float(row[1]), int(row[2]))


# The same figures without the rollup (for tests and checks) -------------------------------


def direct_window(department: Department, since: date, until: date) -> dict[str, Delivery]:
    """Deliveries per priority (and "all") measured from the requests themselves."""
    ids = list(
        db.session.scalars(
            select(ServiceRequest.id).where(ServiceRequest.department_id == department.id)
        )
    )
    buckets: dict[str, _Bucket] = {}
    for m in measure_requests(ids, {department.id: department}):
        if since <= m.day <= until:
            buckets.setdefault(m.priority, _Bucket()).add_measure(m)
    return _deliveries(buckets)


def rollup_window(department: Department, since: date, until: date) -> dict[str, Delivery]:
    buckets: dict[str, _Bucket] = {}
    for row in _rollup_rows(department.id, since, until):
        buckets.setdefault(row.priority, _Bucket()).add_day(row)
    return _deliveries(buckets)


def minutes_words(minutes: float | None, day_minutes: int = 480) -> str:
    return "—" if minutes is None else sla.describe_duration(minutes, day_minutes)


def share_words(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"
