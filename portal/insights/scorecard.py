"""A department's public scorecard: its promises beside what it delivered.

Read from the precomputed rollup (`portal.insights.rollup`): a 90-day scorecard of the
busiest department merges a few hundred `ScorecardDay` rows, never the requests. The
backlog is read live from the request indexes. `direct_window()` computes the same
figures from the requests themselves; the tests hold the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from portal import sla
from portal.directory import services as directory_services
from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.insights import figures
from portal.insights.rollup import Measure, last_refresh, measure_requests
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
    if len(durations) < figures.MIN_SAMPLE:
        return Figure(len(durations), None, None, None)
    return Figure(
        len(durations),
        figures.median(durations),
        figures.percentile(durations, 0.9),
        met / len(durations),
    )


@dataclass
class _Bucket:
    first: list[int] = field(default_factory=list)
    first_met: int = 0
    resolution: list[int] = field(default_factory=list)
    resolution_met: int = 0
    rating_sum: int = 0
    rating_count: int = 0

    def add_day(self, row: ScorecardDay) -> None:
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
    backlog: int
    oldest_open: datetime | None

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


@dataclass(frozen=True)
class CheckInScore:
    period: str
    average: float | None
    answers: int


@dataclass(frozen=True)
class Scorecard:
    department: Department
    today: date
    day_minutes: int
    windows: list[Window]
    weeks: list[WeekPoint]
    checkin: CheckInScore | None
    flags: list[InsightFlag]
    refreshed_at: datetime | None
    answered: CheckIn | None = None  # the latest check-in the department answered publicly

    def window(self, days: int) -> Window:
        return next(w for w in self.windows if w.days == days)


def department_today(department: Department, now: datetime | None = None) -> date:
    now = now or datetime.now(UTC)
    return now.astimezone(calendar_for(department, now.date()).tz()).date()


def _rollup_rows(department_id: int, since: date, until: date) -> list[ScorecardDay]:
    return list(
        db.session.scalars(
            select(ScorecardDay).where(
                ScorecardDay.department_id == department_id,
                ScorecardDay.day >= since,
                ScorecardDay.day <= until,
            )
        )
    )


def _backlog(department_id: int) -> dict[str, tuple[int, datetime | None]]:
    rows = db.session.execute(
        select(ServiceRequest.priority, func.count(), func.min(ServiceRequest.created_at))
        .where(
            ServiceRequest.department_id == department_id,
            ServiceRequest.status.in_(OPEN_STATUSES),
        )
        .group_by(ServiceRequest.priority)
    ).all()
    return {
        (p.value if hasattr(p, "value") else p): (n, oldest and _aware(oldest))
        for p, n, oldest in rows
    }


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def promises_of(department: Department) -> dict[str, directory_services.Promise]:
    day_minutes = calendar_for(department).typical_day_minutes()
    standards = directory_services._department_defaults([department.id]).get(department.id, [])
    return {p.priority.value: p for p in directory_services._promises(list(standards), day_minutes)}


def _window_rows(
    buckets: dict[str, _Bucket],
    promises: dict[str, directory_services.Promise],
    backlog: dict[str, tuple[int, datetime | None]],
) -> list[PriorityRow]:
    total = _Bucket()
    for bucket in buckets.values():
        total.first += bucket.first
        total.first_met += bucket.first_met
        total.resolution += bucket.resolution
        total.resolution_met += bucket.resolution_met
        total.rating_sum += bucket.rating_sum
        total.rating_count += bucket.rating_count
    open_total = sum(n for n, _ in backlog.values())
    oldest = min((o for _, o in backlog.values() if o), default=None)
    rows = [PriorityRow(None, None, total.delivery(), open_total, oldest)]
    for priority in PRIORITY_ORDER:
        key = priority.value
        if key not in buckets and key not in promises and key not in backlog:
            continue
        n, o = backlog.get(key, (0, None))
        rows.append(
            PriorityRow(priority, promises.get(key), buckets.get(key, _Bucket()).delivery(), n, o)
        )
    return rows


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def scorecard(department: Department, now: datetime | None = None) -> Scorecard:
    now = now or datetime.now(UTC)
    today = department_today(department, now)
    first_week = week_start(today) - timedelta(weeks=TREND_WEEKS - 1)
    since = min(today - timedelta(days=max(WINDOWS) - 1), first_week)
    rows = _rollup_rows(department.id, since, today)
    promises = promises_of(department)
    backlog = _backlog(department.id)
    windows = []
    for days in WINDOWS:
        start = today - timedelta(days=days - 1)
        buckets: dict[str, _Bucket] = {}
        for row in rows:
            if row.day >= start:
                buckets.setdefault(row.priority, _Bucket()).add_day(row)
        windows.append(Window(days, _window_rows(buckets, promises, backlog)))
    weekly: dict[date, _Bucket] = {}
    for row in rows:
        if row.day >= first_week:
            weekly.setdefault(week_start(row.day), _Bucket()).add_day(row)
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
            )
        )
    flags = list(
        db.session.scalars(
            select(InsightFlag)
            .where(
                InsightFlag.department_id == department.id,
                InsightFlag.week >= today - timedelta(days=FLAG_SHOWN_DAYS),
            )
            .order_by(InsightFlag.week.desc())
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
        refreshed_at=last_refresh(),
        answered=db.session.scalar(
            select(CheckIn)
            .where(
                CheckIn.department_id == department.id,
                CheckIn.answered_publicly_at.is_not(None),
            )
            .order_by(CheckIn.id.desc())
            .limit(1)
        ),
    )


def checkin_score(department: Department) -> CheckInScore | None:
    """The latest check-in with enough answers to show (average of "How well does
    <department> serve you?")."""
    row = db.session.execute(
        select(CheckIn.period, func.avg(CheckInAnswer.score), func.count(CheckInAnswer.id))
        .join(CheckInAnswer, CheckInAnswer.check_in_id == CheckIn.id)
        .where(CheckIn.department_id == department.id)
        .group_by(CheckIn.id, CheckIn.period)
        .having(func.count(CheckInAnswer.id) >= figures.MIN_SAMPLE)
        .order_by(CheckIn.id.desc())
        .limit(1)
    ).first()
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
    total = _Bucket()
    for m in measure_requests(ids, {department.id: department}):
        if since <= m.day <= until:
            buckets.setdefault(m.priority, _Bucket()).add_measure(m)
            total.add_measure(m)
    result = {key: bucket.delivery() for key, bucket in buckets.items()}
    result["all"] = total.delivery()
    return result


def rollup_window(department: Department, since: date, until: date) -> dict[str, Delivery]:
    buckets: dict[str, _Bucket] = {}
    total = _Bucket()
    for row in _rollup_rows(department.id, since, until):
        buckets.setdefault(row.priority, _Bucket()).add_day(row)
        total.add_day(row)
    result = {key: bucket.delivery() for key, bucket in buckets.items()}
    result["all"] = total.delivery()
    return result


def minutes_words(minutes: float | None) -> str:
    return "—" if minutes is None else sla.describe_duration(minutes)


def share_words(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"
